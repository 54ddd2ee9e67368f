"""The live console: call to order, attendance, motions, roll calls, dispositions, corrections."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, request, url_for
from flask_login import current_user

from agenda.bodies.queries import member_names
from agenda.db import utcnow
from agenda.errors import Refused
from agenda.extensions import db
from agenda.meetings.display import DISPOSITION_LABELS, meeting_time_label, number_of
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.queries import editable_later_meetings, seated_on_meeting_date
from agenda.meetings.session import call_to_order, reopen
from agenda.text import plural
from agenda.votes import forms, rules
from agenda.votes.attendance import submitted_attendance
from agenda.votes.consent import move_consent, pull_from_consent
from agenda.votes.console import Answer, noted, place_messages, render
from agenda.votes.endings import end_motion
from agenda.votes.models import Motion, Vote
from agenda.votes.operations import (
    VoteRefused,
    present_members,
    record_unanimous_consent,
)
from agenda.votes.outcomes import adjourn_meeting, correct_ballot
from agenda.votes.queries import remaining
from agenda.votes.recording import (
    closed_refusal,
    dispose_item,
    follow_vote,
    put_motion,
    save_attendance,
    take_roll_call,
)
from agenda.web import Page, Saved, answer

bp = Blueprint("votes", __name__)


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
        here = save_attendance(meeting, rows, actor=current_user)
        message = f"Attendance saved: {here} of {len(rows)} present."
        return Saved(message, back(meeting_id, _item_id(), "attendance"))

    return answer(run, lambda _: render(meeting_id, _item_id(), answer=Answer(attendance=rows)))


@bp.post("/console/items/<int:item_id>/motions")
def motion(item_id: int) -> Page:
    """Put a moved and seconded motion on the item before the body."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting = item.section.meeting
    seated, present = seated_on_meeting_date(meeting), present_members(meeting, utcnow())
    defaults = (meeting.body.default_thresholds or {}).values()
    form = forms.motion_form(
        seated, present, item.motions, editable_later_meetings(meeting),
        body_thresholds=[c for c in defaults if isinstance(c, str)],
    )  # fmt: skip
    if closed := _closed(meeting):
        return answer(_refuse(closed), noted(meeting.id, item_id, "meeting"))

    def run() -> Saved:
        # The same form records a motion nobody seconded: it dies for lack of a second.
        moved = put_motion(
            item, kind=form.kind.data, text=form.text.data or "", mover_id=form.mover.data,
            seconder_id=form.seconder.data, threshold=form.threshold.data,
            parent_id=form.parent.data, continued_to_id=form.continued_to.data,
            died=bool(request.form.get("died")), actor=current_user,
        )  # fmt: skip
        message = f"Motion {moved.position} moved and seconded; take the roll call."
        if moved.ending is not None:
            message = f"Motion {moved.position} died for lack of a second."
        return Saved(message, back(meeting.id, item_id, f"motion-{moved.id}"))

    return answer(run, noted(meeting.id, item_id, "new-motion", motion=form), form=form)


@bp.post("/console/sections/<int:section_id>/consent")
def consent(section_id: int) -> Page:
    """Move to approve the consent agenda: one motion for every item left on it."""
    section = db.get_or_404(AgendaSection, section_id)
    meeting, item_id = section.meeting, _item_id()
    seated, present = seated_on_meeting_date(meeting), present_members(meeting, utcnow())
    form = forms.consent_form(seated, present)
    if closed := _closed(meeting):
        return answer(_refuse(closed), noted(meeting.id, item_id, "meeting"))

    def run() -> Saved:
        moved = move_consent(
            section, mover_id=form.mover.data, seconder_id=form.seconder.data, actor=current_user
        )
        covered = plural(len(moved.consent_items), "item")
        message = f"Consent agenda moved and seconded ({covered}); take the roll call."
        return Saved(message, back(meeting.id, item_id, f"motion-{moved.id}"))

    return answer(run, noted(meeting.id, item_id, "consent", consent=form), form=form)


@bp.post("/console/sections/<int:section_id>/pull")
def pull(section_id: int) -> Page:
    """Pull an item from the consent agenda, to be taken up on its own."""
    section = db.get_or_404(AgendaSection, section_id)
    meeting, item_id = section.meeting, _item_id()
    left = [(i.id, f"{number_of(i)} {i.title}") for i in remaining(section)]
    form = forms.pull_form(left)
    if closed := _closed(meeting):
        return answer(_refuse(closed), noted(meeting.id, item_id, "meeting"))

    def run() -> Saved:
        item = db.session.get(AgendaItem, form.item.data)
        if item is None or item.section_id != section.id:
            raise VoteRefused("Choose an item on this consent agenda.", field="item")
        pull_from_consent(item, note=form.note.data or "", actor=current_user)
        message = f"Item {number_of(item)} pulled from the consent agenda; take it up on its own."
        return Saved(message, back(meeting.id, item.id, f"item-{item.id}"))

    return answer(run, noted(meeting.id, item_id, "consent", pull=form), form=form)


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
        dispose = request.form.get("dispose") == "y"
        vote, followed = take_roll_call(
            motion, entry.ballots, dispose=dispose, actor=current_user, problems=entry.problems
        )
        message = f"Roll call recorded: {vote.explanation}.{followed}"
        return Saved(message, back(meeting.id, item.id, f"motion-{motion_id}"))

    def again(refusal: Refused | None) -> str:
        if refusal is None or refusal.status == 409:
            return noted(meeting.id, item.id, f"motion-{motion_id}")(refusal)
        place_messages(entry, refusal.messages, names)
        return render(meeting.id, item.id, answer=Answer(roll_calls={motion_id: entry}))

    return answer(run, again)


@bp.post("/console/motions/<int:motion_id>/unanimous-consent")
def unanimous_consent(motion_id: int) -> Page:
    """Record a motion carried without objection, every member present counted yes."""
    motion = db.get_or_404(Motion, motion_id)
    item = motion.agenda_item
    meeting = item.section.meeting
    if closed := _closed(meeting):
        return answer(_refuse(closed), noted(meeting.id, item.id, "meeting"))

    def run() -> Saved:
        vote = record_unanimous_consent(motion, actor=current_user)
        followed = follow_vote(vote, dispose=request.form.get("dispose") == "y", actor=current_user)
        message = f"Carried without objection: {vote.explanation}.{followed}"
        return Saved(message, back(meeting.id, item.id, f"motion-{motion_id}"))

    return answer(run, noted(meeting.id, item.id, f"motion-{motion_id}"))


@bp.post("/console/motions/<int:motion_id>/end")
def end(motion_id: int) -> Page:
    """Record a motion withdrawn by its mover or voided by the clerk, with the reason."""
    motion = db.get_or_404(Motion, motion_id)
    item = motion.agenda_item
    meeting = item.section.meeting
    key = f"end{motion_id}"
    form = forms.EndMotionForm(prefix=key)
    if closed := _closed(meeting):
        return answer(_refuse(closed), noted(meeting.id, item.id, "meeting"))

    def run() -> Saved:
        ending = form.ending.data
        end_motion(motion, ending, reason=form.reason.data or "", actor=current_user)
        message = f"Motion {motion.position} {rules.ENDING_WORDS[ending]}."
        return Saved(message, back(meeting.id, item.id, f"motion-{motion_id}"))

    return answer(run, noted(meeting.id, item.id, f"motion-{motion_id}", **{key: form}), form=form)


@bp.post("/console/items/<int:item_id>/disposition")
def disposition(item_id: int) -> Page:
    """Record how the item ended; a continued item joins the later meeting's agenda."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting = item.section.meeting
    form = forms.disposition_form(item.motions, editable_later_meetings(meeting))
    if closed := _closed(meeting, reviewing=True):
        return answer(_refuse(closed), noted(meeting.id, item_id, "meeting"))

    def run() -> Saved:
        new_item = dispose_item(
            item, form.disposition.data, continued_to_id=form.continued_to.data,
            motion_id=form.motion.data, actor=current_user,
        )  # fmt: skip
        message = f"Disposition recorded: {DISPOSITION_LABELS[form.disposition.data]}"
        if new_item is not None:
            later = new_item.section.meeting
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
            reason=form.reason.data or None, excused=form.excused.data, actor=current_user,
        )  # fmt: skip
        return Saved(f"Vote corrected: {vote.explanation}.", back(meeting.id, item.id, anchor))

    return answer(run, noted(meeting.id, item.id, key, **{key: form}), form=form)


def _item_id() -> int | None:
    return request.form.get("item", type=int)


def _closed(meeting: Meeting, *, reviewing: bool = False) -> Refused | None:
    return closed_refusal(meeting, correcting=reviewing)


def _refuse(refusal: Refused) -> Callable[[], Saved]:
    def run() -> Saved:
        raise refusal

    return run
