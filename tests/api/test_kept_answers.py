"""Read answers are kept per worker until the record changes, per audience, never shared
between readers who may see different things."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from agenda.auth.models import User
from agenda.auth.rules import Role, TokenScope
from agenda.auth.tokens import create_token
from agenda.bodies.models import Body
from agenda.extensions import db
from agenda.meetings.models import Meeting


def bearer(user: User, *body_ids: int) -> dict[str, str]:
    _, secret = create_token(user, name="reader", scope=TokenScope.READ, body_ids=body_ids,
                             actor=None)  # fmt: skip
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_a_kept_draft_reaches_only_tokens_that_may_see_it(
    make_app: Callable[..., Flask],
    make_body: Callable[..., Body],
    make_meeting: Callable[..., Meeting],
    make_user: Callable[..., User],
) -> None:
    ours, theirs = make_body(), make_body()
    draft = make_meeting(body=ours, published=False, location="Room 1")
    clerk = make_user(role=Role.CLERK)
    own, other = bearer(clerk, ours.id), bearer(clerk, theirs.id)
    client = make_app().test_client()  # an app of its own: the test's session stays out
    path = f"/api/v1/meetings/{draft.id}"
    db.session.commit()  # the test's own transaction ends before the requests write

    first = client.get(path, headers=own)
    assert first.status_code == 200 and first.json["location"] == "Room 1"
    again = client.get(path, headers=own)
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    # The same address, kept for the body's token, is never served to anyone else.
    assert client.get(path).status_code == 404
    assert client.get(path, headers=other).status_code == 404
    assert client.get(path, headers={"Authorization": "Bearer agt_forged"}).status_code == 401

    draft.location = "Room 2"
    db.session.commit()
    db.session.close()
    assert client.get(path, headers=own).json["location"] == "Room 2"


def test_answers_asked_at_another_host_link_to_that_host(make_app: Callable[..., Flask]) -> None:
    client = make_app().test_client()
    one = client.get("/api/v1/", base_url="http://agenda.city.gov").json
    other = client.get("/api/v1/", base_url="http://records.city.gov").json
    assert one["meetings"] == "http://agenda.city.gov/api/v1/meetings"
    assert other["meetings"] == "http://records.city.gov/api/v1/meetings"
