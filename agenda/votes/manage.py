"""The live console: call to order, attendance, motions, roll calls, dispositions, corrections."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, request, url_for
from flask_login import current_user

from agenda.bodies.queries import member_names
from agenda.db import utcnow
from agenda.errors import Refused
from agenda.extensions import db
from agenda.meetings.display import DISPOSITION_LABELS, meeting_time_label
from agenda.meetings.models import AgendaItem, Meeting
from agenda.meetings.queries import editable_later_meetings, seated_on_meeting_date
from agenda.meetings.rules import AttendanceStatus, recording_refusal
from agenda.meetings.session import call_to_order, record_attendance, reopen
from agenda.votes import forms, rules
from agenda.votes.attendance import AttendanceRow, submitted_attendance
from agenda.votes.console import Answer, noted, place_messages, render
from agenda.votes.models import Motion, Vote
from agenda.votes.operations import VoteRefused, move_motion, present_members, record_roll_call
from agenda.votes.outcomes import adjourn_meeting, correct_ballot, set_disposition
from agenda.web import Page, Saved, answer

bp = Blueprint("votes", __name__)
PARENT_KINDS = frozenset(
    {rules.MotionKind.AMENDMENT, rules.MotionKind.SUBSTITUTE, rules.MotionKind.RECONSIDER}
)


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
    form = forms.CallForm(prefix="call")

    def run() -> Saved:
        early = form.early_reason.data or ""
        call_to_order(meeting, actor=current_user, early_reason=early)
        return Saved("Meeting called to order.", back(meeting_id, _item_id(), "attendance"))

    return answer(run, noted(meeting_id, _item_id(), "meeting", call=form), form=form)


@bp.post("/meetings/<int:meeting_id>/console/adjourn")
def adjourn_now(meeting_id: int) -> Page:
    """Adjourn a meeting in progress now; with motions or items left open, once confirmed."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = forms.AdjournForm(prefix="adjourn")

    def run() -> Saved:
        adjourn_meeting(meeting, actor=current_user, confirmed=bool(form.confirm.data))
        return Saved("Meeting adjourned.", back(meeting_id, _item_id(), "meeting"))

    return answer(run, noted(meeting_id, _item_id(), "adjourn", adjourn=form), form=form)


@bp.post("/meetings/<int:meeting_id>/console/reopen")
def reopen_now(meeting_id: int) -> Page:
    """Reopen an adjourned meeting, with the reason, until its minutes are approved."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = forms.ReopenForm(prefix="reopen")

    def run() -> Saved:
        reopen(meeting, form.reason.data or "", actor=current_user)
        return Saved("Meeting reopened.", back(meeting_id, _item_id(), "meeting"))

    return answer(run, noted(meeting_id, _item_id(), "meeting", reopen=form), form=form)


@bp.post("/meetings/<int:meeting_id>/console/attendance")
def attendance(meeting_id: int) -> Page:
    """Save every member's attendance at once; any refusal saves nothing."""
    meeting = db.get_or_404(Meeting, meeting_id)
    seated = seated_on_meeting_date(meeting)
    opened = meeting.called_to_order_at or meeting.scheduled_at
    rows = submitted_attendance(request.form, seated, opened, meeting.timezone)
    if closed := _closed(meeting):
        return answer(_refuse(closed), noted(meeting_id, _item_id(), "meeting"))

    def run() -> Saved:
        _record_rows(meeting, rows)
        if any(row.errors for row in rows):
            raise Refused("Attendance was not saved; correct the members marked.")
        # Counted as the console's header counts: who is in the room now.
        here = present_members(meeting, utcnow()) & {row.person_id for row in rows}
        message = f"Attendance saved: {len(here)} of {len(rows)} present."
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


def _item_id() -> int | None:
    return request.form.get("item", type=int)


def _closed(meeting: Meeting, *, reviewing: bool = False) -> Refused | None:
    refusal = recording_refusal(meeting.status, correcting=reviewing)
    return Refused(refusal) if refusal else None


def _refuse(refusal: Refused) -> Callable[[], Saved]:
    def run() -> Saved:
        raise refusal

    return run


def _record_rows(meeting: Meeting, rows: list[AttendanceRow]) -> None:
    for row in rows:
        if row.errors:
            continue
        try:
            record_attendance(
                meeting, row.person_id, status=AttendanceStatus(row.status),
                stays=row.parsed, actor=current_user,
            )  # fmt: skip
        except Refused as refusal:
            row.errors.extend(refusal.messages)
