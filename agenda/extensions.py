"""Flask extensions, created unbound and initialised in create_app."""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from agenda.db import Base, writing

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@contextmanager
def write_phase() -> Iterator[None]:
    """End the request's reading transaction and let what runs inside this block write.

    Everything a request reads before it writes (forms, checks of uploads, documents rendered
    ahead) runs without SQLite's write lock; the writes then run in one short transaction
    that starts with the lock (see `agenda.db.writing`). The caller commits or rolls back.
    On SQLite the reading transaction's objects are expired, so they are read afresh.
    """
    if db.session().in_transaction() and db.session.get_bind().dialect.name == "sqlite":
        db.session.rollback()
    with writing():
        yield


@contextmanager
def apart() -> Iterator[sa.orm.Session]:
    """A short writing transaction of its own, beside the request's reading one.

    For the few things a page view writes (a reading receipt): committed on leaving the
    block, rolled back on an error, without touching the objects the page has loaded. Where
    the session already holds SQLite's write lock (a command, or a test, around the request),
    a second connection would wait for it, so the write goes in a savepoint of that session.
    """
    session = db.session()
    if (
        session.in_transaction()
        and session.get_bind().dialect.name == "sqlite"
        and session.connection().info.get("agenda_reading") is False
    ):
        with session.begin_nested():
            yield session
        return
    with writing(), sa.orm.Session(db.engine) as own, own.begin():
        yield own


def end_reading(_exc: BaseException | None = None) -> None:
    """After a request, end its reading transaction (a request's last act; see `writing`).

    Its app context usually ends too, closing the session; where the context outlives the
    request (a command or a test around several requests) what runs next may write.
    """
    session = db.session()
    if (
        session.in_transaction()
        and session.get_bind().dialect.name == "sqlite"
        and session.connection().info.get("agenda_reading")
    ):
        session.rollback()
