"""The public record's head: how long the audit chain is, its newest event, how to check it."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template
from flask_login import current_user

from agenda.audit.head import chain_head
from agenda.bodies.operations import jurisdiction
from agenda.pagecache import public_page

bp = Blueprint("record", __name__)

# The head moves with every change; a minute of caching spares the server and stays current.
PUBLIC = "public, max-age=60"
# The page's header names a signed-in user: only their own browser may keep it.
PRIVATE = "private, max-age=60"


@bp.route("/record")
@public_page
def show() -> Response:
    found = jurisdiction()
    page = render_template(
        "portal/record.html",
        head=chain_head(),
        timezone=found.timezone if found is not None else "UTC",
    )
    response = Response(page, mimetype="text/html")
    response.headers["Cache-Control"] = PRIVATE if current_user.is_authenticated else PUBLIC
    return response


@bp.route("/record.json")
@public_page
def as_json() -> Response:
    head = chain_head()
    at = head.at.strftime("%Y-%m-%dT%H:%M:%SZ") if head.at is not None else None
    response = jsonify(events=head.events, head=head.sha256, at=at)
    response.headers["Cache-Control"] = PUBLIC
    return response
