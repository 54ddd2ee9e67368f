"""Matter rules: file numbers, types, statuses, and the words for what an edit changed."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from agenda.meetings.rules import ITEM_TITLE_MAX
from agenda.text import shorten


class MatterType(StrEnum):
    RESOLUTION = "resolution"
    ORDINANCE = "ordinance"
    PROCLAMATION = "proclamation"
    REPORT = "report"


class MatterStatus(StrEnum):
    DRAFT = "draft"
    FILED = "filed"
    ON_AGENDA = "on_agenda"
    ADOPTED = "adopted"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"


class MatterAction(StrEnum):
    FILED = "filed"
    PLACED_ON_AGENDA = "placed_on_agenda"
    FIRST_READING = "first_reading"
    SECOND_READING = "second_reading"
    CONTINUED = "continued"
    TABLED = "tabled"
    AMENDED = "amended"
    ADOPTED = "adopted"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"


FILE_PREFIXES = {
    MatterType.RESOLUTION: "Res",
    MatterType.ORDINANCE: "Ord",
    MatterType.PROCLAMATION: "Proc",
    MatterType.REPORT: "Rpt",
}

TYPE_NAMES = {
    MatterType.RESOLUTION: "Resolution",
    MatterType.ORDINANCE: "Ordinance",
    MatterType.PROCLAMATION: "Proclamation",
    MatterType.REPORT: "Report",
}


def file_number(matter_type: MatterType, year: int, sequence: int) -> str:
    """Return the printed file number: a resolution of 2025, 214th of its year -> 'Res 25-214'."""
    return f"{FILE_PREFIXES[matter_type]} {year % 100:02d}-{sequence:03d}"


STATUS_NAMES = {
    MatterStatus.DRAFT: "Draft",
    MatterStatus.FILED: "Filed",
    MatterStatus.ON_AGENDA: "On an agenda",
    MatterStatus.ADOPTED: "Adopted",
    MatterStatus.FAILED: "Failed",
    MatterStatus.WITHDRAWN: "Withdrawn",
}

ACTION_NAMES = {
    MatterAction.FILED: "Filed",
    MatterAction.PLACED_ON_AGENDA: "Placed on the agenda",
    MatterAction.FIRST_READING: "First reading",
    MatterAction.SECOND_READING: "Second reading",
    MatterAction.CONTINUED: "Continued",
    MatterAction.TABLED: "Tabled",
    MatterAction.AMENDED: "Amended",
    MatterAction.ADOPTED: "Adopted",
    MatterAction.FAILED: "Failed",
    MatterAction.WITHDRAWN: "Withdrawn",
}

# The statuses a clerk sets by hand: stages that decide nothing. The others come from the
# record: "on an agenda" from placing it, adopted and failed only from a recorded disposition.
HAND_SET_STATUSES = frozenset({MatterStatus.DRAFT, MatterStatus.FILED, MatterStatus.WITHDRAWN})
OUTCOME_STATUSES = frozenset({MatterStatus.ADOPTED, MatterStatus.FAILED})

# A status set by hand that is also an action on the record goes into the history.
STATUS_ACTIONS = {MatterStatus.WITHDRAWN: MatterAction.WITHDRAWN}

# The agenda section a matter of each type usually goes in (titles of the default sections).
DEFAULT_SECTION = {
    MatterType.RESOLUTION: "Resolutions",
    MatterType.ORDINANCE: "Ordinances",
    MatterType.PROCLAMATION: "Discussion",
    MatterType.REPORT: "Discussion",
}

TITLE_MAX = 1000
TEXT_MAX = 200_000


@dataclass(frozen=True, slots=True)
class MatterFields:
    """The parts of a matter a clerk edits, compared before and after an edit."""

    title: str
    text: str
    sponsor_ids: tuple[int, ...]
    status: MatterStatus


def clean_title(title: str) -> str:
    """Return a title on one line: runs of whitespace and line breaks become single spaces."""
    return " ".join(title.split())


def clean_text(text: str) -> str:
    """Return Markdown with Unix line ends and no trailing blank space (browsers send CRLF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def title_problem(title: str) -> str | None:
    """Say what is wrong with a cleaned title, or None when it is acceptable."""
    if not title:
        return "Give the matter a title."
    if len(title) > TITLE_MAX:
        return f"Keep the title to {TITLE_MAX} characters or fewer."
    return None


def status_problem(old: MatterStatus, new: MatterStatus) -> str | None:
    """Say why the clerk may not set this status by hand, or None when they may."""
    if new is old or new in HAND_SET_STATUSES:
        return None
    if new in OUTCOME_STATUSES:
        return (
            f"{STATUS_NAMES[new]} comes only from the vote: record the item's disposition "
            "in the live console."
        )
    return f"{STATUS_NAMES[new]} follows from placing the matter on an agenda."


def status_choices(current: MatterStatus) -> list[MatterStatus]:
    """Return the statuses the clerk may choose: the current one and the hand-set ones."""
    return [s for s in MatterStatus if s is current or s in HAND_SET_STATUSES]


def describe_changes(old: MatterFields, new: MatterFields) -> list[str]:
    """List what an edit changed, in words: ['title changed', 'status changed to Adopted']."""
    changes = []
    if old.title != new.title:
        changes.append("title changed")
    if old.sponsor_ids != new.sponsor_ids:
        changes.append("sponsors changed")
    if old.text != new.text:
        changes.append("full text changed")
    if old.status != new.status:
        changes.append(f"status changed to {STATUS_NAMES[new.status]}")
    return changes


def edit_summary(number: str, changes: list[str]) -> str:
    """Return the amended-agenda note for an edit: 'Matter Res 26-001 edited: title changed'."""
    return f"Matter {number} edited: {'; '.join(changes)}"


def item_title(title: str) -> str:
    """Return a matter title cut to fit an agenda item, marked with an ellipsis when cut."""
    return shorten(title, ITEM_TITLE_MAX)
