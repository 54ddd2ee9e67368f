"""The live console: call to order, attendance, motions, roll calls, dispositions, corrections."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from agenda.bodies.models import Membership
from agenda.bodies.queries import member_name, member_names
from agenda.db import utcnow
from agenda.errors import Refused
from agenda.extensions import db
from agenda.meetings.display import DISPOSITION_LABELS, meeting_time_label
from agenda.meetings.models import AgendaItem, Attendance, Meeting
from agenda.meetings.queries import editable_later_meetings, seated_on_meeting_date
from agenda.meetings.rules import AttendanceStatus, recording_refusal
from agenda.meetings.session import adjourn, call_to_order, record_attendance
from agenda.timefmt import utc_to_local
from agenda.votes import forms, rules
from agenda.votes.models import Motion, Vote
from agenda.votes.operations import VoteRefused, move_motion, present_members, record_roll_call
from agenda.votes.outcomes import correct_ballot, set_disposition
from agenda.votes.queries import ConsolePage, console_page
from agenda.web import Page, Saved, answer

bp = Blueprint("votes", __name__)
PARENT_KINDS = frozenset(
    {rules.MotionKind.AMENDMENT, rules.MotionKind.SUBSTITUTE, rules.MotionKind.RECONSIDER}
)


@dataclass
class Answer:
    """What the page says after a refused action: messages per block, bound forms and grids."""

    notes: dict[str, list[str]] = field(default_factory=dict)
    attendance: list[forms.AttendanceRow] | None = None
    roll_calls: dict[int, forms.RollCallEntry] = field(default_factory=dict)
    bound: dict[str, FlaskForm] = field(default_factory=dict)


def back(meeting_id: int, item_id: int | None, anchor: str) -> str:
    """Return the console's address on an item, scrolled to the block that changed."""
    return url_for("clerk.votes.console", meeting_id=meeting_id, item=item_id, _anchor=anchor)


@bp.get("/meetings/<int:meeting_id>/console")
def console(meeting_id: int) -> Page:
    """Show the live console of a meeting on the item the clerk chose."""
    item_id = request.args.get("item", type=int)
    return render(meeting_id, item_id, prefill_yes=request.args.get("all_yes") == "1")


@bp.post("/meetings/<int:meeting_id>/console/call-to-order")
def call(meeting_id: int) -> Page:
    """Call a published meeting to order now."""
    meeting = db.get_or_404(Meeting, meeting_id)

    def run() -> Saved:
        call_to_order(meeting, actor=current_user)
        return Saved("Meeting called to order.", back(meeting_id, _item_id(), "attendance"))

    return answer(run, noted(meeting_id, _item_id(), "meeting"))


@bp.post("/meetings/<int:meeting_id>/console/adjourn")
def adjourn_now(meeting_id: int) -> Page:
    """Adjourn a meeting in progress now."""
    meeting = db.get_or_404(Meeting, meeting_id)

    def run() -> Saved:
        adjourn(meeting, actor=current_user)
        return Saved("Meeting adjourned.", back(meeting_id, _item_id(), "meeting"))

    return answer(run, noted(meeting_id, _item_id(), "meeting"))


@bp.post("/meetings/<int:meeting_id>/console/attendance")
def attendance(meeting_id: int) -> Page:
    """Save every member's attendance at once; any refusal saves nothing."""
    meeting = db.get_or_404(Meeting, meeting_id)
    seated = seated_on_meeting_date(meeting)
    day = utc_to_local(meeting.scheduled_at, meeting.timezone)[0]
    rows = forms.submitted_attendance(request.form, seated, day, meeting.timezone)
    if closed := _closed(meeting):
        return answer(_refuse(closed), noted(meeting_id, _item_id(), "meeting"))

    def run() -> Saved:
        _record_rows(meeting, rows)
        if any(row.errors for row in rows):
            raise Refused("Attendance was not saved; correct the members marked.")
        count = sum(row.status == "present" for row in rows)
        message = f"Attendance saved: {count} of {len(rows)} present."
        return Saved(message, back(meeting_id, _item_id(), "attendance"))

    return answer(run, lambda _: render(meeting_id, _item_id(), answer=Answer(attendance=rows)))


@bp.post("/console/items/<int:item_id>/motions")
def motion(item_id: int) -> Page:
    """Put a moved and seconded motion on the item before the body."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting = item.section.meeting
    seated, present = seated_on_meeting_date(meeting), present_members(meeting, utcnow())
    form = forms.motion_form(seated, present, item.motions, editable_later_meetings(meeting))
    if closed := _closed(meeting):
        return answer(_refuse(closed), noted(meeting.id, item_id, "meeting"))

    def run() -> Saved:
        kind = form.kind.data
        parent = db.session.get(Motion, form.parent.data) if form.parent.data else None
        moved = move_motion(
            item, kind=kind, text=form.text.data or "", mover_id=form.mover.data,
            seconder_id=form.seconder.data, threshold=form.threshold.data,
            parent=parent if kind in PARENT_KINDS else None,
            continued_to_id=form.continued_to.data if kind is rules.MotionKind.CONTINUE else None,
            actor=current_user,
        )  # fmt: skip
        message = f"Motion {moved.position} moved and seconded; take the roll call."
        return Saved(message, back(meeting.id, item_id, f"motion-{moved.id}"))

    return answer(run, noted(meeting.id, item_id, "new-motion", motion=form), form=form)


@bp.post("/console/motions/<int:motion_id>/roll-call")
def roll_call(motion_id: int) -> Page:
    """Record every member's vote on a motion at once, and decide it."""
    motion = db.get_or_404(Motion, motion_id)
    item = motion.agenda_item
    meeting = item.section.meeting
    names = member_names(seated_on_meeting_date(meeting))
    entry = forms.submitted_roll_call(request.form, names)
    if closed := _closed(meeting):
        return answer(_refuse(closed), noted(meeting.id, item.id, "meeting"))

    def run() -> Saved:
        if entry.problems:
            raise VoteRefused(*entry.problems)
        vote = record_roll_call(motion, entry.ballots, actor=current_user)
        message = f"Roll call recorded: {vote.explanation}."
        return Saved(message, back(meeting.id, item.id, f"motion-{motion_id}"))

    def again(refusal: Refused | None) -> str:
        if refusal is None or refusal.status == 409:
            return noted(meeting.id, item.id, f"motion-{motion_id}")(refusal)
        place_messages(entry, refusal.messages, names)
        return render(meeting.id, item.id, answer=Answer(roll_calls={motion_id: entry}))

    return answer(run, again)


@bp.post("/console/items/<int:item_id>/disposition")
def disposition(item_id: int) -> Page:
    """Record how the item ended; a continued item joins the later meeting's agenda."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting = item.section.meeting
    form = forms.disposition_form(item.motions, editable_later_meetings(meeting))
    if closed := _closed(meeting, reviewing=True):
        return answer(_refuse(closed), noted(meeting.id, item_id, "meeting"))

    def run() -> Saved:
        later = db.session.get(Meeting, form.continued_to.data) if form.continued_to.data else None
        motion = db.session.get(Motion, form.motion.data) if form.motion.data else None
        new_item = set_disposition(
            item, form.disposition.data, continued_to=later, motion=motion, actor=current_user
        )
        message = f"Disposition recorded: {DISPOSITION_LABELS[form.disposition.data]}"
        if new_item is not None and later is not None:
            message += f"; it is now on the agenda of the {meeting_time_label(later)}"
        return Saved(f"{message}.", back(meeting.id, item_id, f"item-{item_id}"))

    bound = {"disposition": form}
    return answer(run, noted(meeting.id, item_id, "disposition", **bound), form=form)


@bp.post("/console/votes/<int:vote_id>/corrections")
def correction(vote_id: int) -> Page:
    """Correct one member's recorded vote, keeping the old value and the reason."""
    vote = db.get_or_404(Vote, vote_id)
    item = vote.motion.agenda_item
    meeting = item.section.meeting
    form = forms.correction_form(vote, member_names(seated_on_meeting_date(meeting)))
    key, anchor = f"fix{vote_id}", f"motion-{vote.motion_id}"
    if closed := _closed(meeting, reviewing=True):
        return answer(_refuse(closed), noted(meeting.id, item.id, "meeting"))

    def run() -> Saved:
        correct_ballot(
            vote, form.member.data, new_value=form.value.data, why=form.why.data or "",
            reason=form.reason.data or None, actor=current_user,
        )  # fmt: skip
        return Saved(f"Vote corrected: {vote.explanation}.", back(meeting.id, item.id, anchor))

    return answer(run, noted(meeting.id, item.id, key, **{key: form}), form=form)


def noted(
    meeting_id: int, item_id: int | None, block: str, **bound: FlaskForm
) -> Callable[[Refused | None], str]:
    """Return how to show the console again with a refusal's messages above `block`."""

    def again(refusal: Refused | None) -> str:
        notes = {block: list(refusal.messages)} if refusal is not None else {}
        return render(meeting_id, item_id, answer=Answer(notes=notes, bound=dict(bound)))

    return again


def render(
    meeting_id: int,
    item_id: int | None = None,
    *,
    answer: Answer | None = None,
    prefill_yes: bool = False,
) -> str:
    """Render the live console of a meeting on one agenda item."""
    answer = answer or Answer()
    page = console_page(meeting_id, item_id, utcnow())
    if page is None:
        abort(404)
    page_forms = {**blank_forms(page), **answer.bound}
    roll_calls = {
        m.id: answer.roll_calls.get(m.id)
        or (all_yes(page.present) if prefill_yes else forms.RollCallEntry())
        for m in page.motions
        if m.vote is None
    }
    meeting = page.meeting
    rows = answer.attendance or attendance_rows(page.seated, meeting.attendance, meeting.timezone)
    return render_template(
        "votes/manage/console.html",
        page=page,
        meeting=meeting,
        is_open=page.is_open,
        in_session=page.in_session,
        in_review=page.in_review,
        seated=page.seated,
        names=page.names,
        present=page.present,
        quorum=page.quorum,
        attendance=rows,
        items=page.items,
        current=page.current,
        motions_by_id={m.id: m for m in page.motions},
        tree=page.tree,
        corrections=page.corrections,
        meetings_by_id={m.id: m for m in page.later},
        forms=page_forms,
        roll_calls=roll_calls,
        notes=answer.notes,
        errors=summary(answer, page_forms),
        threshold_hint=page.threshold_hint,
        kind_labels=forms.KIND_LABELS,
        disposition_labels=DISPOSITION_LABELS,
        cast_values=forms.CAST_VALUES,
        meeting_label=meeting_time_label,
        threshold_label=rules.threshold_label,
    )


def blank_forms(page: ConsolePage) -> dict[str, Any]:
    """Return the console's blank forms for the current item, keyed by their prefix."""
    if page.current is None:
        return {}
    blank: dict[str, Any] = {
        "motion": forms.motion_form(
            page.seated, page.present, page.motions, page.editable_later, formdata=None
        ),
        "disposition": forms.disposition_form(page.motions, page.editable_later, formdata=None),
    }
    for m in page.motions:
        if m.vote is not None:
            blank[f"fix{m.vote.id}"] = forms.correction_form(m.vote, page.names, formdata=None)
    return blank


def attendance_rows(
    seated: Iterable[Membership], records: Iterable[Attendance], tz: str
) -> list[forms.AttendanceRow]:
    """Return the attendance form's rows filled from the recorded attendance."""
    by_person = {a.person_id: a for a in records}
    rows = []
    for member in seated:
        record = by_person.get(member.person_id)
        row = forms.AttendanceRow(member.person_id, member_name(member))
        if record is not None:
            row.status = record.status.value
            row.arrived = _hhmm(record.arrived_at, tz)
            row.left = _hhmm(record.left_at, tz)
        rows.append(row)
    return rows


def all_yes(present: Iterable[int]) -> forms.RollCallEntry:
    """Return a roll call pre-filled with yes for every member present."""
    return forms.RollCallEntry(values=dict.fromkeys(present, rules.BallotValue.YES.value))


def place_messages(
    entry: forms.RollCallEntry, messages: Iterable[str], names: Mapping[int, str]
) -> None:
    """Put each refusal beside the member it names; the rest go above the roll call."""
    longest_first = sorted(names.items(), key=lambda pair: -len(pair[1]))
    for message in messages:
        pid = next((p for p, n in longest_first if message.startswith(f"{n} ")), None)
        if pid is None:
            entry.general.append(message)
        else:
            entry.errors.setdefault(pid, []).append(message)


def summary(answer: Answer, page_forms: Mapping[str, Any]) -> list[tuple[str, str]]:
    """List every error on the page with a link to the control or block it concerns."""
    errors = [(m, f"#{block}") for block, messages in answer.notes.items() for m in messages]
    for key in answer.bound:
        errors += [(e, f"#{fld.id}") for fld in page_forms[key] for e in fld.errors]
    for row in answer.attendance or []:
        errors += [(e, f"#status-{row.person_id}-present") for e in row.errors]
    for motion_id, entry in answer.roll_calls.items():
        errors += [(e, f"#rollcall-{motion_id}") for e in entry.general]
        for pid, messages in entry.errors.items():
            errors += [(e, f"#vote-{motion_id}-{pid}-yes") for e in messages]
    return errors


def _hhmm(instant: datetime | None, tz: str) -> str:
    return f"{utc_to_local(instant, tz)[1]:%H:%M}" if instant is not None else ""


def _item_id() -> int | None:
    return request.form.get("item", type=int)


def _closed(meeting: Meeting, *, reviewing: bool = False) -> Refused | None:
    refusal = recording_refusal(meeting.status, correcting=reviewing)
    return Refused(refusal) if refusal else None


def _refuse(refusal: Refused) -> Callable[[], Saved]:
    def run() -> Saved:
        raise refusal

    return run


def _record_rows(meeting: Meeting, rows: list[forms.AttendanceRow]) -> None:
    for row in rows:
        if row.errors:
            continue
        try:
            record_attendance(
                meeting, row.person_id, status=AttendanceStatus(row.status),
                arrived_at=row.arrived_at, left_at=row.left_at, actor=current_user,
            )  # fmt: skip
        except Refused as refusal:
            row.errors.extend(refusal.messages)
