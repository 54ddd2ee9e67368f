"""Minutes rules: the digest of a meeting's record, and how two revisions' notes differ."""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any


class MinutesStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SUPERSEDED = "superseded"


@dataclass(frozen=True, slots=True)
class MinutesState:
    """What a page says about a revision of the minutes, as booleans and a label."""

    label: str
    is_draft: bool
    is_approved: bool
    is_superseded: bool


def minutes_state(status: MinutesStatus) -> MinutesState:
    """Return the facts a page shows about a revision of the minutes in this status."""
    return MinutesState(
        label=status.value,
        is_draft=status is MinutesStatus.DRAFT,
        is_approved=status is MinutesStatus.APPROVED,
        is_superseded=status is MinutesStatus.SUPERSEDED,
    )


def record_digest(record: dict[str, Any]) -> str:
    """Return the SHA-256 of a record in canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def short_digest(digest: str) -> str:
    """Return a digest in groups of eight, easier to read aloud and compare on paper."""
    return " ".join(digest[i : i + 8] for i in range(0, len(digest), 8))


class Change(StrEnum):
    REMOVED = "removed"
    ADDED = "added"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One line of a comparison, with its line number in the older and the newer text."""

    change: Change
    text: str
    old_number: int | None
    new_number: int | None


@dataclass(frozen=True, slots=True)
class PartDiff:
    """The comparison of one part of the notes: the meeting's notes or one item's notes."""

    label: str
    lines: tuple[DiffLine, ...]

    @property
    def is_changed(self) -> bool:
        """Tell whether any line was removed or added."""
        return any(line.change is not Change.UNCHANGED for line in self.lines)


def diff_lines(old: str, new: str) -> tuple[DiffLine, ...]:
    """Return the lines of `old` and `new` in order, each marked removed, added or unchanged."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            same = range(i2 - i1)
            lines += [DiffLine(Change.UNCHANGED, a[i1 + k], i1 + k + 1, j1 + k + 1) for k in same]
            continue
        lines += [DiffLine(Change.REMOVED, a[i], i + 1, None) for i in range(i1, i2)]
        lines += [DiffLine(Change.ADDED, b[j], None, j + 1) for j in range(j1, j2)]
    return tuple(lines)


def diff_notes(
    old: tuple[str, Mapping[str, str]],
    new: tuple[str, Mapping[str, str]],
    item_labels: Mapping[str, str],
) -> list[PartDiff]:
    """Compare two revisions' notes (meeting notes, notes by item id) part by part.

    Items come in the order of `item_labels`; notes on an item no longer labelled come last.
    """
    parts = [PartDiff("Meeting notes", diff_lines(old[0], new[0]))]
    keys = list(item_labels) + sorted((set(old[1]) | set(new[1])) - set(item_labels))
    for key in keys:
        label = item_labels.get(key, f"Item {key} (no longer on the agenda)")
        parts.append(PartDiff(label, diff_lines(old[1].get(key, ""), new[1].get(key, ""))))
    return parts


def normalized_notes(
    meeting_notes: str, item_notes: Mapping[Any, str]
) -> tuple[str, dict[str, str]]:
    """Return notes as a revision stores them: trimmed, keyed by item id, empty ones left out."""
    items = {str(k): v.strip() for k, v in item_notes.items() if v.strip()}
    return meeting_notes.strip(), items


def is_overdue(due_on: date, *, is_filed: bool, today: date) -> bool:
    """Tell whether a disclosure's memorandum is late: not filed and due before `today`."""
    return not is_filed and due_on < today
