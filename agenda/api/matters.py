"""Legislation to read: the list with filters, and one matter with its history and votes."""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from pydantic import Field
from sqlalchemy.orm import selectinload

from agenda.api import core
from agenda.api.convert import matter_detail, matter_out
from agenda.api.filters import ListQuery, after, draft_bodies, page
from agenda.api.schemas import MatterDetail, MatterOut, Page
from agenda.auth.rules import Viewer
from agenda.extensions import db
from agenda.matters.models import Matter, MatterSponsor
from agenda.matters.queries import matter_is_visible, matter_page, visible_matter_ids
from agenda.matters.rules import MatterStatus, MatterType
from agenda.votes.queries import motions_loader


class MattersQuery(ListQuery):
    body: Optional[int] = Field(None, ge=1, description="Only this body's (its id).")
    classification: Optional[MatterType] = Field(
        None, description="resolution, ordinance, proclamation or report."
    )
    status: Optional[MatterStatus] = Field(
        None, description="filed, on_agenda, adopted, failed, withdrawn (draft with a token)."
    )
    sponsor: Optional[int] = Field(None, ge=1, description="Only those this person sponsors.")


def visible_matters(viewer: Viewer) -> sa.ColumnElement[bool]:
    """Select the matters a viewer sees: on a visible agenda, or drafts of their bodies."""
    return sa.or_(Matter.id.in_(visible_matter_ids(viewer)), draft_bodies(viewer, Matter.body_id))


@core.read("/matters", response=Page[MatterOut], tag="matters", query=MattersQuery)
def matters(query: MattersQuery) -> Page[MatterOut]:
    """List legislation (OCD bills), oldest first.

    Filter by body, type, status, sponsor, or by what changed since a time; follow `next`
    for the following page. A matter appears once it is on a published agenda; drafts only
    to a token of their body.
    """
    where = [visible_matters(core.viewer()), after((Matter.created_at, Matter.id), query.cursor)]
    if query.body is not None:
        where.append(Matter.body_id == query.body)
    if query.classification is not None:
        where.append(Matter.matter_type == query.classification)
    if query.status is not None:
        where.append(Matter.status == query.status)
    if query.sponsor is not None:
        sponsored = sa.select(MatterSponsor.matter_id).where(
            MatterSponsor.person_id == query.sponsor
        )
        where.append(Matter.id.in_(sponsored))
    if query.updated_since is not None:
        where.append(Matter.updated_at >= query.updated_since)
    rows = db.session.execute(
        sa.select(Matter)
        .where(*where)
        .options(selectinload(Matter.sponsors).selectinload(MatterSponsor.person))
        .order_by(Matter.created_at, Matter.id)
        .limit(query.limit + 1)
    ).scalars()
    shown, following = page(list(rows), query.limit, lambda m: (m.created_at, m.id))
    return Page[MatterOut](results=[matter_out(m) for m in shown], next=following)


@core.read("/matters/<int:matter_id>", response=MatterDetail, tag="matters")
def matter(matter_id: int) -> MatterDetail:
    """Read one matter: its text, sponsors, documents, history (OCD actions) and every vote on it.

    History and votes at meetings the reader may not see are left out.
    """
    viewer = core.viewer()
    # Invisible and missing matters answer alike, so nobody can probe for drafts.
    found = (
        matter_page(matter_id, viewer, item_options=[motions_loader(ballot_people=True)])
        if matter_is_visible(matter_id, viewer)
        else None
    )
    if found is None:
        raise core.not_found()
    votes = sorted(
        (m.vote for a in found.appearances for m in a.item.motions if m.vote is not None),
        key=lambda v: (v.recorded_at, v.id),
    )
    return matter_detail(found.matter, votes, history=[row.event for row in found.history])
