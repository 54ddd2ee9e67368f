"""What the write API's tests share: a clerk's token and its header, a posting client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient

from agenda.auth.models import ApiToken, User
from agenda.auth.rules import TokenScope
from agenda.auth.tokens import create_token
from agenda.extensions import db


@dataclass
class Api:
    """A client that sends one token's requests to /api/v1."""

    client: FlaskClient
    secret: str
    token: ApiToken

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"}

    def post(self, path: str, body: dict[str, Any] | None = None, **headers: str) -> Any:
        db.session.commit()  # what the test wrote is there for the request
        answer = self.client.post(
            f"/api/v1{path}", json=body if body is not None else {},
            headers={**self.headers, **headers},
        )  # fmt: skip
        db.session.expire_all()  # the test then reads what the request wrote
        return answer

    def upload(
        self, path: str, data: bytes, title: str, filename: str = "memo.pdf", **headers: str
    ) -> Any:
        db.session.commit()
        answer = self.client.post(
            f"/api/v1{path}", data={"title": title, "file": (BytesIO(data), filename)},
            headers={**self.headers, **headers}, content_type="multipart/form-data",
        )  # fmt: skip
        db.session.expire_all()
        return answer

    def get(self, path: str) -> Any:
        db.session.commit()
        return self.client.get(f"/api/v1{path}", headers=self.headers)


def api_for(
    client: FlaskClient,
    user: User,
    *,
    scope: TokenScope = TokenScope.WRITE,
    body_ids: tuple[int, ...] = (),
) -> Api:
    """Make a token for `user` (as the screens and `flask tokens create` do) and its client."""
    token, secret = create_token(
        user, name="Vote display", scope=scope, body_ids=body_ids, actor=user
    )
    db.session.commit()
    return Api(client, secret, token)


def today_local(tz: str = "America/New_York") -> date:
    """Return today's date where the body meets (a meeting called to order today needs it)."""
    return datetime.now(UTC).astimezone(ZoneInfo(tz)).date()
