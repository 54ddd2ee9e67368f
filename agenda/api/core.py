"""What every API route shares: tokens, refusals as JSON, caching, CORS and the route registry.

A resource module declares each route with `read(...)` or `write(...)`, naming the pydantic
models of its query, body and answer. The decorators parse and check the input (400 for a
bad query, 422 with a message per field for a bad body), answer JSON with an ETag (304 when
unchanged), and record the route so `openapi.json` describes exactly what is served.

Writes need a token with the write scope and act as the token's user through the same
operations as the screens, in one transaction: a refusal changes nothing and answers 422
(409 for a conflict) with the same words the screens show. A write sent with an
`Idempotency-Key` is recorded once: a retry gets the first answer again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Blueprint, current_app, g, request, url_for
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from agenda.api.models import IdempotentRequest
from agenda.audit.operations import acting_through
from agenda.auth.models import ApiToken, User
from agenda.auth.rules import PUBLIC, TokenScope, Viewer
from agenda.auth.tokens import may_write, note_use, token_for, token_viewer
from agenda.errors import Refused
from agenda.extensions import apart, csrf, db, limiter, write_phase
from agenda.pagecache import PUBLIC as PUBLIC_AUDIENCE
from agenda.pagecache import PUBLIC_REVALIDATE, kept_page

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies are read: a write carries its token in a header a form cannot set

M = TypeVar("M", bound=BaseModel)
READ_METHODS = ("GET", "HEAD", "OPTIONS")
PRIVATE_REVALIDATE = "private, no-cache"
_BEARER = re.compile(r"Bearer\s+(\S+)", re.IGNORECASE)
_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # printable ASCII, as the Idempotency-Key draft says


# ---------------------------------------------------------------------------------------------
# Refusals


class ApiProblem(Exception):
    """A request the API refuses: its status, a message, and messages by field."""

    def __init__(
        self, status: int, message: str, fields: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.fields = status, message, fields or {}


TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
}


def problem(status: int, message: str, fields: dict[str, list[str]] | None = None) -> Response:
    """Answer a refusal as the API's JSON error body."""
    body: dict[str, Any] = {
        "code": status,
        "title": TITLES.get(status, "Error"),
        "message": message,
        "fields": fields or {},
    }
    response = Response(json.dumps({"error": body}), status, mimetype="application/json")
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(ApiProblem)
def _api_problem(error: ApiProblem) -> Response:
    db.session.rollback()
    return problem(error.status, error.message, error.fields)


@bp.errorhandler(HTTPException)
def _http_problem(error: HTTPException) -> Response:
    code = error.code or 500
    message = error.description or TITLES.get(code, "")
    if code == 404:
        message = NOT_FOUND
    elif code == 429:
        message = f"Too many requests; the limit is {error.description}. Wait, then try again."
    response = problem(code, message)
    if code == 405 and isinstance(error.valid_methods, Sequence):  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return response


def refusal_fields(refused: Refused) -> dict[str, list[str]]:
    return {refused.field: list(refused.messages)} if refused.field else {}


def refused(refusal: Refused) -> Response:
    """Answer an operation's refusal: 422, or 409 for a conflict, in the screens' words."""
    return problem(refusal.status, " ".join(refusal.messages), refusal_fields(refusal))


def invalid(error: ValidationError, status: int) -> ApiProblem:
    """Turn pydantic's complaints into a refusal with a message per field."""
    fields: dict[str, list[str]] = {}
    for complaint in error.errors(include_url=False):
        name = ".".join(str(part) for part in complaint["loc"]) or "body"
        fields.setdefault(name, []).append(_readable(complaint))
    summary = "; ".join(f"{name}: {messages[0]}" for name, messages in fields.items())
    return ApiProblem(status, f"Check these fields: {summary}.", fields)


def _readable(complaint: Any) -> str:
    message = str(complaint["msg"])
    return message.removeprefix("Value error, ")


# ---------------------------------------------------------------------------------------------
# Who is asking


def current_token() -> ApiToken | None:
    """Return the token the request carries (None for the public); refuse a bad one (401)."""
    if "api_token" in g:
        return g.api_token
    header = request.headers.get("Authorization", "")
    token = None
    if header:
        found = _BEARER.fullmatch(header.strip())
        token = token_for(found.group(1)) if found else None
        if token is None:
            raise ApiProblem(
                401, "The API token is not valid: revoked, expired or mistyped. "
                "Send it as 'Authorization: Bearer agt_...'.",
            )  # fmt: skip
        _note_use(token)
    g.api_token = token
    return token


@bp.before_request
def _forget_token() -> None:
    """Read each request's token afresh: an app context (a command, a test) may hold several."""
    g.pop("api_token", None)
    g.pop("api_viewer", None)


def _note_use(token: ApiToken) -> None:
    """Write the token's last use beside the request's own transaction (reads write nothing)."""
    when = note_use(token)
    if when is None:
        return
    with apart() as session:
        session.execute(
            sa.update(ApiToken)
            .where(ApiToken.id == token.id)
            .values(last_used_at=when)
            .execution_options(synchronize_session=False)
        )
    # Known to the request's session as stored, so it is never flushed from a reading one.
    set_committed_value(token, "last_used_at", when)


def viewer() -> Viewer:
    """Return who reads: the token's user within the token's bodies, or the public (read once
    a request: a clerk's bodies are a query)."""
    if "api_viewer" not in g:
        token = current_token()
        g.api_viewer = PUBLIC if token is None else token_viewer(token)
    return g.api_viewer


def _audience() -> Hashable:
    """Who a read's answer is for: the public, or what the request's token may see."""
    return PUBLIC_AUDIENCE if current_token() is None else ("token", viewer())


def writer() -> ApiToken:
    """Return the request's token if it may write; else refuse (401 without, 403 read-only)."""
    token = current_token()
    if token is None:
        raise ApiProblem(401, "Writing needs an API token: 'Authorization: Bearer agt_...'.")
    if token.scope is not TokenScope.WRITE:
        raise ApiProblem(403, "This token may only read; a clerk can make one that writes.")
    return token


def actor() -> User:
    """Return the user a write acts as: the token's holder."""
    return writer().user


def require_writable(body_id: int, *, is_public: bool) -> None:
    """Refuse a write the token may not make on a body's record: 403 where the token sees the
    record (it is public, or a draft of a body it reads), 404 where it does not."""
    token = writer()
    if may_write(token, body_id):
        return
    if not is_public and not token_viewer(token).sees_drafts_of(body_id):
        raise not_found()
    raise ApiProblem(403, "This token may not change this body's records.")


def _rate_key() -> str:
    header = request.headers.get("Authorization", "")
    found = _BEARER.fullmatch(header.strip())
    if found:
        return "token:" + hashlib.sha256(found.group(1).encode()).hexdigest()[:16]
    return "address:" + (request.remote_addr or "unknown")


def _read_limit() -> str:
    return current_app.config["API_READ_LIMIT"]


def _write_limit() -> str:
    return current_app.config["API_WRITE_LIMIT"]


limiter.limit(_read_limit, key_func=_rate_key, methods=["GET", "HEAD"])(bp)
limiter.limit(_write_limit, key_func=_rate_key, methods=["POST", "PUT", "PATCH", "DELETE"])(bp)


# ---------------------------------------------------------------------------------------------
# Answers


def json_bytes(model: BaseModel) -> bytes:
    return model.model_dump_json().encode()


def answer_json(model: BaseModel, status: int = 200) -> Response:
    """Answer a model as JSON; a read gets a strong ETag of its bytes and a 304 when unchanged."""
    data = json_bytes(model)
    response = Response(data, status, mimetype="application/json")
    if request.method in ("GET", "HEAD") and status == 200:
        response.set_etag(hashlib.sha256(data).hexdigest()[:32])
        private = g.get("api_token") is not None
        response.headers["Cache-Control"] = PRIVATE_REVALIDATE if private else PUBLIC_REVALIDATE
        return response.make_conditional(request)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.after_request
def _cors(response: Response) -> Response:
    """Let any web page read the public record (GET only, never with cookies)."""
    response.headers["Vary"] = "Authorization"
    if request.method in READ_METHODS:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = (
            "ETag, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
        )
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Authorization, If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


# ---------------------------------------------------------------------------------------------
# Cursor pagination


def encode_cursor(values: Sequence[Any]) -> str:
    """Return an opaque cursor for the last row of a page (its sort key)."""
    raw = json.dumps(list(values), separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, kinds: Sequence[type]) -> list[Any]:
    """Read a cursor back as values of these types; refuse one this API did not make (400)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError
        return [None if v is None else kind(v) for v, kind in zip(values, kinds, strict=True)]
    except (ValueError, TypeError, UnicodeDecodeError):
        raise ApiProblem(
            400, "The cursor is not one this API gave; start again without it.",
            {"cursor": ["Not a cursor from a previous page."]},
        ) from None  # fmt: skip


def next_link(cursor: str | None) -> str | None:
    """Return the address of the next page: this request with `cursor` replaced."""
    if cursor is None:
        return None
    args = request.args.to_dict(flat=False)
    args["cursor"] = [cursor]
    return url_for(request.endpoint or "", _external=True, **(request.view_args or {}), **args)


# ---------------------------------------------------------------------------------------------
# The route registry


@dataclass(frozen=True)
class Endpoint:
    """A route as the OpenAPI document describes it."""

    method: str
    rule: str
    name: str
    tag: str
    summary: str
    description: str
    response: type[BaseModel] | None
    status: int
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    multipart: bool = False
    errors: tuple[int, ...] = ()
    extra_content: dict[str, Any] = field(default_factory=dict)


ENDPOINTS: list[Endpoint] = []
READ_ERRORS = (400, 401, 404, 429)
WRITE_ERRORS = (400, 401, 403, 404, 409, 422, 429)


def _doc(view: Callable[..., Any]) -> tuple[str, str]:
    text = (view.__doc__ or view.__name__).strip()
    summary, _, rest = text.partition("\n")
    return summary.strip().rstrip("."), " ".join(rest.split())


def parse_query(model: type[M]) -> M:
    """Read the query string as `model`; refuse what it cannot hold (400, by parameter)."""
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in request.args:
            many = request.args.getlist(key)
            values[key] = many if _is_list(info.annotation) else many[-1]
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise invalid(error, 400) from None


def _is_list(annotation: Any) -> bool:
    return getattr(annotation, "__origin__", None) is list


def read(
    rule: str,
    *,
    response: type[BaseModel],
    tag: str,
    query: type[BaseModel] | None = None,
    errors: tuple[int, ...] = READ_ERRORS,
) -> Callable[[Callable[..., BaseModel]], Callable[..., Response]]:
    """Declare a GET route answering `response`; the view gets `query=` when one is declared.

    The answer is the public's unless the request carries a token. Answers are kept per
    worker until the record changes (`pagecache.kept_page`), per audience: the public, or
    what a token may see (its holder's role and bodies), which is all an answer depends on.
    """

    def declare(view: Callable[..., BaseModel]) -> Callable[..., Response]:
        summary, description = _doc(view)

        def route(**path: Any) -> Response:
            current_token()
            kwargs: dict[str, Any] = {"query": parse_query(query)} if query is not None else {}
            return answer_json(view(**path, **kwargs))

        route.__name__ = view.__name__
        route.__doc__ = view.__doc__
        served = kept_page(_audience)(route)
        bp.add_url_rule(rule, view.__name__, served, methods=["GET"])
        ENDPOINTS.append(
            Endpoint("get", rule, view.__name__, tag, summary, description, response, 200,
                     query=query, errors=errors)
        )  # fmt: skip
        return served

    return declare


@dataclass(frozen=True)
class Written:
    """What a write answers: the record as read back, and where it lives (Location)."""

    model: BaseModel
    location: str | None = None


def write(
    rule: str,
    *,
    body: type[BaseModel] | None,
    response: type[BaseModel],
    tag: str,
    method: str = "POST",
    status: int = 201,
    multipart: bool = False,
    prepare: Callable[..., object] | None = None,
    errors: tuple[int, ...] = WRITE_ERRORS,
) -> Callable[[Callable[..., Written]], Callable[..., Response]]:
    """Declare a write route: token with the write scope, parsed body, one transaction.

    The view gets `body=` (the parsed model, or None) and the path's values; it calls the
    operations with `actor()` as the actor, checks `require_writable(body_id, ...)`, and returns
    `Written`. `prepare(body=..., **path)`, if given, runs first outside the writing
    transaction (documents a publication renders). A Refused answers 422/409; nothing is kept.
    """

    def declare(view: Callable[..., Written]) -> Callable[..., Response]:
        summary, description = _doc(view)

        def route(**path: Any) -> Response:
            token = writer()
            parsed = _parse_body(body, multipart) if body is not None else None
            key = _idempotency_key()
            fingerprint = _fingerprint()
            if key is not None and (earlier := _earlier(token, key, fingerprint)) is not None:
                return earlier
            if prepare is not None:
                prepare(body=parsed, **path)
            with write_phase(), acting_through(f"API token {token.prefix}…"):
                if key is not None and (earlier := _earlier(token, key, fingerprint)) is not None:
                    db.session.rollback()
                    return earlier
                try:
                    written = view(body=parsed, **path)
                except Refused as refusal:
                    db.session.rollback()
                    return refused(refusal)
                except ApiProblem:
                    db.session.rollback()
                    raise
                data = json_bytes(written.model).decode()
                if key is not None:
                    db.session.add(
                        IdempotentRequest(
                            token_id=token.id, key=key, method=request.method, path=request.path,
                            request_sha256=fingerprint, status=status, body=data,
                            location=written.location,
                        )
                    )  # fmt: skip
                db.session.commit()
            response = Response(data, status, mimetype="application/json")
            response.headers["Cache-Control"] = "no-store"
            if written.location:
                response.headers["Location"] = written.location
            return response

        route.__name__ = view.__name__
        route.__doc__ = view.__doc__
        bp.add_url_rule(rule, view.__name__, route, methods=[method])
        ENDPOINTS.append(
            Endpoint(method.lower(), rule, view.__name__, tag, summary, description, response,
                     status, body=body, multipart=multipart, errors=errors)
        )  # fmt: skip
        return route

    return declare


def _parse_body(model: type[M], multipart: bool) -> M:
    if multipart:
        raw: Any = request.form.to_dict()
    else:
        if not request.is_json:
            raise ApiProblem(415, "Send the body as JSON (Content-Type: application/json).")
        raw = request.get_json(silent=True)
        if raw is None:
            raise ApiProblem(400, "The body is not valid JSON.")
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise invalid(error, 422) from None


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        raise ApiProblem(
            400, "An Idempotency-Key is 1 to 255 printable characters, such as a UUID.",
            {"Idempotency-Key": ["Use 1 to 255 printable ASCII characters."]},
        )  # fmt: skip
    return key


def _fingerprint() -> str:
    """Return what makes a request the same request: its address and what it says.

    What it says, not how it was sent: JSON with its keys in any order, and a form's fields
    with each file's name and digest (a retried upload gets a new multipart boundary).
    """
    seen = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.mimetype == "multipart/form-data":
        for name, value in sorted(request.form.items(multi=True)):
            seen.update(f"{name}={value}\n".encode())
        for name, upload in sorted(request.files.items(multi=True), key=lambda pair: pair[0]):
            seen.update(f"{name}:{upload.filename}:".encode())
            seen.update(hashlib.sha256(upload.stream.read()).digest())
            upload.stream.seek(0)
        return seen.hexdigest()
    body = request.get_json(silent=True) if request.is_json else None
    if body is not None:
        seen.update(json.dumps(body, sort_keys=True, separators=(",", ":")).encode())
    else:
        seen.update(request.get_data())
    return seen.hexdigest()


def _earlier(token: ApiToken, key: str, fingerprint: str) -> Response | None:
    """Return the first answer to a request sent again with the same key, if there was one."""
    kept = db.session.execute(
        sa.select(IdempotentRequest).where(
            IdempotentRequest.token_id == token.id, IdempotentRequest.key == key
        )
    ).scalar_one_or_none()
    if kept is None:
        return None
    if kept.request_sha256 != fingerprint:
        raise ApiProblem(
            422, "This Idempotency-Key was used for a different request; use a new key.",
            {"Idempotency-Key": ["Already used for another request."]},
        )  # fmt: skip
    response = Response(kept.body, kept.status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    response.headers["Cache-Control"] = "no-store"
    if kept.location:
        response.headers["Location"] = kept.location
    return response


NOT_FOUND = "Nothing is at this address, or it is not public."


def not_found() -> ApiProblem:
    """The refusal of a record that does not exist or that the reader may not see (a draft is
    never confirmed to exist)."""
    return ApiProblem(404, NOT_FOUND)


def found(model: type[Any], ident: int, visible: Callable[[Any], bool] = lambda _: True) -> Any:
    """Return the row with this id if `visible(row)`; else 404 (drafts are never confirmed)."""
    row = db.session.get(model, ident)
    if row is None or not visible(row):
        raise not_found()
    return row
