"""Read the public record in batches and hand it out as Open Civic Data objects.

Only what the public may see: meetings once notice is given (never drafts), the agenda a
pending amendment has not replaced yet, votes of meetings the public sees, legislation once it
is on a published agenda. Everything is read in keyset batches, so twenty years of a city's
ballots never sit in memory at once. Addresses are built with `url_for(..., _external=True)`:
the caller provides the request context (the bulk download's, or the command's base URL).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.orm import selectinload

from agenda.api import ocd, ocd_data
from agenda.auth.rules import PUBLIC
from agenda.bodies.models import Body, Jurisdiction, Membership, Person
from agenda.documents.models import Attachment
from agenda.extensions import db
from agenda.matters.models import Matter, MatterHistoryEvent, MatterSponsor
from agenda.matters.queries import visible_matter_ids
from agenda.matters.rules import ACTION_NAMES
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.queries import visible_to
from agenda.meetings.rules import item_number
from agenda.meetings.snapshot import published_agenda
from agenda.minutes.queries import approved_among
from agenda.votes.history import public_meeting
from agenda.votes.models import Ballot, Motion, Vote

KINDS = ("jurisdiction", "organization", "person", "membership", "event", "bill", "vote_event")
BATCH = 200


@dataclass(frozen=True)
class Scope:
    """What to export: every body, or one body's record."""

    body_id: int | None = None


def _body_is(column: Any, scope: Scope) -> sa.ColumnElement[bool]:
    return column == scope.body_id if scope.body_id is not None else sa.true()


def _meetings(scope: Scope) -> sa.ColumnElement[bool]:
    return sa.and_(visible_to(PUBLIC), _body_is(Meeting.body_id, scope))


def _matters(scope: Scope) -> sa.ColumnElement[bool]:
    return sa.and_(Matter.id.in_(visible_matter_ids(PUBLIC)), _body_is(Matter.body_id, scope))


def _people(scope: Scope) -> sa.ColumnElement[bool]:
    members = sa.select(Membership.person_id).where(_body_is(Membership.body_id, scope))
    sponsors = sa.select(MatterSponsor.person_id).join(Matter).where(_matters(scope))
    return sa.or_(Person.id.in_(members), Person.id.in_(sponsors))


def _votes(scope: Scope) -> sa.Select[Any]:
    return (
        sa.select(Vote.id)
        .join(Motion, Vote.motion_id == Motion.id)
        .join(AgendaItem, Motion.agenda_item_id == AgendaItem.id)
        .join(AgendaSection, AgendaItem.section_id == AgendaSection.id)
        .join(Meeting, AgendaSection.meeting_id == Meeting.id)
        .where(public_meeting(), _body_is(Meeting.body_id, scope))
    )


def ids() -> ocd.Ids:
    """Return the id maker of this install's jurisdiction."""
    found = _jurisdiction_row()
    name, address = (found.name, found.address) if found else (_site_name(), "")
    return ocd.Ids(ocd.jurisdiction_id(ocd.division_id(name, address)))


def _jurisdiction_row() -> Jurisdiction | None:
    return db.session.execute(sa.select(Jurisdiction).order_by(Jurisdiction.id)).scalars().first()


def _site_name() -> str:
    return str(current_app.config.get("SITE_NAME", "Agenda"))


def totals(scope: Scope) -> dict[str, int]:
    """Return how many objects of each kind an export writes (for progress bars)."""

    def count(query: sa.Select[Any]) -> int:
        return db.session.execute(
            sa.select(sa.func.count()).select_from(query.subquery())
        ).scalar_one()

    return {
        "jurisdiction": 1,
        "organization": count(sa.select(Body.id).where(_body_is(Body.id, scope))),
        "person": count(sa.select(Person.id).where(_people(scope))),
        "membership": count(sa.select(Membership.id).where(_body_is(Membership.body_id, scope))),
        "event": count(sa.select(Meeting.id).where(_meetings(scope))),
        "bill": count(sa.select(Matter.id).where(_matters(scope))),
        "vote_event": count(_votes(scope)),
    }


def objects(kind: str, scope: Scope, the_ids: ocd.Ids) -> Iterator[dict[str, Any]]:
    """Yield the OCD objects of one kind, in a stable order (by our ids)."""
    readers = {
        "jurisdiction": _jurisdictions, "organization": _organizations, "person": _persons,
        "membership": _memberships, "event": _events, "bill": _bills, "vote_event": _vote_events,
    }  # fmt: skip
    yield from readers[kind](scope, the_ids)


def _batches(query: sa.Select[Any], key: Any, size: int = BATCH) -> Iterator[list[Any]]:
    """Yield the rows of `query` in batches by increasing `key` (keyset pages)."""
    last: Any = None
    while True:
        page = query if last is None else query.where(key > last)
        rows = list(db.session.execute(page.order_by(key).limit(size)).scalars())
        if not rows:
            return
        yield rows
        last = rows[-1].id


def _jurisdictions(scope: Scope, the_ids: ocd.Ids) -> Iterator[dict[str, Any]]:
    found = _jurisdiction_row()
    sessions = sorted(
        {
            ocd.session_of(year, filed)
            for year, filed in db.session.execute(
                sa.select(Matter.year, Matter.created_at).where(_matters(scope))
            )
        }
    )
    data = ocd_data.JurisdictionData(
        name=found.name if found else _site_name(),
        url=(found.website if found and found.website else url_for("portal.home", _external=True)),
        timezone=found.timezone if found else "UTC",
        address=found.address if found else "",
        sessions=tuple(sessions),
    )
    yield ocd.jurisdiction(data, the_ids)


def _organizations(scope: Scope, the_ids: ocd.Ids) -> Iterator[dict[str, Any]]:
    for batch in _batches(sa.select(Body).where(_body_is(Body.id, scope)), Body.id):
        for body in batch:
            url = url_for("portal.body", body_id=body.id, _external=True)
            yield ocd.organization(
                ocd_data.BodyData(body.id, body.name, body.kind.value, body.seats, url), the_ids
            )


def _persons(scope: Scope, the_ids: ocd.Ids) -> Iterator[dict[str, Any]]:
    for batch in _batches(sa.select(Person).where(_people(scope)), Person.id):
        for found in batch:
            url = url_for("people.show", person_id=found.id, _external=True)
            yield ocd.person(ocd_data.PersonData(found.id, found.name, url), the_ids)


def _memberships(scope: Scope, the_ids: ocd.Ids) -> Iterator[dict[str, Any]]:
    query = (
        sa.select(Membership)
        .where(_body_is(Membership.body_id, scope))
        .options(selectinload(Membership.person))
    )
    for batch in _batches(query, Membership.id):
        for m in batch:
            yield ocd.membership(
                ocd_data.MembershipData(
                    m.id, m.person_id, m.person.name, m.body_id, m.title, m.seat, m.starts_on,
                    m.ends_on, m.start_reason.value, m.end_reason.value if m.end_reason else None,
                ),
                the_ids,
            )  # fmt: skip


def _attachment_link(attachment_id: int, title: str, filename: str) -> ocd_data.Link:
    url = url_for("portal.attachment", attachment_id=attachment_id, filename=filename,
                  _external=True)  # fmt: skip
    return ocd_data.Link(title, url)


def _events(scope: Scope, the_ids: ocd.Ids) -> Iterator[dict[str, Any]]:
    query = (
        sa.select(Meeting)
        .where(_meetings(scope))
        .options(
            selectinload(Meeting.body),
            selectinload(Meeting.revisions),
            selectinload(Meeting.sections)
            .selectinload(AgendaSection.items)
            .options(selectinload(AgendaItem.attachments), selectinload(AgendaItem.matter)),
        )
    )
    for batch in _batches(query, Meeting.id, size=100):
        approved = approved_among(frozenset(m.id for m in batch))
        votes = _item_votes([i.id for m in batch for s in m.sections for i in s.items])
        for meeting in batch:
            yield ocd.event(_event_data(meeting, meeting.id in approved, votes), the_ids)


def _item_votes(item_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Return each item's roll calls: (vote id, identifier), in the order of the motions."""
    found: dict[int, list[tuple[int, str]]] = {}
    if not item_ids:
        return found
    rows = db.session.execute(
        sa.select(Motion.agenda_item_id, Motion.position, Vote.id, AgendaSection.position,
                  AgendaItem.position)
        .join(Vote, Vote.motion_id == Motion.id)
        .join(AgendaItem, Motion.agenda_item_id == AgendaItem.id)
        .join(AgendaSection, AgendaItem.section_id == AgendaSection.id)
        .where(Motion.agenda_item_id.in_(item_ids))
        .order_by(Motion.agenda_item_id, Motion.position)
    )  # fmt: skip
    for item_id, motion, vote_id, section, position in rows:
        found.setdefault(item_id, []).append((vote_id, _identifier(section, position, motion)))
    return found


def _identifier(section: int, item: int, motion: int) -> str:
    return f"Item {item_number(section, item)}, motion {motion}"


def _event_data(
    meeting: Meeting, has_minutes: bool, votes: dict[int, list[tuple[int, str]]]
) -> ocd_data.EventData:
    pending = published_agenda(meeting)
    if pending is not None:  # the public still reads the agenda as last published
        items = tuple(
            ocd_data.ItemData(
                e.item.id, e.number, section.title, section.is_consent, e.item.title,
                e.item.description, e.item.matter.id if e.item.matter else None,
                e.item.matter.file_number if e.item.matter else None,
                attachments=tuple(_attachment_link(a.id, a.title, a.filename)
                                  for a in e.attachments),
            )
            for section, entries in pending.sections
            for e in entries
        )  # fmt: skip
    else:
        items = tuple(
            ocd_data.ItemData(
                i.id, item_number(s.position, i.position), s.title, s.is_consent, i.title,
                i.description, i.matter_id, i.matter.file_number if i.matter else None,
                i.disposition.value if i.disposition else None, tuple(votes.get(i.id, ())),
                tuple(_attachment_link(a.id, a.title, a.filename) for a in i.attachments),
            )
            for s in meeting.sections
            for i in s.items
        )  # fmt: skip
    return ocd_data.EventData(
        id=meeting.id, body_id=meeting.body_id, body_name=meeting.body.name,
        meeting_type=meeting.meeting_type.value, status=meeting.status.value,
        start=meeting.scheduled_at, timezone=meeting.timezone, location=meeting.location,
        url=url_for("portal.meeting", meeting_id=meeting.id, _external=True),
        end=meeting.adjourned_at, items=items, documents=_meeting_documents(meeting, has_minutes),
    )  # fmt: skip


def _meeting_documents(meeting: Meeting, has_minutes: bool) -> tuple[ocd_data.Link, ...]:
    newest = meeting.revisions[-1] if meeting.revisions else None
    wanted = [
        ("Agenda", "meetings.agenda_pdf", newest is not None and newest.agenda_sha256),
        ("Agenda packet", "meetings.packet_pdf", newest is not None and newest.packet_sha256),
        ("Minutes", "minutes.pdf", has_minutes),
    ]
    return tuple(
        ocd_data.Link(note, url_for(endpoint, meeting_id=meeting.id, _external=True))
        for note, endpoint, present in wanted
        if present
    )


def _bills(scope: Scope, the_ids: ocd.Ids) -> Iterator[dict[str, Any]]:
    query = (
        sa.select(Matter)
        .where(_matters(scope))
        .options(
            selectinload(Matter.body),
            selectinload(Matter.sponsors).selectinload(MatterSponsor.person),
            selectinload(Matter.history),
            selectinload(Matter.attachments),
        )
    )
    for batch in _batches(query, Matter.id):
        shown = _visible_meetings({e.meeting_id for m in batch for e in m.history})
        for matter in batch:
            yield ocd.bill(_bill_data(matter, shown), the_ids)


def _visible_meetings(meeting_ids: set[int | None]) -> set[int]:
    wanted = [i for i in meeting_ids if i is not None]
    if not wanted:
        return set()
    return set(
        db.session.execute(
            sa.select(Meeting.id).where(Meeting.id.in_(wanted), visible_to(PUBLIC))
        ).scalars()
    )


def _action(event: MatterHistoryEvent) -> ocd_data.ActionData:
    words = ACTION_NAMES[event.action]
    return ocd_data.ActionData(event.occurred_at, event.action.value,
                          f"{words}: {event.note}" if event.note else words)  # fmt: skip


def _bill_data(matter: Matter, shown: set[int]) -> ocd_data.BillData:
    attachments: list[Attachment] = list(matter.attachments)
    return ocd_data.BillData(
        id=matter.id, body_id=matter.body_id, identifier=matter.file_number,
        session=ocd.session_of(matter.year, matter.created_at), title=matter.title,
        matter_type=matter.matter_type.value, status=matter.status.value,
        timezone=matter.body.timezone,
        url=url_for("portal.matter", matter_id=matter.id, _external=True),
        sponsors=tuple(ocd_data.SponsorData(s.person_id, s.person.name, s.position == 1)
                       for s in matter.sponsors),
        actions=tuple(_action(e) for e in matter.history
                      if e.meeting_id is None or e.meeting_id in shown),
        documents=tuple(_attachment_link(a.id, a.title, a.filename) for a in attachments),
    )  # fmt: skip


def _vote_events(scope: Scope, the_ids: ocd.Ids) -> Iterator[dict[str, Any]]:
    columns = (
        Vote.id, Vote.result, Vote.recorded_at, Vote.method, Vote.explanation, Vote.required,
        Vote.yes_count, Vote.no_count, Motion.text, Motion.kind, Motion.position,
        AgendaItem.matter_id, AgendaSection.position, AgendaItem.position, Meeting.id,
        Meeting.body_id, Meeting.timezone,
    )  # fmt: skip
    last = 0
    while True:
        rows = db.session.execute(
            _votes(scope).with_only_columns(*columns).where(Vote.id > last)
            .order_by(Vote.id).limit(BATCH)
        ).all()  # fmt: skip
        if not rows:
            return
        ballots = _ballots([r[0] for r in rows])
        for (vote_id, result, at, method, explanation, required, yes, no, text, kind, position,
             matter_id, section, item, meeting_id, body_id, tz) in rows:  # fmt: skip
            yield ocd.vote_event(
                ocd_data.VoteData(
                    vote_id, body_id, _identifier(section, item, position), text, kind.value, at,
                    tz, result.value, url_for("portal.meeting", meeting_id=meeting_id,
                                              _external=True),
                    matter_id, f"{yes}-{no}", required, method.value, explanation,
                    tuple(ballots.get(vote_id, ())),
                ),
                the_ids,
            )  # fmt: skip
        last = rows[-1][0]


def _ballots(vote_ids: list[int]) -> dict[int, list[ocd_data.BallotData]]:
    found: dict[int, list[ocd_data.BallotData]] = {}
    rows = db.session.execute(
        sa.select(Ballot.vote_id, Ballot.person_id, Person.name, Ballot.value, Ballot.reason,
                  Ballot.is_excused)
        .join(Person, Ballot.person_id == Person.id)
        .where(Ballot.vote_id.in_(vote_ids))
        .order_by(Ballot.vote_id, Ballot.id)
    )  # fmt: skip
    for vote_id, person_id, name, value, reason, excused in rows:
        found.setdefault(vote_id, []).append(
            ocd_data.BallotData(person_id, name, value.value, reason, excused)
        )
    return found
