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

from agenda.bodies.operations import BODY_FIELDS
from agenda.bodies.rules import PRESETS, AbstentionPolicy, BodyKind, QuorumRule, RulesPreset
from agenda.forms import from_list, strip
from agenda.matters.rules import MatterType
from agenda.meetings.rules import DEFAULT_SECTIONS, SECTION_TITLE_MAX
from agenda.votes.rules import (
    COMMON_THRESHOLDS,
    MotionKind,
    default_threshold,
    threshold_key,
    threshold_label,
)

STATEMENT_MAX = 4000
SEAT_TITLE_MAX = 120
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


def _hours(label: str) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            InputRequired("Enter a number of hours."),
            NumberRange(0, 2000, "Enter a number of hours from 0 to 2000."),
        ],
    )


class BodyForm(FlaskForm):
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
        validators=[InputRequired("Enter at least one seat.")],
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
        validators=[InputRequired("Enter at least one section.")],
    )
    consent_section = IntegerField(
        "Number of the consent section (blank: none)",
        validators=[Optional()],
        invalid_value_message="Enter the line number of the consent section, like 4.",
    )
    accommodation_statement = _statement("The body's own accommodation (ADA) statement")
    appeal_statement = _statement("The body's own appeal statement")

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        _check_sections(self)
        return ok and not self.sections.errors and not self.consent_section.errors

    def validate_seat_titles(self, field: Any) -> None:
        titles = seat_titles(field.data)
        if not titles:
            raise ValidationError("Enter at least one seat.")
        if any(len(t) > SEAT_TITLE_MAX for t in titles):
            raise ValidationError(f"Use at most {SEAT_TITLE_MAX} characters for a seat's title.")
        if len(titles) > 99:
            raise ValidationError("A body has at most 99 seats.")


# (form field name, threshold key, label, the engine's default) for each default threshold.
THRESHOLD_FIELDS = (
    [
        (
            f"threshold_main_{t.value}",
            threshold_key(MotionKind.MAIN, t.value),
            f"Adopting a {t.value}",
            default_threshold(MotionKind.MAIN, is_legislation=True),
        )
        for t in MatterType
    ]
    + [
        (
            "threshold_main_none",
            threshold_key(MotionKind.MAIN),
            "A main motion on an item without legislation",
            default_threshold(MotionKind.MAIN, is_legislation=False),
        )
    ]
    + [
        (
            f"threshold_{k.value}",
            threshold_key(k),
            f"A motion to {k.value}" if k is not MotionKind.AMENDMENT else "An amendment",
            default_threshold(k, is_legislation=False),
        )
        for k in MotionKind
        if k is not MotionKind.MAIN
    ]
)
for _name, _key, _label, _default in THRESHOLD_FIELDS:
    setattr(
        BodyForm,
        _name,
        SelectField(
            _label,
            choices=[SelectChoice("", f"The usual: {threshold_label(_default).lower()}")]
            + [SelectChoice(code, threshold_label(code)) for code in COMMON_THRESHOLDS],
            default="",
            **from_list("a threshold from the list"),
        ),
    )


def threshold_data(saved: dict[str, str]) -> dict[str, str]:
    """Return the form's threshold fields from a body's stored defaults."""
    return {name: saved.get(key, "") for name, key, _, _ in THRESHOLD_FIELDS}


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


def section_template(form: BodyForm) -> list[list[Any]] | None:
    """Return the sections as [[title, is_consent], ...]; None when they are the standard ones."""
    titles = seat_titles(form.sections.data)
    sections = [[t, n == form.consent_section.data] for n, t in enumerate(titles, start=1)]
    return None if sections == [list(s) for s in DEFAULT_SECTIONS] else sections


def section_data(template: list[Any] | None) -> dict[str, Any]:
    """Return the form's section fields from a body's stored template."""
    sections = template or [list(s) for s in DEFAULT_SECTIONS]
    consent = next((n for n, (_, c) in enumerate(sections, start=1) if c), None)
    return {"sections": "\n".join(t for t, _ in sections), "consent_section": consent}


def seat_titles(text: str | None) -> list[str]:
    """Return the seat titles, one per non-blank line, in order."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def body_values(form: BodyForm) -> dict[str, Any]:
    """Return the operation's keyword arguments from a valid body form."""
    # Every stored setting the form edits directly; seats, thresholds and sections are built.
    built = {"seats", "default_thresholds", "section_template"}
    values = {name: form[name].data for name in BODY_FIELDS if name not in built}
    values["default_location"] = values["default_location"] or ""
    values["default_thresholds"] = {
        key: form[name].data for name, key, _, _ in THRESHOLD_FIELDS if form[name].data
    }
    values["section_template"] = section_template(form)
    return {**values, "titles": seat_titles(form.seat_titles.data)}
