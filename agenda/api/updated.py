"""Keep each meeting's and matter's `updated_at`: when anything of it last changed.

The API's `updated_since` filters read it, so a script that mirrors the record fetches only
what changed. Every flush notes the changed rows (an agenda item, an attendance record, a
motion, a vote or one ballot, a minutes revision, a sponsor, an attachment...); just before
the transaction commits, the meetings and matters they belong to are stamped in one UPDATE
each, in the same transaction as the change.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from agenda.db import utcnow
from agenda.documents.models import Attachment
from agenda.matters.models import Matter, MatterHistoryEvent, MatterSponsor
from agenda.meetings.models import AgendaItem, AgendaRevision, AgendaSection, Attendance, Meeting
from agenda.minutes.models import Disclosure, Minutes, MinutesRevision
from agenda.votes.models import Ballot, BallotCorrection, Motion, Vote

MARKS = "updated_marks"
_ITEM_MEETING = sa.select(AgendaSection.meeting_id).join(
    AgendaItem, AgendaItem.section_id == AgendaSection.id
)
_MOTION_MEETING = _ITEM_MEETING.join(Motion, Motion.agenda_item_id == AgendaItem.id)
_VOTE_MEETING = _MOTION_MEETING.join(Vote, Vote.motion_id == Motion.id)
# How a changed row's id leads to its meeting: (kind, query of meeting ids, its id column).
_MEETING_OF = {
    "item": (_ITEM_MEETING, AgendaItem.id),
    "motion": (_MOTION_MEETING, Motion.id),
    "vote": (_VOTE_MEETING, Vote.id),
    "ballot": (_VOTE_MEETING.join(Ballot, Ballot.vote_id == Vote.id), Ballot.id),
    "minutes": (sa.select(Minutes.meeting_id), Minutes.id),
}


def connect() -> None:
    """Listen to every session's flushes and commits (connecting again is harmless)."""
    for name, handler in (
        ("after_flush", _note),
        ("before_commit", _stamp),
        ("after_soft_rollback", _forget),
    ):
        if not sa.event.contains(Session, name, handler):
            sa.event.listen(Session, name, handler)


def marks_of(obj: Any) -> set[tuple[str, int | None]]:
    """Return what a changed row belongs to: ("meeting", id), ("matter", id) or a link on."""
    match obj:
        case Meeting():
            return {("meeting", obj.id)}
        case AgendaSection() | Attendance() | AgendaRevision() | Minutes() | Disclosure():
            return {("meeting", obj.meeting_id)}
        case AgendaItem():
            return {("item", obj.id), ("matter", obj.matter_id)}
        case Motion():
            return {("item", obj.agenda_item_id)}
        case Vote():
            return {("motion", obj.motion_id)}
        case Ballot():
            return {("vote", obj.vote_id)}
        case BallotCorrection():
            return {("ballot", obj.ballot_id)}
        case MinutesRevision():
            return {("minutes", obj.minutes_id)}
        case Matter():
            return {("matter", obj.id)}
        case MatterSponsor() | MatterHistoryEvent():
            return {("matter", obj.matter_id)}
        case Attachment():
            return {("item", obj.agenda_item_id), ("matter", obj.matter_id)}
    return set()


def _note(session: Session, _context: Any) -> None:
    marks: set[tuple[str, int | None]] = session.info.setdefault(MARKS, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        marks.update(marks_of(obj))


def _stamp(session: Session) -> None:
    if not session.info.get(MARKS):
        return
    session.flush()
    marks = session.info.pop(MARKS, set())
    by_kind: dict[str, set[int]] = {}
    for kind, ident in marks:
        if ident is not None:
            by_kind.setdefault(kind, set()).add(ident)
    meetings = by_kind.get("meeting", set())
    for kind, (query, column) in _MEETING_OF.items():
        if ids := by_kind.get(kind):
            meetings |= set(session.execute(query.where(column.in_(ids))).scalars())
    now = utcnow()
    if meetings:
        session.execute(
            sa.update(Meeting).where(Meeting.id.in_(sorted(meetings))).values(updated_at=now),
            execution_options={"synchronize_session": False},
        )
    if matters := by_kind.get("matter"):
        session.execute(
            sa.update(Matter).where(Matter.id.in_(sorted(matters))).values(updated_at=now),
            execution_options={"synchronize_session": False},
        )
    session.info.pop(MARKS, None)  # the stamps' own flush noted nothing new to stamp


def _forget(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:
        session.info.pop(MARKS, None)
