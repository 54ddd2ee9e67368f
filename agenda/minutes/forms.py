"""Forms of the minutes screens: the notes editor, comparing revisions, filing memoranda."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import Field, HiddenField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import Length

from agenda.documents.forms import UploadForm
from agenda.meetings.documents import NumberedItem, numbered_items
from agenda.minutes.operations import NOTES_MAX

if TYPE_CHECKING:
    from agenda.meetings.models import Meeting
    from agenda.minutes.models import Disclosure, MinutesRevision

MARKDOWN_HINT = (
    "Markdown: an empty line starts a new paragraph; **bold**, *italic*, "
    "a line starting with - for a list. HTML is shown as plain text."
)


def _length() -> Length:
    return Length(max=NOTES_MAX, message=f"Keep each note under {NOTES_MAX:,} characters.")


class NotesForm(FlaskForm):
    # The revision the clerk started from, so a save over another clerk's is refused.
    base = HiddenField()
    meeting_notes = TextAreaField("Notes on the meeting", validators=[_length()])


class CompareForm(FlaskForm):
    class Meta:
        csrf = False

    a = SelectField(
        "Earlier revision (a)",
        coerce=int,
        invalid_value_message="Choose revision a from the list.",
        invalid_choice_message="Choose revision a from the list.",
    )
    b = SelectField(
        "Later revision (b)",
        coerce=int,
        invalid_value_message="Choose revision b from the list.",
        invalid_choice_message="Choose revision b from the list.",
    )


class MemorandumForm(UploadForm):
    file = FileField(
        "Filed memorandum (PDF)",
        validators=[FileRequired("Choose the memorandum's PDF file to upload.")],
    )
    title = None  # a memorandum keeps its own file name; there is no packet title to give


def item_key(item_id: int) -> str:
    """Return the name of the notes field of one agenda item."""
    return f"item_{item_id}"


def notes_form(meeting: Meeting, latest: MinutesRevision | None, **kwargs: Any) -> NotesForm:
    """Return the notes editor, one field per agenda item, filled from the latest revision."""

    class MeetingNotesForm(NotesForm):
        pass

    saved = latest.item_notes if latest is not None else {}
    data: dict[str, Any] = {
        "base": str(latest.number if latest is not None else 0),
        "meeting_notes": latest.meeting_notes if latest is not None else "",
    }
    for n in agenda_items(meeting):
        label = f"Notes on item {n.heading}"
        setattr(MeetingNotesForm, item_key(n.item.id), TextAreaField(label, validators=[_length()]))
        data[item_key(n.item.id)] = saved.get(str(n.item.id), "")
    return MeetingNotesForm(data=data, **kwargs)


def agenda_items(meeting: Meeting) -> list[NumberedItem]:
    """Return every item of the meeting's agenda with its number, in order."""
    return [n for section in meeting.sections for n in numbered_items(section)]


def item_field(form: NotesForm, item_id: int) -> Field:
    """Return the notes field of one agenda item."""
    return form[item_key(item_id)]


def submitted_notes(form: NotesForm, meeting: Meeting) -> tuple[str, dict[int, str]]:
    """Return the submitted meeting notes and the notes by agenda item id."""
    items = {n.item.id: item_field(form, n.item.id).data or "" for n in agenda_items(meeting)}
    return form.meeting_notes.data or "", items


def base_number(form: NotesForm) -> int | None:
    """Return the revision number the clerk started from, or None if the form lost it."""
    value = form.base.data or ""
    return int(value) if value.isdigit() else None


def compare_form(numbers: list[int], formdata: Any) -> CompareForm:
    """Return the compare form offering these revision numbers; by default the last two."""
    form = CompareForm(formdata=formdata)
    choices = [SelectChoice(str(n), f"Revision {n}") for n in numbers]
    form.a.choices = form.b.choices = choices
    if formdata is None and len(numbers) >= 2:
        form.a.data, form.b.data = sorted(numbers)[-2:]
    return form


def memorandum_form(disclosure: Disclosure, **kwargs: Any) -> MemorandumForm:
    """Return the upload form of one disclosure, labelled with the member's name."""
    form = MemorandumForm(prefix=f"memo{disclosure.id}", **kwargs)
    form.file.label.text = f"Filed memorandum of {disclosure.person.name} (PDF)"
    return form
