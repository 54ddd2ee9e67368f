"""The body form and a body's settings, each into the other, and what the form's rules say."""

from __future__ import annotations

from typing import Any

from agenda.admin.body_forms import BodyForm, seat_titles
from agenda.admin.rule_forms import THRESHOLD_FIELDS, threshold_data, written_rule
from agenda.bodies.models import Body
from agenda.bodies.operations import BODY_FIELDS, preset_settings
from agenda.bodies.queries import VOTING_SETTINGS, voting_settings
from agenda.bodies.rules import PresidingVote, QuorumRule, RulesPreset
from agenda.meetings.rules import DEFAULT_SECTIONS
from agenda.votes.rules import VotingRules, abstention_sentence, quorum_sentence


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


def body_data(body: Body) -> dict[str, Any]:
    """Return the form's fields from a body's stored settings, seats and sections."""
    return {
        **{name: getattr(body, name) for name in BODY_FIELDS},
        "seat_titles": "\n".join(s.title for s in body.seat_list),
        **threshold_data(body.default_thresholds or {}),
        **section_data(body.section_template),
    }


def new_body_data(settings: dict[str, Any]) -> dict[str, Any]:
    """Return the new body form's fields from `new_body_settings`."""
    settings = dict(settings)
    titles = settings.pop("seat_titles") or ["Mayor", "Commissioner"]
    thresholds = settings.pop("default_thresholds")
    return {
        **settings,
        **threshold_data(thresholds),
        **section_data(None),
        "seat_titles": "\n".join(titles),
        "is_unanimous_consent_allowed": True,  # as the column's default
    }


def preset_data(preset: RulesPreset, presiding_seat: int | None = None) -> dict[str, Any]:
    """Return the form's voting fields as a preset sets them (its thresholds replace others)."""
    settings = preset_settings(preset, presiding_seat)
    thresholds = settings.pop("default_thresholds")
    return {**settings, **threshold_data(thresholds)}


def body_values(form: BodyForm) -> dict[str, Any]:
    """Return the operation's keyword arguments from a valid body form."""
    # Every stored setting the form edits directly; seats, thresholds and sections are built.
    built = {"seats", "default_thresholds", "section_template"}
    values = {name: form[name].data for name in BODY_FIELDS if name not in built}
    values["default_location"] = values["default_location"] or ""
    values["default_thresholds"] = {
        key: form[name].data for name, key, _, _ in THRESHOLD_FIELDS if form[name].data
    }
    written = written_rule(form)
    if written is not None:
        key, code = written
        values["default_thresholds"][key] = code
    values["rules_citation"] = values["rules_citation"] or ""
    values["section_template"] = section_template(form)
    return {**values, "titles": seat_titles(form.seat_titles.data)}


def form_sentences(form: BodyForm) -> dict[str, str]:
    """Say what the form's quorum and abstention settings mean, as the engine counts them."""
    seats = len(seat_titles(form.seat_titles.data)) or 1
    rules = _rules(form, seats)
    return {
        "quorum": quorum_sentence(seats, form.quorum_rule.data, form.quorum_fixed.data, rules),
        "abstention": abstention_sentence(form.abstention_policy.data),
    }


# Quorum aside (quorum_sentence checks the form's), the settings come from the form.
_QUORUM = {"quorum_rule": QuorumRule.MAJORITY_OF_SEATS, "quorum_fixed": None}
_NOBODY_APART = {
    "has_presiding_seat": False,
    "presiding_vote": PresidingVote.ALWAYS,
    "presiding_counted_for_quorum": True,
    "presiding_seat_counted": True,
}


def _rules(form: BodyForm, seats: int) -> VotingRules:
    names = [c for c in VOTING_SETTINGS if c not in {"seats", *_QUORUM}] + ["presiding_seat"]
    values = {name: form[name].data for name in names}
    settings = voting_settings({**values, **_QUORUM, "seats": seats})
    try:
        return VotingRules(**settings)
    except ValueError:
        # Presiding settings the save will refuse: say quorum as if nobody presided apart.
        return VotingRules(**{**settings, **_NOBODY_APART})
