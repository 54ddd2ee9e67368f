"""The console's attendance form: each member's stays as the clerk typed them, read into UTC,
whether they are there remotely, and which absence or departure the body excused."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from agenda.bodies.queries import member_name
from agenda.errors import Refused
from agenda.meetings.display import member_stays, presence_of
from agenda.meetings.rules import AttendanceStatus, Stay
from agenda.meetings.session import record_attendance
from agenda.timefmt import NonexistentLocalTime, local_to_utc, utc_to_local

if TYPE_CHECKING:
    from agenda.auth.models import User
    from agenda.bodies.models import Membership
    from agenda.meetings.models import Attendance, Meeting


@dataclass
class StayFields:
    """One stay's times as typed (local "18:15"); the first stay's arrival is "arrived".

    `excused`: the body excused the departure that ends the stay.
    """

    arrived: str = ""
    left: str = ""
    excused: bool = False


@dataclass
class AttendanceRow:
    """One member's line of the attendance form, as shown or as submitted."""

    person_id: int
    name: str
    status: str = ""
    stays: list[StayFields] = field(default_factory=lambda: [StayFields()])
    returned: str = ""
    # Present by video or phone (every stay); absent with the body's leave.
    remote: bool = False
    excused: bool = False
    label: str = ""
    errors: list[str] = field(default_factory=list)
    parsed: list[Stay] = field(default_factory=list)
    excused_departures: list[datetime] = field(default_factory=list)

    def names(self, index: int) -> tuple[str, str]:
        """Return the form names of a stay's arrival and departure (the first has no index)."""
        suffix = f"-{index}" if index else ""
        return f"arrived-{self.person_id}{suffix}", f"left-{self.person_id}{suffix}"

    def excused_name(self, index: int) -> str:
        """Return the form name of the box that excuses a stay's departure."""
        return f"excused-{self.names(index)[1]}"


def attendance_rows(
    seated: Iterable[Membership], records: Iterable[Attendance], tz: str
) -> list[AttendanceRow]:
    """Return the attendance form's rows filled from the recorded stays."""
    records = list(records)
    rows = []
    for member in seated:
        row = AttendanceRow(member.person_id, member_name(member))
        mine = member_stays(records, member.person_id)
        if mine:
            row.status, row.remote = mine[0].status.value, mine[0].is_remote
            if mine[0].status is AttendanceStatus.PRESENT:
                # A stay's "excused" is its departure's.
                row.stays = [
                    StayFields(_hhmm(a.arrived_at, tz), _hhmm(a.left_at, tz), a.is_excused)
                    for a in mine
                ]
            else:
                row.excused = mine[0].is_excused
            row.label = presence_of(mine, tz).summary
        rows.append(row)
    return rows


def submitted_attendance(
    formdata: Mapping[str, str], seated: Iterable[Membership], opened: datetime, tz: str
) -> list[AttendanceRow]:
    """Read the attendance form; local times become UTC on the day the meeting was opened.

    A meeting runs past midnight: a time earlier than the call to order is the next day's.
    A later stay whose times are both emptied is removed; "returned" starts a new stay.
    "Everyone present" leaves no absence to excuse.
    """
    everyone = "everyone_present" in formdata
    rows = []
    for member in seated:
        pid = member.person_id
        status = formdata.get(f"status-{pid}", "")
        row = AttendanceRow(
            pid,
            member_name(member),
            status=AttendanceStatus.PRESENT.value if everyone else status,
            returned=formdata.get(f"returned-{pid}", "").strip(),
            remote=f"remote-{pid}" in formdata,
            excused=f"excused-{pid}" in formdata and not everyone,
        )
        row.stays = []
        index = 0
        while index == 0 or any(key in formdata for key in row.names(index)):
            arrived, left = (formdata.get(key, "").strip() for key in row.names(index))
            if index == 0 or arrived or left:
                row.stays.append(StayFields(arrived, left, row.excused_name(index) in formdata))
            index += 1
        rows.append(row)
    return checked_rows(rows, opened, tz)


def checked_rows(rows: list[AttendanceRow], opened: datetime, tz: str) -> list[AttendanceRow]:
    """Read each row's typed times into UTC stays and note beside it what is wrong.

    Times are local clock times on the day the meeting was opened; a time earlier than the
    call to order is the next day's. The console's form and the API's rows both come here.
    """
    for row in rows:
        if row.status not in {s.value for s in AttendanceStatus}:
            row.errors.append(f"Choose present or absent for {row.name}.")
        for stay in row.stays:
            parsed = Stay(
                _instant(row, stay.arrived, "arrived", opened, tz),
                _instant(row, stay.left, "left", opened, tz),
            )
            row.parsed.append(parsed)
            if stay.excused and row.status == AttendanceStatus.PRESENT.value:
                _excuse_departure(row, stay, parsed)
        if row.returned:
            row.parsed.append(Stay(_instant(row, row.returned, "returned", opened, tz)))
    return rows


def _excuse_departure(row: AttendanceRow, stay: StayFields, parsed: Stay) -> None:
    if parsed.left_at is not None:
        row.excused_departures.append(parsed.left_at)
    elif not stay.left:
        row.errors.append(
            f"Enter the time {row.name} left to excuse the departure, or untick Departure excused."
        )


def record_rows(meeting: Meeting, rows: Iterable[AttendanceRow], *, actor: User | None) -> None:
    """Record each member's submitted attendance; a member's refusal goes beside them.

    Rows the form already refused are skipped; the caller saves nothing if any row has errors.
    """
    for row in rows:
        if row.errors:
            continue
        try:
            record_attendance(
                meeting,
                row.person_id,
                status=AttendanceStatus(row.status),
                stays=row.parsed,
                is_remote=row.remote,
                is_excused=row.excused,
                excused_departures=row.excused_departures,
                actor=actor,
            )
        except Refused as refusal:
            row.errors.extend(refusal.messages)


def _instant(
    row: AttendanceRow, text: str, what: str, opened: datetime, tz: str
) -> datetime | None:
    if not text:
        return None
    try:
        at = time.fromisoformat(text)
    except ValueError:
        row.errors.append(f"Enter the time {row.name} {what} like 18:15 (6:15 PM).")
        return None
    day, opened_at = utc_to_local(opened, tz)
    if at.replace(second=0, microsecond=0) < opened_at.replace(second=0, microsecond=0):
        day += timedelta(days=1)  # after midnight
    try:
        return local_to_utc(day, at, tz)
    except NonexistentLocalTime as error:
        row.errors.append(str(error))
        return None


def _hhmm(instant: datetime | None, tz: str) -> str:
    """The time as the clerk typed it: hours and minutes, and seconds if they were given."""
    if instant is None:
        return ""
    local = utc_to_local(instant, tz)[1]
    return f"{local:%H:%M:%S}" if local.second else f"{local:%H:%M}"
