"""The live console page: its read with explicit eager loading, and the answers after an action."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from agenda.bodies.models import Membership
from agenda.clerk import console_forms as forms
from agenda.db import utcnow
from agenda.extensions import db
from agenda.meetings.documents import NumberedItem, numbered_items
from agenda.meetings.models import AgendaItem, AgendaSection, Attendance, Meeting
from agenda.meetings.rules import MeetingStatus, is_agenda_editable, utc_to_local
from agenda.votes import rules
from agenda.votes.models import Ballot, Motion, Vote
from agenda.votes.operations import (
    VoteRefused,
    present_members,
    seated_members,
    votes_are_frozen,
    voting_rules,
)
from agenda.votes.queries import corrections_by_vote

OPEN_STATUSES = frozenset({MeetingStatus.PUBLISHED, MeetingStatus.IN_PROGRESS})


@dataclass(frozen=True)
class MotionNode:
    """A motion with the motions moved on it (amendments, substitutes, reconsiderations)."""

    motion: Motion
    children: list[MotionNode]


@dataclass
class Answer:
    """What the page says after a refused action: messages per block, bound forms and grids."""

    notes: dict[str, list[str]] = field(default_factory=dict)
    attendance: list[forms.AttendanceRow] | None = None
    roll_calls: dict[int, forms.RollCallEntry] = field(default_factory=dict)
    bound: dict[str, FlaskForm] = field(default_factory=dict)


def load_meeting(meeting_id: int) -> Meeting | None:
    """Return a meeting with its agenda, motions, votes and ballots in a fixed number of queries."""
    motions = selectinload(AgendaItem.motions).options(
        selectinload(Motion.mover),
        selectinload(Motion.seconder),
        selectinload(Motion.vote).selectinload(Vote.ballots).selectinload(Ballot.person),
    )
    return db.session.execute(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.body),
            selectinload(Meeting.attendance),
            selectinload(Meeting.sections)
            .selectinload(AgendaSection.items)
            .options(selectinload(AgendaItem.matter), motions),
        )
    ).scalar_one_or_none()


def later_meetings(meeting: Meeting) -> list[Meeting]:
    """Return the body's meetings after this one, soonest first."""
    return list(
        db.session.execute(
            sa.select(Meeting)
            .where(Meeting.body_id == meeting.body_id, Meeting.scheduled_at > meeting.scheduled_at)
            .order_by(Meeting.scheduled_at)
        ).scalars()
    )


def editable_later(meeting: Meeting) -> list[Meeting]:
    """Return the later meetings whose agenda can still take a continued item."""
    return [m for m in later_meetings(meeting) if is_agenda_editable(m.status)]


def attendance_rows(
    seated: Iterable[Membership], records: Iterable[Attendance], tz: str
) -> list[forms.AttendanceRow]:
    """Return the attendance form's rows filled from the recorded attendance."""
    by_person = {a.person_id: a for a in records}
    rows = []
    for member in seated:
        record = by_person.get(member.person_id)
        row = forms.AttendanceRow(member.person_id, f"{member.title} {member.person.name}")
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


def _hhmm(instant: datetime | None, tz: str) -> str:
    return f"{utc_to_local(instant, tz)[1]:%H:%M}" if instant is not None else ""


def motion_tree(motions: Sequence[Motion]) -> list[MotionNode]:
    """Nest each motion under the motion it was moved on, keeping the order they were moved."""
    nodes = {m.id: MotionNode(m, []) for m in motions}
    roots = []
    for motion in motions:
        parent = nodes.get(motion.parent_id) if motion.parent_id is not None else None
        (parent.children if parent else roots).append(nodes[motion.id])
    return roots


def current_item(items: list[NumberedItem], item_id: int | None) -> NumberedItem | None:
    """Return the chosen item, else the first one still undecided, else the first one."""
    chosen = next((n for n in items if n.item.id == item_id), None)
    undecided = next((n for n in items if n.item.disposition is None), None)
    return chosen or undecided or (items[0] if items else None)


def threshold_hint(item: AgendaItem) -> str:
    """Say which threshold each kind of motion gets by default on this item."""
    groups: dict[rules.Threshold, list[str]] = {}
    for kind in rules.MotionKind:
        default = rules.default_threshold(kind, is_legislation=item.matter_id is not None)
        groups.setdefault(default, []).append(kind.value)
    parts = [f"{rules.threshold_label(t).lower()} for {', '.join(k)}" for t, k in groups.items()]
    return "Leave it on the default: " + "; ".join(parts) + "."


def console_page(
    meeting_id: int,
    item_id: int | None = None,
    status: int = 200,
    *,
    answer: Answer | None = None,
    prefill_yes: bool = False,
) -> tuple[str, int]:
    """Render the live console of a meeting on one agenda item."""
    answer = answer or Answer()
    meeting = load_meeting(meeting_id)
    if meeting is None:
        abort(404)
    seated = seated_members(meeting)
    names = member_names(seated)
    present = present_members(meeting, utcnow()) & set(names)
    items = [n for s in meeting.sections for n in numbered_items(s)]
    current = current_item(items, item_id)
    later = later_meetings(meeting)
    motions = list(current.item.motions) if current else []
    blank: dict[str, Any] = {}
    if current:
        editable = [m for m in later if is_agenda_editable(m.status)]
        blank["motion"] = forms.motion_form(seated, present, motions, editable, formdata=None)
        blank["disposition"] = forms.disposition_form(motions, editable, formdata=None)
        for m in motions:
            if m.vote is not None:
                blank[f"fix{m.vote.id}"] = forms.correction_form(m.vote, names, formdata=None)
    page_forms = {**blank, **answer.bound}
    roll_calls = {
        m.id: answer.roll_calls.get(m.id)
        or (all_yes(present) if prefill_yes else forms.RollCallEntry())
        for m in motions
        if m.vote is None
    }
    attendance = answer.attendance or attendance_rows(seated, meeting.attendance, meeting.timezone)
    return render_template(
        "clerk/console/page.html",
        meeting=meeting,
        is_open=meeting.status in OPEN_STATUSES,
        in_session=meeting.status is MeetingStatus.IN_PROGRESS,
        in_review=meeting.status is MeetingStatus.ADJOURNED and not votes_are_frozen(meeting.id),
        seated=seated,
        names=names,
        present=present,
        quorum=rules.quorum_required(voting_rules(meeting.body)),
        attendance=attendance,
        items=items,
        current=current,
        motions_by_id={m.id: m for m in motions},
        tree=motion_tree(motions),
        corrections=corrections_by_vote([current.item.id]) if current else {},
        meetings_by_id={m.id: m for m in later},
        forms=page_forms,
        roll_calls=roll_calls,
        notes=answer.notes,
        errors=summary(answer, page_forms),
        threshold_hint=threshold_hint(current.item) if current else "",
        kind_labels=forms.KIND_LABELS,
        disposition_labels=forms.DISPOSITION_LABELS,
        cast_values=forms.CAST_VALUES,
        meeting_label=forms.meeting_label,
        threshold_label=rules.threshold_label,
    ), status


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


def saved(meeting_id: int, item_id: int | None, message: str, anchor: str) -> Response:
    """Commit, say what was recorded, and go back to the console at the change."""
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("clerk.console", meeting_id=meeting_id, item=item_id, _anchor=anchor))


def refused(
    meeting_id: int,
    item_id: int | None,
    block: str,
    refusal: VoteRefused | None = None,
    *,
    status: int = 400,
    answer: Answer | None = None,
    **bound: FlaskForm,
) -> tuple[str, int]:
    """Undo everything, then show the console again with the refusal beside its form."""
    db.session.rollback()
    answer = answer or Answer()
    answer.bound.update(bound)
    if refusal is not None:
        answer.notes.setdefault(block, []).extend(refusal.messages)
    return console_page(meeting_id, item_id, status, answer=answer)


def member_names(seated: Iterable[Membership]) -> dict[int, str]:
    """Return the names the rules use for members: 'Commissioner Sam Kaufman'."""
    return {m.person_id: f"{m.title} {m.person.name}" for m in seated}
