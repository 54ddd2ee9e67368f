"""From the record's rows to the API's answers: pure mapping, no queries of its own.

Every function reads only what its caller loaded (the routes load it in a fixed number of
queries); addresses are absolute. A document's address is given only where the public site
serves it to anyone: null while it does not exist or is not public.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from flask import url_for

from agenda.api import ocd
from agenda.api.schemas import (
    ActionOut,
    AttachmentOut,
    AttendanceOut,
    BallotOut,
    Count,
    DocumentLinks,
    ItemOut,
    MatterDetail,
    MatterOut,
    MeetingDetail,
    MeetingOut,
    MinutesOut,
    MotionOut,
    SponsorOut,
    VoteEventOut,
    VoteOption,
)
from agenda.matters.rules import ACTION_NAMES
from agenda.meetings.rules import is_public, item_number
from agenda.minutes.rules import MinutesStatus
from agenda.votes.rules import MotionResult

if TYPE_CHECKING:
    from agenda.documents.models import Attachment
    from agenda.matters.models import Matter, MatterHistoryEvent
    from agenda.meetings.models import AgendaItem, Attendance, Meeting
    from agenda.meetings.snapshot import PublishedAgenda, PublishedEntry, PublishedSection
    from agenda.minutes.models import MinutesRevision
    from agenda.votes.models import Ballot, Motion, Vote

RESULTS = {MotionResult.PASSED: "pass", MotionResult.FAILED: "fail"}


def api_url(path: str) -> str:
    """Return the absolute address of an API resource, such as 'meetings/2'."""
    return url_for("api.root", _external=True) + path


def _site(endpoint: str, **values: object) -> str:
    return url_for(endpoint, _external=True, **values)


# ---------------------------------------------------------------------------------------------
# Votes


def option_of(ballot: Ballot) -> VoteOption:
    """Return a ballot's OCD option, by the export's one rule (`ocd.option_of`)."""
    return VoteOption(ocd.option_of(ballot.value.value, ballot.is_excused))


def ballot_out(ballot: Ballot) -> BallotOut:
    """Map one member's ballot (its person loaded)."""
    return BallotOut(
        option=option_of(ballot),
        value=ballot.value.value,
        voter_id=ballot.person_id,
        voter_name=ballot.person.name,
        note=ballot.reason or "",
    )


def counts_of(ballots: Iterable[Ballot]) -> list[Count]:
    """Count the ballots by OCD option: every option, zeros included, in VoteOption order."""
    seen = Counter(option_of(b) for b in ballots)
    return [Count(option=option, value=seen[option]) for option in VoteOption]


def vote_event(vote: Vote) -> VoteEventOut:
    """Map a roll call with its ballots (loaded: motion, its item and section, ballots' people)."""
    motion = vote.motion
    ballots = sorted(vote.ballots, key=lambda b: b.id)
    return VoteEventOut(
        id=vote.id,
        motion_id=motion.id,
        motion_text=motion.text,
        identifier=f"Motion {motion.position}",
        result=RESULTS[vote.result],
        tally=f"{vote.yes_count}-{vote.no_count}",
        required=vote.required,
        method=vote.method.value,
        explanation=vote.explanation,
        recorded_at=vote.recorded_at,
        counts=counts_of(ballots),
        votes=[ballot_out(b) for b in ballots],
        html_url=_site(
            "portal.meeting",
            meeting_id=motion.agenda_item.section.meeting_id,
            _anchor=f"item-{motion.agenda_item_id}",
        ),
    )


def motion_out(motion: Motion) -> MotionOut:
    """Map a motion with its mover, seconder and roll call (if any)."""
    return MotionOut(
        id=motion.id,
        position=motion.position,
        kind=motion.kind.value,
        text=motion.text,
        mover_id=motion.mover_id,
        mover_name=motion.mover.name if motion.mover is not None else None,
        seconder_id=motion.seconder_id,
        seconder_name=motion.seconder.name if motion.seconder is not None else None,
        threshold=motion.threshold,
        ending=motion.ending.value if motion.ending is not None else None,
        votes=[vote_event(motion.vote)] if motion.vote is not None else [],
    )


# ---------------------------------------------------------------------------------------------
# Agenda


def attachment_out(att: Attachment) -> AttachmentOut:
    """Map a document of an item or a matter; its address is the portal's download."""
    return AttachmentOut(
        id=att.id,
        title=att.title,
        filename=att.filename,
        page_count=att.page_count,
        sha256=att.sha256,
        url=_site("portal.attachment", attachment_id=att.id, filename=att.filename),
    )


def item_attachments(item: AgendaItem) -> list[Attachment]:
    """Return an item's documents as the agenda lists them: its own, then its matter's."""
    return [*item.attachments, *(item.matter.attachments if item.matter is not None else [])]


def item_out(item: AgendaItem) -> ItemOut:
    """Map an agenda item with its section, matter, documents, motions and their votes."""
    section = item.section
    return ItemOut(
        id=item.id,
        number=item_number(section.position, item.position),
        section=section.title,
        is_consent=section.is_consent,
        position=item.position,
        title=item.title,
        description=item.description,
        matter_id=item.matter_id,
        matter_identifier=item.matter.file_number if item.matter is not None else None,
        disposition=item.disposition.value if item.disposition is not None else None,
        attachments=[attachment_out(a) for a in item_attachments(item)],
        motions=[motion_out(m) for m in item.motions],
    )


def published_item_out(section: PublishedSection, position: int, entry: PublishedEntry) -> ItemOut:
    """Map an item as the newest revision published it (shown while an amendment is pending)."""
    item = entry.item
    return ItemOut(
        id=item.id,
        number=entry.number,
        section=section.title,
        is_consent=section.is_consent,
        position=position,
        title=item.title,
        description=item.description,
        matter_id=item.matter.id if item.matter is not None else None,
        matter_identifier=item.matter.file_number if item.matter is not None else None,
        disposition=None,
        attachments=[
            AttachmentOut(
                id=a.id,
                title=a.title,
                filename=a.filename,
                page_count=a.page_count,
                sha256=a.sha256,
                url=_site("portal.document", digest=a.sha256),
            )
            for a in entry.attachments
        ],
        motions=[],
    )


def attendance_out(row: Attendance) -> AttendanceOut:
    """Map one attendance row (its person loaded)."""
    return AttendanceOut(
        person_id=row.person_id,
        name=row.person.name,
        status=row.status.value,
        is_remote=row.is_remote,
        is_excused=row.is_excused,
        arrived_at=row.arrived_at,
        left_at=row.left_at,
    )


# ---------------------------------------------------------------------------------------------
# Meetings and minutes


def _is_public(meeting: Meeting) -> bool:
    return is_public(meeting.status, meeting.published_at is not None)


def minutes_out(meeting: Meeting, revision: MinutesRevision) -> MinutesOut:
    """Map the minutes' revision a viewer sees; its PDF only once approved and public."""
    stored = revision.pdf_sha256 is not None and revision.status is not MinutesStatus.DRAFT
    return MinutesOut(
        meeting_id=meeting.id,
        status=revision.status.value,
        revision=revision.number,
        approved_at=revision.approved_at,
        approved_by_motion_id=revision.approved_by_motion_id,
        record_sha256=revision.record_sha256,
        pdf=(
            _site("portal.document", digest=revision.pdf_sha256)
            if stored and _is_public(meeting)
            else None
        ),
        html_url=_site("minutes.show", meeting_id=meeting.id),
    )


def document_links(meeting: Meeting, *, has_minutes: bool = False) -> DocumentLinks:
    """Link the meeting's public documents as its page does (revisions loaded).

    `has_minutes`: the meeting has approved minutes (minutes.queries.approved_among).
    """
    public = _is_public(meeting)
    newest = meeting.revisions[-1] if public and meeting.revisions else None
    # A packet too long to build is never served (409 on the page's link).
    has_packet = newest is not None and not (
        newest.packet_sha256 is None and newest.packet_failures
    )
    return DocumentLinks(
        agenda=_site("meetings.agenda_pdf", meeting_id=meeting.id) if newest else None,
        packet=_site("meetings.packet_pdf", meeting_id=meeting.id) if has_packet else None,
        minutes=_site("minutes.pdf", meeting_id=meeting.id) if public and has_minutes else None,
    )


def _meeting_fields(
    meeting: Meeting, *, has_minutes: bool, published: PublishedAgenda | None
) -> dict[str, object]:
    shown = published if published is not None else meeting
    return {
        "id": meeting.id,
        "body_id": meeting.body_id,
        "body_name": meeting.body.name,
        "name": f"{meeting.body.name} {shown.meeting_type.value} meeting",
        "classification": shown.meeting_type.value,
        "status": meeting.status.value,
        "start_time": shown.scheduled_at,
        "timezone": meeting.timezone,
        "location": shown.location,
        "published_at": meeting.published_at,
        "updated_at": meeting.updated_at,
        "documents": document_links(meeting, has_minutes=has_minutes),
        "url": api_url(f"meetings/{meeting.id}"),
        "html_url": _site("portal.meeting", meeting_id=meeting.id),
    }


def meeting_out(
    meeting: Meeting, *, has_minutes: bool = False, published: PublishedAgenda | None = None
) -> MeetingOut:
    """Map a meeting as lists show it (body and revisions loaded)."""
    return MeetingOut(**_meeting_fields(meeting, has_minutes=has_minutes, published=published))


def meeting_detail(
    meeting: Meeting,
    *,
    minutes: MinutesRevision | None = None,
    published: PublishedAgenda | None = None,
) -> MeetingDetail:
    """Map a meeting with its agenda, attendance, motions, votes and the minutes shown.

    `published`: the agenda as last published, which the public sees while an amendment is
    pending (meetings.snapshot.published_agenda); else the live agenda. `minutes`: the
    revision the viewer may see (minutes.queries.current_minutes).
    """
    has_minutes = minutes is not None and minutes.status is MinutesStatus.APPROVED
    if published is not None:
        items = [
            published_item_out(section, position, entry)
            for section, entries in published.sections
            for position, entry in enumerate(entries, start=1)
        ]
    else:
        items = [item_out(i) for s in meeting.sections for i in s.items]
    return MeetingDetail(
        **_meeting_fields(meeting, has_minutes=has_minutes, published=published),
        cancelled_reason=meeting.cancelled_reason,
        called_to_order_at=meeting.called_to_order_at,
        adjourned_at=meeting.adjourned_at,
        attendance=[attendance_out(a) for a in meeting.attendance],
        items=items,
        minutes=minutes_out(meeting, minutes) if minutes is not None else None,
    )


# ---------------------------------------------------------------------------------------------
# Matters


def _matter_fields(matter: Matter) -> dict[str, object]:
    return {
        "id": matter.id,
        "identifier": matter.file_number,
        "title": matter.title,
        "classification": matter.matter_type.value,
        "status": matter.status.value,
        "body_id": matter.body_id,
        "sponsors": [
            SponsorOut(person_id=s.person_id, name=s.person.name, primary=i == 0)
            for i, s in enumerate(matter.sponsors)
        ],
        "created_at": matter.created_at,
        "updated_at": matter.updated_at,
        "url": api_url(f"matters/{matter.id}"),
        "html_url": _site("portal.matter", matter_id=matter.id),
    }


def matter_out(matter: Matter) -> MatterOut:
    """Map a matter as lists show it (sponsors with their people loaded)."""
    return MatterOut(**_matter_fields(matter))


def action_out(event: MatterHistoryEvent) -> ActionOut:
    """Map one step of a matter's history (OCD bill action)."""
    return ActionOut(
        id=event.id,
        date=event.occurred_at,
        action=event.action.value,
        description=event.note or ACTION_NAMES[event.action],
        meeting_id=event.meeting_id,
        agenda_item_id=event.agenda_item_id,
        motion_id=event.motion_id,
    )


def matter_detail(
    matter: Matter,
    votes: Sequence[Vote],
    *,
    history: Sequence[MatterHistoryEvent] | None = None,
) -> MatterDetail:
    """Map a matter with its text, documents, history and the roll calls on it.

    `history`: the actions the viewer may see (those at meetings they cannot see left out);
    every action of the matter when not given.
    """
    shown = matter.history if history is None else history
    return MatterDetail(
        **_matter_fields(matter),
        text=matter.text,
        attachments=[attachment_out(a) for a in matter.attachments],
        actions=[action_out(e) for e in shown],
        votes=[vote_event(v) for v in votes],
    )
