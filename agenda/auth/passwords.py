"""Password hashing with argon2id at a cost above OWASP's minimum."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app

from agenda.config import ConfigError

# The cost of hashing, chosen by PASSWORD_HASH_PROFILE.
PROFILES = {
    # argon2-cffi's defaults (RFC 9106 low-memory: t=3, m=64 MiB, p=4) exceed OWASP's
    # argon2id minimum (m=19 MiB, t=2, p=1).
    "production": PasswordHasher(),
    # For the test suite only: thousands of hashes a second, far too weak for real passwords.
    "test": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}
_EXTENSION = "agenda.password_hasher"

MIN_LENGTH = 12
# The most common passwords, lowercase, one a line: the 10,000 most frequent of the 30,000 that
# zxcvbn 4.5 (MIT) ranks from leaked password lists, and every 12+ character one of those 30,000.
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
COMMON = "This password is among the most common ones; choose another."


def init_app(app: Flask) -> None:
    """Hash the app's passwords at the cost its PASSWORD_HASH_PROFILE names."""
    profile = app.config["PASSWORD_HASH_PROFILE"]
    if profile not in PROFILES:
        raise ConfigError(
            f"PASSWORD_HASH_PROFILE is {profile!r}; use one of: {', '.join(PROFILES)}."
        )
    app.extensions[_EXTENSION] = PROFILES[profile]


def _hasher() -> PasswordHasher:
    return current_app.extensions[_EXTENSION]


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    # Verified against when the e-mail is unknown, so a failed login takes the same time.
    return hasher.hash("not a real password")


def hash_password(password: str) -> str:
    """Return an argon2id hash of `password`."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Tell whether `password` matches; with no hash, spend the same time and say no."""
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or _dummy_hash(hasher), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Tell whether a stored hash was made with other parameters than today's."""
    return _hasher().check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """Return why a new password is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > 1024:
        return "Use at most 1024 characters."
    if password.lower() in _common_passwords():
        return COMMON
    return None


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines())
