"""A preset's settings as a body stores them, and a body's settings as the engine reads them."""

from __future__ import annotations

import pytest

from agenda.bodies.operations import BODY_FIELDS, PRESET_FIELDS, preset_settings
from agenda.bodies.queries import VOTING_SETTINGS, voting_settings
from agenda.bodies.rules import PRESETS, PresidingVote, RulesPreset
from agenda.votes.rules import VotingRules, is_threshold


@pytest.mark.parametrize("preset", list(RulesPreset))
def test_each_presets_settings_make_valid_rules_for_its_usual_seats(preset):
    found = PRESETS[preset]
    stored = preset_settings(preset)
    assert set(stored) <= set(BODY_FIELDS)
    assert stored["rules_citation"] == found.citation
    assert stored["default_thresholds"] == found.default_thresholds
    assert all(is_threshold(code) for code in stored["default_thresholds"].values())
    seats = len(found.seat_titles) or 5
    rules = VotingRules(**voting_settings({**stored, "seats": seats, "quorum_fixed": None}))
    assert rules.citation == found.citation
    assert rules.presiding_vote is found.presiding_vote
    assert rules.seat_base is found.seat_base
    assert rules.full_body_less_recused is found.is_full_body_less_recused


def test_a_preset_that_sets_the_mayor_apart_presides_from_seat_one_unless_told():
    """N.C.G.S. 160A-69: the mayor votes only on a tie, so the mayor's seat presides."""
    assert preset_settings(RulesPreset.NORTH_CAROLINA)["presiding_seat"] == 1
    assert preset_settings(RulesPreset.NORTH_CAROLINA, presiding_seat=3)["presiding_seat"] == 3
    assert preset_settings(RulesPreset.GENERAL)["presiding_seat"] is None
    assert preset_settings(RulesPreset.FLORIDA, presiding_seat=2)["presiding_seat"] == 2


def test_a_preset_sets_every_setting_it_has():
    names = set(PRESET_FIELDS)
    assert names <= set(BODY_FIELDS)
    for preset in PRESETS.values():
        assert names <= set(vars(preset))


def test_the_engine_reads_every_stored_voting_setting():
    assert set(VOTING_SETTINGS.values()) | {"has_presiding_seat"} == set(
        VotingRules.__dataclass_fields__
    )
    stored = preset_settings(RulesPreset.GENERAL) | {"seats": 7, "quorum_fixed": None}
    assert voting_settings(stored)["has_presiding_seat"] is False
    presiding = voting_settings(stored | {"presiding_seat": 2})
    assert presiding["has_presiding_seat"] is True
    assert VotingRules(**presiding).presiding_vote is PresidingVote.ALWAYS
