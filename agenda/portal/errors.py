"""Error pages that match the site and never show a stack trace; JSON under /api/."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from agenda.extensions import db

MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have permission to see this page.",
    404: "There is no page at this address. It may have moved, or the link may be mistyped.",
    405: "This page cannot be used that way.",
    413: "The file is too large to upload.",
    429: "Too many attempts in a short time. Wait a few minutes, then try again.",
    500: "Something went wrong on our side. The error has been logged; please try again.",
}


def error_page(code: int, title: str, message: str) -> tuple[Response | str, int]:
    """Render an error page (or the API's JSON error) with this title and message."""
    if request.path.startswith("/api/"):
        # The API's refusal body (agenda/api/core.py): messages by field, none here.
        body = {"code": code, "title": title, "message": message, "fields": {}}
        return jsonify(error=body), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def handle_http(error: HTTPException) -> tuple[Response | str, int]:
    """Render an HTTP error as a site page (or a JSON body for the API)."""
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    if code == 413:
        limit = request.max_content_length or 0
        size = f"{limit / 1024**2:g} MB" if limit >= 1024**2 else f"{limit / 1024:g} KB"
        return error_page(413, "File too large", f"The largest file you can upload is {size}.")
    # A view refusing a request with its own words (`abort(400, description=...)`) is heard.
    custom = code == 400 and error.description != type(error).description
    message = error.description if custom else MESSAGES.get(code, error.description)
    return error_page(code, error.name, message or "")


def handle_csrf(error: CSRFError) -> tuple[Response | str, int]:
    """Explain a missing or expired form token without changing anything."""
    return error_page(
        400,
        "Form expired",
        "This form was missing its security token or had expired, so nothing was changed. "
        "Go back, reload the page and try again.",
    )


def handle_unexpected(error: Exception) -> tuple[Response | str, int]:
    """Log an unexpected error and show the generic 500 page, never the traceback."""
    db.session.rollback()
    if not isinstance(error, HTTPException):
        current_app.logger.exception("Unhandled error on %s", request.path)
    return handle_http(InternalServerError())


def register(app: Flask) -> None:
    """Install the error handlers."""
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
