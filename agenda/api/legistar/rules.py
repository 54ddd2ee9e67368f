"""How Legistar's values read in our words: ballots, attendance, agenda status, matter types.

Pure functions (no flask, no sqlalchemy). Legistar's value names are the city's own list
(VoteTypes), so each mapping folds case and spaces and knows the usual spellings; a value it
does not know is None, and the importer skips that row saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agenda.matters.rules import MatterAction, MatterStatus, MatterType
from agenda.meetings.rules import AttendanceStatus, MeetingStatus
from agenda.votes.rules import BallotValue, MotionResult

SOURCE = "legistar"


def _key(value: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(value or "").lower()).strip()


# VoteValueName (Votes): what each member did on the question.
BALLOTS = {
    **dict.fromkeys(["aye", "yes", "yea", "affirmative", "in favor", "approve"], BallotValue.YES),
    **dict.fromkeys(["nay", "no", "negative", "opposed", "against"], BallotValue.NO),
    **dict.fromkeys(["abstain", "abstained", "abstention", "present"], BallotValue.ABSTAIN),
    **dict.fromkeys(
        ["recused", "recusal", "recuse", "conflict", "conflict of interest"], BallotValue.RECUSED
    ),
    **dict.fromkeys(["absent", "excused", "absent excused", "not present"], BallotValue.ABSENT),
    **dict.fromkeys(["non voting", "not voting", "did not vote"], BallotValue.NOT_VOTING),
}
# A recusal keeps its stated conflict; Legistar records none, so the ballot says where it is from.
RECUSAL_REASON = "Recorded as a conflict in Legistar"


def ballot_value(name: object) -> BallotValue | None:
    """Return our ballot value for a VoteValueName ('Aye' -> yes), or None when unknown."""
    return BALLOTS.get(_key(name))


def is_excused(name: object) -> bool:
    """Tell whether a vote or roll-call value says the member was excused."""
    return "excused" in _key(name)


@dataclass(frozen=True)
class Presence:
    """A member's attendance as a roll call recorded it."""

    status: AttendanceStatus
    excused: bool = False
    late: bool = False
    remote: bool = False


# RollCallValueName (RollCalls): who was at the meeting.
PRESENCES = {
    "present": Presence(AttendanceStatus.PRESENT),
    "here": Presence(AttendanceStatus.PRESENT),
    "late": Presence(AttendanceStatus.PRESENT, late=True),
    "arrived late": Presence(AttendanceStatus.PRESENT, late=True),
    "remote": Presence(AttendanceStatus.PRESENT, remote=True),
    "present remotely": Presence(AttendanceStatus.PRESENT, remote=True),
    "teleconference": Presence(AttendanceStatus.PRESENT, remote=True),
    "absent": Presence(AttendanceStatus.ABSENT),
    "excused": Presence(AttendanceStatus.ABSENT, excused=True),
    "absent excused": Presence(AttendanceStatus.ABSENT, excused=True),
}


def presence(name: object) -> Presence | None:
    """Return the attendance a RollCallValueName records ('Late' -> present, late)."""
    return PRESENCES.get(_key(name))


def is_final_agenda(name: object) -> bool:
    """Tell whether an EventAgendaStatusName says the agenda was published ('Final')."""
    return _key(name) in {"final", "published", "final revised", "final amended", "approved"}


def meeting_status(final: bool, scheduled_at: datetime, now: datetime) -> MeetingStatus:
    """Return a meeting's status: a draft agenda stays a draft; a final one is published, and
    adjourned once its time has passed (a historic meeting was held)."""
    if not final:
        return MeetingStatus.DRAFT
    return MeetingStatus.ADJOURNED if scheduled_at <= now else MeetingStatus.PUBLISHED


# MatterTypeName: the kinds of legislation we keep; others are skipped or get the default.
MATTER_TYPES = {
    "resolution": MatterType.RESOLUTION,
    "ordinance": MatterType.ORDINANCE,
    "emergency ordinance": MatterType.ORDINANCE,
    "proclamation": MatterType.PROCLAMATION,
    "report": MatterType.REPORT,
    "staff report": MatterType.REPORT,
}


def matter_type(name: object, default: MatterType | None = None) -> MatterType | None:
    """Return our matter type for a MatterTypeName, else `default` (None: skip the matter)."""
    return MATTER_TYPES.get(_key(name), default)


MATTER_STATUSES = {
    **dict.fromkeys(["adopted", "passed", "approved", "enacted"], MatterStatus.ADOPTED),
    **dict.fromkeys(["failed", "defeated", "denied"], MatterStatus.FAILED),
    **dict.fromkeys(["withdrawn"], MatterStatus.WITHDRAWN),
    **dict.fromkeys(["agenda ready", "on agenda", "scheduled"], MatterStatus.ON_AGENDA),
    **dict.fromkeys(["draft"], MatterStatus.DRAFT),
}


def matter_status(name: object) -> MatterStatus:
    """Return our status for a MatterStatusName; anything else is a filed matter."""
    return MATTER_STATUSES.get(_key(name), MatterStatus.FILED)


HISTORY_ACTIONS = {
    **dict.fromkeys(["adopted", "approved", "passed", "enacted"], MatterAction.ADOPTED),
    **dict.fromkeys(["failed", "defeated", "denied"], MatterAction.FAILED),
    **dict.fromkeys(["continued", "postponed", "deferred"], MatterAction.CONTINUED),
    **dict.fromkeys(["tabled", "laid on the table"], MatterAction.TABLED),
    **dict.fromkeys(["first reading", "passed on first reading"], MatterAction.FIRST_READING),
    **dict.fromkeys(["second reading", "passed on second reading"], MatterAction.SECOND_READING),
    **dict.fromkeys(["amended"], MatterAction.AMENDED),
    **dict.fromkeys(["withdrawn"], MatterAction.WITHDRAWN),
    **dict.fromkeys(["introduced", "filed", "referred", "received"], MatterAction.FILED),
    **dict.fromkeys(
        ["placed on agenda", "agenda ready", "scheduled"], MatterAction.PLACED_ON_AGENDA
    ),
}


def history_action(name: object, passed_flag: object = None) -> MatterAction | None:
    """Return our action for a MatterHistoryActionName; an unknown action with a passed flag
    reads as adopted or failed; None when neither tells."""
    found = HISTORY_ACTIONS.get(_key(name))
    if found is not None:
        return found
    result = recorded_result(passed_flag)
    if result is None:
        return None
    return MatterAction.ADOPTED if result is MotionResult.PASSED else MatterAction.FAILED


def recorded_result(flag: object) -> MotionResult | None:
    """Return the result an EventItemPassedFlag records (1 passed, 0 failed, None: no vote)."""
    if flag is None or flag == "":
        return None
    return MotionResult.PASSED if int(flag) == 1 else MotionResult.FAILED


def legistar_date(value: object) -> date | None:
    """Read a Legistar date ('2025-03-04T00:00:00'); None when empty."""
    if not value:
        return None
    return date.fromisoformat(str(value)[:10])


def legistar_time(value: object) -> time | None:
    """Read an EventTime ('5:00 PM', '17:00'); None when empty or unreadable."""
    text = str(value or "").strip().upper()
    for pattern in ("%I:%M %p", "%I:%M%p", "%H:%M", "%I %p"):
        try:
            return datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    return None


def legistar_utc(value: object) -> datetime | None:
    """Read a Legistar UTC stamp ('2025-03-05T14:22:10.37', *LastModifiedUtc) as aware UTC."""
    if not value:
        return None
    text = str(value).rstrip("Z")
    head, _, fraction = text.partition(".")
    moment = datetime.fromisoformat(head)
    return moment.replace(tzinfo=UTC) + timedelta(microseconds=int((fraction + "000000")[:6]))


def local_instant(day: date, at: time | None, timezone: str) -> datetime:
    """Return the UTC instant of a local day and time (midnight when no time is given)."""
    local = datetime.combine(day, at or time(0, 0), tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC)


def file_sequence(file: object) -> int | None:
    """Return the number at the end of a MatterFile ('25-214' -> 214), if any."""
    found = re.search(r"(\d+)\D*$", str(file or ""))
    return int(found.group(1)) if found and int(found.group(1)) > 0 else None


def assign_seats(
    records: list[tuple[str, date, date | None]], seats: int = 0
) -> tuple[dict[str, int], int]:
    """Number the seats of a body from its office records (id, start, end), in start order.

    Each record takes the lowest seat free on its start date (freed by a record that ended
    before it). Returns the seat of each record and how many seats the body has (at least
    `seats`, Legistar's BodyNumberOfMembers).
    """
    taken: dict[int, date | None] = {}  # seat -> the end of the record holding it
    found: dict[str, int] = {}
    for record_id, start, end in sorted(records, key=lambda r: (r[1], r[0])):
        seat = 1
        while seat in taken and (taken[seat] is None or taken[seat] >= start):  # type: ignore[operator]
            seat += 1
        taken[seat] = end
        found[record_id] = seat
    return found, max([seats, *found.values()]) if found else max(seats, 1)


def tally(counts: dict[BallotValue, int]) -> str:
    """Say a tally as the public pages do: '6-1'."""
    return f"{counts.get(BallotValue.YES, 0)}-{counts.get(BallotValue.NO, 0)}"


# The report of a run


@dataclass
class KindCount:
    """What one kind of record came to: created, already there, skipped."""

    created: int = 0
    existing: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class Skip:
    """A Legistar row left out, and why."""

    kind: str
    external_id: str
    reason: str

    def __str__(self) -> str:
        return f"{self.kind} {self.external_id}: {self.reason}"


@dataclass(frozen=True)
class Disagreement:
    """An imported vote whose recorded result the body's configured rule would not give."""

    item: str
    tally: str
    recorded: str
    rule_decides: str

    def __str__(self) -> str:
        return (
            f"{self.item} ({self.tally}): recorded {self.recorded} in Legistar; the body's rule"
            f" decides {self.rule_decides}"
        )


# The kinds in the order they are imported (and reported).
KINDS = (
    "body",
    "person",
    "term",
    "matter",
    "sponsor",
    "history",
    "attachment",
    "meeting",
    "item",
    "attendance",
    "vote",
    "ballot",
)


@dataclass
class Report:
    """What an import did, by kind; the skips with their reasons; the disagreements."""

    counts: dict[str, KindCount] = field(default_factory=lambda: {k: KindCount() for k in KINDS})
    skips: list[Skip] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)

    def created(self, kind: str, n: int = 1) -> None:
        self.counts[kind].created += n

    def existing(self, kind: str, n: int = 1) -> None:
        self.counts[kind].existing += n

    def skip(self, kind: str, external_id: object, reason: str) -> None:
        self.counts[kind].skipped += 1
        self.skips.append(Skip(kind, str(external_id), reason))

    def lines(self) -> list[str]:
        """Return the report as the command prints it."""
        out = ["kind        created  already there  skipped"]
        for kind, c in self.counts.items():
            out.append(f"{kind:<11} {c.created:>7}  {c.existing:>13}  {c.skipped:>7}")
        if self.skips:
            out.append(f"Skipped ({len(self.skips)}):")
            out += [f"  {s}" for s in self.skips]
        if self.disagreements:
            out.append(
                f"Votes whose recorded result the body's rule would not give "
                f"({len(self.disagreements)}; the recorded result is kept):"
            )
            out += [f"  {d}" for d in self.disagreements]
        return out
