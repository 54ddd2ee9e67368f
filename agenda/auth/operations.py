"""Create users, check credentials, change passwords and end sessions."""

from __future__ import annotations

import sqlalchemy as sa

from agenda.audit.operations import record_event
from agenda.auth.models import User, new_session_token
from agenda.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from agenda.auth.rules import Role
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


def authenticate(email: str, password: str) -> User | None:
    """Return the enabled user these credentials belong to, or None (never saying why)."""
    user = find_user(email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_enabled:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
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
