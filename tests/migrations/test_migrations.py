"""The migration chain builds the models' schema exactly, on SQLite and on PostgreSQL.

Alembic's compare_metadata does not look at CHECK constraints, and our enums are VARCHAR
columns whose allowed values live in a named CHECK (agenda.db.enum_type), so those are
compared separately: against the same metadata created on an empty database of the same
dialect, so that both sides are spelled by the same server.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from agenda import create_app
from agenda.extensions import db
from agenda.search.models import is_index_name
from tests.conftest import TEST_DATABASE_URL, app_config


def normalized(sql: str) -> str:
    """Return CHECK constraint SQL lowercase, without whitespace or quotes."""
    return re.sub(r"[\s\"'`]", "", sql).lower()


def check_constraints(conn: sa.Connection, tables: list[str]) -> dict[str, dict[str, str]]:
    """Return each table's CHECK constraints as {name: SQL text}, as the database has them."""
    inspector = sa.inspect(conn)
    return {
        table: {
            check["name"] or f"(unnamed) {check['sqltext']}": check["sqltext"]
            for check in inspector.get_check_constraints(table)
        }
        for table in tables
    }


def constraint_drift(migrated: sa.Connection, metadata: sa.MetaData, empty_url: str) -> list[str]:
    """Return how a migrated database's CHECK constraints and enum values differ from `metadata`.

    `metadata` is created on the empty database at `empty_url`, of the same dialect, so that
    the server spells both sides' CHECKs the same way.
    """
    tables = sorted(metadata.tables)
    engine = sa.create_engine(empty_url)
    try:
        metadata.create_all(engine)
        with engine.connect() as conn:
            expected = check_constraints(conn, tables)
    finally:
        engine.dispose()
    actual = check_constraints(migrated, tables)
    drift = []
    for table in tables:
        for name in sorted(expected[table].keys() | actual[table].keys()):
            models, migrations = expected[table].get(name), actual[table].get(name)
            if migrations is None:
                drift.append(f"{table}: CHECK {name} is in the models only")
            elif models is None:
                drift.append(f"{table}: CHECK {name} is in the migrations only")
            elif normalized(models) != normalized(migrations):
                drift.append(f"{table}: CHECK {name} is {migrations!r}, not {models!r}")
    for table in metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, sa.Enum):
                continue
            names = {"table_name": table.name, "constraint_name": column.type.name}
            check = actual[table.name].get(metadata.naming_convention["ck"] % names)
            allowed = set(re.findall(r"'([^']*)'", check or ""))
            if allowed != set(column.type.enums):
                drift.append(
                    f"{table.name}.{column.name} allows {sorted(allowed)} in the migrations, "
                    f"{sorted(column.type.enums)} in the models"
                )
    return drift


def upgrade_and_compare(url: str, empty_url: str) -> tuple[list[object], list[str], set[str]]:
    """Upgrade the empty database at `url` to head and back; return the drift and tables at head."""
    app = create_app(app_config(url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            # The full-text structures the database keeps itself (FTS5, tsvectors) are no model.
            context = MigrationContext.configure(
                conn, opts={"include_name": lambda name, kind, _: not is_index_name(name)}
            )
            diff = compare_metadata(context, db.metadata)
            checks = constraint_drift(conn, db.metadata, empty_url)
            tables = set(sa.inspect(conn).get_table_names())
        downgrade(revision="base")
        with db.engine.connect() as conn:
            left = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert left == set(), f"downgrade to base left tables behind: {left}"
    return diff, checks, tables


def test_sqlite_upgrade_to_head_has_no_drift(tmp_path: Path) -> None:
    diff, checks, tables = upgrade_and_compare(
        f"sqlite:///{tmp_path / 'empty.sqlite'}", f"sqlite:///{tmp_path / 'models.sqlite'}"
    )
    assert diff == []
    assert checks == []
    assert {"bodies", "meetings", "ballots", "audit_events", "minutes_revisions"} <= tables


@pytest.mark.postgres
def test_postgres_upgrade_to_head_has_no_drift(pg_database: Callable[[], str]) -> None:
    diff, checks, tables = upgrade_and_compare(pg_database(), pg_database())
    assert diff == []
    assert checks == []
    assert {"bodies", "meetings", "ballots", "audit_events", "minutes_revisions"} <= tables


def test_every_model_table_is_created_by_the_migrations(app: object) -> None:
    with db.engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
    assert set(db.metadata.tables) <= tables


@pytest.fixture
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of the suite's kind."""
    if TEST_DATABASE_URL.startswith("postgresql"):
        return request.getfixturevalue("pg_database")()
    return f"sqlite:///{tmp_path / 'models.sqlite'}"


def models_copy() -> sa.MetaData:
    """Return a copy of the models' metadata, to alter."""
    copy = sa.MetaData(naming_convention=db.metadata.naming_convention)
    for table in db.metadata.sorted_tables:
        table.to_metadata(copy)
    return copy


def replace_check(table: sa.Table, name: str, sql: str) -> None:
    """Put another condition in the CHECK constraint `name` of `table`."""
    (old,) = [c for c in table.constraints if c.name == name]
    table.constraints.remove(old)
    table.append_constraint(sa.CheckConstraint(sql, name=old.name))


def test_the_models_copy_matches_the_migrations(app: object, empty_url: str) -> None:
    with db.engine.connect() as conn:
        assert constraint_drift(conn, models_copy(), empty_url) == []


def test_an_altered_check_is_reported(app: object, empty_url: str) -> None:
    altered = models_copy()
    replace_check(altered.tables["bodies"], "ck_bodies_seats_positive", "seats > 1")
    with db.engine.connect() as conn:
        drift = constraint_drift(conn, altered, empty_url)
    assert len(drift) == 1
    assert drift[0].startswith("bodies: CHECK ck_bodies_seats_positive is ")


def test_a_check_missing_from_the_migrations_is_reported(app: object, empty_url: str) -> None:
    altered = models_copy()
    altered.tables["votes"].append_constraint(
        sa.CheckConstraint("required <= 100", name="required_at_most_100")
    )
    with db.engine.connect() as conn:
        drift = constraint_drift(conn, altered, empty_url)
    assert drift == ["votes: CHECK ck_votes_required_at_most_100 is in the models only"]


def test_an_altered_enum_value_is_reported(app: object, empty_url: str) -> None:
    altered = models_copy()
    status = altered.tables["meetings"].c.status
    values = [*status.type.enums, "postponed"]
    # The CHECK of the old type stays: only the comparison of values can see the change.
    status.type = sa.Enum(*values, name=status.type.name, native_enum=False)
    with db.engine.connect() as conn:
        drift = constraint_drift(conn, altered, empty_url)
    assert len(drift) == 1
    assert drift[0].startswith("meetings.status allows ['adjourned', 'cancelled', 'draft', ")
    assert drift[0].endswith(" in the models") and "'postponed'" in drift[0]


def test_after_upgrading_in_process_deletes_still_cascade(tmp_path: Path) -> None:
    """The upgrade turns SQLite's foreign keys off for its own run only: the connection it
    hands back to the pool has them on again, so a record deleted afterwards takes its
    dependants (search entries, reading receipts) with it."""
    app = create_app(app_config(f"sqlite:///{tmp_path / 'cascade.sqlite'}"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()
