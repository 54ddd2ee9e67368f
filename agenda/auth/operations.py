"""Create users, check credentials, change passwords and end sessions."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from agenda.audit.operations import record_event
from agenda.audit.rules import changes
from agenda.auth.models import LinkPurpose, OneTimeLink, User, UserBody, new_session_token
from agenda.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from agenda.auth.rules import LinkState, Role, link_state
from agenda.bodies.models import Body, Person
from agenda.db import utcnow
from agenda.errors import Refused
from agenda.extensions import db


class AuthError(Refused):
    """A user operation was refused; the message is for the person at the keyboard."""


def normalize_email(email: str) -> str:
    """Return the e-mail address as stored: trimmed and lowercase."""
    return email.strip().lower()


def find_user(email: str) -> User | None:
    """Return the user with this e-mail address, if any."""
    return db.session.execute(
        sa.select(User).where(User.email == normalize_email(email))
    ).scalar_one_or_none()


def create_user(
    *,
    email: str,
    password: str,
    role: Role,
    name: str = "",
    person_id: int | None = None,
    actor: User | None = None,
    is_demo: bool = False,
) -> User:
    """Create a user after checking the e-mail is free and the password acceptable."""
    email = normalize_email(email)
    if "@" not in email:
        raise AuthError("Enter an e-mail address.")
    if find_user(email) is not None:
        raise AuthError(f"A user with the e-mail address {email} already exists.")
    if problem := password_problem(password):
        raise AuthError(problem)
    if role == Role.COMMISSIONER and person_id is None:
        raise AuthError("A commissioner's login must be linked to a person on a body.")
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password),
        role=role,
        person_id=person_id,
        is_demo=is_demo,
    )
    db.session.add(user)
    db.session.flush()
    record_event("user.create", user, actor=actor, details={"email": email, "role": role.value})
    return user


@dataclass(frozen=True)
class Credentials:
    """Credentials that matched an enabled user, and the user's new hash if it needs one."""

    user_id: int
    rehashed: str | None


def authenticate(email: str, password: str) -> Credentials | None:
    """Check credentials without writing anything; None when they match no enabled user.

    Checking costs a password hash, so it runs before the sign-in's writing transaction.
    """
    user = find_user(email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_enabled:
        return None
    rehashed = hash_password(password) if needs_rehash(user.password_hash) else None
    return Credentials(user.id, rehashed)


def record_sign_in(credentials: Credentials) -> User | None:
    """Note a sign-in with checked credentials; None if the user was disabled meanwhile."""
    user = db.session.get(User, credentials.user_id)
    if user is None or not user.is_enabled:
        return None
    if credentials.rehashed is not None:
        user.password_hash = credentials.rehashed
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def set_password(user: User, password: str, *, actor: User | None) -> None:
    """Change a user's password and sign them out everywhere."""
    if problem := password_problem(password):
        raise AuthError(problem)
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    db.session.flush()
    record_event("user.set_password", user, actor=actor)


def end_sessions(user: User) -> None:
    """Invalidate every session cookie issued to this user (used at logout)."""
    user.session_token = new_session_token()
    db.session.flush()


# How long an invitation or a password reset link sets a password.
LINK_LIFETIME = timedelta(hours=72)
NAME_MAX = 200
EMAIL_MAX = 320
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class LinkUnknown(AuthError):
    """No link has this token (or it belongs to another kind of link)."""

    status = 404


class LinkGone(AuthError):
    """The link was used, replaced by a newer one, or expired."""

    status = 410


@dataclass(frozen=True)
class IssuedLink:
    """A one-time link just made: the raw token exists only here, to be shown once."""

    user: User
    purpose: LinkPurpose
    token: str
    expires_at: datetime


def token_digest(token: str) -> str:
    """Return the SHA-256 of a link's token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def _check_email(email: str, *, user: User | None = None) -> str:
    email = normalize_email(email)
    if len(email) > EMAIL_MAX or not _EMAIL.fullmatch(email):
        raise AuthError("Enter an e-mail address like clerk@city.gov.", field="email")
    other = find_user(email)
    if other is not None and other is not user:
        raise AuthError(f"A user with the e-mail address {email} already exists.", field="email")
    return email


def _check_assignment(
    role: Role, person_id: int | None, body_ids: Iterable[int]
) -> tuple[int | None, list[int]]:
    """Return the person and bodies a role keeps: a person for commissioners, bodies for clerks."""
    if role is Role.COMMISSIONER:
        if person_id is None or db.session.get(Person, person_id) is None:
            raise AuthError("Choose the person this commissioner is.", field="person")
    else:
        person_id = None
    wanted = sorted(set(body_ids)) if role is Role.CLERK else []
    known = db.session.execute(sa.select(Body.id).where(Body.id.in_(wanted))).scalars().all()
    if len(known) != len(wanted):
        raise AuthError("Choose bodies from the list.", field="bodies")
    return person_id, wanted


def _check_name(name: str) -> str:
    name = name.strip()
    if len(name) > NAME_MAX:
        raise AuthError(f"Keep the name under {NAME_MAX} characters.", field="name")
    return name


def _issue(user: User, purpose: LinkPurpose, actor: User | None) -> IssuedLink:
    now = utcnow()
    # Any older link of this user stops working: only the newest one sets a password.
    db.session.execute(
        sa.update(OneTimeLink)
        .where(OneTimeLink.user_id == user.id, OneTimeLink.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    link = OneTimeLink(
        user_id=user.id,
        purpose=purpose,
        token_sha256=token_digest(token),
        expires_at=now + LINK_LIFETIME,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(link)
    db.session.flush()
    return IssuedLink(user, purpose, token, link.expires_at)


def invite_user(
    *,
    email: str,
    name: str,
    role: Role,
    person_id: int | None,
    body_ids: Iterable[int],
    actor: User | None,
) -> IssuedLink:
    """Create a user without a password and the one-time link that lets them set one."""
    email = _check_email(email)
    name = _check_name(name)
    person_id, bodies = _check_assignment(role, person_id, body_ids)
    user = User(email=email, name=name, password_hash="", role=role, person_id=person_id)
    user.body_ids = [UserBody(body_id=b) for b in bodies]
    db.session.add(user)
    db.session.flush()
    issued = _issue(user, LinkPurpose.INVITE, actor)
    details = {
        "email": email,
        "name": name,
        "role": role.value,
        "person_id": person_id,
        "body_ids": bodies,
        "link_expires_at": issued.expires_at.isoformat(),
    }
    record_event("user.invite", user, actor=actor, details=details)
    return issued


def new_link(
    user: User, purpose: LinkPurpose = LinkPurpose.RESET, *, actor: User | None
) -> IssuedLink:
    """Make a fresh one-time link for `user` (a reset, or a new invitation); older ones close."""
    if not user.is_enabled:
        raise AuthError("Enable this user before making a link for them.")
    issued = _issue(user, purpose, actor)
    details = {"purpose": purpose.value, "link_expires_at": issued.expires_at.isoformat()}
    record_event("user.link", user, actor=actor, details=details)
    return issued


def find_link(token: str, purpose: LinkPurpose) -> OneTimeLink | None:
    """Return the link of this kind that `token` names, if any."""
    return db.session.execute(
        sa.select(OneTimeLink).where(
            OneTimeLink.token_sha256 == token_digest(token), OneTimeLink.purpose == purpose
        )
    ).scalar_one_or_none()


def open_link(token: str, purpose: LinkPurpose) -> OneTimeLink:
    """Return the open link `token` names, or refuse: unknown (404), used or expired (410)."""
    link = find_link(token, purpose)
    if link is None:
        raise LinkUnknown("This link is not valid. Check that you copied all of it.")
    state = link_state(link.expires_at, link.used_at, utcnow())
    if state is LinkState.USED:
        raise LinkGone("This link was already used, or a newer link replaced it.")
    if state is LinkState.EXPIRED:
        raise LinkGone("This link has expired.")
    return link


def use_link(token: str, purpose: LinkPurpose, password: str, confirmation: str) -> User:
    """Set the password through an open one-time link; the link closes, sessions end."""
    link = open_link(token, purpose)
    if problem := password_problem(password):
        raise AuthError(problem, field="password")
    if password != confirmation:
        raise AuthError("The two passwords are not the same.", field="confirmation")
    user = link.user
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    link.used_at = utcnow()
    db.session.flush()
    record_event("user.set_password", user, actor=user, details={"through": purpose.value})
    return user


def _enabled_admins() -> int:
    return db.session.execute(
        sa.select(sa.func.count(User.id)).where(User.role == Role.ADMIN, User.is_enabled)
    ).scalar_one()


def _set_enabled(user: User, enabled: bool, actor: User | None) -> bool:
    before = {"is_enabled": user.is_enabled}
    user.is_enabled = enabled
    # A disabled user's cookies stop working at once; so do their open links.
    user.session_token = new_session_token()
    db.session.flush()
    diff = changes(before, {"is_enabled": enabled})
    if diff:
        action = "user.enable" if enabled else "user.disable"
        record_event(action, user, actor=actor, details={"changes": diff})
    return bool(diff)


def disable_user(user: User, *, actor: User | None) -> bool:
    """Disable a user and end their sessions; False if they already were disabled."""
    if actor is not None and actor.id == user.id:
        raise AuthError("You cannot disable yourself; ask another admin.")
    if user.role is Role.ADMIN and user.is_enabled and _enabled_admins() <= 1:
        raise AuthError("This is the last enabled admin: enable or invite another admin first.")
    db.session.execute(
        sa.update(OneTimeLink)
        .where(OneTimeLink.user_id == user.id, OneTimeLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    return _set_enabled(user, False, actor)


def enable_user(user: User, *, actor: User | None) -> bool:
    """Enable a user again (they sign in anew); False if they already were enabled."""
    return _set_enabled(user, True, actor)


def _user_fields(user: User) -> dict[str, object]:
    return {
        "name": user.name,
        "role": user.role,
        "person_id": user.person_id,
        "body_ids": sorted(b.body_id for b in user.body_ids),
    }


def update_user(
    user: User,
    *,
    name: str,
    role: Role,
    person_id: int | None,
    body_ids: Iterable[int],
    actor: User | None,
) -> list[str]:
    """Change a user's name, role, person and bodies; return the names of what changed."""
    name = _check_name(name)
    person_id, bodies = _check_assignment(role, person_id, body_ids)
    if user.role is Role.ADMIN and role is not Role.ADMIN:
        if actor is not None and actor.id == user.id:
            raise AuthError("You cannot take away your own admin role.", field="role")
        if user.is_enabled and _enabled_admins() <= 1:
            raise AuthError("This is the last enabled admin; keep the role.", field="role")
    before = _user_fields(user)
    user.name, user.role, user.person_id = name, role, person_id
    kept = {b.body_id: b for b in user.body_ids}
    user.body_ids = [kept.get(b) or UserBody(body_id=b) for b in bodies]
    db.session.flush()
    diff = changes(before, _user_fields(user))
    if diff:
        record_event("user.update", user, actor=actor, details={"changes": diff})
    return list(diff)
