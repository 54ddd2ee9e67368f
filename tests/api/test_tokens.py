"""API tokens: made, shown once, used, revoked, by the operations, the command line and the
clerk's screens."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.auth.models import ApiToken, UserBody
from agenda.auth.rules import Role, TokenScope
from agenda.auth.tokens import (
    PREFIX,
    TokenConflict,
    TokenError,
    create_token,
    digest,
    revoke_token,
    token_for,
)
from agenda.db import utcnow
from agenda.extensions import db
from tests.conftest import count_rows, csrf_token

SECRET = re.compile(r"agt_[A-Za-z0-9_-]{40,}")


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def limit(user, *bodies) -> None:
    """Limit a clerk to these bodies, as the admin's user screen does."""
    for body in bodies:
        db.session.add(UserBody(user_id=user.id, body_id=body.id))
    db.session.commit()


def reload(token: ApiToken) -> ApiToken:
    db.session.expire_all()
    found = db.session.get(ApiToken, token.id)
    assert found is not None
    return found


# ---------------------------------------------------------------------------------------------
# Operations


def test_a_token_is_kept_only_as_a_fingerprint_and_works_until_revoked(make_user):
    clerk = make_user(Role.CLERK)
    token, secret = create_token(clerk, name=" vote display ", scope=TokenScope.READ, actor=clerk)
    db.session.commit()
    assert secret.startswith(PREFIX) and len(secret) > 40
    assert token.name == "vote display"
    assert token.prefix == secret[: len(token.prefix)]
    stored = db.session.execute(sa.text("SELECT * FROM api_tokens")).mappings().one()
    assert secret not in [str(v) for v in stored.values()]
    assert stored["token_sha256"] == digest(secret)
    assert token_for(secret) is token

    revoke_token(token, actor=clerk)
    db.session.commit()
    assert token_for(secret) is None
    actions = (
        db.session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
    )
    assert actions[-2:] == ["api_token.create", "api_token.revoke"]


def test_revoking_twice_is_a_conflict_and_only_the_holder_or_an_admin_revokes(make_user):
    clerk, other, admin = make_user(Role.CLERK), make_user(Role.CLERK), make_user(Role.ADMIN)
    token, _ = create_token(clerk, name="site", scope=TokenScope.READ, actor=clerk)
    with pytest.raises(TokenError, match="holder or an admin"):
        revoke_token(token, actor=other)
    revoke_token(token, actor=admin)
    with pytest.raises(TokenConflict, match="already revoked") as refused:
        revoke_token(token, actor=clerk)
    assert refused.value.status == 409


def test_who_may_hold_a_token_and_on_which_bodies(make_user, make_body):
    mine, theirs = make_body(), make_body()
    clerk = make_user(Role.CLERK)
    limit(clerk, mine)
    token, _ = create_token(clerk, name="all mine", scope=TokenScope.WRITE, actor=clerk)
    assert token.body_ids == {mine.id}  # no bodies named: the clerk's own, never more
    with pytest.raises(TokenError, match="does not work on body"):
        create_token(clerk, name="x", scope=TokenScope.READ, body_ids=[theirs.id], actor=clerk)
    with pytest.raises(TokenError, match="Only an enabled clerk or admin"):
        commissioner = make_user(Role.COMMISSIONER)
        create_token(commissioner, name="x", scope=TokenScope.READ, actor=commissioner)
    with pytest.raises(TokenError, match="Only an admin makes tokens for someone else"):
        create_token(clerk, name="x", scope=TokenScope.READ, actor=make_user(Role.CLERK))
    with pytest.raises(TokenError, match="expiry in the future"):
        create_token(
            clerk, name="x", scope=TokenScope.READ, expires_at=utcnow(), actor=clerk
        )  # fmt: skip
    admin = make_user(Role.ADMIN)
    for_clerk, _ = create_token(clerk, name="by admin", scope=TokenScope.READ, actor=admin)
    assert for_clerk.user_id == clerk.id


def test_a_token_notes_its_first_use_then_at_most_every_few_minutes(client, make_user):
    clerk = make_user(Role.CLERK)
    token, secret = create_token(clerk, name="site", scope=TokenScope.READ, actor=clerk)
    db.session.commit()
    assert client.get("/api/v1/", headers=bearer(secret)).status_code == 200
    first = reload(token).last_used_at
    assert first is not None  # the first use is recorded
    assert client.get("/api/v1/bodies", headers=bearer(secret)).status_code == 200
    assert reload(token).last_used_at == first  # a read a moment later writes nothing
    token.last_used_at = first - timedelta(hours=1)
    db.session.commit()
    assert client.get("/api/v1/bodies", headers=bearer(secret)).status_code == 200
    assert reload(token).last_used_at > first


def test_an_expired_or_revoked_token_is_refused_with_401(client, make_user):
    clerk = make_user(Role.CLERK)
    token, secret = create_token(clerk, name="site", scope=TokenScope.READ, actor=clerk)
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get("/api/v1/", headers=bearer(secret))
    assert response.status_code == 401
    assert "revoked, expired or mistyped" in response.get_json()["error"]["message"]


# ---------------------------------------------------------------------------------------------
# The command line


def test_the_command_line_makes_a_token_and_prints_its_secret_once(runner, make_user, make_body):
    body = make_body()
    clerk = make_user(Role.CLERK, email="deputy@city.test")
    result = runner.invoke(
        args=["tokens", "create", "--user", "deputy@city.test", "--name", "vote display",
              "--scope", "write", "--body", str(body.id), "--expires", "2099-12-31"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    secrets = SECRET.findall(result.stdout)
    assert len(secrets) == 1 and result.stdout.strip() == secrets[0]
    assert "never shown again" in result.stderr
    token = token_for(secrets[0])
    assert token is not None and token.user_id == clerk.id
    assert token.scope is TokenScope.WRITE and token.body_ids == {body.id}
    assert token.expires_at is not None and token.expires_at.date() == date(2100, 1, 1)

    listed = runner.invoke(args=["tokens", "list", "--user", "deputy@city.test"])
    assert listed.exit_code == 0
    assert token.prefix in listed.output and "vote display" in listed.output
    assert body.name in listed.output and "Read and write" in listed.output
    assert secrets[0] not in listed.output

    revoked = runner.invoke(args=["tokens", "revoke", token.prefix[:8]])
    assert revoked.exit_code == 0, revoked.output
    assert "Revoked" in revoked.output
    assert token_for(secrets[0]) is None
    assert "Revoked" in runner.invoke(args=["tokens", "list"]).output


def test_the_command_line_refuses_unknown_users_and_bad_scopes(runner, make_user):
    make_user(Role.COMMISSIONER, email="kaufman@city.test")
    result = runner.invoke(args=["tokens", "create", "--user", "nobody@x.test", "--name", "n"])
    assert result.exit_code == 1 and "No user with the e-mail address" in result.output
    result = runner.invoke(args=["tokens", "create", "--user", "kaufman@city.test", "--name", "n"])
    assert result.exit_code == 1 and "Only an enabled clerk or admin" in result.output
    assert count_rows(ApiToken) == 0


def test_revoking_by_an_ambiguous_or_unknown_prefix_changes_nothing(runner, make_user):
    clerk = make_user(Role.CLERK)
    one, _ = create_token(clerk, name="one", scope=TokenScope.READ, actor=clerk)
    two, _ = create_token(clerk, name="two", scope=TokenScope.READ, actor=clerk)
    one.prefix, two.prefix = "agt_abC111", "agt_abC222"
    db.session.commit()

    ambiguous = runner.invoke(args=["tokens", "revoke", "agt_abC"])
    assert ambiguous.exit_code == 1
    assert "starts 2 tokens" in ambiguous.output and "agt_abC111" in ambiguous.output
    unknown = runner.invoke(args=["tokens", "revoke", "agt_ABC"])  # prefixes differ by case
    assert unknown.exit_code == 1 and "No token starts with agt_ABC" in unknown.output
    assert reload(one).revoked_at is None and reload(two).revoked_at is None

    assert runner.invoke(args=["tokens", "revoke", "agt_abC2"]).exit_code == 0
    assert reload(two).revoked_at is not None
    again = runner.invoke(args=["tokens", "revoke", "agt_abC2"])
    assert again.exit_code == 1 and "already revoked" in again.output


# ---------------------------------------------------------------------------------------------
# The screens


def make_through_screens(client, **fields) -> str:
    """Fill in the form at /clerk/api-tokens/new; return the page the secret is shown on."""
    data = {"csrf_token": csrf_token(client, "/clerk/api-tokens/new"), "scope": "read", **fields}
    response = client.post("/clerk/api-tokens/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def test_a_clerk_makes_a_token_sees_it_once_uses_it_and_revokes_it(client, auth, make_body):
    body = make_body(name="Key West City Commission")
    clerk = auth.login(Role.CLERK)
    dashboard = client.get("/clerk/").get_data(as_text=True)
    assert 'href="/clerk/api-tokens/"' in dashboard
    assert "Key West City Commission" in client.get("/clerk/api-tokens/new").get_data(as_text=True)

    shown_at = make_through_screens(
        client, name="vote display", scope="write", bodies=[str(body.id)], expires_at="2099-01-31"
    )
    page = client.get(shown_at)
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Made the token “vote display”." in html
    assert "only once" in html
    (secret,) = set(SECRET.findall(html))
    again = client.get(shown_at).get_data(as_text=True)
    assert secret not in again and "already shown" in again

    token = token_for(secret)
    assert token is not None and token.user_id == clerk.id
    assert token.scope is TokenScope.WRITE and token.body_ids == {body.id}
    listing = client.get("/clerk/api-tokens/").get_data(as_text=True)
    assert token.prefix in listing and secret not in listing and "Read and write" in listing

    reader = auth.client.application.test_client()  # a program, holding no session
    answer = reader.get("/api/v1/bodies", headers=bearer(secret))
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "private, no-cache"

    confirm = client.get(f"/clerk/api-tokens/{token.id}/revoke").get_data(as_text=True)
    assert "Revoke the token “vote display”" in confirm
    data = {"csrf_token": csrf_token(client, f"/clerk/api-tokens/{token.id}/revoke")}
    response = client.post(f"/clerk/api-tokens/{token.id}/revoke", data=data)
    assert response.status_code == 302
    assert "it no longer works" in client.get(response.headers["Location"]).get_data(as_text=True)
    refused = reader.get("/api/v1/bodies", headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == 401


def test_the_form_refuses_a_missing_name_and_bodies_the_clerk_does_not_work_on(
    client, auth, make_body
):
    mine, theirs = make_body(name="Planning Board"), make_body(name="Zoning Board")
    clerk = auth.login(Role.CLERK)
    limit(clerk, mine)
    form = client.get("/clerk/api-tokens/new").get_data(as_text=True)
    assert "Planning Board" in form and "Zoning Board" not in form

    data = {"csrf_token": csrf_token(client, "/clerk/api-tokens/new"), "scope": "read"}
    response = client.post("/clerk/api-tokens/new", data={**data, "name": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "No token was made" in html and "Name the token after what will use it." in html
    response = client.post(
        "/clerk/api-tokens/new", data={**data, "name": "x", "bodies": [str(theirs.id)]}
    )
    assert response.status_code == 422
    assert "Choose bodies from the list." in response.get_data(as_text=True)
    response = client.post(
        "/clerk/api-tokens/new", data={**data, "name": "x", "expires_at": "2001-01-01"}
    )
    assert response.status_code == 422
    assert "Choose an expiry in the future." in response.get_data(as_text=True)
    assert count_rows(ApiToken) == 0


def test_a_clerk_cannot_see_or_revoke_another_clerks_token(client, auth, make_user):
    other = make_user(Role.CLERK)
    theirs, _ = create_token(other, name="their script", scope=TokenScope.READ, actor=other)
    db.session.commit()
    auth.login(Role.CLERK)
    assert "their script" not in client.get("/clerk/api-tokens/").get_data(as_text=True)
    assert client.get(f"/clerk/api-tokens/{theirs.id}/revoke").status_code == 404
    data = {"csrf_token": csrf_token(client, "/clerk/api-tokens/new")}
    assert client.post(f"/clerk/api-tokens/{theirs.id}/revoke", data=data).status_code == 404
    assert client.get(f"/clerk/api-tokens/{theirs.id}/secret").status_code == 404
    assert reload(theirs).revoked_at is None


def test_an_admin_sees_everyones_tokens_and_revokes_any(client, auth, make_user):
    clerk = make_user(Role.CLERK, email="deputy@city.test")
    token, _ = create_token(clerk, name="their script", scope=TokenScope.READ, actor=clerk)
    db.session.commit()
    auth.login(Role.ADMIN)
    assert 'href="/clerk/api-tokens/"' in client.get("/admin/").get_data(as_text=True)
    listing = client.get("/clerk/api-tokens/").get_data(as_text=True)
    assert "their script" in listing and "deputy@city.test" in listing
    data = {"csrf_token": csrf_token(client, f"/clerk/api-tokens/{token.id}/revoke")}
    assert client.post(f"/clerk/api-tokens/{token.id}/revoke", data=data).status_code == 302
    assert reload(token).revoked_at is not None
    assert "Revoked" in client.get("/clerk/api-tokens/").get_data(as_text=True)
    again = client.post(f"/clerk/api-tokens/{token.id}/revoke", data=data)  # another tab
    assert again.status_code == 409
    assert "This token was already revoked." in again.get_data(as_text=True)


def test_commissioners_and_the_public_cannot_reach_the_token_screens(client, auth):
    response = client.get("/clerk/api-tokens/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    auth.login(Role.COMMISSIONER)
    assert client.get("/clerk/api-tokens/").status_code == 403
    assert client.get("/clerk/api-tokens/new").status_code == 403


def test_a_form_without_its_csrf_token_is_refused(client, auth, make_user):
    clerk = auth.login(Role.CLERK)
    token, _ = create_token(clerk, name="site", scope=TokenScope.READ, actor=clerk)
    db.session.commit()
    response = client.post(f"/clerk/api-tokens/{token.id}/revoke", data={})
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)
    made = client.post("/clerk/api-tokens/new", data={"name": "x", "scope": "read"})
    assert made.status_code == 400
    assert reload(token).revoked_at is None
    assert count_rows(ApiToken) == 1
