"""The public list of legislation: filters, a page at a time, in four queries whatever its size.

Queries: the page (with its total), the sponsors of its rows, each row's latest action, and
the people who can be chosen as sponsor in the filter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from agenda.auth.rules import Viewer
from agenda.bodies.models import Person
from agenda.extensions import db
from agenda.matters.models import Matter, MatterHistoryEvent, MatterSponsor
from agenda.matters.queries import visible_matter_ids
from agenda.matters.rules import (
    ACTION_NAMES,
    STATUS_NAMES,
    TYPE_NAMES,
    MatterStatus,
    MatterType,
)
from agenda.meetings.models import Meeting
from agenda.meetings.queries import visible_to
from agenda.paging import PER_PAGE, Paging, choice, page_number, paging, whole_number

EARLIEST_YEAR = 1900
LATEST_YEAR = 2199
MAX_ID = 2**31 - 1


@dataclass(frozen=True, slots=True)
class MatterFilters:
    """What the visitor asked of the list: type, status, year filed, a sponsor, and a page."""

    matter_type: MatterType | None = None
    status: MatterStatus | None = None
    year: int | None = None
    sponsor_id: int | None = None
    page: int = 1

    def args(self) -> dict[str, str | int]:
        """Return the filters as address arguments (without the page), for links."""
        found: dict[str, str | int] = {}
        if self.matter_type is not None:
            found["type"] = self.matter_type.value
        if self.status is not None:
            found["status"] = self.status.value
        if self.year is not None:
            found["year"] = self.year
        if self.sponsor_id is not None:
            found["sponsor"] = self.sponsor_id
        return found


def read_filters(args: Mapping[str, str]) -> MatterFilters:
    """Read the list's filters from an address; a value no filter takes raises BadValue."""
    return MatterFilters(
        matter_type=choice(args.get("type"), "type", TYPE_NAMES),
        status=choice(args.get("status"), "status", STATUS_NAMES),
        year=whole_number(args.get("year"), "year", EARLIEST_YEAR, LATEST_YEAR),
        sponsor_id=whole_number(args.get("sponsor"), "sponsor", 1, MAX_ID),
        page=page_number(args.get("page")),
    )


@dataclass(frozen=True, slots=True)
class LatestAction:
    """A matter's newest action the viewer may see, and the meeting it happened at."""

    label: str
    occurred_at: datetime
    meeting: Meeting | None


@dataclass(frozen=True, slots=True)
class MatterRow:
    matter: Matter
    type_name: str
    status_name: str
    sponsors: list[str]
    latest: LatestAction | None


@dataclass(frozen=True, slots=True)
class MatterList:
    rows: list[MatterRow]
    paging: Paging
    sponsors: list[Person]


def visible_matters(viewer: Viewer) -> sa.ColumnElement[bool]:
    """Return the WHERE clause for matters a viewer may see (the rule of `matter_is_visible`)."""
    if viewer.is_staff:
        return sa.true()
    on_agenda = Matter.id.in_(visible_matter_ids(viewer))
    if viewer.body_ids:
        return sa.or_(on_agenda, Matter.body_id.in_(viewer.body_ids))
    return on_agenda


def matter_list(viewer: Viewer, filters: MatterFilters) -> MatterList:
    """Return one page of visible legislation, newest first; a page past the end raises BadValue."""
    visible = visible_matters(viewer)
    where = [visible, *_filters(filters)]
    found = db.session.execute(
        sa.select(Matter, sa.func.count().over().label("total"))
        .where(*where)
        .options(
            joinedload(Matter.body),
            selectinload(Matter.sponsors).joinedload(MatterSponsor.person),
        )
        .order_by(Matter.created_at.desc(), Matter.id.desc())
        .limit(PER_PAGE)
        .offset((filters.page - 1) * PER_PAGE)
    ).all()
    if found:
        total = found[0][1]
    elif filters.page > 1:  # past the end: count, to say how many pages there are
        total = db.session.execute(sa.select(sa.func.count(Matter.id)).where(*where)).scalar_one()
    else:
        total = 0
    page = paging(filters.page, total, noun="matters")
    matters = [row[0] for row in found]
    latest = _latest_actions([m.id for m in matters], viewer)
    rows = [
        MatterRow(
            matter=m,
            type_name=TYPE_NAMES[m.matter_type],
            status_name=STATUS_NAMES[m.status],
            sponsors=[s.person.name for s in m.sponsors],
            latest=latest.get(m.id),
        )
        for m in matters
    ]
    return MatterList(rows, page, _sponsors(visible))


def _filters(filters: MatterFilters) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if filters.matter_type is not None:
        where.append(Matter.matter_type == filters.matter_type)
    if filters.status is not None:
        where.append(Matter.status == filters.status)
    if filters.year is not None:
        # The file number holds the local year of filing in two digits; the filing time,
        # a day either side in UTC, tells the century.
        where += [
            Matter.year == filters.year % 100,
            Matter.created_at >= datetime(filters.year - 1, 12, 31, tzinfo=UTC),
            Matter.created_at < datetime(filters.year + 1, 1, 2, tzinfo=UTC),
        ]
    if filters.sponsor_id is not None:
        where.append(
            sa.select(MatterSponsor.matter_id)
            .where(
                MatterSponsor.matter_id == Matter.id,
                MatterSponsor.person_id == filters.sponsor_id,
            )
            .exists()
        )
    return where


def _latest_actions(matter_ids: list[int], viewer: Viewer) -> dict[int, LatestAction]:
    if not matter_ids:
        return {}
    # The newest action per matter, leaving out those at meetings the viewer may not see.
    newest = sa.func.row_number().over(
        partition_by=MatterHistoryEvent.matter_id,
        order_by=(MatterHistoryEvent.occurred_at.desc(), MatterHistoryEvent.id.desc()),
    )
    ranked = (
        sa.select(MatterHistoryEvent.id, newest.label("rank"))
        .outerjoin(Meeting, MatterHistoryEvent.meeting_id == Meeting.id)
        .where(
            MatterHistoryEvent.matter_id.in_(matter_ids),
            sa.or_(MatterHistoryEvent.meeting_id.is_(None), visible_to(viewer)),
        )
        .subquery()
    )
    found = db.session.execute(
        sa.select(MatterHistoryEvent, Meeting)
        .join(ranked, ranked.c.id == MatterHistoryEvent.id)
        .outerjoin(Meeting, MatterHistoryEvent.meeting_id == Meeting.id)
        .where(ranked.c.rank == 1)
        .options(joinedload(Meeting.body))
    ).all()
    return {
        event.matter_id: LatestAction(ACTION_NAMES[event.action], event.occurred_at, meeting)
        for event, meeting in found
    }


def _sponsors(visible: sa.ColumnElement[bool]) -> list[Person]:
    sponsoring = sa.select(MatterSponsor.person_id).join(
        Matter, MatterSponsor.matter_id == Matter.id
    )
    query: Any = sa.select(Person).where(Person.id.in_(sponsoring.where(visible)))
    return list(db.session.execute(query.order_by(Person.name, Person.id)).scalars())
