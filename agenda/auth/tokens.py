"""API tokens: made for a clerk or admin, shown once, stored as a SHA-256, scoped, revoked.

A token acts as its user: it sees what the user may see and, with the write scope, does what
the user may do, never more; a token limited to some bodies acts only on those.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from agenda.audit.operations import record_event
from agenda.auth.access import viewer_of
from agenda.auth.models import ApiToken, ApiTokenBody, User
from agenda.auth.rules import TokenScope, Viewer, is_admin, is_staff
from agenda.bodies.models import Body
from agenda.db import utcnow
from agenda.errors import Refused
from agenda.extensions import db

# Every token starts with this, so a leaked one is recognised by secret scanners and people.
PREFIX = "agt_"
# Characters of the token kept in the clear to tell tokens apart in the screens.
SHOWN = len(PREFIX) + 6
# How often a token's last use is written: reads must not write on every request.
LAST_USED_EVERY = 300


class TokenError(Refused):
    """A token could not be made or revoked; the message says why."""


class TokenConflict(TokenError):
    """The token changed meanwhile (revoked already): 409."""

    status: ClassVar[int] = 409


def digest(secret: str) -> str:
    """Return the SHA-256 a token is stored as."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    user: User,
    *,
    name: str,
    scope: TokenScope,
    body_ids: Iterable[int] = (),
    expires_at: datetime | None = None,
    actor: User | None,
) -> tuple[ApiToken, str]:
    """Make a token for `user` and return it with its secret, which is never shown again.

    Only clerks and admins hold tokens; a clerk limited to some bodies may limit a token to
    those, never widen it beyond them (no bodies named means the clerk's own bodies).
    """
    name = name.strip()
    if not name:
        raise TokenError("Name the token after what will use it.", field="name")
    if len(name) > 120:
        raise TokenError("Keep the name under 120 characters.", field="name")
    if not is_staff(user.role) or not user.is_enabled:
        raise TokenError("Only an enabled clerk or admin can hold an API token.", field="user")
    if actor is not None and actor.id != user.id and not is_admin(actor.role):
        raise TokenError("Only an admin makes tokens for someone else.", field="user")
    if expires_at is not None and expires_at <= utcnow():
        raise TokenError("Choose an expiry in the future.", field="expires_at")
    wanted = sorted(set(body_ids))
    known = set(db.session.execute(sa.select(Body.id).where(Body.id.in_(wanted))).scalars())
    if missing := [b for b in wanted if b not in known]:
        raise TokenError(f"No body has the id {missing[0]}.", field="bodies")
    limits = viewer_of(user).limited_to
    if limits is not None:
        if outside := [b for b in wanted if b not in limits]:
            raise TokenError(
                f"{user.email} does not work on body {outside[0]}; a token cannot either.",
                field="bodies",
            )
        wanted = wanted or sorted(limits)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name, scope=scope, token_sha256=digest(secret), prefix=secret[:SHOWN],
        expires_at=expires_at, created_by_id=actor.id if actor is not None else None,
        body_links=[ApiTokenBody(body_id=b) for b in wanted],
    )  # fmt: skip
    db.session.add(token)
    db.session.flush()
    details = {
        "user": user.email, "name": name, "scope": scope.value, "bodies": wanted,
        "prefix": token.prefix, "expires_at": expires_at.isoformat() if expires_at else None,
    }  # fmt: skip
    record_event("api_token.create", token, actor=actor, details=details)
    return token, secret


def revoke_token(token: ApiToken, *, actor: User | None) -> None:
    """Revoke a token at once; a revoked token is refused from its next request on.

    `actor` None is the command line (whoever runs it runs the server); a user may revoke
    only what `may_manage` lets them.
    """
    if actor is not None and not may_manage(actor, token):
        raise TokenError("Only the token's holder or an admin may revoke it.")
    if token.revoked_at is not None:
        raise TokenConflict("This token was already revoked.")
    token.revoked_at = utcnow()
    token.revoked_by_id = actor.id if actor is not None else None
    db.session.flush()
    record_event("api_token.revoke", token, actor=actor, details={"prefix": token.prefix})


def may_manage(actor: User, token: ApiToken) -> bool:
    """Tell whether `actor` may see and revoke `token`: its own holder, or any admin."""
    return is_admin(actor.role) or token.user_id == actor.id


def token_for(secret: str, now: datetime | None = None) -> ApiToken | None:
    """Return the usable token with this secret: not revoked, not expired, its user enabled."""
    if not secret.startswith(PREFIX):
        return None
    token = (
        db.session.execute(
            sa.select(ApiToken)
            .where(ApiToken.token_sha256 == digest(secret))
            .options(joinedload(ApiToken.body_links), joinedload(ApiToken.user))
        )
        .unique()
        .scalar_one_or_none()
    )  # one query: the token, its user and its bodies
    now = now or utcnow()
    if token is None or token.revoked_at is not None or not token.user.is_enabled:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if not is_staff(token.user.role):
        return None
    return token


def token_viewer(token: ApiToken) -> Viewer:
    """Return who a token reads as: its user, limited to the token's bodies if it names any."""
    viewer = viewer_of(token.user)
    if not token.body_ids:
        return viewer
    limits = token.body_ids if viewer.limited_to is None else token.body_ids & viewer.limited_to
    return Viewer(viewer.role, viewer.body_ids, limited_to=frozenset(limits))


def may_write(token: ApiToken, body_id: int) -> bool:
    """Tell whether a token may change a body's records."""
    return token.scope is TokenScope.WRITE and token_viewer(token).works_on(body_id)


def note_use(token: ApiToken, now: datetime | None = None) -> datetime | None:
    """Return the time to record as the token's last use, or None if it was noted lately.

    Reads must not write on every request: the caller writes it beside the request's own
    transaction, at most every LAST_USED_EVERY seconds (and always at the first use).
    """
    now = now or utcnow()
    last = token.last_used_at
    if last is not None and (now - last).total_seconds() < LAST_USED_EVERY:
        return None
    return now
