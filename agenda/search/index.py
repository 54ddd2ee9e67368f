"""Keep the search index in step with the record, in the same transaction as each write.

The app's session reports every flush (SQLAlchemy's `after_flush`): whatever meetings,
sections, items, attachments, minutes and matters changed are noted, and just before the
transaction commits (`before_commit`) the entries of each affected meeting or matter are
rebuilt from the tables. A write and its index update commit together or not at all;
writes that bypass the ORM (bulk loads) are followed by `flask search reindex`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from agenda.bodies.models import Body
from agenda.db import utcnow
from agenda.documents.models import Attachment, Blob
from agenda.documents.text import extract_text
from agenda.matters.models import Matter, MatterSponsor
from agenda.matters.rules import STATUS_NAMES, TYPE_NAMES
from agenda.meetings.display import label_of, meeting_name
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.minutes.models import Minutes, MinutesRevision
from agenda.minutes.rules import MinutesStatus
from agenda.search.models import SearchEntry
from agenda.search.rules import SearchKind, clean_text, plain_markdown
from agenda.timefmt import format_date, local_date

MARKS = "search_marks"
entries = SearchEntry.__table__


def connect() -> None:
    """Listen to every session's flushes and commits (connecting again is harmless)."""
    for name, handler in (
        ("after_flush", _note_changes),
        ("before_commit", _update_before_commit),
        ("after_soft_rollback", _forget_on_rollback),
    ):
        if not sa.event.contains(Session, name, handler):
            sa.event.listen(Session, name, handler)


def _is_changed(session: Session, obj: Any, *names: str) -> bool:
    """Tell whether a flushed object is new, deleted, or has new values (of `names` if given)."""
    if obj in session.new or obj in session.deleted:
        return True
    if not names:
        return session.is_modified(obj, include_collections=False)
    state = sa.inspect(obj)
    return any(state.attrs[n].history.has_changes() for n in names)


def _note_changes(session: Session, _context: Any) -> None:
    marks: set[tuple[str, Any]] = session.info.setdefault(MARKS, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Body):
            if _is_changed(session, obj, "name"):
                marks.add(("body", obj.id))
        elif isinstance(obj, Blob):
            if _is_changed(session, obj, "text"):
                marks.add(("blob", obj.sha256))
        elif _is_changed(session, obj):
            marks.update(_marks_of(obj, is_deleted=obj in session.deleted))


def _marks_of(obj: Any, *, is_deleted: bool) -> set[tuple[str, Any]]:
    """Return what to rebuild for a changed record (a deleted row's entries go by cascade)."""
    if isinstance(obj, Meeting):
        return {("meeting", obj.id)}
    if isinstance(obj, AgendaSection | Minutes):
        return {("meeting", obj.meeting_id)}
    if isinstance(obj, MinutesRevision):
        return {("minutes", obj.minutes_id)}
    if isinstance(obj, Matter):
        return {("matter", obj.id)}
    if isinstance(obj, MatterSponsor):
        return {("matter", obj.matter_id)}
    if is_deleted:
        return set()
    if isinstance(obj, AgendaItem):
        return {("item", obj.id)}
    if isinstance(obj, Attachment):
        return {("item", obj.agenda_item_id), ("matter", obj.matter_id)}
    return set()


def _update_before_commit(session: Session) -> None:
    if not session.info.get(MARKS):
        return
    session.flush()
    marks = session.info.pop(MARKS, set())
    meeting_ids, matter_ids = _units(session, marks)
    for meeting_id in sorted(meeting_ids):
        sync_meeting(session, meeting_id)
    for matter_id in sorted(matter_ids):
        sync_matter(session, matter_id)


def _forget_on_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:
        session.info.pop(MARKS, None)


def _ids(session: Session, query: sa.Select[Any]) -> set[int]:
    return {i for i in session.execute(query).scalars() if i is not None}


def _units(session: Session, marks: set[tuple[str, Any]]) -> tuple[set[int], set[int]]:
    """Resolve what changed into the meetings and matters whose entries to rebuild."""
    by_kind: dict[str, set[Any]] = {}
    for kind, value in marks:
        if value is not None:
            by_kind.setdefault(kind, set()).add(value)
    meetings = set(by_kind.get("meeting", ()))
    matters = set(by_kind.get("matter", ()))
    if items := by_kind.get("item"):
        meetings |= _ids(
            session,
            sa.select(AgendaSection.meeting_id)
            .join(AgendaItem, AgendaItem.section_id == AgendaSection.id)
            .where(AgendaItem.id.in_(items)),
        )
    if minutes := by_kind.get("minutes"):
        meetings |= _ids(session, sa.select(Minutes.meeting_id).where(Minutes.id.in_(minutes)))
    if blobs := by_kind.get("blob"):
        meetings |= _ids(
            session,
            sa.select(AgendaSection.meeting_id)
            .join(AgendaItem, AgendaItem.section_id == AgendaSection.id)
            .join(Attachment, Attachment.agenda_item_id == AgendaItem.id)
            .where(Attachment.sha256.in_(blobs)),
        )
        matters |= _ids(
            session, sa.select(Attachment.matter_id).where(Attachment.sha256.in_(blobs))
        )
    if bodies := by_kind.get("body"):
        meetings |= _ids(session, sa.select(Meeting.id).where(Meeting.body_id.in_(bodies)))
        matters |= _ids(session, sa.select(Matter.id).where(Matter.body_id.in_(bodies)))
    return meetings, matters


def _entry(kind: SearchKind, key: str, **fields: Any) -> dict[str, Any]:
    fields["title"] = clean_text(fields["title"], 1000)
    fields["context"] = clean_text(fields.get("context", ""), 500)
    fields["content"] = clean_text(fields.get("content", ""))
    row = {
        "key": f"{kind.value}:{key}",
        "kind": kind,
        "meeting_id": None,
        "matter_id": None,
        "agenda_item_id": None,
        "attachment_id": None,
        "day": None,
        **fields,
    }
    shown = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}
    row["fingerprint"] = hashlib.sha256(
        json.dumps(shown, sort_keys=True, default=str).encode()
    ).hexdigest()
    return row


def _attachment_path(attachment: Attachment) -> str:
    return f"/attachments/{attachment.id}/{quote(attachment.filename)}"


def meeting_entries(meeting: Meeting, minutes: MinutesRevision | None) -> list[dict[str, Any]]:
    """Return the index entries of a meeting: itself, its items, their documents, its minutes."""
    day = local_date(meeting.scheduled_at, meeting.timezone)
    when = format_date(meeting.scheduled_at, meeting.timezone)
    name = f"{meeting_name(meeting)}, {when}"
    where = f"{meeting.body.name}, {name}"
    common = {"body_id": meeting.body_id, "meeting_id": meeting.id, "year": day.year, "day": day}
    rows = [
        _entry(
            SearchKind.MEETING,
            str(meeting.id),
            title=name,
            context=meeting.body.name,
            path=f"/meetings/{meeting.id}",
            content="\n".join(
                [meeting.body.name, meeting.location, *(s.title for s in meeting.sections)]
            ),
            **common,
        )
    ]
    for section in meeting.sections:
        for item in section.items:
            label = label_of(item)
            rows.append(
                _entry(
                    SearchKind.ITEM,
                    str(item.id),
                    title=label,
                    context=where,
                    path=f"/meetings/{meeting.id}#item-{item.id}",
                    content="\n".join([item.description, item.matter.title if item.matter else ""]),
                    agenda_item_id=item.id,
                    **common,
                )
            )
            rows.extend(
                _entry(
                    SearchKind.DOCUMENT,
                    str(a.id),
                    title=a.title,
                    context=f"{label} ({where})",
                    path=_attachment_path(a),
                    content=a.blob.text or "",
                    agenda_item_id=item.id,
                    attachment_id=a.id,
                    **common,
                )
                for a in item.attachments
            )
    if minutes is not None:
        notes = [minutes.meeting_notes, *(str(v) for v in (minutes.item_notes or {}).values())]
        notes = [plain_markdown(n) for n in notes]
        rows.append(
            _entry(
                SearchKind.MINUTES,
                str(meeting.id),
                title=f"Minutes of the {name[0].lower()}{name[1:]}",
                context=meeting.body.name,
                path=f"/meetings/{meeting.id}/minutes",
                content="\n".join(notes),
                **common,
            )
        )
    return rows


def matter_entries(matter: Matter) -> list[dict[str, Any]]:
    """Return the index entries of a matter: itself and its documents."""
    sponsors = ", ".join(s.person.name for s in matter.sponsors)
    year = 2000 + matter.year
    common = {"body_id": matter.body_id, "matter_id": matter.id, "year": year}
    heading = f"{matter.file_number}: {matter.title}"
    kind = TYPE_NAMES[matter.matter_type]
    rows = [
        _entry(
            SearchKind.MATTER,
            str(matter.id),
            title=heading,
            context=f"{kind}, {STATUS_NAMES[matter.status].lower()}"
            + (f"; sponsored by {sponsors}" if sponsors else ""),
            path=f"/matters/{matter.id}",
            content="\n".join([kind, sponsors, plain_markdown(matter.text)]),
            **common,
        )
    ]
    rows.extend(
        _entry(
            SearchKind.DOCUMENT,
            str(a.id),
            title=a.title,
            context=heading,
            path=_attachment_path(a),
            content=a.blob.text or "",
            attachment_id=a.id,
            **common,
        )
        for a in matter.attachments
    )
    return rows


def _attachments() -> Any:
    return selectinload(Attachment.blob).undefer(Blob.text)


def sync_meeting(session: Session, meeting_id: int) -> None:
    """Rebuild a meeting's entries from the tables (none if the meeting is gone)."""
    meeting = session.execute(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.body),
            selectinload(Meeting.sections)
            .selectinload(AgendaSection.items)
            .options(
                selectinload(AgendaItem.matter),
                selectinload(AgendaItem.attachments).options(_attachments()),
            ),
        )
    ).scalar_one_or_none()
    rows: list[dict[str, Any]] = []
    if meeting is not None:
        minutes = session.execute(
            sa.select(MinutesRevision)
            .join(Minutes, MinutesRevision.minutes_id == Minutes.id)
            .where(
                Minutes.meeting_id == meeting_id, MinutesRevision.status == MinutesStatus.APPROVED
            )
            .order_by(MinutesRevision.number.desc())
            .limit(1)
        ).scalar_one_or_none()
        rows = meeting_entries(meeting, minutes)
    _write(session, entries.c.meeting_id == meeting_id, rows)


def sync_matter(session: Session, matter_id: int) -> None:
    """Rebuild a matter's entries from the tables (none if the matter is gone)."""
    matter = session.execute(
        sa.select(Matter)
        .where(Matter.id == matter_id)
        .options(
            selectinload(Matter.sponsors).selectinload(MatterSponsor.person),
            selectinload(Matter.attachments).options(_attachments()),
        )
    ).scalar_one_or_none()
    _write(session, entries.c.matter_id == matter_id, matter_entries(matter) if matter else [])


def _write(session: Session, owned: sa.ColumnElement[bool], rows: list[dict[str, Any]]) -> None:
    """Make the entries matching `owned` be `rows`: delete, update and insert what differs."""
    old = {
        key: (entry_id, fingerprint)
        for entry_id, key, fingerprint in session.execute(
            sa.select(entries.c.id, entries.c.key, entries.c.fingerprint).where(owned)
        )
    }
    new = {row["key"]: row for row in rows}
    gone = [entry_id for key, (entry_id, _) in old.items() if key not in new]
    if gone:
        session.execute(sa.delete(entries).where(entries.c.id.in_(gone)))
    now = utcnow()
    for key, row in new.items():
        if key not in old:
            session.execute(sa.insert(entries).values(**row, updated_at=now))
        elif old[key][1] != row["fingerprint"]:
            session.execute(
                sa.update(entries).where(entries.c.id == old[key][0]).values(**row, updated_at=now)
            )


def rebuild(
    session: Session, progress: Callable[[str, int, int], None] | None = None
) -> tuple[int, int]:
    """Read missing attachment text, then rebuild every entry; return (texts read, entries).

    `progress(stage, done, total)` is told how far each stage has come.
    """
    session.flush()
    # Every entry is rebuilt below: what earlier flushes noted needs no second pass at commit.
    session.info.pop(MARKS, None)
    from_pdf = _read_missing_text(session, progress)
    meeting_ids = list(session.execute(sa.select(Meeting.id).order_by(Meeting.id)).scalars())
    matter_ids = list(session.execute(sa.select(Matter.id).order_by(Matter.id)).scalars())
    total = len(meeting_ids) + len(matter_ids)
    for done, meeting_id in enumerate(meeting_ids, 1):
        sync_meeting(session, meeting_id)
        _tell(progress, "records", done, total)
        _release(session, done)
    for done, matter_id in enumerate(matter_ids, len(meeting_ids) + 1):
        sync_matter(session, matter_id)
        _tell(progress, "records", done, total)
        _release(session, done)
    count = session.execute(sa.select(sa.func.count()).select_from(entries)).scalar_one()
    return from_pdf, count


def _read_missing_text(session: Session, progress: Callable[..., None] | None) -> int:
    digests = list(
        session.execute(
            sa.select(Blob.sha256)
            .where(Blob.text.is_(None), Blob.sha256.in_(sa.select(Attachment.sha256)))
            .order_by(Blob.sha256)
        ).scalars()
    )
    for done, digest in enumerate(digests, 1):
        data = session.execute(sa.select(Blob.data).where(Blob.sha256 == digest)).scalar_one()
        session.execute(
            sa.update(Blob).where(Blob.sha256 == digest).values(text=extract_text(data))
        )
        _tell(progress, "documents", done, len(digests))
    return len(digests)


def _tell(
    progress: Callable[[str, int, int], None] | None, stage: str, done: int, total: int
) -> None:
    if progress is not None:
        progress(stage, done, total)


def _release(session: Session, done: int) -> None:
    # A city's 20 years do not stay in memory: loaded records are let go as the rebuild goes.
    if done % 50 == 0:
        session.expunge_all()
