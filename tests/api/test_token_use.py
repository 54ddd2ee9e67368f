"""A token's last use is written once every few minutes, and reads stay reads."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from agenda.auth.models import ApiToken, User
from agenda.auth.rules import TokenScope
from agenda.auth.tokens import create_token
from agenda.extensions import db


def test_the_screens_show_when_a_token_was_last_used(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    token, secret = create_token(make_user(), name="Web site", scope=TokenScope.READ, actor=None)
    db.session.commit()
    assert token.last_used_at is None
    headers = {"Authorization": f"Bearer {secret}"}

    assert client.get("/api/v1/", headers=headers).status_code == 200
    db.session.expire_all()
    first = db.session.get(ApiToken, token.id).last_used_at
    assert first is not None

    assert client.get("/api/v1/", headers=headers).status_code == 200
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at == first, "once every few minutes"
