"""Check the record: recompute the audit hash chain, then ask every area for its checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.audit.rules import canonical, event_digest, first_difference
from agenda.audit.signals import record_checks, record_facts
from agenda.extensions import db


@dataclass(frozen=True)
class Break:
    """The first place where the stored record no longer matches its hashes."""

    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


@dataclass(frozen=True)
class Check:
    """One area's check of the record: what it vouches for, how many, and what broke."""

    what: str
    checked: int
    breaks: Iterator[Break]


def chain_breaks(events: Iterable[AuditEvent]) -> Iterator[Break]:
    """Yield every link of the chain, in id order, whose hashes do not hold."""
    for _, problem in chain_links(events):
        if problem is not None:
            yield problem


def chain_links(events: Iterable[AuditEvent]) -> Iterator[tuple[AuditEvent, Break | None]]:
    """Yield each event with the first problem of its link (None when it holds), in id order."""
    previous: str | None = None
    for event in events:
        where = f"audit event {event.id} ({event.action})"
        problem = None
        if event.prev_sha256 != previous:
            problem = Break(where, "does not follow the event before it (deleted or reordered)")
        content = event_digest(
            prev_sha256=event.prev_sha256,
            occurred_at=event.occurred_at,
            actor_label=event.actor_label,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            details=event.details,
        )
        if problem is None and content != event.sha256:
            problem = Break(where, "its content was changed after it was written")
        yield event, problem
        previous = event.sha256


def first_chain_break() -> Break | None:
    """Return the first broken link of the audit chain, or None when it holds."""
    events = db.session.execute(sa.select(AuditEvent).order_by(AuditEvent.id)).scalars()
    return next(chain_breaks(events), None)


def area_checks() -> list[Check]:
    """Return every area's check of the record (approved minutes, and more as areas add them)."""
    return [check for _, check in record_checks.send(None)]


# Replaying the facts: the chain's record of every fact, against the tables.


@dataclass(frozen=True)
class FactSource:
    """One area's facts as the tables hold them now, by key ("vote:12"), for `flask verify`.

    `kinds` are the key prefixes the area answers for (so a row deleted behind the app's back
    is found even when none of its kind is left); `names` names people by id, for the messages.
    """

    what: str
    kinds: frozenset[str]
    states: Mapping[str, Any]
    names: Mapping[int, str] = field(default_factory=dict)


@dataclass
class Replay:
    """The state of every fact as the chain records it, the event that last set each, and the
    chain's first broken link (None when every link holds)."""

    states: dict[str, Any] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    count: int = 0
    broken: Break | None = None


def replay(events: Iterable[AuditEvent]) -> Replay:
    """Check each link and fold the facts of the events, in chain order (one pass).

    The newest state of each fact wins; a fact set to None was removed by the app (a deleted
    term, the demo removed).
    """
    found = Replay()
    links = chain_links(_counted(events, found))
    for event, problem in links:
        if problem is not None and found.broken is None:
            found.broken = problem
        for key, state in (event.details or {}).get("facts", {}).items():
            found.states[key] = state
            found.events[key] = event.id
    return found


def _counted(events: Iterable[AuditEvent], found: Replay) -> Iterator[AuditEvent]:
    for event in events:
        found.count += 1
        yield event


def replay_chain(
    progress: Callable[[Iterable[AuditEvent]], Iterable[AuditEvent]] | None = None,
) -> Replay:
    """Replay the whole chain from the database, in id order, streaming the events."""
    events: Iterable[AuditEvent] = db.session.execute(
        sa.select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=2000)
    ).scalars()
    return replay(progress(events) if progress is not None else events)


def fact_sources() -> list[FactSource]:
    """Return every area's facts as the tables hold them now, in a fixed order (by what)."""
    return sorted((source for _, source in record_facts.send(None)), key=lambda s: s.what)


def uncovered(sources: Iterable[FactSource], replayed: Replay) -> dict[str, Any]:
    """Return the facts in the tables that the chain has never recorded (made before it did)."""
    return {
        key: state
        for source in sources
        for key, state in source.states.items()
        if replayed.states.get(key) is None
    }


def fact_breaks(source: FactSource, replayed: Replay) -> Iterator[Break]:
    """Yield every fact whose table state differs from the chain's, naming the first difference.

    A fact the chain never recorded is not a break (see `uncovered`); a recorded fact whose row
    is gone is one, as is any field of a row that differs from its newest event.
    """
    for key in sorted(replayed.states, key=_key_order):
        recorded = replayed.states[key]
        if _kind(key) not in source.kinds or recorded is None:
            continue
        where = _label(key)
        event = replayed.events[key]
        if key not in source.states:
            yield Break(where, f"is in the record (event {event}) but not in the tables")
            continue
        difference = first_difference(canonical(source.states[key]), recorded)
        if difference is not None:
            path, now, then = difference
            yield Break(
                where,
                f"{_place(path, source.names)} is {_said(now)} in the table, {_said(then)} in "
                f"the record (event {event})",
            )


def fact_check(source: FactSource, replayed: Replay) -> Check:
    """Return the check of one area's facts against the replayed chain."""
    covered = sum(1 for key in source.states if replayed.states.get(key) is not None)
    return Check(f"{source.what} replayed", covered, fact_breaks(source, replayed))


def _kind(key: str) -> str:
    return key.split(":", 1)[0]


def _key_order(key: str) -> tuple[str, tuple[int, ...]]:
    kind, _, rest = key.partition(":")
    return kind, tuple(int(p) if p.isdigit() else 0 for p in rest.split(":"))


def _label(key: str) -> str:
    kind, _, rest = key.partition(":")
    return f"{kind.replace('_', ' ')} {rest.replace(':', ' ')}"


# How the fields of facts read in a message; lists read "stay 2", ballots "the ballot of X".
_FIELD_WORDS = {
    "mover": "the mover",
    "seconder": "the seconder",
    "arrived": "the arrival time",
    "left": "the departure time",
    "counts": "the tally",
    "value": "",  # a ballot's value: "the ballot of X" says it
}
_ENTRY_WORDS = {"stays": "stay"}


def _place(path: tuple[str, ...], names: Mapping[int, str]) -> str:
    """Say where in a fact a difference lies: 'the ballot of Commissioner X', 'stay 1, ...'."""
    words: list[str] = []
    parent = ""
    for step in path:
        if parent == "ballots":
            who = names.get(int(step), f"person {step}") if step.isdigit() else step
            words.append(f"the ballot of {who}")
        elif parent in _ENTRY_WORDS and step.isdigit():
            words.append(f"{_ENTRY_WORDS[parent]} {int(step) + 1}")
        elif step.isdigit():
            words.append(f"entry {int(step) + 1}")
        elif step not in ("ballots", *_ENTRY_WORDS) and _FIELD_WORDS.get(step) != "":
            words.append(_FIELD_WORDS.get(step, f"the {step.replace('_', ' ')}"))
        parent = step
    return ", ".join(words) or "the row"


def _said(value: Any) -> str:
    if value is None:
        return "missing"
    if isinstance(value, list):
        return "[" + ", ".join(_said(v) for v in value) + "]"
    return str(value)


@dataclass(frozen=True)
class Verification:
    """What `flask verify` finds: the first break (None: the record verifies), what it checked,
    and the facts in the tables the chain does not cover yet."""

    broken: Break | None
    checked: str
    uncovered: dict[str, Any] = field(default_factory=dict)

    @property
    def verifies(self) -> bool:
        return self.broken is None


def verify_record(
    progress: Callable[[Iterable[AuditEvent]], Iterable[AuditEvent]] | None = None,
) -> Verification:
    """Check every link of the chain, replay its facts against the tables, then each area's
    checks (approved minutes' digests); stop at the first break."""
    replayed = replay_chain(progress)
    sources = fact_sources()
    checks = [*area_checks(), *(fact_check(source, replayed) for source in sources)]
    broken = replayed.broken or next((b for c in checks for b in c.breaks), None)
    parts = [f"{replayed.count} audit events chained", *(f"{c.checked} {c.what}" for c in checks)]
    missing = uncovered(sources, replayed) if broken is None else {}
    return Verification(broken, ", ".join(parts), missing)
