"""What a meeting in session shows live: the item before the body and the latest results.

Pure: it reads the items, motions and votes a page has already loaded, and runs no query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from agenda.votes.display import MOTION_LABELS
from agenda.votes.rules import MotionResult, VoteMethod

if TYPE_CHECKING:
    from agenda.meetings.models import AgendaItem
    from agenda.votes.models import Motion

# How many of the latest results the live panel lists, newest first.
SHOWN_RESULTS = 3


@dataclass(frozen=True)
class LiveItem:
    """The item before the body: its printed number, file number and title."""

    item_id: int
    number: str
    file_number: str | None
    title: str


@dataclass(frozen=True)
class LiveResult:
    """One decided roll call: on which item, which motion, and how it came out."""

    vote_id: int
    item_id: int
    number: str
    motion: str
    text: str
    result: MotionResult
    words: str


@dataclass(frozen=True)
class LiveState:
    """The live panel's content: the current item (None between items), the latest results."""

    current: LiveItem | None
    results: tuple[LiveResult, ...]


def live_state(items: Sequence[tuple[str, AgendaItem]], shown: int = SHOWN_RESULTS) -> LiveState:
    """Return the current item and the latest results of a meeting's numbered items, in order.

    The current item is that of the most recent motion while it has no disposition; once
    disposed of, the body moves on to the first item without one; with none left, it is
    between items.
    """
    motions = [(number, item, m) for number, item in items for m in item.motions]
    current = None
    if motions:
        _, item, _ = max(motions, key=lambda found: _moved(found[2]))
        if item.disposition is None:
            current = item
    if current is None:
        current = next((item for _, item in items if item.disposition is None), None)
    numbers = {item.id: number for number, item in items}
    decided = sorted((m for _, _, m in motions if m.vote is not None), key=_decided, reverse=True)
    return LiveState(
        current=_live_item(current, numbers[current.id]) if current is not None else None,
        results=tuple(_result(m, numbers[m.agenda_item_id]) for m in decided[:shown]),
    )


def _moved(motion: Motion) -> tuple[datetime, int]:
    return (motion.created_at, motion.id)


def _decided(motion: Motion) -> tuple[datetime, int]:
    assert motion.vote is not None
    return (motion.vote.recorded_at, motion.vote.id)


def _live_item(item: AgendaItem, number: str) -> LiveItem:
    file_number = item.matter.file_number if item.matter is not None else None
    return LiveItem(item.id, number, file_number, item.title)


def _result(motion: Motion, number: str) -> LiveResult:
    vote = motion.vote
    assert vote is not None
    consent = vote.method is VoteMethod.UNANIMOUS_CONSENT
    words = "Carried without objection." if consent else vote.explanation
    return LiveResult(
        vote.id, motion.agenda_item_id, number, MOTION_LABELS[motion.kind], motion.text,
        vote.result, words,
    )  # fmt: skip
