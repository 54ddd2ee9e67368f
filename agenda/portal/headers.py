"""Security and caching headers on every response, and the server's own time for each request."""

from __future__ import annotations

import time

from flask import Flask, g, request
from flask_login import current_user
from werkzeug.wrappers import Response

from agenda.documents.http import PRIVATE

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def add_security_headers(response: Response) -> Response:
    """Set CSP, nosniff, framing and referrer headers unless a view set its own."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response


HSTS = "max-age=31536000; includeSubDomains"


def add_hsts(response: Response) -> Response:
    """Tell browsers to use HTTPS only, on answers that came over HTTPS (never on plain http).

    Behind a proxy the request is HTTPS when TRUST_PROXY=1 and X-Forwarded-Proto says so.
    """
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def keep_private(response: Response) -> Response:
    """Let no cache keep what a signed-in user was shown, unless the view chose a policy.

    Pages name the user and show drafts by role; a view whose answer is the public's
    (a published document, the record's head) says so with its own Cache-Control.
    """
    if "Cache-Control" not in response.headers and current_user.is_authenticated:
        response.headers["Cache-Control"] = PRIVATE
    return response


def start_timer() -> None:
    # Staff screens only: the public has no use for it.
    if request.path.startswith("/clerk/"):
        g.started = time.perf_counter()


def add_server_timing(response: Response) -> Response:
    """Say how long the app took (Server-Timing), so a browser can measure what users feel."""
    started = g.get("started")
    if started is not None:
        took = (time.perf_counter() - started) * 1000
        response.headers.setdefault("Server-Timing", f"app;dur={took:.1f}")
    return response


def register(app: Flask) -> None:
    """Install the header hooks."""
    app.before_request(start_timer)
    app.after_request(add_security_headers)
    app.after_request(add_hsts)
    app.after_request(keep_private)
    app.after_request(add_server_timing)
