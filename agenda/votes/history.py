"""A member's public voting record: their ballots with motion and result, counts, attendance.

Only what the public may see: ballots of meetings whose notice was given and whose agenda
has no amendment pending (the public meeting page shows no votes then), never drafts.
Each read is one or two queries whatever the number of ballots, and each walks only what
it needs: a busy member of twenty years has tens of thousands of ballots.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from agenda.auth.rules import PUBLIC
from agenda.bodies.models import Body
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.meetings.models import AgendaItem, AgendaSection, Attendance, Meeting
from agenda.meetings.queries import visible_to
from agenda.meetings.rules import AttendanceStatus, MeetingStatus
from agenda.timefmt import local_date
from agenda.votes.history_rules import (
    BALLOTS_PER_PAGE,
    BallotFilters,
    BallotGroup,
    HeldMeeting,
    Share,
    TermSpan,
    attendance_share,
)
from agenda.votes.models import Ballot, Motion, Vote

# A meeting was held once it was called to order.
HELD_STATUSES = (MeetingStatus.IN_PROGRESS, MeetingStatus.ADJOURNED)


def public_meeting() -> sa.ColumnElement[bool]:
    """Return the WHERE clause for meetings whose votes the public sees."""
    return sa.and_(visible_to(PUBLIC), Meeting.amendment_notes == "")


def _year_clause(year: int, timezones: Iterable[str]) -> sa.ColumnElement[bool]:
    """Meetings held in `year` where they met: each time zone's local new years as UTC bounds."""
    spans = []
    for tz in sorted(set(timezones)) or ["UTC"]:
        zone = ZoneInfo(tz)
        start = datetime(year, 1, 1, tzinfo=zone).astimezone(UTC)
        end = datetime(year + 1, 1, 1, tzinfo=zone).astimezone(UTC) if year < 9999 else None
        bounds = [Meeting.timezone == tz, Meeting.scheduled_at >= start]
        if end is not None:
            bounds.append(Meeting.scheduled_at < end)
        spans.append(sa.and_(*bounds))
    return sa.or_(*spans)


def _joined() -> sa.Select:
    """Select from ballots joined to their vote, motion, item, section and meeting."""
    return (
        sa.select()
        .select_from(Ballot)
        .join(Vote, Ballot.vote_id == Vote.id)
        .join(Motion, Vote.motion_id == Motion.id)
        .join(AgendaItem, Motion.agenda_item_id == AgendaItem.id)
        .join(AgendaSection, AgendaItem.section_id == AgendaSection.id)
        .join(Meeting, AgendaSection.meeting_id == Meeting.id)
    )


def _narrowed(filters: BallotFilters, timezones: Iterable[str]) -> list[sa.ColumnElement[bool]]:
    """Return the meetings' conditions of the body and year filters (none without filters)."""
    where = []
    if filters.body_id is not None:
        where.append(Meeting.body_id == filters.body_id)
    if filters.year is not None:
        where.append(_year_clause(filters.year, timezones))
    return where


def _vote_ids(meetings: sa.ColumnElement[bool]) -> sa.Select:
    """Select the ids of the roll calls taken at the meetings `meetings` chooses.

    Each step is a list the next one looks up in its own index (meeting, section, item,
    motion), so the work follows those meetings' size, whatever the planner knows.
    """
    meeting_ids = sa.select(Meeting.id).where(meetings)
    section_ids = sa.select(AgendaSection.id).where(AgendaSection.meeting_id.in_(meeting_ids))
    item_ids = sa.select(AgendaItem.id).where(AgendaItem.section_id.in_(section_ids))
    motion_ids = sa.select(Motion.id).where(Motion.agenda_item_id.in_(item_ids))
    return sa.select(Vote.id).where(Vote.motion_id.in_(motion_ids))


def _public_ballots(
    person_id: int, filters: BallotFilters, timezones: Iterable[str]
) -> sa.ColumnElement[bool]:
    """Return the WHERE clause on Ballot for a member's public ballots, by body and year.

    Without those filters nearly every meeting is public: the member's ballots are read from
    their own index, less those of the few meetings the public does not see, instead of
    joining each ballot up to its meeting.
    """
    narrowed = _narrowed(filters, timezones)
    mine = Ballot.person_id == person_id
    if not narrowed:
        return sa.and_(mine, Ballot.vote_id.not_in(_vote_ids(sa.not_(public_meeting()))))
    return sa.and_(mine, Ballot.vote_id.in_(_vote_ids(sa.and_(public_meeting(), *narrowed))))


def ballot_groups(
    person_id: int, filters: BallotFilters, timezones: Iterable[str]
) -> list[BallotGroup]:
    """Count a member's public ballots by value, result and method (body and year filters)."""
    query = (
        sa.select(Ballot.value, Vote.result, Vote.method, sa.func.count())
        .join(Vote, Ballot.vote_id == Vote.id)
        .where(_public_ballots(person_id, filters, timezones))
        .group_by(Ballot.value, Vote.result, Vote.method)
    )
    rows = db.session.execute(query).all()
    return [BallotGroup(value, result, method, count) for value, result, method, count in rows]


ORDER = (
    Meeting.scheduled_at.desc(),
    Meeting.id.desc(),
    AgendaSection.position,
    AgendaItem.position,
    Motion.position,
)


def _rows(query: sa.Select) -> sa.Select:
    """Join what a listed ballot shows to the ballots `query` selects, in page order."""
    return (
        query.join(Body, Meeting.body_id == Body.id)
        .outerjoin(Matter, AgendaItem.matter_id == Matter.id)
        .add_columns(
            Ballot.value,
            Ballot.reason,
            Ballot.is_excused,
            Vote.result,
            Vote.method,
            Vote.yes_count,
            Vote.no_count,
            Vote.abstain_count,
            Vote.recused_count,
            Motion.id.label("motion_id"),
            Motion.kind.label("motion_kind"),
            Motion.text.label("motion_text"),
            AgendaItem.id.label("item_id"),
            AgendaItem.title.label("item_title"),
            Matter.id.label("matter_id"),
            Matter.file_number,
            Meeting.id.label("meeting_id"),
            Meeting.scheduled_at,
            Meeting.timezone,
            Meeting.meeting_type,
            Body.id.label("body_id"),
            Body.name.label("body_name"),
        )
        .order_by(*ORDER)
    )


def ballot_page(
    person_id: int, filters: BallotFilters, timezones: Iterable[str]
) -> Sequence[sa.Row]:
    """Return one page of a member's public ballots, newest meeting first, agenda order within.

    Two queries: the page's roll calls are found walking the meetings newest first, down
    their agendas, to the hundred the member voted on (a member may have tens of thousands
    of ballots; the first pages read only the latest meetings); then those hundred ballots
    are joined to their texts.
    """
    voted = sa.exists().where(Ballot.vote_id == Vote.id, Ballot.person_id == person_id)
    if filters.value is not None:
        voted = voted.where(Ballot.value == filters.value)
    page = (
        sa.select(Vote.id)
        .select_from(Meeting)
        .join(AgendaSection, AgendaSection.meeting_id == Meeting.id)
        .join(AgendaItem, AgendaItem.section_id == AgendaSection.id)
        .join(Motion, Motion.agenda_item_id == AgendaItem.id)
        .join(Vote, Vote.motion_id == Motion.id)
        .where(public_meeting(), *_narrowed(filters, timezones), voted)
        .order_by(*ORDER)
        .limit(BALLOTS_PER_PAGE)
        .offset((filters.page - 1) * BALLOTS_PER_PAGE)
    )
    vote_ids = list(db.session.execute(page).scalars())
    if not vote_ids:
        return []
    shown = _joined().where(Ballot.person_id == person_id, Ballot.vote_id.in_(vote_ids))
    return db.session.execute(_rows(shown)).all()


def all_ballots(
    person_id: int, filters: BallotFilters, timezones: Iterable[str]
) -> Iterator[sa.Row]:
    """Yield every public ballot of a member matching the filters (all pages), in page order."""
    query = _joined().where(_public_ballots(person_id, filters, timezones))
    if filters.value is not None:
        query = query.where(Ballot.value == filters.value)
    result = db.session.execute(_rows(query).execution_options(yield_per=1000))
    yield from result


def attendance_during(person_id: int, terms: Sequence[TermSpan]) -> Share:
    """Return the public meetings a member attended out of those held during their terms.

    Held: called to order, with attendance taken.
    """
    if not terms:
        return Share(0, 0)
    # A day either side in UTC; the rule keeps the meetings whose local date is in a term.
    earliest = min(t.starts_on for t in terms) - timedelta(days=1)
    open_ended = any(t.ends_on is None for t in terms)
    query = sa.select(
        Meeting.body_id,
        Meeting.scheduled_at,
        Meeting.timezone,
        sa.select(Attendance.id)
        .where(
            Attendance.meeting_id == Meeting.id,
            Attendance.person_id == person_id,
            Attendance.status == AttendanceStatus.PRESENT,
        )
        .exists()
        .label("is_present"),
    ).where(
        Meeting.body_id.in_({t.body_id for t in terms}),
        Meeting.status.in_(HELD_STATUSES),
        # A meeting whose attendance the clerk never took says nothing about anyone's.
        sa.select(Attendance.id).where(Attendance.meeting_id == Meeting.id).exists(),
        visible_to(PUBLIC),
        Meeting.scheduled_at >= datetime.combine(earliest, datetime.min.time(), UTC),
    )
    if not open_ended:
        latest = max(t.ends_on for t in terms if t.ends_on is not None) + timedelta(days=2)
        query = query.where(
            Meeting.scheduled_at < datetime.combine(latest, datetime.min.time(), UTC)
        )
    meetings = (
        HeldMeeting(body_id, local_date(at, tz), bool(present))
        for body_id, at, tz, present in db.session.execute(query)
    )
    return attendance_share(meetings, terms)
