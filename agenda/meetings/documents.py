"""A meeting's printed documents: the agenda PDF and the bookmarked packet."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from agenda.audit.head import Head
from agenda.bodies.queries import notice_statements
from agenda.documents.models import Attachment, Blob
from agenda.documents.packet import PacketEntry, PacketResult, merge_packet
from agenda.documents.prepared import ahead
from agenda.documents.printing import render_template_pdf
from agenda.extensions import db
from agenda.meetings.display import document_title
from agenda.meetings.models import AgendaItem, AgendaRevision, AgendaSection, Meeting
from agenda.meetings.rules import item_number
from agenda.timefmt import format_date


@dataclass(frozen=True)
class NumberedItem:
    number: str
    item: AgendaItem

    @property
    def attachments(self) -> list[Attachment]:
        """The item's own documents, then its matter's, in packet order."""
        matter_docs = self.item.matter.attachments if self.item.matter else []
        return [*self.item.attachments, *matter_docs]

    @property
    def heading(self) -> str:
        matter = self.item.matter
        prefix = f"{matter.file_number}: " if matter else ""
        return f"{self.number} {prefix}{self.item.title}"


def numbered_items(section: AgendaSection) -> list[NumberedItem]:
    """Return a section's items with their computed numbers."""
    return [NumberedItem(item_number(section.position, i.position), i) for i in section.items]


def render_agenda_pdf(
    meeting: Meeting, revision: AgendaRevision | None, *, record_head: Head | None = None
) -> bytes:
    """Render the agenda as published in `revision`, or as a DRAFT when there is none.

    A published agenda prints `record_head`, the audit chain's head when it was published.
    `revision` may be one about to be published, not stored yet (see `publishing.prepare`).
    """
    known = list(meeting.revisions)
    if revision is not None and revision not in known:
        known.append(revision)
    revisions = [r for r in known if revision and r.number <= revision.number]
    return render_template_pdf(
        "agenda.html",
        meeting=meeting,
        title=document_title(meeting, "agenda"),
        is_draft=revision is None,
        revisions=revisions,
        sections=[(s, numbered_items(s)) for s in meeting.sections],
        statements=notice_statements(meeting.body),
        record_head=record_head,
    )


def build_packet(meeting: Meeting, agenda_pdf: bytes) -> PacketResult:
    """Merge the agenda and every item's attachments, in agenda order, into the packet.

    Merged once per request for the same agenda and documents (see `documents.prepared`).
    """
    entries = [
        (numbered.heading, numbered.attachments)
        for section in meeting.sections
        for numbered in numbered_items(section)
        if numbered.attachments
    ]
    day = format_date(meeting.scheduled_at, meeting.timezone)
    stamp = f"{meeting.body.name}, {meeting.meeting_type.value} meeting of {day}"
    title = document_title(meeting, "packet")

    def merge() -> PacketResult:
        wanted = {a.sha256 for _, docs in entries for a in docs}
        data = dict(
            db.session.execute(
                sa.select(Blob.sha256, Blob.data).where(Blob.sha256.in_(wanted))
            ).all()
        )
        return merge_packet(
            agenda_pdf,
            [
                PacketEntry(heading, [(a.title, data[a.sha256]) for a in docs])
                for heading, docs in entries
            ],
            stamp=stamp,
            title=title,
        )

    inputs = [agenda_pdf, stamp, title]
    for heading, docs in entries:
        inputs += [heading, *(part for a in docs for part in (a.title, a.sha256))]
    return ahead("packet", inputs, merge)
