"""One-time links: an invited user sets their password once; unknown, expired, used and
replaced links show a clear page without a form, and refusals change nothing."""

from __future__ import annotations

from datetime import timedelta

from agenda.auth.models import LinkPurpose, OneTimeLink, User
from agenda.auth.operations import invite_user, new_link
from agenda.auth.passwords import verify_password
from agenda.auth.rules import Role
from agenda.db import utcnow
from agenda.extensions import db
from tests.conftest import PASSWORD, csrf_token, row_counts

NEW_PASSWORD = "a brand new long password"


def invited(email: str = "deputy@city.test") -> tuple[User, str]:
    issued = invite_user(
        email=email, name="Deputy", role=Role.CLERK, person_id=None, body_ids=[], actor=None
    )
    db.session.commit()
    return issued.user, issued.token


def set_password(client, path: str, password: str, confirmation: str | None = None):
    token = csrf_token(client, path)
    data = {"password": password, "confirmation": confirmation or password, "csrf_token": token}
    return client.post(path, data=data)


def sign_in(client, email: str, password: str):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def test_an_invited_user_sets_their_password_once_and_signs_in(client):
    user, token = invited()
    page = client.get(f"/invite/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Set your password" in html and "deputy@city.test" in html
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 400  # no password yet
    response = set_password(client, f"/invite/{token}", NEW_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert "Your password is set" in client.get("/login").get_data(as_text=True)
    db.session.expire_all()
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 302
    # Used: the same link now says so, with no form, and setting again is refused.
    again = client.get(f"/invite/{token}")
    assert again.status_code == 410
    assert "already used" in again.get_data(as_text=True)
    assert 'type="password"' not in again.get_data(as_text=True)


def test_a_reused_link_is_refused_and_changes_nothing(client):
    user, token = invited()
    assert set_password(client, f"/invite/{token}", NEW_PASSWORD).status_code == 302
    token_field = csrf_token(client, "/login")
    data = {"password": "someone else's password", "confirmation": "someone else's password"}
    response = client.post(f"/invite/{token}", data={**data, "csrf_token": token_field})
    assert response.status_code == 410
    db.session.expire_all()
    assert verify_password(user.password_hash, NEW_PASSWORD)


def test_an_expired_link_shows_a_clear_page_without_a_form(client):
    user, token = invited()
    link = db.session.query(OneTimeLink).filter_by(user_id=user.id).one()
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(f"/invite/{token}")
    assert page.status_code == 410
    html = page.get_data(as_text=True)
    assert "This link has expired" in html and "Ask your administrator" in html
    assert 'type="password"' not in html
    before = row_counts(User, OneTimeLink)
    token_field = csrf_token(client, "/login")
    form = {"password": NEW_PASSWORD, "confirmation": NEW_PASSWORD, "csrf_token": token_field}
    assert client.post(f"/invite/{token}", data=form).status_code == 410
    db.session.expire_all()
    assert not user.has_password and row_counts(User, OneTimeLink) == before


def test_an_unknown_link_is_not_found(client):
    invited()
    page = client.get("/invite/not-a-real-token-at-all")
    assert page.status_code == 404
    assert "This link is not valid" in page.get_data(as_text=True)
    assert client.get("/reset/not-a-real-token-at-all").status_code == 404


def test_an_invitation_does_not_work_as_a_reset_link(client):
    _, token = invited()
    assert client.get(f"/reset/{token}").status_code == 404


def test_mismatched_passwords_are_refused_beside_the_confirmation(client):
    user, token = invited()
    response = set_password(client, f"/invite/{token}", NEW_PASSWORD, "a different long password")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="confirmation-error"' in html and "The two passwords are not the same." in html
    db.session.expire_all()
    assert not user.has_password
    # The link still works: nothing was used up.
    assert set_password(client, f"/invite/{token}", NEW_PASSWORD).status_code == 302


def test_a_weak_password_is_refused_beside_the_password(client):
    user, token = invited()
    response = set_password(client, f"/invite/{token}", "short")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="password-error"' in html and "Use at least 12 characters." in html
    db.session.expire_all()
    assert not user.has_password
    assert db.session.query(OneTimeLink).filter_by(user_id=user.id).one().used_at is None


def test_a_reset_link_ends_open_sessions_and_a_newer_link_replaces_it(make_app, make_user):
    # Two browsers on apps of their own, so each request loads its user afresh.
    client, other = make_app().test_client(), make_app().test_client()
    user = make_user(Role.CLERK)
    email = user.email
    db.session.commit()  # end the test's read, so the other apps may write (SQLite)
    assert sign_in(client, email, PASSWORD).status_code == 302
    assert client.get("/clerk/").status_code == 200
    first = new_link(user, LinkPurpose.RESET, actor=None)
    second = new_link(user, LinkPurpose.RESET, actor=None)
    db.session.commit()
    assert other.get(f"/reset/{first.token}").status_code == 410
    assert set_password(other, f"/reset/{second.token}", NEW_PASSWORD).status_code == 302
    # The browser still signed in with the old password is signed out at once.
    assert client.get("/clerk/").status_code == 302
    assert sign_in(other, email, PASSWORD).status_code == 400
    assert sign_in(other, email, NEW_PASSWORD).status_code == 302
