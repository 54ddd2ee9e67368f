"""Failed sign-ins counted where every worker and every app server sees them.

With `REDIS_URL` set they are counted in Redis (moving windows of the `limits` library, the
one Flask-Limiter uses), so a flood of guesses never writes to the database; otherwise in the
database. Either way per address and account, per account, and per address across accounts
(SIGN_IN_WINDOWS). When Redis cannot be reached the database counts instead.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

from agenda.auth.models import SignInFailure
from agenda.auth.rules import SIGN_IN_MEMORY, SIGN_IN_WINDOWS, sign_in_blocked
from agenda.extensions import db

NAMESPACE = "agenda-sign-in"
WINDOWS: dict[str, RateLimitItem] = {
    name: RateLimitItemPerSecond(limit, seconds, namespace=NAMESPACE)
    for name, (limit, seconds) in SIGN_IN_WINDOWS.items()
}


def account_key(email: str) -> str:
    """Return how an account typed at sign-in is counted: the SHA-256 of its lower-cased text."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _who(address: str, email: str) -> dict[str, tuple[str, ...]]:
    account = account_key(email)
    address = address[:64]
    return {"address_account": (address, account), "account": (account,), "address": (address,)}


def _redis_counter() -> MovingWindowRateLimiter | None:
    url = current_app.config.get("REDIS_URL") or ""
    if not url:
        return None
    made = current_app.extensions.get("agenda_sign_in_counter")
    if made is None or made[0] != url:
        made = (url, MovingWindowRateLimiter(storage_from_string(url)))
        current_app.extensions["agenda_sign_in_counter"] = made
    return made[1]


def is_blocked(address: str, email: str, now: datetime) -> bool:
    """Tell whether this address, this account, or the pair has failed too often of late."""
    counter = _redis_counter()
    if counter is not None:
        try:
            counts = {
                name: WINDOWS[name].amount
                - counter.get_window_stats(WINDOWS[name], name, *ids).remaining
                for name, ids in _who(address, email).items()
            }
        except RedisError:
            current_app.logger.warning("Redis unreachable: sign-in failures read from the database")
        else:
            return sign_in_blocked(counts)
    account = account_key(email)
    conditions = {
        "address_account": sa.and_(
            SignInFailure.address == address, SignInFailure.account == account
        ),
        "account": SignInFailure.account == account,
        "address": SignInFailure.address == address,
    }
    counts = {
        name: db.session.execute(
            sa.select(sa.func.count(SignInFailure.id)).where(
                condition, SignInFailure.at > now - timedelta(seconds=SIGN_IN_WINDOWS[name][1])
            )
        ).scalar_one()
        for name, condition in conditions.items()
    }
    return sign_in_blocked(counts)


def record_failure(address: str, email: str, now: datetime) -> bool:
    """Count a failed sign-in; True when the database holds it (it must then be committed).

    The database forgets failures older than a day as it counts new ones.
    """
    counter = _redis_counter()
    if counter is not None:
        try:
            for name, ids in _who(address, email).items():
                counter.hit(WINDOWS[name], name, *ids)
        except RedisError:
            current_app.logger.warning("Redis unreachable: sign-in failure counted in the database")
        else:
            return False
    db.session.execute(
        sa.delete(SignInFailure).where(SignInFailure.at < now - timedelta(seconds=SIGN_IN_MEMORY))
    )
    db.session.add(SignInFailure(at=now, address=address[:64], account=account_key(email)))
    db.session.flush()
    return True


def clear_failures(address: str, email: str) -> None:
    """Forget this address's failures at this account once its owner signs in."""
    counter = _redis_counter()
    if counter is not None:
        try:
            ids = _who(address, email)["address_account"]
            counter.clear(WINDOWS["address_account"], "address_account", *ids)
        except RedisError:
            current_app.logger.warning("Redis unreachable: sign-in failures not cleared there")
    db.session.execute(
        sa.delete(SignInFailure).where(
            SignInFailure.address == address[:64], SignInFailure.account == account_key(email)
        )
    )
