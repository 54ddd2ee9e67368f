"""The admin's user screens: invite by a one-time link (shown once, or mailed), refuse bad
input without saving, change roles and bodies, disable and enable, make new password links."""

from __future__ import annotations

import re
import socket
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from agenda.audit.models import AuditEvent
from agenda.auth.models import OneTimeLink, User, UserBody
from agenda.auth.rules import Role
from agenda.extensions import db
from tests.conftest import PASSWORD, csrf_token, row_counts

LINK = re.compile(r"http://localhost/(invite|reset)/[A-Za-z0-9_-]{40,}")


def invite(client, **fields: Any):
    data = {"email": "deputy@city.test", "name": "Dana Deputy", "role": "clerk", **fields}
    token = csrf_token(client, "/admin/users/new")
    return client.post("/admin/users/new", data={**data, "csrf_token": token})


def post(client, path: str, data: dict[str, Any] | None = None):
    token = csrf_token(client, "/admin/users/")
    return client.post(path, data={**(data or {}), "csrf_token": token})


def user_named(email: str) -> User:
    return db.session.execute(sa.select(User).where(User.email == email)).scalar_one()


def test_the_admin_invites_a_clerk_and_sees_the_link_once(client, auth, make_body):
    auth.login(Role.ADMIN)
    board = make_body(name="Planning Board")
    response = invite(client, bodies=[str(board.id)])
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert "Invited deputy@city.test." in html
    assert "Send this link to deputy@city.test yourself" in html
    url = LINK.search(html).group(0)
    assert url.startswith("http://localhost/invite/")
    # Shown once: the page again no longer holds it.
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert LINK.search(again) is None and "The link was already shown" in again
    user = user_named("deputy@city.test")
    assert not user.has_password and [b.body_id for b in user.body_ids] == [board.id]
    listing = client.get("/admin/users/").get_data(as_text=True)
    assert "Dana Deputy" in listing and "Planning Board" in listing
    assert "Invited: link expires" in listing
    # The audit names who invited whom, never the token.
    event = db.session.execute(
        sa.select(AuditEvent).where(AuditEvent.action == "user.invite")
    ).scalar_one()
    assert event.details["email"] == "deputy@city.test"
    assert event.details["body_ids"] == [board.id]
    assert url.rsplit("/", 1)[1] not in str(event.details)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "CLERK@City.Test"}, "email", "already exists"),
        ({"email": "not an address"}, "email", "Enter an e-mail address like"),
        ({"email": "x" * 320 + "@city.test"}, "email", "Keep the e-mail address under 320"),
        ({"name": "n" * 201}, "name", "Keep the name under 200 characters."),
        ({"role": "commissioner"}, "person", "Choose the person this commissioner is."),
        ({"role": "mayor"}, "role", "Choose a role from the list."),
        ({"bodies": ["999999"]}, "bodies", "Choose bodies from the list."),
    ],
)
def test_bad_invitations_are_refused_beside_the_field(
    client, auth, make_user, fields, field, message
):
    make_user(Role.CLERK, email="clerk@city.test")
    auth.login(Role.ADMIN)
    before = row_counts(User, OneTimeLink, UserBody, AuditEvent)
    response = invite(client, **fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert row_counts(User, OneTimeLink, UserBody, AuditEvent) == before


def test_a_commissioner_is_invited_as_their_person(client, auth, make_body):
    auth.login(Role.ADMIN)
    person = make_body().memberships[2].person
    assert invite(client, role="commissioner", person=str(person.id)).status_code == 302
    user = user_named("deputy@city.test")
    assert user.role is Role.COMMISSIONER and user.person_id == person.id


def test_the_admin_changes_role_and_bodies_with_old_and_new_values_audited(
    client, auth, make_user, make_body
):
    auth.login(Role.ADMIN)
    board, commission = make_body(name="Planning Board"), make_body(name="City Commission")
    clerk = make_user(Role.CLERK, name="Dana")
    data = {"name": "Dana Deputy", "role": "clerk", "bodies": [str(board.id), str(commission.id)]}
    response = post(client, f"/admin/users/{clerk.id}", data)
    assert response.status_code == 302
    assert "Saved: body_ids, name." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    event = db.session.execute(
        sa.select(AuditEvent).where(AuditEvent.action == "user.update")
    ).scalar_one()
    assert event.details["changes"]["name"] == ["Dana", "Dana Deputy"]
    assert event.details["changes"]["body_ids"] == [[], sorted([board.id, commission.id])]


def test_the_admin_cannot_disable_or_demote_themselves(client, auth):
    admin = auth.login(Role.ADMIN)
    before = row_counts(AuditEvent)
    response = post(client, f"/admin/users/{admin.id}/disable")
    assert response.status_code == 422
    assert "You cannot disable yourself" in response.get_data(as_text=True)
    demoted = post(client, f"/admin/users/{admin.id}", {"name": "", "role": "clerk"})
    assert demoted.status_code == 422
    assert "You cannot take away your own admin role." in demoted.get_data(as_text=True)
    db.session.expire_all()
    assert admin.is_enabled and admin.role is Role.ADMIN and row_counts(AuditEvent) == before


def sign_in(client, email: str):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})


def test_a_disabled_users_open_session_ends_at_once_and_enabling_lets_them_back(
    make_app, make_user
):
    # The admin's and the clerk's browsers, each on an app of its own (users load afresh).
    admin, browser = make_app().test_client(), make_app().test_client()
    admin_email, clerk = make_user(Role.ADMIN).email, make_user(Role.CLERK)
    email, clerk_id = clerk.email, clerk.id
    db.session.commit()  # end the test's read, so the browsers may write (SQLite)
    assert sign_in(admin, admin_email).status_code == 302
    assert sign_in(browser, email).status_code == 302
    assert browser.get("/clerk/").status_code == 200
    response = post(admin, f"/admin/users/{clerk_id}/disable")
    assert response.status_code == 302
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "is disabled and signed out everywhere" in page and "Enable this user" in page
    assert browser.get("/clerk/").status_code == 302  # sent to sign in
    assert sign_in(browser, email).status_code == 400
    assert post(admin, f"/admin/users/{clerk_id}/enable").status_code == 302
    assert sign_in(browser, email).status_code == 302
    actions = db.session.execute(sa.select(AuditEvent.action, AuditEvent.details)).all()
    assert ("user.disable", {"changes": {"is_enabled": [True, False]}}) in actions
    assert ("user.enable", {"changes": {"is_enabled": [False, True]}}) in actions


def test_a_new_password_link_replaces_the_old_one(client, auth, make_user):
    auth.login(Role.ADMIN)
    clerk = make_user(Role.CLERK)
    first = post(client, f"/admin/users/{clerk.id}/new-link")
    first_url = LINK.search(client.get(first.headers["Location"]).get_data(as_text=True)).group(0)
    second = post(client, f"/admin/users/{clerk.id}/new-link")
    html = client.get(second.headers["Location"]).get_data(as_text=True)
    second_url = LINK.search(html).group(0)
    assert "/reset/" in second_url and second_url != first_url
    assert client.get(first_url).status_code == 410
    assert client.get(second_url).status_code == 200


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_invitation_is_mailed_when_a_mail_server_is_set(app, make_app, make_user):
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mailing = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="clerk@city.test")
        admin = make_user(Role.ADMIN)
        email = admin.email
        db.session.commit()
        client = mailing.test_client()
        sign_in(client, email)
        response = invite(client)
        assert response.status_code == 302
        html = client.get(response.headers["Location"]).get_data(as_text=True)
    finally:
        controller.stop()
    assert "The link was sent by e-mail to deputy@city.test" in html
    shown = LINK.search(html).group(0)
    [(to, message)] = inbox.messages
    assert to == ["deputy@city.test"]
    assert "From: clerk@city.test" in message and shown in message


def test_a_failed_send_still_shows_the_link(app, make_app, make_user):
    mailing = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nobody listens
    admin = make_user(Role.ADMIN)
    email = admin.email
    db.session.commit()
    client = mailing.test_client()
    sign_in(client, email)
    response = invite(client)
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sending the e-mail failed: send the link below yourself." in html
    assert LINK.search(html) is not None
