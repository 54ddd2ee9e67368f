"""Forms of the admin's people screens: a person, a term, ending and reinstating a term."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional

from agenda.bodies.rules import PERSON_EMAIL_MAX, PERSON_NAME_MAX, TermEnd, TermStart
from agenda.forms import from_list, strip

DATE_MESSAGE = "Enter a real date, like 2026-07-07."


class PersonForm(FlaskForm):
    name = StringField(
        "Name",
        filters=[strip],
        validators=[
            InputRequired("Enter the person's name."),
            Length(max=PERSON_NAME_MAX, message=f"Keep the name to {PERSON_NAME_MAX} characters."),
        ],
    )
    email = StringField(
        "E-mail (optional)",
        filters=[strip],
        validators=[
            Optional(),
            Length(
                max=PERSON_EMAIL_MAX, message=f"Keep the e-mail to {PERSON_EMAIL_MAX} characters."
            ),
            Email("Enter an e-mail address like name@example.org.", check_deliverability=False),
        ],
    )


class TermForm(FlaskForm):
    seat = SelectField("Body and seat", **from_list("a body's seat from the list"))
    starts_on = DateField(
        "From", validators=[InputRequired(DATE_MESSAGE)], invalid_value_message=DATE_MESSAGE
    )
    ends_on = DateField(
        "To (optional)", validators=[Optional()], invalid_value_message=DATE_MESSAGE
    )
    start_reason = SelectField(
        "How the term started",
        choices=[
            SelectChoice(TermStart.ELECTED.value, "Elected"),
            SelectChoice(TermStart.APPOINTED.value, "Appointed"),
        ],
        coerce=TermStart,
        **from_list("elected or appointed"),
    )


class EndTermForm(FlaskForm):
    ends_on = DateField(
        "Last day of the term",
        validators=[InputRequired(DATE_MESSAGE)],
        invalid_value_message=DATE_MESSAGE,
    )
    reason = SelectField(
        "Why it ended",
        choices=[SelectChoice(r.value, r.value.capitalize()) for r in TermEnd],
        coerce=TermEnd,
        **from_list("a reason from the list"),
    )


class ReinstateForm(FlaskForm):
    starts_on = DateField(
        "Reinstated from",
        validators=[InputRequired(DATE_MESSAGE)],
        invalid_value_message=DATE_MESSAGE,
    )
    ends_on = DateField(
        "To (optional)", validators=[Optional()], invalid_value_message=DATE_MESSAGE
    )


class ConfirmForm(FlaskForm):
    """A button that deletes: only its one-time key."""
