"""Forms for legislation: file and edit a matter, upload its documents, place it on an agenda."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice, enum_choices, enum_coerce
from wtforms.validators import DataRequired, Length

from agenda.bodies.models import Body, Membership, Person
from agenda.bodies.queries import member_label
from agenda.documents.forms import UploadForm
from agenda.forms import strip
from agenda.matters.models import Matter
from agenda.matters.rules import (
    DEFAULT_SECTION,
    STATUS_NAMES,
    TEXT_MAX,
    TITLE_MAX,
    TYPE_NAMES,
    MatterStatus,
    MatterType,
    status_choices,
)
from agenda.meetings.display import meeting_label
from agenda.meetings.models import Meeting


class MatterFieldsForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[
            DataRequired("Give the matter a title."),
            Length(max=TITLE_MAX, message=f"Keep the title to {TITLE_MAX} characters or fewer."),
        ],
        filters=[strip],
    )
    sponsors = SelectMultipleField(
        "Sponsors",
        coerce=int,
        invalid_choice_message="Choose sponsors from the members listed.",
        render_kw={"size": 8},
    )
    text = TextAreaField(
        "Full text (Markdown)",
        validators=[Length(max=TEXT_MAX, message="The full text is too long.")],
        render_kw={"rows": 16},
    )


class MatterNewForm(MatterFieldsForm):
    body = SelectField("Body", coerce=int, invalid_choice_message="Choose a body from the list.")
    matter_type = SelectField(
        "Type",
        choices=enum_choices(MatterType, label=TYPE_NAMES.get),
        coerce=enum_coerce(MatterType),
        invalid_choice_message="Choose a type from the list.",
    )


class MatterEditForm(MatterFieldsForm):
    status = SelectField(
        "Status",
        choices=enum_choices(MatterStatus, label=STATUS_NAMES.get),
        coerce=enum_coerce(MatterStatus),
        invalid_choice_message="Choose a status from the list.",
    )


class PlaceForm(FlaskForm):
    meeting = SelectField(
        "Meeting", coerce=int, invalid_choice_message="Choose one of the meetings listed."
    )
    section = SelectField(
        "Section of the agenda", invalid_choice_message="Choose one of the sections listed."
    )


def new_form(rosters: list[tuple[Body, list[Membership]]], body_id: int | None) -> MatterNewForm:
    """Build the new-matter form: every body, and sponsors grouped by body."""
    form = MatterNewForm()
    form.body.choices = [SelectChoice(str(body.id), body.name) for body, _ in rosters]
    form.sponsors.choices = [
        SelectChoice(str(m.person_id), member_label(m), optgroup=body.name)
        for body, members in rosters
        for m in members
    ]
    if not form.is_submitted() and body_id is not None:
        form.body.data = body_id
    return form


def edit_form(matter: Matter, members: list[Membership], *, submitted: bool) -> MatterEditForm:
    """Build the edit form from the request when `submitted`, else filled from the matter."""
    if submitted:
        form = MatterEditForm()
    else:
        form = MatterEditForm(
            formdata=None,
            data={
                "title": matter.title,
                "text": matter.text,
                "status": matter.status,
                "sponsors": [s.person_id for s in matter.sponsors],
            },
        )
    form.status.choices = [
        SelectChoice(s.value, STATUS_NAMES[s]) for s in status_choices(matter.status)
    ]
    seated = {m.person_id for m in members}
    # Sponsors who have since left the body stay listed, so an edit never drops them silently.
    former = [s.person for s in matter.sponsors if s.person_id not in seated]
    form.sponsors.choices = [
        *(SelectChoice(str(m.person_id), member_label(m)) for m in members),
        *(SelectChoice(str(p.id), _former_label(p)) for p in former),
    ]
    return form


def upload_form(*, submitted: bool) -> UploadForm:
    """Build the shared upload form, its title field renamed in the page beside the matter's."""
    form = UploadForm() if submitted else UploadForm(formdata=None)
    # The matter form on the same page already has an element with the id "title".
    form.title.id = form.title.label.field_id = "upload-title"
    form.file.render_kw = {"accept": "application/pdf,.pdf"}
    return form


def place_form(matter: Matter, meetings: list[Meeting], *, submitted: bool) -> PlaceForm:
    """Build the place-on-agenda form: open meetings of the body and their section titles."""
    form = PlaceForm() if submitted else PlaceForm(formdata=None)
    form.meeting.choices = [SelectChoice(str(m.id), meeting_label(m)) for m in meetings]
    titles = dict.fromkeys(s.title for m in meetings for s in m.sections)
    form.section.choices = [SelectChoice(t, t) for t in titles]
    if not submitted:
        form.section.data = DEFAULT_SECTION[matter.matter_type]
    return form


def _former_label(person: Person) -> str:
    return f"{person.name} (no longer seated)"
