"""Sessions hardened (issue 13, finding 10): a Secure cookie and HSTS behind TLS, staff
sessions that end after an idle time, and common passwords refused."""

from __future__ import annotations

import time

from agenda.auth.models import LinkPurpose, OneTimeLink
from agenda.auth.operations import new_link
from agenda.auth.passwords import COMMON, password_problem, verify_password
from agenda.auth.rules import Role
from agenda.auth.sessions import LAST_SEEN
from agenda.extensions import db
from tests.conftest import PASSWORD, csrf_token

HSTS = "max-age=31536000; includeSubDomains"
SIGNED_OUT = "You were signed out after 8 hours without activity."
# Among the most common passwords, and long enough to pass the length rule.
COMMON_PASSWORD = "Qwerty123456"


def session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    return cookies[0]


def test_behind_tls_the_cookie_is_secure_and_hsts_is_sent_never_on_http(app, make_app) -> None:
    client = make_app(TRUST_PROXY=True).test_client()
    tls = client.get("/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "1.2.3.4"})
    assert tls.status_code == 200
    assert tls.headers["Strict-Transport-Security"] == HSTS
    assert "; Secure" in session_cookie(tls)
    # The same app on plain http: no HSTS, and a cookie the browser may send back over http.
    plain = make_app(TRUST_PROXY=True).test_client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers
    assert "Secure" not in session_cookie(plain)
    # Without a trusted proxy, X-Forwarded-Proto is anyone's to send: ignored.
    response = make_app().test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers
    assert "Secure" not in session_cookie(response)
    # SESSION_COOKIE_SECURE=1 still makes it Secure on every answer.
    forced = make_app(SESSION_COOKIE_SECURE=True).test_client().get("/login")
    assert "; Secure" in session_cookie(forced)
    assert "Strict-Transport-Security" not in forced.headers


def idle_for(client, minutes: int) -> None:
    with client.session_transaction() as session:
        session[LAST_SEEN] = int(time.time()) - minutes * 60


def test_a_staff_session_ends_after_the_idle_limit_not_before(client, auth) -> None:
    auth.login(Role.CLERK)
    assert client.get("/clerk/").status_code == 200
    idle_for(client, 479)
    assert client.get("/clerk/").status_code == 200
    # That request counted as activity: the clock starts again.
    with client.session_transaction() as session:
        assert session[LAST_SEEN] >= int(time.time()) - 5
    idle_for(client, 481)
    response = client.get("/clerk/?tab=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/clerk/?tab%3D1"
    page = client.get(response.headers["Location"])
    assert SIGNED_OUT in page.get_data(as_text=True)
    assert "Sign out" not in page.get_data(as_text=True)
    assert client.get("/clerk/").status_code == 302
    # Signing in again starts a fresh clock: no leftover time signs them out at once.
    auth.login(Role.CLERK, email="again@city.test")
    assert client.get("/clerk/").status_code == 200


def test_the_idle_limit_is_a_setting_and_spares_commissioners(app, make_app, make_user) -> None:
    short = make_app(STAFF_IDLE_MINUTES=30).test_client()
    clerk, member = make_user(Role.CLERK), make_user(Role.COMMISSIONER)
    clerk_email, member_email = clerk.email, member.email
    db.session.commit()  # end the test's read, so the other app may write (SQLite)
    for email in (clerk_email, member_email):
        token = csrf_token(short, "/login")
        data = {"email": email, "password": PASSWORD, "csrf_token": token}
        home = short.post("/login", data=data).headers["Location"]
        idle_for(short, 31)
        response = short.get(home)
        if email == clerk_email:
            assert response.status_code == 302
            page = short.get(response.headers["Location"]).get_data(as_text=True)
            assert "You were signed out after 30 minutes without activity." in page
        else:
            # A commissioner's session is left as it was: it lasts until the browser closes.
            assert response.status_code == 200


def test_common_passwords_are_refused_whatever_the_case(client, runner, make_user) -> None:
    assert password_problem(COMMON_PASSWORD) == COMMON
    assert password_problem("1Q2W3E4R5T6Y") == COMMON
    assert password_problem("a long and unusual passphrase") is None
    # Through a reset link: the message beside the field, the password and the link unchanged.
    user = make_user(Role.CLERK)
    link = new_link(user, LinkPurpose.RESET, actor=None)
    db.session.commit()
    path = f"/reset/{link.token}"
    data = {"password": COMMON_PASSWORD, "confirmation": COMMON_PASSWORD}
    response = client.post(path, data={**data, "csrf_token": csrf_token(client, path)})
    assert response.status_code == 422
    assert COMMON in response.get_data(as_text=True)
    db.session.expire_all()
    assert verify_password(user.password_hash, PASSWORD)
    assert db.session.query(OneTimeLink).filter_by(user_id=user.id).one().used_at is None
    # Through the command line.
    result = runner.invoke(
        args=["users", "set-password", "--email", user.email], input=f"{COMMON_PASSWORD}\n"
    )
    assert result.exit_code == 1
    assert COMMON in result.output
    db.session.expire_all()
    assert verify_password(user.password_hash, PASSWORD)
