"""The meeting in session: calling to order, attendance as members come and go, adjourning."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from agenda.audit.operations import record_event
from agenda.bodies.queries import member_names
from agenda.db import utcnow
from agenda.errors import Refused
from agenda.extensions import db
from agenda.meetings.display import member_stays
from agenda.meetings.facts import attendance_fact
from agenda.meetings.models import Attendance, Meeting
from agenda.meetings.queries import seated_on_meeting_date
from agenda.meetings.rules import (
    HELD_STATUSES,
    AttendanceStatus,
    MeetingStatus,
    Stay,
    early_call_problem,
    stays_in_order,
    stays_problems,
)
from agenda.meetings.signals import is_record_frozen
from agenda.meetings.snapshot import has_pending_amendment
from agenda.timefmt import clock_time, local_date, utc_to_local

if TYPE_CHECKING:
    from agenda.auth.models import User


def call_to_order(
    meeting: Meeting,
    *,
    actor: User | None,
    at: datetime | None = None,
    early_reason: str = "",
) -> None:
    """Open a published meeting: it is now in progress, and attendance starts.

    Before the meeting's local date the clerk must give `early_reason`; it is audited.
    """
    if meeting.status is not MeetingStatus.PUBLISHED:
        raise Refused("Only a published meeting that has not started can be called to order.")
    if has_pending_amendment(meeting):
        raise Refused(
            "The agenda has changes the public has not seen. Publish the amendment first, "
            "so the meeting takes up the agenda the public has."
        )
    at = at or utcnow()
    meeting_day = local_date(meeting.scheduled_at, meeting.timezone)
    if problem := early_call_problem(meeting_day, local_date(at, meeting.timezone), early_reason):
        raise Refused(problem, field="early_reason")
    meeting.status = MeetingStatus.IN_PROGRESS
    meeting.called_to_order_at = at
    db.session.flush()
    details = {"early_reason": early_reason.strip()} if early_reason.strip() else {}
    record_event("meeting.call_to_order", meeting, actor=actor, details=details)


def adjourn(meeting: Meeting, *, actor: User | None, at: datetime | None = None) -> None:
    """Close a meeting in progress."""
    if meeting.status is not MeetingStatus.IN_PROGRESS:
        raise Refused("Only a meeting in progress can be adjourned.")
    at = at or utcnow()
    if meeting.called_to_order_at and at < meeting.called_to_order_at:
        raise Refused("The adjournment time is before the call to order.")
    meeting.status = MeetingStatus.ADJOURNED
    meeting.adjourned_at = at
    db.session.flush()
    record_event("meeting.adjourn", meeting, actor=actor)


def reopen(meeting: Meeting, reason: str, *, actor: User | None) -> None:
    """Reopen an adjourned meeting, with the reason, until its minutes are approved."""
    if meeting.status is not MeetingStatus.ADJOURNED:
        raise Refused("Only an adjourned meeting can be reopened.")
    if is_record_frozen(meeting.id):
        raise Refused("The minutes of this meeting are approved; its record is frozen.")
    if not reason.strip():
        raise Refused("Give the reason for reopening; it is kept in the record.", field="reason")
    adjourned_at = meeting.adjourned_at
    meeting.status = MeetingStatus.IN_PROGRESS
    meeting.adjourned_at = None
    db.session.flush()
    details = {
        "reason": reason.strip(),
        "adjourned_at": adjourned_at.isoformat() if adjourned_at else None,
    }
    record_event("meeting.reopen", meeting, actor=actor, details=details)


def record_attendance(
    meeting: Meeting,
    person_id: int,
    *,
    status: AttendanceStatus,
    actor: User | None,
    arrived_at: datetime | None = None,
    left_at: datetime | None = None,
    stays: Sequence[Stay] | None = None,
    is_remote: bool = False,
    is_excused: bool = False,
    excused_departures: Collection[datetime] = (),
) -> list[Attendance]:
    """Record whether a seated member is present, and each stay if they came and went.

    Without `stays`, the member has one stay from `arrived_at` (or the call to order) to
    `left_at` (or the adjournment). An absent member has no stays. A member present may be
    there remotely (`is_remote`, every stay); the body may excuse an absence (`is_excused`)
    or a departure (its time is in `excused_departures`). Returns the member's rows.
    """
    names = member_names(seated_on_meeting_date(meeting))
    if person_id not in names:
        raise Refused("Only members seated on the meeting date are on the roll.")
    if meeting.status not in HELD_STATUSES:
        raise Refused("Attendance is taken once the meeting is called to order.")
    if is_record_frozen(meeting.id):
        raise Refused("The minutes of this meeting are approved; its record is frozen.")
    if status is AttendanceStatus.ABSENT:
        stays = []
    elif not stays:
        stays = [Stay(arrived_at, left_at)]
    stays = stays_in_order(stays)
    problems = stays_problems(
        names[person_id],
        stays,
        called_at=meeting.called_to_order_at,
        adjourned_at=meeting.adjourned_at,
        now=utcnow(),
        tz=meeting.timezone,
    )
    problems += _kind_problems(
        names[person_id], status, stays, is_remote, is_excused, excused_departures, meeting.timezone
    )
    if problems:
        raise Refused(*problems)
    excused = set(excused_departures)
    rows = _replace_stays(meeting, person_id, status, stays)
    for row in rows:
        row.is_remote = is_remote
        row.is_excused = is_excused if status is AttendanceStatus.ABSENT else row.left_at in excused
    db.session.flush()
    record_event(
        "attendance.record",
        rows[0],
        actor=actor,
        details={
            "meeting_id": meeting.id,
            "person_id": person_id,
            "status": status.value,
            "stays": [[_iso(s.arrived_at), _iso(s.left_at)] for s in stays],
            "is_remote": is_remote,
            "is_excused": is_excused,
            "excused_departures": [_iso(s.left_at) for s in stays if s.left_at in excused],
        },
        facts=attendance_fact(meeting.id, person_id, rows),
    )
    return rows


def _kind_problems(
    who: str,
    status: AttendanceStatus,
    stays: Sequence[Stay],
    is_remote: bool,
    is_excused: bool,
    excused_departures: Collection[datetime],
    tz: str,
) -> list[str]:
    """Say why remote or excused makes no sense for this member's attendance."""
    problems = []
    if status is AttendanceStatus.ABSENT:
        if is_remote:
            problems.append(
                f"{who} is marked absent, so cannot be there remotely: mark them present, "
                "or untick Remote."
            )
        if excused_departures:
            problems.append(f"{who} is marked absent, so has no departure to excuse.")
        return problems
    if is_excused:
        problems.append(
            f"{who} is marked present: only an absence is excused. To excuse their "
            "departure, tick Departure excused beside the time they left."
        )
    departures = {s.left_at for s in stays if s.left_at is not None}
    for at in sorted(set(excused_departures) - departures):
        shown = clock_time(utc_to_local(at, tz)[1])
        problems.append(f"{who} did not leave at {shown}; enter the time they left to excuse it.")
    return problems


def _replace_stays(
    meeting: Meeting, person_id: int, status: AttendanceStatus, stays: list[Stay]
) -> list[Attendance]:
    # Rows are kept in place where they can be, so a stay's row keeps its id.
    rows = member_stays(meeting.attendance, person_id)
    wanted = stays or [Stay()]
    for row in rows[len(wanted) :]:
        meeting.attendance.remove(row)
    kept = rows[: len(wanted)]
    while len(kept) < len(wanted):
        row = Attendance(meeting=meeting, person_id=person_id, status=status)
        db.session.add(row)
        kept.append(row)
    for row, stay in zip(kept, wanted, strict=True):
        row.status, row.arrived_at, row.left_at = status, stay.arrived_at, stay.left_at
    return kept


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None
