"""Signing in and out: wrong credentials, CSRF, replayed cookies, safe redirects."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask.testing import FlaskClient

from agenda.audit.models import AuditEvent
from agenda.auth.models import User
from agenda.auth.rules import Role
from agenda.extensions import db
from tests.conftest import PASSWORD, Auth, csrf_token

FAILED = "Wrong e-mail address or password."


def post_login(client: FlaskClient, email: str, password: str, **extra: str):
    data = {"email": email, "password": password, "csrf_token": csrf_token(client, "/login")}
    return client.post("/login", data=data, **extra)


def test_clerk_signs_in_and_sees_their_name(client: FlaskClient, make_user) -> None:
    user = make_user(Role.CLERK, email="Clerk@Example.test")
    response = post_login(client, "  CLERK@example.TEST ", PASSWORD, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Signed in as clerk@example.test" in page
    assert "Sign out" in page
    assert db.session.get(User, user.id).last_login_at is not None


def test_wrong_password_and_unknown_user_get_the_same_answer(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CLERK)
    wrong = post_login(client, user.email, "not the password at all")
    unknown = post_login(client, "nobody@example.test", "not the password at all")
    for response in (wrong, unknown):
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert FAILED in page
        assert "Sign out" not in page
    # The message must not reveal which of the two was wrong.
    assert "nobody@example.test" in unknown.get_data(as_text=True)  # the field keeps its value
    assert "no such user" not in unknown.get_data(as_text=True).lower()
    assert db.session.get(User, user.id).last_login_at is None


def test_empty_fields_are_named_next_to_the_field(client: FlaskClient) -> None:
    response = post_login(client, "", "")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter your e-mail address." in page
    assert "Enter your password." in page
    assert 'aria-invalid="true"' in page


def test_missing_csrf_token_is_refused_and_changes_nothing(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CLERK)
    events_before = db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar_one()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "security token" in page
    assert "Traceback" not in page
    assert db.session.get(User, user.id).last_login_at is None
    events_after = db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar_one()
    assert events_after == events_before
    assert "Sign out" not in client.get("/").get_data(as_text=True)


def test_logout_needs_a_post_with_csrf(client: FlaskClient, auth: Auth) -> None:
    auth.login(Role.CLERK)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert "Sign out" in client.get("/").get_data(as_text=True)


def test_a_copied_session_cookie_stops_working_after_logout(
    app, client: FlaskClient, auth: Auth
) -> None:
    auth.login(Role.CLERK)
    stolen = client.get_cookie("session")
    assert stolen is not None
    auth.logout()
    assert "Sign in" in client.get("/").get_data(as_text=True)

    thief = app.test_client()
    thief.set_cookie("session", stolen.value)
    page = thief.get("/").get_data(as_text=True)
    assert "Sign out" not in page
    assert "Sign in" in page


def test_next_only_redirects_within_the_site(client: FlaskClient, make_user) -> None:
    user = make_user(Role.CLERK)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=https://evil.example/phish",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/clerk/"  # a clerk's home: the workspace


def test_sign_in_lands_on_the_roles_home(client: FlaskClient, make_user) -> None:
    homes = {Role.ADMIN: "/clerk/", Role.CLERK: "/clerk/", Role.COMMISSIONER: "/my/meetings"}
    for role, home in homes.items():
        user = make_user(role)
        token = csrf_token(client, "/login")
        response = client.post(
            "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.headers["Location"] == home, role
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def test_next_path_on_the_site_is_followed(client: FlaskClient, make_user) -> None:
    user = make_user(Role.CLERK)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=/meetings",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/meetings"


def test_disabled_user_cannot_sign_in(client: FlaskClient, make_user) -> None:
    user = make_user(Role.CLERK)
    user.is_enabled = False
    db.session.commit()
    response = post_login(client, user.email, PASSWORD)
    assert response.status_code == 400
    assert FAILED in response.get_data(as_text=True)


def test_repeated_failed_sign_ins_are_slowed_down(client: FlaskClient, make_user) -> None:
    user = make_user(Role.CLERK)
    for _ in range(10):
        assert post_login(client, user.email, "not the password at all").status_code == 400
    blocked = post_login(client, user.email, PASSWORD)
    page = blocked.get_data(as_text=True)
    assert blocked.status_code == 429
    assert "Too many attempts in a short time" in page
    assert db.session.get(User, user.id).last_login_at is None
    # Another account from the same address is not locked out by the guessing.
    other = make_user(Role.CLERK)
    assert post_login(client, other.email, PASSWORD).status_code == 302


def test_successful_sign_ins_are_not_counted(client: FlaskClient, auth: Auth) -> None:
    user = auth.login(Role.CLERK)
    for _ in range(11):
        auth.logout()
        response = post_login(client, user.email, PASSWORD)
        assert response.status_code == 302
