"""Configuration: defaults, the environment and the instance folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = ROOT / "instance"


class ConfigError(RuntimeError):
    """The app cannot start with this configuration."""


def instance_path() -> Path:
    """Return the instance folder: AGENDA_INSTANCE or ./instance beside the package."""
    return Path(os.environ.get("AGENDA_INSTANCE", DEFAULT_INSTANCE)).resolve()


def _secret_key(instance: Path) -> str | None:
    if key := os.environ.get("SECRET_KEY"):
        return key
    # `make run` writes a generated key here once; production sets SECRET_KEY instead.
    key_file = instance / "secret_key"
    if key_file.is_file():
        return key_file.read_text().strip() or None
    return None


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'agenda.sqlite'}")
    # Hosting platforms still hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the app's settings from defaults, the environment and `overrides`."""
    overrides = overrides or {}
    instance = instance_path()
    config: dict[str, Any] = {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_BYTES", 50 * 1024 * 1024)),
        # Hostile PDFs: uploads and packets past these are refused (see documents/pdfcheck.py).
        "MAX_UPLOAD_PAGES": int(os.environ.get("MAX_UPLOAD_PAGES", "2000")),
        "MAX_PACKET_PAGES": int(os.environ.get("MAX_PACKET_PAGES", "5000")),
        "MAX_PDF_UNPACKED_BYTES": int(os.environ.get("MAX_PDF_UNPACKED_BYTES", 200 * 1024**2)),
        "PDF_CHECK_SECONDS": float(os.environ.get("PDF_CHECK_SECONDS", "10")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure always when 1; otherwise Secure whenever the request came over HTTPS
        # (behind a proxy: TRUST_PROXY=1 and X-Forwarded-Proto: https).
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        # A clerk's or admin's session ends after this long without a request.
        "STAFF_IDLE_MINUTES": int(os.environ.get("STAFF_IDLE_MINUTES", "480")),
        "REMEMBER_COOKIE_DURATION": 0,
        "WTF_CSRF_TIME_LIMIT": None,
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME", "http"),
        "TRUST_PROXY": os.environ.get("TRUST_PROXY", "0") == "1",
        "SITE_NAME": os.environ.get("SITE_NAME", "Agenda"),
        # Where failed sign-ins are counted when set (else in the database), and the limits on
        # invitation and reset links (else per process: with several workers they multiply).
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        # Public pages kept per worker under the record's version (agenda/pagecache.py).
        "PAGE_CACHE": os.environ.get("PAGE_CACHE", "1") != "0",
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # The API's limits per token (or per address without one), as flask-limiter writes them.
        "API_READ_LIMIT": os.environ.get("API_READ_LIMIT", "1200/minute"),
        "API_WRITE_LIMIT": os.environ.get("API_WRITE_LIMIT", "120/minute"),
        # How costly password hashes are: "production", or "test" for the test suite only.
        "PASSWORD_HASH_PROFILE": os.environ.get("PASSWORD_HASH_PROFILE", "production"),
        # Invitations and password resets go out by SMTP when MAIL_SERVER is set; otherwise
        # the admin sends the link shown on screen.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "0") == "1",
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", ""),
    }
    config.update(overrides)
    if not config["SECRET_KEY"]:
        raise ConfigError(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "value (for example: python3 -c 'import secrets; print(secrets.token_hex(32))')."
        )
    return config
