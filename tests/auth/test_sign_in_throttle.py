"""Failed sign-ins are counted in the database: every worker and every app server sees the
same count, per address and account, per account, and per address across accounts."""

from __future__ import annotations

from typing import Any

import pytest

from agenda.auth.models import SignInFailure, User
from agenda.auth.rules import SIGN_IN_WINDOWS, Role
from agenda.extensions import db
from tests.auth.test_login import PASSWORD, post_login
from tests.conftest import count_rows


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
