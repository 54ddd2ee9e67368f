"""Forms of the meeting workspace: meeting details, agenda items, sections, cancelling."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from agenda.bodies.rules import EARLIEST_DAY, LATEST_DAY
from agenda.documents.forms import UploadForm
from agenda.forms import from_list, optional_id, strip, within_years
from agenda.meetings.display import meeting_label
from agenda.meetings.rules import (
    AMENDMENT_REASON_MAX,
    CANCEL_REASON_MAX,
    ITEM_TITLE_MAX,
    LOCATION_MAX,
    SECTION_TITLE_MAX,
    TEXT_MAX,
    MeetingType,
    amendment_reason,
)
from agenda.meetings.snapshot import pending_changes
from agenda.text import shorten
from agenda.timefmt import utc_to_local

if TYPE_CHECKING:
    from agenda.matters.models import Matter
    from agenda.meetings.models import AgendaItem, Meeting

# How much of a legislation title a select option shows.
CHOICE_TITLE_MAX = 90


class MeetingDetailsForm(FlaskForm):
    meeting_type = SelectField(
        "Type of meeting",
        choices=[SelectChoice(t.value, t.value.capitalize()) for t in MeetingType],
        coerce=MeetingType,
        **from_list("a type of meeting from the list"),
    )
    day = DateField(
        "Date",
        validators=[
            InputRequired("Enter the date of the meeting."),
            within_years(EARLIEST_DAY.year, LATEST_DAY.year),
        ],
        invalid_value_message="Enter a real date, like 2026-07-07.",
    )
    at = TimeField(
        "Start time",
        validators=[InputRequired("Enter the time the meeting starts.")],
        invalid_value_message="Enter a time like 17:00 (5:00 PM).",
    )
    location = StringField(
        "Location",
        validators=[
            Length(max=LOCATION_MAX, message=f"Keep the location under {LOCATION_MAX} characters.")
        ],
        filters=[strip],
    )
    notes = TextAreaField(
        "Notes for the clerk's office",
        validators=[Length(max=TEXT_MAX, message=f"Keep the notes under {TEXT_MAX:,} characters.")],
    )


class NewMeetingForm(MeetingDetailsForm):
    at = TimeField(
        "Start time",
        validators=[Optional()],
        invalid_value_message="Enter a time like 17:00 (5:00 PM).",
    )
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
        validators=[
            Length(max=ITEM_TITLE_MAX, message=f"Keep the title under {ITEM_TITLE_MAX} characters.")
        ],
        filters=[strip],
    )
    description = TextAreaField(
        "Description (optional)",
        validators=[
            Length(max=TEXT_MAX, message=f"Keep the description under {TEXT_MAX:,} characters.")
        ],
    )
    minutes_of = SelectMultipleField(
        "Takes up for approval the minutes of (optional)",
        coerce=int,
        description="Adopting this item approves all the minutes ticked. Listed: earlier "
        "adjourned meetings of this body whose minutes are drafted and not yet approved.",
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        **from_list("minutes from the list"),
    )
    is_quasi_judicial = BooleanField(
        "Quasi-judicial hearing",
        description="Members may abstain to keep the hearing fair (Fla. Stat. 286.012).",
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
        validators=[
            Length(
                max=SECTION_TITLE_MAX,
                message=f"Keep the section title under {SECTION_TITLE_MAX} characters.",
            )
        ],
        filters=[strip],
    )


class NewSectionForm(SectionForm):
    place = SelectField("Place", coerce=int, **from_list("where the section goes"))
    is_consent = BooleanField("Consent agenda (its items pass together by one motion)")


class AmendmentForm(FlaskForm):
    reason = TextAreaField(
        "What changed and why (the public reads it with the amended agenda)",
        validators=[
            Length(
                max=AMENDMENT_REASON_MAX,
                message=f"Keep the reason under {AMENDMENT_REASON_MAX:,} characters.",
            )
        ],
    )


class CancelForm(FlaskForm):
    reason = TextAreaField(
        "Reason for cancelling (the public will see it)",
        validators=[
            Length(
                max=CANCEL_REASON_MAX,
                message=f"Keep the reason under {CANCEL_REASON_MAX:,} characters.",
            )
        ],
    )


class DeleteForm(FlaskForm):
    confirm = BooleanField(
        "Yes, delete this draft and its agenda for good",
        validators=[InputRequired("Tick the box to confirm deleting the draft.")],
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
    meeting: Meeting,
    matters: list[Matter],
    minutes: list[Meeting],
    form_class: type[ItemForm],
    **kwargs: Any,
) -> Any:
    """Return an item form offering the body's legislation and the minutes awaiting approval
    (and the sections, to add one)."""
    form = form_class(**kwargs)
    form.matter.choices = [SelectChoice("", "None")] + [
        SelectChoice(str(m.id), f"{m.file_number}: {shorten(m.title, CHOICE_TITLE_MAX)}")
        for m in matters
    ]
    form.minutes_of.choices = [SelectChoice(m.id, meeting_label(m)) for m in minutes]
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
    meeting: Meeting, matters: list[Matter], minutes: list[Meeting], section_id: int | None
) -> dict[str, Any]:
    """Return every blank form of the workspace page, keyed by its prefix."""
    forms: dict[str, Any] = {
        "details": details_form(meeting, formdata=None),
        "cancel": CancelForm(formdata=None, prefix="cancel"),
        "amendment": AmendmentForm(
            formdata=None,
            prefix="amendment",
            data={"reason": amendment_reason(pending_changes(meeting))},
        ),
        "delete": DeleteForm(formdata=None, prefix="delete"),
        "item": item_form(
            meeting,
            matters,
            minutes,
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
