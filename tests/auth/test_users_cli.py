"""`flask users`: create, list, disable, enable and set passwords (never on the command line)."""

from __future__ import annotations

import sqlalchemy as sa

from agenda.auth.models import User
from agenda.auth.operations import invite_user
from agenda.auth.passwords import verify_password
from agenda.auth.rules import Role
from agenda.extensions import db


def test_create_reads_the_password_from_stdin(runner) -> None:
    result = runner.invoke(
        args=["users", "create", "--email", "Deputy@City.test", "--role", "clerk"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created clerk deputy@city.test" in result.output
    user = db.session.execute(sa.select(User).where(User.email == "deputy@city.test")).scalar_one()
    assert verify_password(user.password_hash, "a long enough password")


def test_create_has_no_password_option(runner) -> None:
    result = runner.invoke(
        args=["users", "create", "--email", "a@b.test", "--role", "clerk", "--password", "x"]
    )
    assert result.exit_code != 0
    assert "No such option" in result.output
    assert db.session.execute(sa.select(sa.func.count(User.id))).scalar_one() == 0


def test_create_refuses_a_short_password_and_a_duplicate(runner) -> None:
    short = runner.invoke(
        args=["users", "create", "--email", "a@b.test", "--role", "admin"], input="short\n"
    )
    assert short.exit_code == 1
    assert "at least 12 characters" in short.output
    ok = runner.invoke(
        args=["users", "create", "--email", "a@b.test", "--role", "admin"],
        input="a long enough password\n",
    )
    assert ok.exit_code == 0
    again = runner.invoke(
        args=["users", "create", "--email", "A@b.test", "--role", "clerk"],
        input="another long password\n",
    )
    assert again.exit_code == 1
    assert "already exists" in again.output
    assert db.session.execute(sa.select(sa.func.count(User.id))).scalar_one() == 1


def test_commissioner_needs_a_person(runner) -> None:
    result = runner.invoke(
        args=["users", "create", "--email", "c@b.test", "--role", "commissioner"],
        input="a long enough password\n",
    )
    assert result.exit_code == 1
    assert "linked to a person" in result.output


def test_list_and_set_password_ends_sessions(runner, make_user) -> None:
    user = make_user(email="clerk@city.test")
    token_before = user.session_token
    listing = runner.invoke(args=["users", "list"])
    assert f"{user.id}\tclerk@city.test\tclerk" in listing.output

    result = runner.invoke(
        args=["users", "set-password", "--email", "clerk@city.test"],
        input="a brand new password\n",
    )
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert verify_password(user.password_hash, "a brand new password")
    assert user.session_token != token_before

    missing = runner.invoke(
        args=["users", "set-password", "--email", "nobody@city.test"], input="whatever long pw\n"
    )
    assert missing.exit_code == 1
    assert "No user" in missing.output


def test_disable_and_enable_by_email(runner, make_user) -> None:
    user = make_user(Role.CLERK, email="deputy@city.test")
    result = runner.invoke(args=["users", "disable", "--email", "Deputy@City.test"])
    assert result.exit_code == 0, result.output
    assert "Disabled deputy@city.test; their sessions are ended." in result.output
    db.session.expire_all()
    assert not user.is_enabled
    listed = runner.invoke(args=["users", "list"])
    assert "deputy@city.test\tclerk (disabled)" in listed.output
    again = runner.invoke(args=["users", "disable", "--email", "deputy@city.test"])
    assert again.exit_code == 0 and "already disabled" in again.output
    enabled = runner.invoke(args=["users", "enable", "--email", "deputy@city.test"])
    assert enabled.exit_code == 0
    assert "Enabled deputy@city.test; they can sign in again." in enabled.output
    db.session.expire_all()
    assert user.is_enabled


def test_an_unknown_email_exits_1_and_the_last_admin_stays(runner, make_user) -> None:
    for command in ("disable", "enable"):
        result = runner.invoke(args=["users", command, "--email", "nobody@city.test"])
        assert result.exit_code == 1
        assert "No user with the e-mail address nobody@city.test." in result.output
    admin = make_user(Role.ADMIN)
    last = runner.invoke(args=["users", "disable", "--email", admin.email])
    assert last.exit_code == 1 and "last enabled admin" in last.output
    db.session.expire_all()
    assert admin.is_enabled


def test_list_shows_invited_users(runner) -> None:
    invite_user(email="new@city.test", name="", role=Role.CLERK, person_id=None, body_ids=[],
                actor=None)  # fmt: skip
    db.session.commit()
    listed = runner.invoke(args=["users", "list"])
    assert "new@city.test\tclerk (invited)" in listed.output
