"""One-time form keys: a form submitted twice (Back and submit, a replayed POST) acts once.

Every state-changing form carries a fresh random key (`form_guard()` in the templates). The
first submission that goes through stores its key, in the same transaction as what it did,
with the page it led to; a repeat of the key records nothing and leads to that page again.
"""

from __future__ import annotations

import re
import secrets
from typing import Optional

import sqlalchemy as sa
from flask import Flask, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from sqlalchemy.orm import Mapped, mapped_column

from agenda.db import utc_timestamp
from agenda.extensions import db

FIELD = "once"
ALREADY = "Already recorded: this form was submitted before, so nothing was recorded twice."
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


class FormKey(db.Model):
    """A form submission that went through: its key and the page its answer led to."""

    __tablename__ = "form_keys"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    result_url: Mapped[str] = mapped_column(sa.String(2000))
    user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[utc_timestamp]


def new_key() -> str:
    return secrets.token_urlsafe(24)


def form_guard(csrf_token: str) -> Markup:
    """The hidden inputs every state-changing form carries: the CSRF token and a fresh key."""
    return Markup(  # noqa: S704  (the token is escaped; the key is URL-safe base64)
        f'<input type="hidden" name="csrf_token" value="{escape(csrf_token)}">'
        f'<input type="hidden" name="{FIELD}" value="{new_key()}">'
    )


def submitted_key() -> str | None:
    """The key the submitted form carries, if it carries a well-formed one."""
    key = request.form.get(FIELD, "")
    return key if _KEY.fullmatch(key) else None


def claim(key: str, user_id: int | None) -> FormKey | None:
    """Claim `key` in the open transaction; return the earlier submission if it was used.

    Waits for a concurrent submission of the same key to finish, so two replays racing each
    other still act once (the primary key decides).
    """
    earlier = db.session.get(FormKey, key)
    if earlier is not None:
        return earlier
    claimed = FormKey(key=key, result_url="", user_id=user_id)
    try:
        with db.session.begin_nested():
            db.session.add(claimed)
    except sa.exc.IntegrityError:
        return db.session.get(FormKey, key) or FormKey(key=key, result_url="")
    return None


def settle(key: str, result_url: str) -> None:
    """Note where the submission that claimed `key` led, to show it again on a repeat."""
    claimed = db.session.get(FormKey, key)
    if claimed is not None:
        claimed.result_url = result_url


def init_app(app: Flask) -> None:
    """Give templates `form_guard()`: put it in every form that changes the record."""
    app.jinja_env.globals["form_guard"] = lambda: form_guard(generate_csrf())
