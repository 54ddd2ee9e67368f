"""Florida conflict disclosures (Form 8B): the clerk's list, filing the memorandum, reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from agenda.audit.operations import record_event
from agenda.db import utcnow
from agenda.documents.operations import checked_upload, safe_filename, store_blob
from agenda.errors import Refused
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.rules import item_number
from agenda.minutes.models import Disclosure
from agenda.minutes.rules import is_overdue
from agenda.timefmt import local_date
from agenda.votes.models import Ballot, Motion, Vote
from agenda.votes.rules import AbstentionPolicy, BallotValue

if TYPE_CHECKING:
    from agenda.auth.models import User

DISCLOSURE_DAYS = timedelta(days=15)


class DisclosureError(Refused):
    """A disclosure action the record does not allow."""


@dataclass(frozen=True)
class DisclosureRow:
    """A disclosure with the meeting and agenda item of the vote it was declared on."""

    disclosure: Disclosure
    meeting: Meeting
    item: AgendaItem
    number: str
    is_overdue: bool


def _rows_query() -> sa.Select[tuple[Disclosure, Meeting, AgendaItem, int]]:
    return (
        sa.select(Disclosure, Meeting, AgendaItem, AgendaSection.position)
        .join(Meeting, Meeting.id == Disclosure.meeting_id)
        .join(Ballot, Ballot.id == Disclosure.ballot_id)
        .join(Vote, Vote.id == Ballot.vote_id)
        .join(Motion, Motion.id == Vote.motion_id)
        .join(AgendaItem, AgendaItem.id == Motion.agenda_item_id)
        .join(AgendaSection, AgendaSection.id == AgendaItem.section_id)
        .options(selectinload(Disclosure.person), selectinload(Meeting.body))
    )


def disclosure_rows(now: datetime, meeting_id: int | None = None) -> list[DisclosureRow]:
    """Return disclosures: overdue first (oldest due first), then open by due date, then filed.

    A disclosure is overdue when its due date is before today in its meeting's time zone.
    """
    query = _rows_query()
    if meeting_id is not None:
        query = query.where(Disclosure.meeting_id == meeting_id)
    rows = []
    for disclosure, meeting, item, section_position in db.session.execute(query).all():
        today = local_date(now, meeting.timezone)
        filed = disclosure.filed_at is not None
        late = is_overdue(disclosure.due_on, is_filed=filed, today=today)
        number = item_number(section_position, item.position)
        rows.append(DisclosureRow(disclosure, meeting, item, number, late))

    def order(row: DisclosureRow) -> tuple[int, int, int]:
        group = 0 if row.is_overdue else 2 if row.disclosure.filed_at else 1
        due = row.disclosure.due_on.toordinal()
        return group, -due if group == 2 else due, row.disclosure.id

    return sorted(rows, key=order)


def disclosures_for(meeting_id: int) -> list[Disclosure]:
    """Return a meeting's disclosures in agenda order, each with its member loaded."""
    query = (
        _rows_query()
        .where(Disclosure.meeting_id == meeting_id)
        .order_by(AgendaSection.position, AgendaItem.position, Motion.position, Disclosure.id)
    )
    return [row[0] for row in db.session.execute(query).all()]


def filed_memorandum(digest: str) -> Disclosure | None:
    """Return the filed disclosure whose memorandum PDF has this digest, if any."""
    return db.session.execute(
        sa.select(Disclosure).where(Disclosure.memorandum_sha256 == digest).limit(1)
    ).scalar_one_or_none()


def file_memorandum(
    disclosure: Disclosure,
    data: bytes,
    *,
    filename: str,
    actor: User | None,
    at: datetime | None = None,
) -> Disclosure:
    """Check the memorandum is a readable PDF, store it and mark the disclosure filed.

    Raises InvalidPdf (nothing stored) when the content is not an open PDF, and
    DisclosureError when a memorandum is already filed: it stays in the record as filed.
    """
    if disclosure.filed_at is not None:
        raise DisclosureError(
            "A memorandum is already filed for this disclosure; it stays in the record as filed."
        )
    blob = store_blob(checked_upload(data).data, "application/pdf")
    disclosure.filed_at = at or utcnow()
    disclosure.memorandum_sha256 = blob.sha256
    disclosure.memorandum_filename = safe_filename(filename or "memorandum.pdf")
    db.session.flush()
    record_event(
        "disclosure.file",
        disclosure,
        actor=actor,
        details={
            "meeting_id": disclosure.meeting_id,
            "person_id": disclosure.person_id,
            "sha256": blob.sha256,
            "filename": disclosure.memorandum_filename,
        },
    )
    return disclosure


def open_disclosures(vote: Vote, meeting: Meeting) -> None:
    """Open a Form 8B disclosure, due in 15 days, for each recusal under the Florida policy.

    Fla. Stat. 112.3143(3)(a): the member files the memorandum within 15 days of the vote.
    """
    if meeting.body.abstention_policy is not AbstentionPolicy.CONFLICT_ONLY:
        return
    local_day = local_date(vote.recorded_at, meeting.timezone)
    ids = [b.id for b in vote.ballots]
    disclosed = set(
        db.session.execute(sa.select(Disclosure.ballot_id).where(Disclosure.ballot_id.in_(ids)))
        .scalars()
        .all()
    )
    for ballot in vote.ballots:
        if ballot.value is BallotValue.RECUSED and ballot.id not in disclosed:
            db.session.add(
                Disclosure(
                    ballot_id=ballot.id,
                    meeting_id=meeting.id,
                    person_id=ballot.person_id,
                    conflict=ballot.reason or "",
                    due_on=local_day + DISCLOSURE_DAYS,
                )
            )
    db.session.flush()
