"""Failed sign-ins are counted where every worker and every app server sees the same count
(the database, or Redis when REDIS_URL is set), per address and account, per account, and per
address across accounts."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from agenda.auth.models import SignInFailure, User
from agenda.auth.rules import SIGN_IN_WINDOWS, Role
from agenda.extensions import db
from tests.auth.test_login import PASSWORD, post_login
from tests.conftest import (
    NO_REDIS,
    REDIS_SERVER_URL,
    count_rows,
    csrf_token,
    redis_available,
    require,
)


@pytest.fixture
def client_at() -> Any:
    """Return a function giving each app one test client for this test, speaking from an
    address (one client per app keeps its cookies, so its form token, across addresses)."""
    clients: dict[int, Any] = {}

    def at(app: Any, address: str) -> Any:
        client = clients.setdefault(id(app), app.test_client())
        client.environ_base["REMOTE_ADDR"] = address
        return client

    return at


@pytest.fixture
def two_workers(app, make_app, database_url):
    """Two app instances on one database, as two gunicorn workers (or two servers) are."""
    return app, make_app(database_url)


def test_guesses_made_on_two_workers_add_up(two_workers, make_user, client_at):
    first, second = two_workers
    user = make_user(Role.CLERK)
    email, user_id = user.email, user.id
    db.session.remove()  # the test's own session holds nothing while the workers answer
    limit = SIGN_IN_WINDOWS["address_account"][0]
    for n in range(limit):
        worker = first if n % 2 else second
        assert post_login(client_at(worker, "203.0.113.7"), email, "guess").status_code == 400
    blocked = post_login(client_at(first, "203.0.113.7"), email, PASSWORD)
    assert blocked.status_code == 429
    assert db.session.get(User, user_id).last_login_at is None
    db.session.remove()
    # Its owner elsewhere still signs in: the pair is blocked, not the account.
    assert post_login(client_at(second, "198.51.100.2"), email, PASSWORD).status_code == 302


def test_one_account_guessed_from_many_addresses_is_blocked(app, make_user, client_at):
    email = make_user(Role.CLERK).email
    limit = SIGN_IN_WINDOWS["account"][0]
    for n in range(limit):
        post_login(client_at(app, f"10.1.{n // 200}.{n % 200 + 1}"), email, "guess")
    assert count_rows(SignInFailure) == limit
    assert post_login(client_at(app, "10.9.9.9"), email, PASSWORD).status_code == 429


def test_one_address_guessing_many_accounts_is_blocked(app, make_user, client_at):
    email = make_user(Role.CLERK).email
    limit = SIGN_IN_WINDOWS["address"][0]
    for n in range(limit):
        post_login(client_at(app, "192.0.2.50"), f"someone{n}@city.test", "guess")
    assert post_login(client_at(app, "192.0.2.50"), email, PASSWORD).status_code == 429
    assert post_login(client_at(app, "192.0.2.51"), email, PASSWORD).status_code == 302


def test_failures_keep_no_email_and_a_success_clears_the_pair(app, make_user, client_at):
    user = make_user(Role.CLERK)
    client = client_at(app, "203.0.113.9")
    for _ in range(3):
        post_login(client, user.email, "guess")
    stored = db.session.execute(db.select(SignInFailure)).scalars().all()
    assert len(stored) == 3 and all(user.email not in (f.account, f.address) for f in stored)
    assert post_login(client, user.email, PASSWORD).status_code == 302
    assert count_rows(SignInFailure) == 0


@pytest.fixture
def redis_url() -> Iterator[str]:
    """Redis for the sign-in counts; its keys of this test are removed afterwards."""
    require(redis_available(), NO_REDIS)
    url = f"{REDIS_SERVER_URL}/0"
    yield url
    with redis.Redis.from_url(url) as client:
        for key in client.scan_iter("*agenda-sign-in*"):
            client.delete(key)


def test_with_redis_guesses_on_two_workers_add_up_and_the_database_stays_untouched(
    make_app, database_url, redis_url, make_user, client_at
):
    first = make_app(database_url, REDIS_URL=redis_url)
    second = make_app(database_url, REDIS_URL=redis_url)
    user = make_user(Role.CLERK)
    email, user_id = user.email, user.id
    db.session.remove()
    address = f"203.0.113.{uuid.uuid4().int % 200 + 1}"
    limit = SIGN_IN_WINDOWS["address_account"][0]
    for n in range(limit):
        worker = first if n % 2 else second
        assert post_login(client_at(worker, address), email, "guess").status_code == 400
    assert count_rows(SignInFailure) == 0  # counted in Redis, not written to the database
    db.session.remove()
    for worker in (first, second):
        assert post_login(client_at(worker, address), email, PASSWORD).status_code == 429
    assert db.session.get(User, user_id).last_login_at is None
    db.session.remove()
    assert post_login(client_at(first, "198.51.100.3"), email, PASSWORD).status_code == 302


def test_with_redis_a_success_clears_the_pair(
    make_app, database_url, redis_url, make_user, client_at
):
    app = make_app(database_url, REDIS_URL=redis_url)
    email = make_user(Role.CLERK).email
    db.session.remove()
    client = client_at(app, "203.0.113.77")
    limit = SIGN_IN_WINDOWS["address_account"][0]
    for _ in range(limit - 1):
        post_login(client, email, "guess")
    assert post_login(client, email, PASSWORD).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    # The slate is clean: as many guesses again before the pair is blocked.
    for _ in range(limit - 1):
        assert post_login(client, email, "guess").status_code == 400
    assert post_login(client, email, PASSWORD).status_code == 302


def test_with_redis_unreachable_the_database_counts(make_app, database_url, make_user, client_at):
    app = make_app(database_url, REDIS_URL="redis://127.0.0.1:9/0")  # nothing listens there
    email = make_user(Role.CLERK).email
    db.session.remove()
    client = client_at(app, "203.0.113.78")
    assert post_login(client, email, "guess").status_code == 400
    assert count_rows(SignInFailure) == 1
    db.session.remove()
    assert post_login(client, email, PASSWORD).status_code == 302
