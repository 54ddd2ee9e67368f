"""Writes on meetings and their agendas: schedule, add items, attach documents, publish, cancel.

Each route does what the clerk's meeting workspace does (agenda/meetings/manage.py), through
the same operations, and answers the record as the read API shows it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from pydantic import Field, field_validator

from agenda.api import core
from agenda.api.convert import api_url, attachment_out, item_out, meeting_out
from agenda.api.schemas import AttachmentOut, ItemOut, MeetingOut
from agenda.api.writing import (
    Id,
    Input,
    LocalTime,
    PublishedOut,
    body_named,
    extended,
    moment,
    named,
    record,
    upload_bytes,
    uploaded,
    writable_meeting,
)
from agenda.bodies.rules import EARLIEST_DAY, LATEST_DAY
from agenda.documents.operations import check_upload_ahead
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.meetings import agenda_editing as editing
from agenda.meetings.models import AgendaItem, Meeting
from agenda.meetings.operations import MeetingEditError, schedule_meeting
from agenda.meetings.publishing import cancel_meeting, prepare, publish_amendment, publish_meeting
from agenda.meetings.queries import minutes_choices
from agenda.meetings.rules import (
    AMENDMENT_REASON_MAX,
    CANCEL_REASON_MAX,
    TEXT_MAX,
    MeetingStatus,
    MeetingType,
)

TAG = "meetings"


class NewMeeting(Input):
    body_id: Id = Field(description="The body that meets.")
    classification: MeetingType = Field(description="regular, special, workshop or emergency.")
    date: dt.date = Field(description="The local date of the meeting.")
    time: LocalTime = Field(None, description="Local start time; empty: the body's usual time.")
    location: str = Field("", description="Empty: the body's usual place.")
    notes: str = Field("", max_length=TEXT_MAX, description="For the clerk's office only.")

    @field_validator("date")
    @classmethod
    def _within_years(cls, day: dt.date) -> dt.date:
        if not EARLIEST_DAY.year <= day.year <= LATEST_DAY.year:
            raise ValueError(f"Choose a date from {EARLIEST_DAY.year} to {LATEST_DAY.year}.")
        return day


@core.write("/meetings", body=NewMeeting, response=MeetingOut, tag=TAG)
def meeting_create(body: NewMeeting) -> core.Written:
    """Create a draft meeting.

    At a local date and time in the body's time zone, laid out in the body's agenda sections.
    """
    found = body_named(body.body_id)
    with named(at="time", body="body_id"):
        meeting = schedule_meeting(
            found, meeting_type=body.classification, day=body.date, at=body.time,
            location=body.location, notes=body.notes, actor=core.actor(),
        )  # fmt: skip
    return core.Written(meeting_out(meeting), location=api_url(f"meetings/{meeting.id}"))


class NewItem(Input):
    section: str = Field(
        description="The title of a section of this agenda, such as 'Resolutions'."
    )
    title: str = Field("", description="Empty: the legislation's title.")
    description: str = Field("", max_length=TEXT_MAX)
    matter_id: Optional[Id] = Field(None, description="Legislation of the body the item carries.")
    minutes_of: list[Id] = Field(
        default_factory=list,
        description="Meetings whose drafted minutes this item takes up for approval.",
    )
    is_quasi_judicial: bool = Field(False, description="Members may abstain (Fla. Stat. 286.012).")


@core.write("/meetings/<int:meeting_id>/items", body=NewItem, response=ItemOut, tag=TAG)
def item_create(body: NewItem, meeting_id: int) -> core.Written:
    """Add an item to a section of the agenda.

    A published agenda collects it in its pending amendment, published with a reason.
    """
    meeting = record(Meeting, meeting_id)
    writable_meeting(meeting)
    section = next((s for s in meeting.sections if s.title == body.section.strip()), None)
    if section is None:
        titles = "; ".join(s.title for s in meeting.sections)
        raise MeetingEditError(
            f"Choose a section of this meeting's agenda: {titles}.", field="section"
        )
    minutes = [m for m in minutes_choices(meeting) if m.id in body.minutes_of]
    if len(minutes) != len(set(body.minutes_of)):
        raise MeetingEditError(
            "Choose the minutes of an earlier, adjourned meeting of this body.", field="minutes_of"
        )
    matter = db.session.get(Matter, body.matter_id) if body.matter_id is not None else None
    if body.matter_id is not None and matter is None:
        raise MeetingEditError("Choose legislation of this meeting's body.", field="matter_id")
    with named(matter="matter_id"):
        item = editing.add_agenda_item(
            section, title=body.title, description=body.description, matter=matter,
            minutes_of=minutes, is_quasi_judicial=body.is_quasi_judicial, actor=core.actor(),
        )  # fmt: skip
    return core.Written(item_out(item), location=api_url(f"meetings/{meeting_id}"))


class NewAttachment(Input):
    title: str = Field("", max_length=300, description="Shown in the agenda; empty: file name.")


def _check_item_upload(body: Any, item_id: int) -> None:
    writable_meeting(record(AgendaItem, item_id).section.meeting)
    check_upload_ahead(uploaded())


@core.write(
    "/items/<int:item_id>/attachments", body=NewAttachment, response=AttachmentOut, tag=TAG,
    multipart=True, prepare=_check_item_upload,
)  # fmt: skip
def item_attach(body: NewAttachment, item_id: int) -> core.Written:
    """Attach a PDF to an agenda item.

    Sent as multipart/form-data (`file`, `title`); the file is checked by its content.
    """
    item = record(AgendaItem, item_id)
    writable_meeting(item.section.meeting)
    data, filename = upload_bytes()
    with named(none="file"):
        attachment = editing.attach_item_document(
            item, data, filename=filename, title=body.title, actor=core.actor()
        )
    location = api_url(f"meetings/{item.section.meeting_id}")
    return core.Written(attachment_out(attachment), location=location)


class Publication(Input):
    reason: str = Field(
        "", max_length=AMENDMENT_REASON_MAX,
        description="For an amended agenda: what changed and why (the public reads it).",
    )  # fmt: skip


def _publishing(meeting: Meeting) -> str:
    return "publish" if meeting.status is MeetingStatus.DRAFT else "amend"


def _render_publication(body: Publication, meeting_id: int) -> None:
    meeting = record(Meeting, meeting_id)
    writable_meeting(meeting)
    prepare(meeting, _publishing(meeting), body.reason, now=moment())


@core.write(
    "/meetings/<int:meeting_id>/publish", body=Publication, response=PublishedOut, tag=TAG,
    status=200, prepare=_render_publication,
)  # fmt: skip
def meeting_publish(body: Publication, meeting_id: int) -> core.Written:
    """Publish the agenda, or its pending changes as an amended agenda.

    A draft is published (public notice given now); a published agenda with unpublished
    changes publishes them as one revision whose summary is `reason`.
    """
    meeting = record(Meeting, meeting_id)
    writable_meeting(meeting)
    warnings: list[str] = []
    if _publishing(meeting) == "publish":
        warnings = publish_meeting(meeting, actor=core.actor(), now=moment()).warnings
    else:
        publish_amendment(meeting, body.reason, actor=core.actor(), now=moment())
    answer = extended(PublishedOut, meeting_out(meeting), warnings=warnings)
    return core.Written(answer, location=api_url(f"meetings/{meeting_id}"))


class Cancellation(Input):
    reason: str = Field("", max_length=CANCEL_REASON_MAX, description="The public will see it.")


def _render_cancellation(body: Cancellation, meeting_id: int) -> None:
    meeting = record(Meeting, meeting_id)
    writable_meeting(meeting)
    prepare(meeting, "cancel", body.reason, now=moment())


@core.write(
    "/meetings/<int:meeting_id>/cancel", body=Cancellation, response=MeetingOut, tag=TAG,
    status=200, prepare=_render_cancellation,
)  # fmt: skip
def meeting_cancel(body: Cancellation, meeting_id: int) -> core.Written:
    """Cancel a meeting that has not started, with the reason the public will see."""
    meeting = record(Meeting, meeting_id)
    writable_meeting(meeting)
    cancel_meeting(meeting, body.reason, actor=core.actor(), now=moment())
    return core.Written(meeting_out(meeting), location=api_url(f"meetings/{meeting_id}"))
