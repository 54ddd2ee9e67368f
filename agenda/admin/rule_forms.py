"""The body form's thresholds: a default for each kind of motion, and one rule written out."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional

from agenda.bodies.rules import PRESETS
from agenda.forms import from_list, strip
from agenda.matters.rules import MatterType
from agenda.votes.rules import (
    COMMON_THRESHOLDS,
    Base,
    Condition,
    MotionKind,
    ThresholdRule,
    ThresholdSpec,
    Trigger,
    default_threshold,
    is_threshold,
    parse_rule,
    parse_spec,
    rule_label,
    threshold_key,
)

RULE_NAME_MAX = 100
RULE_CITATION_MAX = 300
# (form field name, threshold key, label, the engine's default) for each default threshold.
THRESHOLD_FIELDS = (
    [
        (
            f"threshold_main_{t.value}",
            threshold_key(MotionKind.MAIN, t.value),
            f"Adopting {'an' if t.value[0] in 'aeiou' else 'a'} {t.value}",
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
# The fractions the admin may write: (numerator, denominator, more than) or None for a number.
FRACTIONS: dict[str, tuple[str, tuple[int, int, bool] | None]] = {
    "majority": ("A majority (more than half)", (1, 2, True)),
    "2/3": ("Two-thirds", (2, 3, False)),
    "3/4": ("Three-fourths", (3, 4, False)),
    "3/5": ("Three-fifths", (3, 5, False)),
    "4/5": ("Four-fifths", (4, 5, False)),
    "all": ("Unanimous", (1, 1, False)),
    "votes": ("A fixed number of votes", None),
}
BASE_LABELS = {
    Base.CAST: "the votes cast (abstentions are not votes)",
    Base.PRESENT_VOTING: "the members present, less those recused",
    Base.PRESENT: "the members present, recused members included",
    Base.FULL: "the full body, as the body counts it",
    Base.NOT_EXCUSED: "the members not excused from voting",
    Base.FILLED: "the seats filled that day",
    Base.AUTHORIZED: "every authorized seat, vacant or not",
}
# What a condition switches to: all the members present and not recused.
UNANIMOUS_ELIGIBLE = "all:present_voting"
CONDITIONS = {
    "": "None",
    Trigger.FEW_PRESENT.value: (
        "Unanimous of members present when fewer than two-thirds of the full body are present"
        " (Cal. Gov. Code 54954.2(b)(2))"
    ),
    Trigger.FEW_ELIGIBLE.value: "Unanimous of the members eligible when too few are eligible",
}


def normal_code(value: Any) -> Any:
    """Store a threshold in its one canonical form ('two_thirds_full' reads '2/3:full')."""
    if isinstance(value, str) and value and is_threshold(value):
        return parse_rule(value).code
    return value


def threshold_choices(stored: Iterable[str] = ()) -> list[str]:
    """Return the thresholds to offer: the common ones, every preset's, then the body's own."""
    presets = [code for p in PRESETS.values() for code in p.default_thresholds.values()]
    codes = [normal_code(c) for c in [*COMMON_THRESHOLDS, *presets, *stored] if is_threshold(c)]
    return list(dict.fromkeys(codes))


def set_threshold_choices(form: Any, stored: Iterable[str]) -> None:
    """Offer the thresholds on every threshold select of `form`, the body's own included."""
    codes = threshold_choices(stored)
    for name, _, _, usual in THRESHOLD_FIELDS:
        form[name].choices = [SelectChoice("", f"The usual: {rule_label(usual).lower()}")] + [
            SelectChoice(code, rule_label(code)) for code in codes
        ]


def _optional_text(label: str, limit: int) -> StringField:
    checks = [Length(max=limit, message=f"Use at most {limit} characters.")]
    return StringField(label, validators=checks, filters=[strip])


def _measure(value: str | None) -> str | None:
    # The sentence reads "... as an emergency ordinance": the admin need not type the "as".
    value = strip(value)
    return value[3:].strip() if value and value.lower().startswith("as ") else value


class ThresholdFields:
    """The threshold selects and the "Write a threshold" fields of the body form."""

    rule_key = SelectField(
        "The motion it is for",
        choices=[SelectChoice("", "None: write no threshold")]
        + [SelectChoice(key, label) for _, key, label, _ in THRESHOLD_FIELDS],
        default="",
        **from_list("a kind of motion from the list"),
    )
    rule_fraction = SelectField(
        "Votes needed",
        choices=[SelectChoice(k, label) for k, (label, _) in FRACTIONS.items()],
        default="majority",
        **from_list("a fraction from the list"),
    )
    rule_votes = IntegerField(
        "Number of votes",
        validators=[Optional()],
        invalid_value_message="Enter a whole number of votes, like 5.",
    )
    rule_base = SelectField(
        "Of",
        choices=[SelectChoice(b.value, label) for b, label in BASE_LABELS.items()],
        coerce=Base,
        default=Base.PRESENT_VOTING,
        **from_list("what the fraction is taken of"),
    )
    rule_floor = IntegerField(
        "Never less than (votes)",
        validators=[Optional()],
        invalid_value_message="Enter a whole number of votes, like 3.",
    )
    rule_condition = SelectField(
        "Condition",
        choices=[SelectChoice(k, label) for k, label in CONDITIONS.items()],
        default="",
        **from_list("a condition from the list"),
    )
    rule_fallback = SelectField(
        "Failing that, it passes with",
        choices=[SelectChoice("", "No fallback")]
        + [SelectChoice(code, rule_label(code)) for code in COMMON_THRESHOLDS],
        default="",
        **from_list("a fallback threshold from the list"),
    )
    rule_name = StringField(
        "Passing under the threshold, it passes as",
        validators=[Length(max=RULE_NAME_MAX, message=f"Use at most {RULE_NAME_MAX} characters.")],
        filters=[_measure],
    )
    rule_fallback_name = StringField(
        "Passing under the fallback, it passes as",
        validators=[Length(max=RULE_NAME_MAX, message=f"Use at most {RULE_NAME_MAX} characters.")],
        filters=[_measure],
    )
    rule_citation = _optional_text("Citation of the threshold", RULE_CITATION_MAX)


for _name, _key, _label, _usual in THRESHOLD_FIELDS:
    setattr(
        ThresholdFields,
        _name,
        SelectField(
            _label,
            choices=[SelectChoice("", f"The usual: {rule_label(_usual).lower()}")],
            default="",
            filters=[normal_code],
            **from_list("a threshold from the list"),
        ),
    )


def threshold_data(saved: dict[str, str]) -> dict[str, str]:
    """Return the form's threshold fields from a body's stored defaults."""
    return {name: normal_code(saved.get(key, "")) for name, key, _, _ in THRESHOLD_FIELDS}


def check_thresholds(form: Any, seats: int) -> None:
    """Put a message beside each threshold the body's seats cannot meet, and the written rule's.

    A fixed number of votes or a floor above the seats could never be reached.
    """
    for name, _, _, _ in THRESHOLD_FIELDS:
        code = form[name].data
        if code and is_threshold(code) and _too_many(parse_rule(code), seats):
            form[name].errors.append(
                f"This threshold needs more votes than the body's {seats} seats."
            )
    _check_written(form, seats)


def _too_many(rule: ThresholdRule, seats: int) -> bool:
    specs = [rule.spec, *(c.then for c in rule.conditions)]
    specs += [rule.fallback] if rule.fallback else []
    return any((s.votes or 0) > seats or (s.floor or 0) > seats for s in specs)


def _check_written(form: Any, seats: int) -> None:
    written = [form.rule_votes.data, form.rule_floor.data, form.rule_condition.data,
               form.rule_fallback.data, form.rule_name.data, form.rule_fallback_name.data,
               form.rule_citation.data]  # fmt: skip
    if not form.rule_key.data:
        if any(v not in (None, "") for v in written):
            form.rule_key.errors.append(
                "Choose the motion this threshold is for, or clear the threshold's fields."
            )
        return
    votes, floor = form.rule_votes.data, form.rule_floor.data
    if form.rule_fraction.data == "votes":
        if votes is None or not 1 <= votes <= seats:
            form.rule_votes.errors.append(
                f"A fixed number of votes must be between 1 and the body's {seats} seats."
            )
        if floor is not None:
            form.rule_floor.errors.append("A fixed number of votes has no floor; clear it.")
    else:
        if votes is not None:
            form.rule_votes.errors.append(
                "A number of votes goes only with “A fixed number of votes”; clear it."
            )
        if floor is not None and not 1 <= floor <= seats:
            form.rule_floor.errors.append(
                f"The floor must be between 1 and the body's {seats} seats."
            )
    if form.rule_fallback.data:
        if not form.rule_name.data:
            form.rule_name.errors.append(
                "A threshold with a fallback names what passes under it,"
                " like “an emergency ordinance”."
            )
        if not form.rule_fallback_name.data:
            form.rule_fallback_name.errors.append(
                "Name what passes under the fallback, like “an ordinary ordinance”."
            )
    elif form.rule_fallback_name.data:
        form.rule_fallback.errors.append("Choose the fallback threshold, or clear its name.")


def written_rule(form: Any) -> tuple[str, str] | None:
    """Return (threshold key, rule code) of the threshold written on a valid form, or None."""
    key = form.rule_key.data
    if not key:
        return None
    fraction = FRACTIONS[form.rule_fraction.data][1]
    if fraction is None:
        spec = ThresholdSpec(votes=form.rule_votes.data)
    else:
        numerator, denominator, more_than = fraction
        spec = ThresholdSpec(
            form.rule_base.data, numerator, denominator, more_than, form.rule_floor.data
        )
    conditions: tuple[Condition, ...] = ()
    if form.rule_condition.data:
        then = parse_spec(UNANIMOUS_ELIGIBLE)
        conditions = (Condition(Trigger(form.rule_condition.data), then),)
    fallback = form.rule_fallback.data
    rule = ThresholdRule(
        spec=spec,
        conditions=conditions,
        fallback=parse_spec(fallback) if fallback else None,
        name=form.rule_name.data or "",
        fallback_name=form.rule_fallback_name.data or "",
        citation=form.rule_citation.data or "",
    )
    return key, rule.code
