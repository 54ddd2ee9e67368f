"""Forms of the admin's jurisdiction and bodies screens."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import (
    URL,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from agenda.admin.rule_forms import (
    ThresholdFields,
    check_thresholds,
    set_threshold_choices,
)
from agenda.bodies.rules import (
    PRESETS,
    AbstentionPolicy,
    BodyKind,
    PresidingVote,
    QuorumRule,
    RulesPreset,
    SeatBase,
)
from agenda.forms import from_list, optional_id, strip
from agenda.meetings.rules import SECTION_TITLE_MAX

STATEMENT_MAX = 4000
SEAT_TITLE_MAX = 120
# A list typed one entry a line (seats, sections), all lines together.
LIST_MAX = 20_000
QUORUM_LABELS = {
    QuorumRule.MAJORITY_OF_SEATS: "A majority of the seats",
    QuorumRule.TWO_THIRDS_OF_SEATS: "Two-thirds of the seats",
    QuorumRule.FIXED_NUMBER: "A fixed number of members",
}
ABSTENTION_LABELS = {
    AbstentionPolicy.ALLOWED: "Members may abstain; an abstention is not counted",
    AbstentionPolicy.CONFLICT_ONLY: (
        "Members present vote yes or no unless in conflict (Florida; abstaining allowed in"
        " quasi-judicial hearings)"
    ),
    AbstentionPolicy.WITH_MAJORITY: "An abstention is counted with the majority",
    AbstentionPolicy.AS_NO: "An abstention is counted as no",
    AbstentionPolicy.WITH_CONSENT: "Members may abstain only when the body excuses them",
    AbstentionPolicy.SILENCE_AS_YES: "A member who does not vote, unless excused, counts yes",
}
SEAT_BASE_LABELS = {
    SeatBase.AUTHORIZED: "Every authorized seat, vacant or not",
    SeatBase.FILLED: "Only the seats filled that day",
}
PRESIDING_VOTE_LABELS = {
    PresidingVote.ALWAYS: "Always, like every member",
    PresidingVote.TIE_ONLY: "Only to break a tie",
    PresidingVote.NEVER: "Never",
}
CITATION_MAX = 300


def _text(label: str, limit: int, *, required: bool = False) -> StringField:
    checks: list[Any] = [Length(max=limit, message=f"Use at most {limit} characters.")]
    if required:
        checks.insert(0, InputRequired(f"Enter the {label.lower()}."))
    return StringField(label, validators=checks, filters=[strip])


def _statement(label: str) -> TextAreaField:
    limit = Length(max=STATEMENT_MAX, message=f"Use at most {STATEMENT_MAX} characters.")
    return TextAreaField(label, validators=[limit], filters=[strip])


class JurisdictionForm(FlaskForm):
    name = _text("Name", 200, required=True)
    timezone = _text("Time zone", 64, required=True)
    address = _text("Address", 500)
    website = URLField(
        "Web site",
        validators=[
            Optional(),
            Length(max=300, message="Use at most 300 characters."),
            URL(require_tld=True, message="Enter an address starting with http:// or https://."),
        ],
        filters=[strip],
    )
    accommodation_statement = _statement("Accommodation (ADA) statement")
    appeal_statement = _statement("Appeal statement")
    rules_preset = SelectField(
        "Voting rules to start new bodies from",
        choices=[SelectChoice(p.value, PRESETS[p].label) for p in RulesPreset],
        coerce=RulesPreset,
        **from_list("a preset from the list"),
    )

    def validate_website(self, field: Any) -> None:
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError("Enter an address starting with http:// or https://.")


class PresetForm(FlaskForm):
    """The body page's "Start from a preset": a GET that fills the form, saving nothing."""

    class Meta:
        csrf = False

    preset = SelectField(
        "Start from a preset",
        choices=[SelectChoice(p.value, PRESETS[p].label) for p in RulesPreset],
        coerce=RulesPreset,
        **from_list("a preset from the list"),
    )


def _hours(label: str) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            InputRequired("Enter a number of hours."),
            NumberRange(0, 2000, "Enter a number of hours from 0 to 2000."),
        ],
    )


class BodyForm(ThresholdFields, FlaskForm):
    name = _text("Name", 200, required=True)
    kind = SelectField(
        "Kind",
        choices=[SelectChoice(k.value, k.value.capitalize()) for k in BodyKind],
        coerce=BodyKind,
        **from_list("a kind from the list"),
    )
    timezone = _text("Time zone", 64, required=True)
    seat_titles = TextAreaField(
        "Seats, one title per line",
        validators=[
            InputRequired("Enter at least one seat."),
            Length(max=LIST_MAX, message=f"Use at most {LIST_MAX:,} characters in all."),
        ],
    )
    quorum_rule = SelectField(
        "Quorum",
        choices=[SelectChoice(q.value, QUORUM_LABELS[q]) for q in QuorumRule],
        coerce=QuorumRule,
        **from_list("a quorum rule from the list"),
    )
    quorum_fixed = IntegerField("Fixed quorum (members)", validators=[Optional()])
    abstention_policy = SelectField(
        "Abstentions",
        choices=[SelectChoice(a.value, ABSTENTION_LABELS[a]) for a in AbstentionPolicy],
        coerce=AbstentionPolicy,
        **from_list("an abstention policy from the list"),
    )
    is_recused_counted_for_quorum = BooleanField("Recused members count toward quorum")
    seat_base = SelectField(
        "The full body counts",
        choices=[SelectChoice(b.value, SEAT_BASE_LABELS[b]) for b in SeatBase],
        coerce=SeatBase,
        **from_list("what the full body counts from the list"),
    )
    is_full_body_less_recused = BooleanField("Recused members leave the full body")
    # Its choices are the body's seats (see `set_seat_choices`); the operation checks the seat.
    presiding_seat = SelectField(
        "Presiding officer's seat",
        coerce=optional_id,
        validate_choice=False,
        invalid_value_message="Choose a seat from the list, or none.",
    )
    presiding_vote = SelectField(
        "The presiding officer votes",
        choices=[SelectChoice(v.value, PRESIDING_VOTE_LABELS[v]) for v in PresidingVote],
        coerce=PresidingVote,
        **from_list("when the presiding officer votes from the list"),
    )
    is_presiding_counted_for_quorum = BooleanField("The presiding officer counts toward quorum")
    is_presiding_seat_counted = BooleanField(
        "The presiding officer holds one of the body's seats in the counts"
    )
    is_in_person_quorum = BooleanField("Quorum must be in the room (remote members do not count)")
    is_unexcused_departure_present = BooleanField(
        "A member who leaves without being excused counts present and yes (N.C.G.S. 160A-74)"
    )
    is_tie_continued = BooleanField("A tie with members absent continues the item")
    rules_citation = _text("Citation of the body's rules", CITATION_MAX)
    is_unanimous_consent_allowed = BooleanField("Motions may carry without objection")
    notice_hours_regular = _hours("Notice before a regular meeting (hours)")
    notice_hours_special = _hours("Notice before a special meeting (hours)")
    default_location = _text("Usual meeting place", 300)
    default_time = TimeField(
        "Usual start time",
        validators=[Optional()],
        invalid_value_message="Enter a time, like 17:30.",
    )
    sections = TextAreaField(
        "Agenda sections, one title per line, in order",
        validators=[
            InputRequired("Enter at least one section."),
            Length(max=LIST_MAX, message=f"Use at most {LIST_MAX:,} characters in all."),
        ],
    )
    consent_section = IntegerField(
        "Number of the consent section (blank: none)",
        validators=[Optional()],
        invalid_value_message="Enter the line number of the consent section, like 4.",
    )
    accommodation_statement = _statement("The body's own accommodation (ADA) statement")
    appeal_statement = _statement("The body's own appeal statement")

    def __init__(self, *args: Any, stored_thresholds: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_threshold_choices(self, stored_thresholds)
        self.set_seat_choices()

    def set_seat_choices(self) -> None:
        """Offer the seats the form's titles make as the presiding officer's seat."""
        self.presiding_seat.choices = [SelectChoice("", "None: every member votes alike")] + [
            SelectChoice(str(n), f"Seat {n}: {title}")
            for n, title in enumerate(seat_titles(self.seat_titles.data), start=1)
        ]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        _check_sections(self)
        check_thresholds(self, len(seat_titles(self.seat_titles.data)) or 1)
        return ok and not any(f.errors for f in self)

    def validate_seat_titles(self, field: Any) -> None:
        titles = seat_titles(field.data)
        if not titles:
            raise ValidationError("Enter at least one seat.")
        if any(len(t) > SEAT_TITLE_MAX for t in titles):
            raise ValidationError(f"Use at most {SEAT_TITLE_MAX} characters for a seat's title.")
        if len(titles) > 99:
            raise ValidationError("A body has at most 99 seats.")


def _check_sections(form: BodyForm) -> None:
    lines = (form.sections.data or "").strip("\n").splitlines()
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            form.sections.errors.append(f"Section {n} has no title; remove the blank line.")
        elif len(line.strip()) > SECTION_TITLE_MAX:
            form.sections.errors.append(
                f"Section {n}: use at most {SECTION_TITLE_MAX} characters for a title."
            )
    consent = form.consent_section.data
    if consent is not None and not 1 <= consent <= len(lines):
        form.consent_section.errors.append(
            f"Choose a section from 1 to {len(lines)}, or leave it blank."
        )


def seat_titles(text: str | None) -> list[str]:
    """Return the seat titles, one per non-blank line, in order."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
