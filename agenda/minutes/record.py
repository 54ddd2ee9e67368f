"""The record minutes are made from: attendance, items, motions and votes, plus the notes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from agenda.meetings.documents import NumberedItem, numbered_items
from agenda.meetings.models import Attendance, Meeting
from agenda.minutes.models import MinutesRevision
from agenda.minutes.rules import record_digest
from agenda.votes.models import Ballot, Motion, Vote
from agenda.votes.rules import VoteMethod


def _at(value: datetime | None) -> str | None:
    # Always in UTC: an object fresh from a form and the same value read back must agree.
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def _motion(motion: Motion) -> dict[str, Any]:
    # Keys added since the first release appear only with a value, so older records hash alike.
    record: dict[str, Any] = {
        "id": motion.id,
        "parent": motion.parent_id,
        "kind": motion.kind.value,
        "text": motion.text,
        "mover": motion.mover_id,
        "seconder": motion.seconder_id,
        "threshold": motion.threshold,
        "vote": None if motion.vote is None else _vote(motion.vote),
    }
    if motion.ending is not None:
        record["ended"] = {
            "how": motion.ending.value,
            "reason": motion.ending_reason,
            "at": _at(motion.ended_at),
            "by": motion.ended_by_id,
        }
    if motion.consent_items:
        record["consent_items"] = sorted(i.id for i in motion.consent_items)
    if motion.agenda_item.is_quasi_judicial:
        record["quasi_judicial"] = True
    return record


def _item(n: NumberedItem) -> dict[str, Any]:
    item = n.item
    record = {
        "number": n.number,
        "title": item.title,
        "matter": item.matter.file_number if item.matter else None,
        "disposition": item.disposition.value if item.disposition else None,
        "continued_to": item.continued_to_id,
        "motions": [_motion(m) for m in item.motions],
    }
    if item.pulled_from_consent_at is not None:
        record["pulled_from_consent"] = [_at(item.pulled_from_consent_at), item.pulled_note]
    return record


def _vote(vote: Vote) -> dict[str, Any]:
    record: dict[str, Any] = {
        "counts": [
            vote.yes_count,
            vote.no_count,
            vote.abstain_count,
            vote.recused_count,
            vote.absent_count,
        ],
        "required": vote.required,
        "result": vote.result.value,
        "explanation": vote.explanation,
        "ballots": sorted(_ballot(b) for b in vote.ballots),
    }
    if vote.method is not VoteMethod.ROLL_CALL:
        record["method"] = vote.method.value
    if vote.fallback_result is not None:
        record["fallback_result"] = vote.fallback_result.value
    if vote.rules_snapshot is not None:
        record["rules"] = vote.rules_snapshot
    return record


def _ballot(ballot: Ballot) -> list[Any]:
    entry: list[Any] = [ballot.person_id, ballot.value.value, ballot.reason or ""]
    return [*entry, "excused"] if ballot.is_excused else entry


def _stay(stay: Attendance) -> list[Any]:
    entry = [stay.person_id, stay.status.value, _at(stay.arrived_at), _at(stay.left_at)]
    kinds = [k for k, on in (("remote", stay.is_remote), ("excused", stay.is_excused)) if on]
    return [*entry, *kinds]


def meeting_record(meeting: Meeting, revision: MinutesRevision) -> dict[str, Any]:
    """Return the meeting's record and the revision's notes as plain, canonical data."""
    stays = meeting.attendance
    return {
        "meeting": {
            "id": meeting.id,
            "body": meeting.body.name,
            "type": meeting.meeting_type.value,
            "scheduled_at": _at(meeting.scheduled_at),
            "location": meeting.location,
            "called_to_order_at": _at(meeting.called_to_order_at),
            "adjourned_at": _at(meeting.adjourned_at),
        },
        # One entry per stay; a member seen once keeps the entry records made before
        # several stays had (and so the same digest).
        "attendance": sorted(
            (_stay(a) for a in stays),
            key=lambda entry: [entry[0], entry[1], entry[2] or "", entry[3] or ""],
        ),
        "items": [_item(n) for section in meeting.sections for n in numbered_items(section)],
        "notes": {"meeting": revision.meeting_notes, "items": revision.item_notes},
    }


def digest_of(meeting: Meeting, revision: MinutesRevision) -> str:
    """Return the SHA-256 of the record as it stands, with this revision's notes."""
    return record_digest(meeting_record(meeting, revision))
