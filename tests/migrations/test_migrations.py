"""The migration chain builds the models' schema exactly, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from agenda import create_app
from agenda.extensions import db
from tests.conftest import app_config


def upgrade_and_compare(url: str) -> tuple[list[object], set[str]]:
    app = create_app(app_config(url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            tables = set(sa.inspect(conn).get_table_names())
        downgrade(revision="base")
        with db.engine.connect() as conn:
            left = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert left == set(), f"downgrade to base left tables behind: {left}"
    return diff, tables


def test_sqlite_upgrade_to_head_has_no_drift(tmp_path: Path) -> None:
    diff, tables = upgrade_and_compare(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert diff == []
    assert {"bodies", "meetings", "ballots", "audit_events", "minutes_revisions"} <= tables


@pytest.mark.postgres
def test_postgres_upgrade_to_head_has_no_drift(pg_database: Callable[[], str]) -> None:
    diff, tables = upgrade_and_compare(pg_database())
    assert diff == []
    assert {"bodies", "meetings", "ballots", "audit_events", "minutes_revisions"} <= tables


def test_every_model_table_is_created_by_the_migrations(app: object) -> None:
    with db.engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
    assert set(db.metadata.tables) <= tables
