"""Failed sign-ins counted in the database, so every worker and every app server sees them."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa

from agenda.auth.models import SignInFailure
from agenda.auth.rules import SIGN_IN_MEMORY, SIGN_IN_WINDOWS, sign_in_blocked
from agenda.extensions import db


def account_key(email: str) -> str:
    """Return how an account typed at sign-in is counted: the SHA-256 of its lower-cased text."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def is_blocked(address: str, email: str, now: datetime) -> bool:
    """Tell whether this address, this account, or the pair has failed too often of late."""
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


def record_failure(address: str, email: str, now: datetime) -> None:
    """Count a failed sign-in (and forget those older than a day)."""
    db.session.execute(
        sa.delete(SignInFailure).where(SignInFailure.at < now - timedelta(seconds=SIGN_IN_MEMORY))
    )
    db.session.add(SignInFailure(at=now, address=address[:64], account=account_key(email)))
    db.session.flush()


def clear_failures(address: str, email: str) -> None:
    """Forget this address's failures at this account once its owner signs in."""
    db.session.execute(
        sa.delete(SignInFailure).where(
            SignInFailure.address == address[:64], SignInFailure.account == account_key(email)
        )
    )
