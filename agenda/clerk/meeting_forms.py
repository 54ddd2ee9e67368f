"""Forms of the clerk's meeting workspace: meeting details, agenda items, sections, cancelling."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from agenda.documents.forms import UploadForm
from agenda.meetings.rules import MeetingType, utc_to_local

if TYPE_CHECKING:
    from agenda.matters.models import Matter
    from agenda.meetings.models import AgendaItem, Meeting

TEXT_MAX = 20000


def strip(value: str | None) -> str | None:
    """Trim surrounding spaces from submitted text."""
    return value.strip() if isinstance(value, str) else value


def optional_id(value: object) -> int | None:
    """Turn a select's value into an id, or None for the empty choice."""
    return int(str(value)) if value not in (None, "", "None") else None


def from_list(what: str) -> dict[str, str]:
    """Return a select's messages for a value that is not one of its choices."""
    message = f"Choose {what}."
    return {"invalid_value_message": message, "invalid_choice_message": message}


class MeetingDetailsForm(FlaskForm):
    meeting_type = SelectField(
        "Type of meeting",
        choices=[SelectChoice(t.value, t.value.capitalize()) for t in MeetingType],
        coerce=MeetingType,
        **from_list("a type of meeting from the list"),
    )
    day = DateField(
        "Date",
        validators=[InputRequired("Enter the date of the meeting.")],
        invalid_value_message="Enter a real date, like 2026-07-07.",
    )
    at = TimeField(
        "Start time",
        validators=[InputRequired("Enter the time the meeting starts.")],
        invalid_value_message="Enter a time like 17:00 (5:00 PM).",
    )
    location = StringField(
        "Location",
        validators=[Length(max=300, message="Keep the location under 300 characters.")],
        filters=[strip],
    )
    notes = TextAreaField(
        "Notes for the clerk's office",
        validators=[Length(max=TEXT_MAX, message="Keep the notes under 20,000 characters.")],
    )


class NewMeetingForm(MeetingDetailsForm):
    body = SelectField(
        "Body",
        coerce=int,
        validators=[InputRequired("Choose a body.")],
        **from_list("a body from the list"),
    )


class ItemForm(FlaskForm):
    matter = SelectField(
        "Legislation (optional)", coerce=optional_id, **from_list("legislation from the list")
    )
    title = StringField(
        "Title",
        validators=[Length(max=500, message="Keep the title under 500 characters.")],
        filters=[strip],
    )
    description = TextAreaField(
        "Description (optional)",
        validators=[Length(max=TEXT_MAX, message="Keep the description under 20,000 characters.")],
    )


class NewItemForm(ItemForm):
    section = SelectField("Section", coerce=int, **from_list("a section of this agenda"))


class MoveItemForm(FlaskForm):
    section = SelectField("Move to section", coerce=int, **from_list("a section of this agenda"))
    position = IntegerField(
        "Place in that section (optional)",
        validators=[
            Optional(),
            NumberRange(min=1, max=999, message="Give a place from 1 up, or leave it empty."),
        ],
    )


class SectionForm(FlaskForm):
    title = StringField(
        "Section title",
        validators=[Length(max=200, message="Keep the section title under 200 characters.")],
        filters=[strip],
    )


class NewSectionForm(SectionForm):
    place = SelectField("Place", coerce=int, **from_list("where the section goes"))
    is_consent = BooleanField("Consent agenda (its items pass together by one motion)")


class CancelForm(FlaskForm):
    reason = TextAreaField(
        "Reason for cancelling (the public will see it)",
        validators=[Length(max=5000, message="Keep the reason under 5,000 characters.")],
    )


def details_form(meeting: Meeting, **kwargs: Any) -> MeetingDetailsForm:
    """Return the meeting details form filled with the meeting's local date and time."""
    day, at = utc_to_local(meeting.scheduled_at, meeting.timezone)
    data = {"meeting_type": meeting.meeting_type, "location": meeting.location}
    return MeetingDetailsForm(data={**data, "notes": meeting.notes, "day": day, "at": at}, **kwargs)


def details_of(form: MeetingDetailsForm) -> dict[str, Any]:
    """Return the submitted details as keyword arguments of the meeting operations."""
    return {
        "meeting_type": form.meeting_type.data,
        "day": form.day.data,
        "at": form.at.data,
        "location": form.location.data or "",
        "notes": form.notes.data or "",
    }


def item_form(
    meeting: Meeting, matters: list[Matter], form_class: type[ItemForm], **kwargs: Any
) -> Any:
    """Return an item form offering the body's legislation (and the sections, to add one)."""
    form = form_class(**kwargs)
    form.matter.choices = [SelectChoice("", "None")] + [
        SelectChoice(str(m.id), f"{m.file_number}: {short(m.title)}") for m in matters
    ]
    if isinstance(form, NewItemForm):
        form.section.choices = section_choices(meeting)
    return form


def move_form(meeting: Meeting, item: AgendaItem, **kwargs: Any) -> MoveItemForm:
    """Return the form that moves one item to another section."""
    form = MoveItemForm(prefix=f"move{item.id}", data={"section": item.section_id}, **kwargs)
    form.section.choices = section_choices(meeting)
    return form


def new_section_form(meeting: Meeting, **kwargs: Any) -> NewSectionForm:
    """Return the add-section form; it suggests the place before the last section."""
    count = len(meeting.sections)
    form = NewSectionForm(prefix="section", data={"place": max(count, 1)}, **kwargs)
    form.place.choices = [
        SelectChoice(str(s.position), f"Before {s.position}. {s.title}") for s in meeting.sections
    ] + [SelectChoice(str(count + 1), "At the end")]
    return form


def workspace_forms(
    meeting: Meeting, matters: list[Matter], section_id: int | None
) -> dict[str, Any]:
    """Return every blank form of the workspace page, keyed by its prefix."""
    forms: dict[str, Any] = {
        "details": details_form(meeting, formdata=None),
        "cancel": CancelForm(formdata=None, prefix="cancel"),
        "item": item_form(
            meeting,
            matters,
            NewItemForm,
            prefix="item",
            formdata=None,
            data={"section": section_id},
        ),
        "section": new_section_form(meeting, formdata=None),
    }
    for section in meeting.sections:
        key = f"section{section.id}"
        forms[key] = SectionForm(formdata=None, prefix=key, data={"title": section.title})
        for item in section.items:
            forms[f"move{item.id}"] = move_form(meeting, item, formdata=None)
            forms[f"file{item.id}"] = UploadForm(formdata=None, prefix=f"file{item.id}")
    return forms


def section_choices(meeting: Meeting) -> list[SelectChoice]:
    """Return the agenda's sections as select choices: '6. Resolutions'."""
    return [SelectChoice(str(s.id), f"{s.position}. {s.title}") for s in meeting.sections]


def short(text: str, limit: int = 90) -> str:
    """Shorten a long title for a select option."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
