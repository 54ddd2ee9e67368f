"""Writes on a meeting in session: call to order, attendance, motions, roll calls, dispositions,
adjournment. Each does what the clerk's live console does (agenda/votes/manage.py) through
the same steps (agenda/votes/recording.py), refused in the same words."""

from __future__ import annotations

from collections import Counter
from typing import Optional

from pydantic import Field

from agenda.api import core
from agenda.api.convert import (
    api_url,
    attendance_out,
    item_out,
    meeting_out,
    motion_out,
    vote_event,
)
from agenda.api.schemas import MeetingOut, MotionOut
from agenda.api.writing import (
    AttendanceTaken,
    DisposedOut,
    Id,
    Input,
    LocalTime,
    RollCallOut,
    extended,
    record,
    writable_meeting,
)
from agenda.bodies.models import Membership
from agenda.bodies.queries import member_name, member_names
from agenda.errors import Refused
from agenda.meetings.models import AgendaItem, Meeting
from agenda.meetings.queries import seated_on_meeting_date
from agenda.meetings.rules import TEXT_MAX, AttendanceStatus, Disposition
from agenda.meetings.session import call_to_order
from agenda.votes import rules
from agenda.votes.attendance import AttendanceRow, StayFields, checked_rows
from agenda.votes.forms import REASON_MAX, RollCallEntry
from agenda.votes.models import Motion
from agenda.votes.outcomes import adjourn_meeting
from agenda.votes.recording import (
    dispose_item,
    ensure_recording,
    put_motion,
    save_attendance,
    take_roll_call,
)

TAG = "votes"


def _meeting_written(meeting: Meeting) -> core.Written:
    return core.Written(meeting_out(meeting), location=api_url(f"meetings/{meeting.id}"))


class CallToOrder(Input):
    early_reason: str = Field(
        "", max_length=TEXT_MAX, description="Needed before the meeting's local date; audited."
    )


@core.write(
    "/meetings/<int:meeting_id>/call-to-order", body=CallToOrder, response=MeetingOut, tag=TAG,
    status=200,
)  # fmt: skip
def meeting_call_to_order(body: CallToOrder, meeting_id: int) -> core.Written:
    """Call a published meeting to order now; attendance, motions and roll calls follow."""
    meeting = record(Meeting, meeting_id)
    writable_meeting(meeting)
    call_to_order(meeting, actor=core.actor(), early_reason=body.early_reason)
    return _meeting_written(meeting)


class Stay(Input):
    arrived: LocalTime = Field(None, description="Local time, like 18:15; empty: from the call.")
    left: LocalTime = Field(None, description="Local time; empty: until the adjournment.")
    departure_excused: bool = Field(False, description="The body excused this departure.")


class MemberAttendance(Input):
    person_id: Id
    status: AttendanceStatus = Field(description="present or absent.")
    stays: list[Stay] = Field(
        default_factory=lambda: [Stay()],
        description="When a member present came and went: late, left early, came back. A time "
        "earlier than the call to order is the next day's.",
    )
    remote: bool = Field(False, description="Present by video or phone.")
    excused: bool = Field(False, description="An absence the body excused.")


class AttendanceIn(Input):
    members: list[MemberAttendance] = Field(
        default_factory=list, description="Every member seated on the meeting's date, once."
    )
    everyone_present: bool = Field(False, description="Every seated member present throughout.")


@core.write(
    "/meetings/<int:meeting_id>/attendance", body=AttendanceIn, response=AttendanceTaken,
    tag=TAG, status=200,
)  # fmt: skip
def meeting_attendance(body: AttendanceIn, meeting_id: int) -> core.Written:
    """Record every member's attendance at once.

    As the console's form: present or absent, the times each came and went, remote, excused.
    Any member's problem saves nothing; its messages are under `members.<index>`.
    """
    meeting = record(Meeting, meeting_id)
    writable_meeting(meeting)
    ensure_recording(meeting)
    seated = seated_on_meeting_date(meeting)
    rows = _attendance_rows(body, meeting, seated)
    try:
        here = save_attendance(meeting, rows, actor=core.actor())
    except Refused as refusal:
        raise core.ApiProblem(422, " ".join(refusal.messages), _by_member(body, rows)) from None
    taken = AttendanceTaken(
        meeting_id=meeting.id, present=here, seated=len(seated),
        attendance=[attendance_out(a) for a in meeting.attendance],
    )  # fmt: skip
    return core.Written(taken, location=api_url(f"meetings/{meeting.id}"))


def _by_member(body: AttendanceIn, rows: list[AttendanceRow]) -> dict[str, list[str]]:
    """Put each row's problems under its member's entry (`members.2`); a member left out's
    under `members`."""
    index = {entry.person_id: i for i, entry in enumerate(body.members)}
    fields: dict[str, list[str]] = {}
    for row in rows:
        if row.errors:
            name = f"members.{index[row.person_id]}" if row.person_id in index else "members"
            fields.setdefault(name, []).extend(row.errors)
    return fields


def _attendance_rows(
    body: AttendanceIn, meeting: Meeting, seated: list[Membership]
) -> list[AttendanceRow]:
    """Turn the body into the console's rows: one per seated member, in seat order."""
    given = {entry.person_id: entry for entry in body.members}
    names = member_names(seated)
    if stray := [pid for pid in given if pid not in names]:
        raise Refused(
            f"Only members seated on the meeting date are on the roll (not {stray[0]}).",
            field="members",
        )
    if twice := [pid for pid, n in Counter(e.person_id for e in body.members).items() if n > 1]:
        raise Refused(f"Give {names[twice[0]]}'s attendance once.", field="members")
    rows = []
    for member in seated:
        entry = given.get(member.person_id)
        status = "present" if body.everyone_present else (entry.status.value if entry else "")
        stays = entry.stays if entry is not None else [Stay()]
        rows.append(AttendanceRow(
            member.person_id, member_name(member), status=status,
            stays=[StayFields(_hhmm(s.arrived), _hhmm(s.left), s.departure_excused) for s in stays],
            remote=entry is not None and entry.remote,
            excused=entry is not None and entry.excused and not body.everyone_present,
        ))  # fmt: skip
    opened = meeting.called_to_order_at or meeting.scheduled_at
    return checked_rows(rows, opened, meeting.timezone)


def _hhmm(at: object) -> str:
    return at.isoformat() if at is not None else ""  # type: ignore[attr-defined]


class MotionIn(Input):
    kind: rules.MotionKind = Field(rules.MotionKind.MAIN, description="main, amendment, ...")
    text: str = Field("", max_length=TEXT_MAX, description="Empty: the kind's usual words.")
    mover_id: Id = Field(description="A member present.")
    seconder_id: Optional[Id] = Field(None, description="A member present; none: it dies.")
    threshold: Optional[str] = Field(None, description="Votes required; none: the default.")
    parent_id: Optional[Id] = Field(None, description="The motion amended or reconsidered.")
    continued_to_id: Optional[Id] = Field(None, description="For continue: the later meeting.")
    died: bool = Field(False, description="Nobody seconded it: record it died for lack of one.")


@core.write("/items/<int:item_id>/motions", body=MotionIn, response=MotionOut, tag=TAG)
def motion_create(body: MotionIn, item_id: int) -> core.Written:
    """Put a moved and seconded motion on the item before the body."""
    item = record(AgendaItem, item_id)
    writable_meeting(item.section.meeting)
    motion = put_motion(
        item, kind=body.kind, text=body.text, mover_id=body.mover_id,
        seconder_id=body.seconder_id, threshold=body.threshold, parent_id=body.parent_id,
        continued_to_id=body.continued_to_id, died=body.died, actor=core.actor(),
    )  # fmt: skip
    return core.Written(motion_out(motion), location=api_url(f"meetings/{motion_meeting(motion)}"))


def motion_meeting(motion: Motion) -> int:
    return motion.agenda_item.section.meeting_id


class BallotIn(Input):
    person_id: Id
    value: rules.BallotValue = Field(description="yes, no, abstain, recused, not_voting, absent.")
    reason: str = Field("", max_length=REASON_MAX, description="A recusal's stated conflict.")
    excused: bool = Field(False, description="An abstention the body excused.")


class RollCallIn(Input):
    ballots: list[BallotIn] = Field(description="Every member present; the others are absent.")
    dispose: bool = Field(False, description="A main motion's result decides its item too.")


@core.write("/motions/<int:motion_id>/roll-call", body=RollCallIn, response=RollCallOut, tag=TAG)
def roll_call_record(body: RollCallIn, motion_id: int) -> core.Written:
    """Record every member's vote on a motion at once, and decide it.

    A second roll call on the same motion is a conflict (409); a correction keeps the old value.
    """
    motion = record(Motion, motion_id)
    writable_meeting(motion.agenda_item.section.meeting)
    ballots, problems = _ballots(body, motion.agenda_item.section.meeting)
    vote, followed = take_roll_call(
        motion, ballots, dispose=body.dispose, actor=core.actor(), problems=problems
    )
    disposition = motion.agenda_item.disposition
    answer = extended(
        RollCallOut, vote_event(vote), followed=followed.strip(),
        item_disposition=disposition.value if disposition is not None else None,
    )  # fmt: skip
    return core.Written(answer, location=api_url(f"votes/{vote.id}"))


def _ballots(body: RollCallIn, meeting: Meeting) -> tuple[list[rules.Ballot], list[str]]:
    """Read the ballots as the console reads its grid (a reason kept for a recusal or an
    abstention, excused only an abstention), and what is wrong with them."""
    entry = RollCallEntry(
        values={b.person_id: b.value.value for b in body.ballots},
        reasons={b.person_id: b.reason.strip() for b in body.ballots},
        excused={b.person_id for b in body.ballots if b.excused},
    )
    seen = Counter(b.person_id for b in body.ballots)
    names = member_names(seated_on_meeting_date(meeting))
    twice = [f"Give {names.get(pid, pid)}'s vote once." for pid, n in seen.items() if n > 1]
    return entry.ballots, twice


class DispositionIn(Input):
    disposition: Disposition
    continued_to_id: Optional[Id] = Field(None, description="For continued: the later meeting.")
    motion_id: Optional[Id] = Field(None, description="The voted motion that decided it.")


@core.write(
    "/items/<int:item_id>/disposition", body=DispositionIn, response=DisposedOut, tag=TAG,
    status=200,
)  # fmt: skip
def item_disposition(body: DispositionIn, item_id: int) -> core.Written:
    """Record how the item ended; a continued item joins the later meeting's agenda."""
    item = record(AgendaItem, item_id)
    writable_meeting(item.section.meeting)
    new_item = dispose_item(
        item, body.disposition, continued_to_id=body.continued_to_id, motion_id=body.motion_id,
        actor=core.actor(),
    )  # fmt: skip
    answer = extended(
        DisposedOut, item_out(item), continued_item_id=new_item.id if new_item else None
    )
    return core.Written(answer, location=api_url(f"meetings/{item.section.meeting_id}"))


class Adjournment(Input):
    confirm: bool = Field(False, description="Adjourn even with motions or items left open.")


@core.write(
    "/meetings/<int:meeting_id>/adjourn", body=Adjournment, response=MeetingOut, tag=TAG,
    status=200,
)  # fmt: skip
def meeting_adjourn(body: Adjournment, meeting_id: int) -> core.Written:
    """Adjourn a meeting in progress now; with motions or items left open, once confirmed."""
    meeting = record(Meeting, meeting_id)
    writable_meeting(meeting)
    adjourn_meeting(meeting, actor=core.actor(), confirmed=body.confirm)
    return _meeting_written(meeting)
