"""The API's limits: per token for writes and reads with a token, per address without one."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from agenda.auth.models import User
from agenda.auth.rules import Role, TokenScope
from agenda.auth.tokens import create_token
from agenda.bodies.models import Body
from agenda.extensions import db
from agenda.meetings.models import Meeting
from tests.conftest import count_rows


def test_a_token_past_its_write_limit_is_refused_and_others_are_not(
    make_app: Callable[..., Flask], make_body: Callable[..., Body], make_user: Callable[..., User]
) -> None:
    body = make_body()
    clerk = make_user(role=Role.CLERK)
    secrets = []
    for name in ("Vote display", "Web site"):
        _, secret = create_token(clerk, name=name, scope=TokenScope.WRITE, actor=None)
        secrets.append(secret)
    body_id = body.id
    db.session.commit()
    client = make_app(API_WRITE_LIMIT="2/minute").test_client()

    def post(secret: str) -> int:
        meeting = {"body_id": body_id, "classification": "regular", "date": "2027-03-02",
                   "time": "17:00", "location": "City Hall"}  # fmt: skip
        answer = client.post("/api/v1/meetings", json=meeting,
                             headers={"Authorization": f"Bearer {secret}"})  # fmt: skip
        if answer.status_code == 429:
            assert answer.json["error"]["code"] == 429
            assert "limit" in answer.json["error"]["message"]
            assert int(answer.headers["Retry-After"]) > 0
        return answer.status_code

    assert [post(secrets[0]) for _ in range(3)] == [201, 201, 429]
    assert post(secrets[1]) == 201  # another token counts on its own
    db.session.expire_all()
    assert count_rows(Meeting) == 3  # the refused one recorded nothing


def test_anonymous_readers_are_limited_by_address(make_app: Callable[..., Flask]) -> None:
    client = make_app(API_READ_LIMIT="2/minute").test_client()
    statuses = [client.get("/api/v1/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    other = client.get("/api/v1/", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200
