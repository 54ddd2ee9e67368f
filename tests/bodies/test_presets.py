"""The voting-rule presets a jurisdiction picks at setup: labels, citations and what they decide."""

from __future__ import annotations

import pytest

from agenda.bodies.rules import (
    PRESETS,
    AbstentionPolicy,
    PresetSettings,
    PresidingVote,
    QuorumRule,
    RulesPreset,
    SeatBase,
)
from agenda.matters.rules import MatterType
from agenda.votes.rules import (
    Ballot,
    BallotValue,
    MotionKind,
    MotionResult,
    Presence,
    Roll,
    VotingRules,
    decide,
    default_threshold,
    parse_rule,
    quorum_required,
    quorum_sentence,
    threshold_key,
)

ALL = list(RulesPreset)
ORDINANCE = MatterType.ORDINANCE.value


def rules_of(preset: PresetSettings, seats: int | None = None) -> VotingRules:
    """The engine's settings for a body started from `preset`, its usual seats by default."""
    presiding = (
        preset.presiding_vote is not PresidingVote.ALWAYS
        or not preset.is_presiding_seat_counted
        or not preset.is_presiding_counted_for_quorum
    )
    return VotingRules(
        seats=seats or len(preset.seat_titles) or 5,
        quorum_rule=preset.quorum_rule,
        abstention_policy=preset.abstention_policy,
        recused_count_for_quorum=preset.is_recused_counted_for_quorum,
        seat_base=preset.seat_base,
        full_body_less_recused=preset.is_full_body_less_recused,
        has_presiding_seat=presiding,
        presiding_vote=preset.presiding_vote,
        presiding_counted_for_quorum=preset.is_presiding_counted_for_quorum,
        presiding_seat_counted=preset.is_presiding_seat_counted,
        in_person_quorum=preset.is_in_person_quorum,
        unexcused_departure_present=preset.is_unexcused_departure_present,
        tie_continues=preset.is_tie_continued,
        citation=preset.citation,
    )


def test_every_preset_is_offered():
    assert set(PRESETS) == set(RulesPreset)


@pytest.mark.parametrize("name", ALL)
def test_every_preset_has_a_label_and_a_one_line_citation(name):
    preset = PRESETS[name]

    assert preset.label.strip() == preset.label != ""
    assert preset.citation.strip() == preset.citation != ""
    assert "\n" not in preset.label + preset.citation
    assert len(preset.citation) <= 100


@pytest.mark.parametrize("name", ALL)
def test_every_default_threshold_reads_and_has_a_known_key(name):
    keys = {threshold_key(kind) for kind in MotionKind if kind is not MotionKind.MAIN}
    keys |= {threshold_key(MotionKind.MAIN, t.value) for t in MatterType}
    keys.add(threshold_key(MotionKind.MAIN))

    for key, code in PRESETS[name].default_thresholds.items():
        assert key in keys
        assert parse_rule(code).code == code


@pytest.mark.parametrize("name", ALL)
def test_every_preset_makes_valid_rules(name):
    rules = rules_of(PRESETS[name])

    assert quorum_required(rules) >= 1
    assert quorum_sentence(rules.seats, rules.quorum_rule, None, rules).startswith("With ")


def test_the_florida_preset_follows_chernoff_on_recusals_and_quorum():
    """Chernoff v. City of North Miami Beach (Fla. 3d DCA 2024): recused members do not count
    toward quorum. Key West, 7 seats, 4 present with one recused: no quorum."""
    florida = PRESETS[RulesPreset.FLORIDA]
    rules = rules_of(florida)
    ballots = [Ballot(1, BallotValue.YES), Ballot(2, BallotValue.YES), Ballot(3, BallotValue.NO)]
    ballots += [Ballot(4, BallotValue.RECUSED, "Owns the parcel")]
    ballots += [Ballot(pid, BallotValue.ABSENT) for pid in (5, 6, 7)]
    roll = Roll(7, {b.person_id: _where(b) for b in ballots})

    assert not florida.is_recused_counted_for_quorum
    assert "Chernoff" in florida.citation
    assert florida.abstention_policy is AbstentionPolicy.CONFLICT_ONLY
    outcome = decide(rules, threshold="majority:present_voting", ballots=ballots, roll=roll)
    assert outcome.explanation.startswith("No quorum: 3 of 7 members present and not recused")


def test_the_florida_preset_is_key_west():
    """Key West: a mayor and six commissioners, seven votes, four a quorum (PRODUCT.md)."""
    florida = PRESETS[RulesPreset.FLORIDA]

    assert florida.seat_titles == ("Mayor",) + ("Commissioner",) * 6
    assert quorum_required(rules_of(florida)) == 4


def test_the_north_carolina_preset():
    """N.C.G.S. 160A-69 (the mayor votes only on a tie), 160A-74 (quorum: a majority of the
    actual membership plus the mayor, vacant seats excluded; 5 council members and the mayor:
    4), 160A-75 (ordinances need a majority of the members not excused; silence is yes)."""
    nc = PRESETS[RulesPreset.NORTH_CAROLINA]
    rules = rules_of(nc)
    roll = Roll(6, dict.fromkeys(range(1, 7), Presence.IN_PERSON), presiding_id=1)

    assert (nc.presiding_vote, nc.seat_base) == (PresidingVote.TIE_ONLY, SeatBase.FILLED)
    assert nc.abstention_policy is AbstentionPolicy.SILENCE_AS_YES
    assert quorum_required(rules, roll) == 4
    ordinance = default_threshold(
        MotionKind.MAIN, is_legislation=True, matter_type=ORDINANCE, overrides=nc.default_thresholds
    )
    assert ordinance == "majority:not_excused"


def test_the_california_preset_needs_a_majority_of_the_total_membership():
    """Cal. Gov. Code 36936: an ordinance passes on a majority of the total membership; a
    council of 5 with 3 present adopts it only 3-0."""
    california = PRESETS[RulesPreset.CALIFORNIA]
    rules = rules_of(california)
    code = default_threshold(
        MotionKind.MAIN,
        is_legislation=True,
        matter_type=ORDINANCE,
        overrides=california.default_thresholds,
    )
    roll = Roll(
        5, {pid: Presence.IN_PERSON if pid <= 3 else Presence.ABSENT for pid in range(1, 6)}
    )
    split = [Ballot(1, BallotValue.YES), Ballot(2, BallotValue.YES), Ballot(3, BallotValue.NO)]
    split += [Ballot(4, BallotValue.ABSENT), Ballot(5, BallotValue.ABSENT)]

    outcome = decide(rules, threshold=code, ballots=split, roll=roll)

    assert code == "majority:full"
    assert (outcome.required, outcome.result) == (3, MotionResult.FAILED)
    assert outcome.explanation.endswith("; Cal. Gov. Code 36810, 36936, 36937, 54954.2)")


def test_the_minnesota_preset_leaves_a_disqualified_member_out_of_all_members():
    """Minn. Stat. 412.191 and Minnesota case law: a majority of all members, less members
    disqualified by interest. Council of 5 with two recused: 2-1 is a majority of the 3 others
    (2 votes); counted against all 5 it would need 3."""
    minnesota = PRESETS[RulesPreset.MINNESOTA]
    rules = rules_of(minnesota)
    ballots = [Ballot(1, BallotValue.YES), Ballot(2, BallotValue.YES), Ballot(3, BallotValue.NO)]
    ballots += [Ballot(pid, BallotValue.RECUSED, "Owns the parcel") for pid in (4, 5)]
    roll = Roll(5, dict.fromkeys(range(1, 6), Presence.IN_PERSON))

    outcome = decide(rules, threshold="majority:full", ballots=ballots, roll=roll)

    assert minnesota.is_full_body_less_recused
    assert (outcome.required, outcome.result) == (2, MotionResult.PASSED)


def test_the_general_preset_is_roberts_rules():
    """RONR (12th ed.) 40:3, 44:1, 45:3: quorum a majority of the membership, a majority of
    votes cast, abstaining allowed; it changes none of the engine's defaults."""
    general = PRESETS[RulesPreset.GENERAL]

    assert rules_of(general, 7) == VotingRules(seats=7, citation=general.citation)
    assert general.quorum_rule is QuorumRule.MAJORITY_OF_SEATS


def _where(ballot: Ballot) -> Presence:
    return Presence.ABSENT if ballot.value is BallotValue.ABSENT else Presence.IN_PERSON
