"""Clerk routes of the live meeting console: session, attendance, motions, roll calls, outcomes."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from werkzeug.wrappers import Response

from agenda.clerk import console_forms as forms
from agenda.clerk.console_pages import (
    Answer,
    console_page,
    editable_later,
    member_names,
    place_messages,
    refused,
    saved,
)
from agenda.clerk.views import bp
from agenda.db import utcnow
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, Meeting
from agenda.meetings.operations import MeetingEditError
from agenda.meetings.rules import recording_refusal, utc_to_local
from agenda.meetings.session import adjourn, call_to_order, record_attendance
from agenda.votes.models import Motion, Vote
from agenda.votes.operations import (
    AlreadyRecorded,
    VoteRefused,
    move_motion,
    present_members,
    record_roll_call,
    seated_members,
)
from agenda.votes.outcomes import correct_ballot, set_disposition
from agenda.votes.rules import AttendanceStatus, MotionKind

Page = str | tuple[str, int] | Response
PARENT_KINDS = frozenset({MotionKind.AMENDMENT, MotionKind.SUBSTITUTE, MotionKind.RECONSIDER})


@bp.get("/meetings/<int:meeting_id>/console")
def console(meeting_id: int) -> Page:
    """Show the live console of a meeting on the item the clerk chose."""
    item_id = request.args.get("item", type=int)
    return console_page(meeting_id, item_id, prefill_yes=request.args.get("all_yes") == "1")


@bp.post("/meetings/<int:meeting_id>/console/call-to-order")
def console_call_to_order(meeting_id: int) -> Page:
    """Call a published meeting to order now."""
    meeting = db.get_or_404(Meeting, meeting_id)
    try:
        call_to_order(meeting, actor=current_user)
    except VoteRefused as refusal:
        return refused(meeting_id, _item_id(), "meeting", refusal)
    return saved(meeting_id, _item_id(), "Meeting called to order.", "attendance")


@bp.post("/meetings/<int:meeting_id>/console/adjourn")
def console_adjourn(meeting_id: int) -> Page:
    """Adjourn a meeting in progress now."""
    meeting = db.get_or_404(Meeting, meeting_id)
    try:
        adjourn(meeting, actor=current_user)
    except VoteRefused as refusal:
        return refused(meeting_id, _item_id(), "meeting", refusal)
    return saved(meeting_id, _item_id(), "Meeting adjourned.", "meeting")


@bp.post("/meetings/<int:meeting_id>/console/attendance")
def console_attendance(meeting_id: int) -> Page:
    """Save every member's attendance at once; any refusal saves nothing."""
    meeting = db.get_or_404(Meeting, meeting_id)
    seated = seated_members(meeting)
    day = utc_to_local(meeting.scheduled_at, meeting.timezone)[0]
    rows = forms.submitted_attendance(request.form, seated, day, meeting.timezone)
    if closed := _closed(meeting):
        return refused(meeting_id, _item_id(), "meeting", closed)
    _record_rows(meeting, rows)
    if any(row.errors for row in rows):
        return refused(meeting_id, _item_id(), "attendance", answer=Answer(attendance=rows))
    count = sum(row.status == "present" for row in rows)
    return saved(
        meeting_id, _item_id(), f"Attendance saved: {count} of {len(rows)} present.", "attendance"
    )


@bp.post("/console/items/<int:item_id>/motions")
def console_motion(item_id: int) -> Page:
    """Put a moved and seconded motion on the item before the body."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting = item.section.meeting
    seated, present = seated_members(meeting), present_members(meeting, utcnow())
    form = forms.motion_form(seated, present, item.motions, editable_later(meeting))
    if closed := _closed(meeting):
        return refused(meeting.id, item_id, "meeting", closed)
    if not form.validate():
        return refused(meeting.id, item_id, "new-motion", motion=form)
    kind = form.kind.data
    parent = db.session.get(Motion, form.parent.data) if form.parent.data else None
    try:
        motion = move_motion(
            item, kind=kind, text=form.text.data or "", mover_id=form.mover.data,
            seconder_id=form.seconder.data, threshold=form.threshold.data,
            parent=parent if kind in PARENT_KINDS else None,
            continued_to_id=form.continued_to.data if kind is MotionKind.CONTINUE else None,
            actor=current_user,
        )  # fmt: skip
    except VoteRefused as refusal:
        return refused(meeting.id, item_id, "new-motion", refusal, motion=form)
    message = f"Motion {motion.position} moved and seconded; take the roll call."
    return saved(meeting.id, item_id, message, f"motion-{motion.id}")


@bp.post("/console/motions/<int:motion_id>/roll-call")
def console_roll_call(motion_id: int) -> Page:
    """Record every member's vote on a motion at once, and decide it."""
    motion = db.get_or_404(Motion, motion_id)
    item = motion.agenda_item
    meeting = item.section.meeting
    names = member_names(seated_members(meeting))
    entry = forms.submitted_roll_call(request.form, names)
    if closed := _closed(meeting):
        return refused(meeting.id, item.id, "meeting", closed)
    try:
        if entry.problems:
            raise VoteRefused(*entry.problems)
        vote = record_roll_call(motion, entry.ballots, actor=current_user)
    except AlreadyRecorded as refusal:
        return refused(meeting.id, item.id, f"motion-{motion_id}", refusal, status=409)
    except VoteRefused as refusal:
        place_messages(entry, refusal.messages, names)
        answer = Answer(roll_calls={motion_id: entry})
        return refused(meeting.id, item.id, f"rollcall-{motion_id}", answer=answer)
    return saved(
        meeting.id, item.id, f"Roll call recorded: {vote.explanation}.", f"motion-{motion_id}"
    )


@bp.post("/console/items/<int:item_id>/disposition")
def console_disposition(item_id: int) -> Page:
    """Record how the item ended; a continued item joins the later meeting's agenda."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting = item.section.meeting
    form = forms.disposition_form(item.motions, editable_later(meeting))
    if closed := _closed(meeting, reviewing=True):
        return refused(meeting.id, item_id, "meeting", closed)
    if not form.validate():
        return refused(meeting.id, item_id, "disposition", disposition=form)
    later = db.session.get(Meeting, form.continued_to.data) if form.continued_to.data else None
    motion = db.session.get(Motion, form.motion.data) if form.motion.data else None
    try:
        new_item = set_disposition(
            item, form.disposition.data, continued_to=later, motion=motion, actor=current_user
        )
    except VoteRefused as refusal:
        return refused(meeting.id, item_id, "disposition", refusal, disposition=form)
    except MeetingEditError as error:  # the later agenda refused the continued item
        return refused(
            meeting.id, item_id, "disposition", VoteRefused(str(error)), disposition=form
        )
    message = f"Disposition recorded: {forms.DISPOSITION_LABELS[form.disposition.data]}"
    if new_item is not None and later is not None:
        message += f"; it is now on the agenda of the {forms.meeting_label(later)}"
    return saved(meeting.id, item_id, f"{message}.", f"item-{item_id}")


@bp.post("/console/votes/<int:vote_id>/corrections")
def console_correction(vote_id: int) -> Page:
    """Correct one member's recorded vote, keeping the old value and the reason."""
    vote = db.get_or_404(Vote, vote_id)
    item = vote.motion.agenda_item
    meeting = item.section.meeting
    form = forms.correction_form(vote, member_names(seated_members(meeting)))
    key, anchor = f"fix{vote_id}", f"motion-{vote.motion_id}"
    if closed := _closed(meeting, reviewing=True):
        return refused(meeting.id, item.id, "meeting", closed)
    if not form.validate():
        return refused(meeting.id, item.id, key, **{key: form})
    try:
        correct_ballot(
            vote, form.member.data, new_value=form.value.data, why=form.why.data or "",
            reason=form.reason.data or None, actor=current_user,
        )  # fmt: skip
    except VoteRefused as refusal:
        return refused(meeting.id, item.id, key, refusal, **{key: form})
    return saved(meeting.id, item.id, f"Vote corrected: {vote.explanation}.", anchor)


def _item_id() -> int | None:
    return request.form.get("item", type=int)


def _closed(meeting: Meeting, *, reviewing: bool = False) -> VoteRefused | None:
    refusal = recording_refusal(meeting.status, correcting=reviewing)
    return VoteRefused(refusal) if refusal else None


def _record_rows(meeting: Meeting, rows: list[forms.AttendanceRow]) -> None:
    for row in rows:
        if row.errors:
            continue
        try:
            record_attendance(
                meeting, row.person_id, status=AttendanceStatus(row.status),
                arrived_at=row.arrived_at, left_at=row.left_at, actor=current_user,
            )  # fmt: skip
        except VoteRefused as refusal:
            row.errors.extend(refusal.messages)
