"""Remove the demo: every row marked demo and every row that hangs only from demo rows.

A row of a table with an `is_demo` column is demo when it is marked so. A row of any other
table is demo when every row it refers to is demo; when it refers to demo and real rows at once
(a real meeting's ballot cast by a demo person) removal is refused. A real row (`is_demo`
false) that refers to a demo row also refuses removal. The rules follow the foreign keys of the
metadata, so a table added later is covered without a change here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from agenda.audit.operations import record_event
from agenda.audit.verify import fact_sources
from agenda.bodies.models import Jurisdiction
from agenda.errors import Refused
from agenda.extensions import db

# History is never rewritten: audit events stay; their actor's id is cleared (the label stays).
KEPT = {"audit_events", "alembic_version"}
# Passing state that may follow a demo row away even when it also names a real one.
FOLLOWS_ANY_DEMO = {"agenda_views", "form_keys"}
# Stored files: removed when no remaining row refers to them.
SHARED = {"blobs"}


class DemoRemovalRefused(Refused):
    """Real records refer to demo ones; nothing was removed."""


@dataclass
class Removal:
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


Key = tuple[Any, ...]


def _pk(table: sa.Table) -> list[sa.Column[Any]]:
    return list(table.primary_key.columns)


def _describe(table: sa.Table, row: Any) -> str:
    keys = ", ".join(f"{c.name} {getattr(row, c.name)}" for c in _pk(table))
    return f"{table.name} ({keys})"


def _refs(table: sa.Table, row: Any) -> Iterable[tuple[str, Any]]:
    """Yield (referred table, referred key value) for each non-null foreign key of `row`.

    Stored files are shared, neither demo nor real: they go when nothing left refers to them.
    """
    for fk in table.foreign_keys:
        if fk.column.table.name in SHARED:
            continue
        value = getattr(row, fk.parent.name)
        if value is not None:
            yield fk.column.table.name, value


def plan() -> tuple[dict[str, set[Key]], list[str]]:
    """Return the demo rows by table (primary keys) and what refuses removal."""
    tables = [t for t in db.metadata.sorted_tables if t.name not in KEPT]
    for table in tables:
        for fk in table.foreign_keys:
            target = fk.column.table
            assert [c.name for c in _pk(target)] == [fk.column.name], (
                f"{table.name}.{fk.parent.name} refers to a column that is not a primary key"
            )
    rows = {t.name: db.session.execute(sa.select(t)).all() for t in tables}
    # Single-column key values of demo rows, for lookups by foreign key.
    demo_values: dict[str, set[Any]] = {t.name: set() for t in tables}
    demo: dict[str, set[Key]] = {t.name: set() for t in tables}
    by_name = {t.name: t for t in tables}

    def key(table: sa.Table, row: Any) -> Key:
        return tuple(getattr(row, c.name) for c in _pk(table))

    def mark(table: sa.Table, row: Any) -> bool:
        k = key(table, row)
        if k in demo[table.name]:
            return False
        demo[table.name].add(k)
        if len(k) == 1:
            demo_values[table.name].add(k[0])
        return True

    def is_demo_ref(ref: tuple[str, Any]) -> bool:
        return ref[1] in demo_values.get(ref[0], set())

    for table in tables:
        if "is_demo" in table.c:
            for row in rows[table.name]:
                if row.is_demo:
                    mark(table, row)
    changed = True
    while changed:  # a fixed point: rows hanging from rows that hang from demo rows
        changed = False
        for table in tables:
            if "is_demo" in table.c or table.name in SHARED:
                continue
            for row in rows[table.name]:
                refs = list(_refs(table, row))
                demo_refs = [r for r in refs if is_demo_ref(r)]
                if not demo_refs:
                    continue
                if table.name in FOLLOWS_ANY_DEMO or len(demo_refs) == len(refs):
                    changed |= mark(table, row)

    refusals: list[str] = []
    for table in tables:
        if table.name in SHARED:
            continue
        for row in rows[table.name]:
            if key(table, row) in demo[table.name]:
                continue
            demo_refs = [r for r in _refs(table, row) if is_demo_ref(r)]
            if demo_refs:
                named = ", ".join(f"{t} {v}" for t, v in demo_refs)
                refusals.append(f"{_describe(table, row)} is real and refers to demo {named}")

    # Files: removed when only removed rows refer to them.
    for shared in SHARED:
        target = by_name[shared]
        used_by_real: set[Any] = set()
        used_by_demo: set[Any] = set()
        for table in tables:
            for fk in table.foreign_keys:
                if fk.column.table.name != shared:
                    continue
                for row in rows[table.name]:
                    value = getattr(row, fk.parent.name)
                    if value is None:
                        continue
                    if key(table, row) in demo[table.name]:
                        used_by_demo.add(value)
                    else:
                        used_by_real.add(value)
        for row in rows[shared]:
            value = key(target, row)[0]
            if value in used_by_demo and value not in used_by_real:
                mark(target, row)
    return demo, refusals


def remove_demo() -> Removal:
    """Delete every demo row in one transaction (flushes, never commits); audited."""
    demo, refusals = plan()
    if refusals:
        shown = refusals[:10]
        more = f" (and {len(refusals) - 10} more)" if len(refusals) > 10 else ""
        raise DemoRemovalRefused(
            "Real records refer to the demo; nothing was removed: " + "; ".join(shown) + more + "."
        )
    removal = Removal()
    if not any(demo.values()):
        return removal
    # The facts the chain holds of demo rows are recorded as removed, so `verify` still passes.
    before = {key for source in fact_sources() for key in source.states}
    tables = [t for t in db.metadata.sorted_tables if t.name in demo]
    demo_users = [k[0] for k in demo.get("users", set())]
    if demo_users:
        audit = db.metadata.tables["audit_events"]
        for chunk in _chunks(demo_users):
            db.session.execute(
                sa.update(audit).where(audit.c.actor_id.in_(chunk)).values(actor_id=None)
            )
    for table in reversed(tables):
        keys = demo[table.name]
        if not keys:
            continue
        pk = _pk(table)
        _delete_linked_first(table, keys)
        for chunk in _chunks(sorted(keys, key=repr)):
            if len(pk) == 1:
                condition = pk[0].in_([k[0] for k in chunk])
            else:
                rows = (sa.and_(*(c == v for c, v in zip(pk, k, strict=True))) for k in chunk)
                condition = sa.or_(*rows)
            db.session.execute(sa.delete(table).where(condition))
        removal.counts[table.name] = len(keys)
    db.session.expunge_all()
    # The event is about the install; the jurisdiction left (if any) or the removal itself.
    anchor = db.session.execute(sa.select(Jurisdiction).limit(1)).scalar_one_or_none()
    after = {key for source in fact_sources() for key in source.states}
    record_event(
        "demo.remove",
        anchor if anchor is not None else _Install(),
        actor=None,
        details={"removed": dict(sorted(removal.counts.items()))},
        facts=dict.fromkeys(sorted(before - after)),
    )
    return removal


class _Install:
    """The install as an audited object when no jurisdiction remains."""

    __tablename__ = "install"
    id = 0


def _delete_linked_first(table: sa.Table, keys: set[Key]) -> None:
    """Delete rows that point at another row of their table (an amendment of a motion) before
    the rows they point at, in waves; the links may be neither cleared nor deleted out of order.
    """
    links = [fk.parent for fk in table.foreign_keys if fk.column.table is table]
    if not links or len(_pk(table)) != 1:
        return
    pk = _pk(table)[0]
    parents: dict[Any, set[Any]] = {}
    for chunk in _chunks([k[0] for k in keys]):
        for row in db.session.execute(sa.select(pk, *links).where(pk.in_(chunk))):
            parents[row[0]] = {v for v in row[1:] if v is not None}
    linked = {k for k, v in parents.items() if v}
    while linked:
        pointed_at = set().union(*(parents[k] for k in linked))
        wave = [k for k in linked if k not in pointed_at] or sorted(linked, key=repr)
        for chunk in _chunks(wave):
            db.session.execute(sa.delete(table).where(pk.in_(chunk)))
        linked -= set(wave)


def _chunks(values: list[Any], size: int = 400) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
