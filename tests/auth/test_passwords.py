"""Password hashes: argon2id at argon2-cffi's cost in production, a cheap cost in the tests."""

from __future__ import annotations

from collections.abc import Iterator

import argon2
import pytest
from flask import Flask

from agenda import create_app
from agenda.auth.models import User
from agenda.auth.operations import create_user
from agenda.auth.passwords import hash_password, verify_password
from agenda.auth.rules import Role
from agenda.config import ConfigError
from agenda.extensions import db
from tests.conftest import PASSWORD, csrf_token

TEST_COST = (argon2.Type.ID, 1, 8, 1)


def cost(password_hash: str) -> tuple[argon2.Type, int, int, int]:
    """Return a hash's type, passes, memory (KiB) and lanes."""
    p = argon2.extract_parameters(password_hash)
    return p.type, p.time_cost, p.memory_cost, p.parallelism


@pytest.fixture
def production_app(app: Flask, database_url: str, monkeypatch) -> Iterator[Flask]:
    """The app configured as in production (no PASSWORD_HASH_PROFILE), on the test database."""
    monkeypatch.delenv("PASSWORD_HASH_PROFILE", raising=False)
    production = create_app(
        {"SECRET_KEY": "test-secret-key", "SQLALCHEMY_DATABASE_URI": database_url}
    )
    yield production
    with production.app_context():
        db.engine.dispose()


def test_passwords_are_stored_as_argon2id(production_app: Flask) -> None:
    with production_app.app_context():
        stored = create_user(email="clerk@example.test", password=PASSWORD, role=Role.CLERK)
        password_hash = stored.password_hash
        db.session.rollback()
    assert password_hash.startswith("$argon2id$")
    assert PASSWORD not in password_hash
    # At least OWASP's minimum: 19 MiB of memory, two passes.
    params = dict(p.split("=") for p in password_hash.split("$")[3].split(","))
    assert int(params["m"]) >= 19 * 1024
    assert int(params["t"]) >= 2


def test_production_hashes_at_argon2_cffis_default_cost(production_app: Flask) -> None:
    with production_app.app_context():
        password_hash = hash_password(PASSWORD)
        assert verify_password(password_hash, PASSWORD)
        assert not verify_password(None, PASSWORD)
    assert argon2.extract_parameters(password_hash) == argon2.profiles.get_default_parameters()
    assert cost(password_hash) == (argon2.Type.ID, 3, 64 * 1024, 4)


def test_the_tests_hash_at_the_cheap_test_cost(make_user) -> None:
    user = make_user(Role.CLERK)
    assert cost(user.password_hash) == TEST_COST
    assert verify_password(user.password_hash, PASSWORD)
    assert not verify_password(user.password_hash, "not the password at all")
    assert not verify_password(None, PASSWORD)


def test_a_hash_of_another_cost_is_redone_at_sign_in(make_user, production_app: Flask) -> None:
    user = make_user(Role.CLERK)
    email, user_id = user.email, user.id
    # End this session's transaction: on SQLite it holds the write lock the sign-in needs.
    db.session.close()
    client = production_app.test_client()
    data = {"email": email, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")}
    assert client.post("/login", data=data).status_code == 302
    upgraded = db.session.get(User, user_id)
    assert upgraded is not None
    assert cost(upgraded.password_hash) == (argon2.Type.ID, 3, 64 * 1024, 4)


def test_an_unknown_hashing_profile_stops_the_app(make_app) -> None:
    with pytest.raises(ConfigError, match="PASSWORD_HASH_PROFILE is 'fast'"):
        make_app(PASSWORD_HASH_PROFILE="fast")
