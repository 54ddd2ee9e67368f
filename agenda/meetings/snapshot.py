"""The agenda as published in a revision: stored with it, read back while an amendment is pending.

A published agenda changed by the clerk collects a pending amendment; until the clerk
publishes it, the public sees the newest revision's snapshot instead of the live tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from agenda.extensions import db
from agenda.meetings.documents import numbered_items
from agenda.meetings.models import AgendaRevision, Meeting
from agenda.meetings.rules import Disposition, MeetingType

SNAPSHOT_VERSION = 1


def agenda_snapshot(meeting: Meeting) -> dict[str, Any]:
    """Return the meeting's details and agenda as plain JSON: what a revision publishes."""
    return {
        "version": SNAPSHOT_VERSION,
        "meeting_type": meeting.meeting_type.value,
        "scheduled_at": meeting.scheduled_at.isoformat(),
        "location": meeting.location,
        "sections": [
            {
                "position": section.position,
                "title": section.title,
                "is_consent": section.is_consent,
                "items": [
                    {
                        "id": n.item.id,
                        "number": n.number,
                        "title": n.item.title,
                        "description": n.item.description,
                        "matter_id": n.item.matter_id,
                        "file_number": n.item.matter.file_number if n.item.matter else None,
                        "minutes_of_ids": [m.id for m in n.item.minutes_of],
                        "is_quasi_judicial": n.item.is_quasi_judicial,
                        "attachments": [
                            {
                                "id": a.id,
                                "title": a.title,
                                "filename": a.filename,
                                "sha256": a.sha256,
                                "page_count": a.page_count,
                            }
                            for a in n.attachments
                        ],
                    }
                    for n in numbered_items(section)
                ],
            }
            for section in meeting.sections
        ],
    }


def has_pending_amendment(meeting: Meeting) -> bool:
    """Tell whether the meeting has agenda changes the public does not see yet."""
    return bool(meeting.amendment_notes)


def pending_changes(meeting: Meeting) -> list[str]:
    """Return the pending amendment's change notes, oldest first."""
    return [line for line in meeting.amendment_notes.splitlines() if line]


def placements_of(snapshot: dict[str, Any] | None) -> set[tuple[int, int]]:
    """Return the (item id, matter id) pairs a snapshot's agenda carries."""
    if snapshot is None:
        return set()
    return {
        (item["id"], item["matter_id"])
        for section in snapshot["sections"]
        for item in section["items"]
        if item["matter_id"] is not None
    }


def attachment_ids_of(snapshot: dict[str, Any]) -> set[int]:
    """Return the ids of the documents a snapshot's agenda lists."""
    return {
        a["id"]
        for section in snapshot["sections"]
        for i in section["items"]
        for a in i["attachments"]
    }


def attachment_digests_of(snapshot: dict[str, Any]) -> set[str]:
    """Return the SHA-256 digests of the documents a snapshot's agenda lists."""
    return {
        a["sha256"]
        for section in snapshot["sections"]
        for i in section["items"]
        for a in i["attachments"]
    }


@dataclass(frozen=True)
class PublishedMatter:
    id: int
    file_number: str


@dataclass(frozen=True)
class PublishedAttachment:
    id: int
    title: str
    filename: str
    sha256: str
    page_count: int


@dataclass(frozen=True)
class PublishedItem:
    """An item as published; shaped like an AgendaItem for the public page."""

    id: int
    title: str
    description: str
    matter: PublishedMatter | None
    minutes_of: list[Meeting]
    is_quasi_judicial: bool = False
    # A published meeting that has not started has no motions or outcomes yet.
    motions: tuple[()] = ()
    disposition: Disposition | None = None


@dataclass(frozen=True)
class PublishedEntry:
    number: str
    item: PublishedItem
    attachments: list[PublishedAttachment] = field(default_factory=list)


@dataclass(frozen=True)
class PublishedSection:
    position: int
    title: str
    is_consent: bool


@dataclass(frozen=True)
class PublishedAgenda:
    """The newest revision's agenda, for the public while an amendment is pending."""

    meeting_type: MeetingType
    scheduled_at: datetime
    location: str
    sections: list[tuple[PublishedSection, list[PublishedEntry]]]


def newest_snapshot(meeting: Meeting) -> dict[str, Any] | None:
    """Return the newest revision's snapshot, or None (no revision, or an older release's)."""
    return meeting.revisions[-1].snapshot if meeting.revisions else None


def published_agenda(meeting: Meeting) -> PublishedAgenda | None:
    """Return what the public sees instead of the live agenda, or None to show the live one.

    Only while an amendment is pending and the newest revision has its snapshot.
    """
    snapshot = newest_snapshot(meeting) if has_pending_amendment(meeting) else None
    if snapshot is None:
        return None
    wanted = {m for s in snapshot["sections"] for i in s["items"] for m in i["minutes_of_ids"]}
    earlier = (
        {
            m.id: m
            for m in db.session.execute(sa.select(Meeting).where(Meeting.id.in_(wanted))).scalars()
        }
        if wanted
        else {}
    )
    return PublishedAgenda(
        meeting_type=MeetingType(snapshot["meeting_type"]),
        scheduled_at=datetime.fromisoformat(snapshot["scheduled_at"]),
        location=snapshot["location"],
        sections=[
            (
                PublishedSection(s["position"], s["title"], s["is_consent"]),
                [_entry(i, earlier) for i in s["items"]],
            )
            for s in snapshot["sections"]
        ],
    )


def pending_snapshots(meeting_ids: sa.Select[tuple[int]]) -> list[dict[str, Any]]:
    """Return the newest snapshots of those meetings that have an amendment pending."""
    newest = (
        sa.select(sa.func.max(AgendaRevision.id))
        .join(Meeting, AgendaRevision.meeting_id == Meeting.id)
        .where(Meeting.id.in_(meeting_ids), Meeting.amendment_notes != "")
        .group_by(AgendaRevision.meeting_id)
    )
    return [
        s
        for s in db.session.execute(
            sa.select(AgendaRevision.snapshot).where(AgendaRevision.id.in_(newest))
        ).scalars()
        if s is not None
    ]


def _entry(item: dict[str, Any], earlier: dict[int, Meeting]) -> PublishedEntry:
    matter = (
        PublishedMatter(item["matter_id"], item["file_number"])
        if item["matter_id"] is not None
        else None
    )
    minutes_of = [earlier[m] for m in item["minutes_of_ids"] if m in earlier]
    return PublishedEntry(
        number=item["number"],
        item=PublishedItem(
            item["id"],
            item["title"],
            item["description"],
            matter,
            minutes_of,
            # Snapshots stored before quasi-judicial items existed have no such key.
            is_quasi_judicial=item.get("is_quasi_judicial", False),
        ),
        attachments=[PublishedAttachment(**a) for a in item["attachments"]],
    )
