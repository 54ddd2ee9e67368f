"""Tests for the voting rules: quorum, thresholds, ballots, results and their wording."""

import ast
import sys
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agenda.votes import rules as rules_module
from agenda.votes.rules import (
    AbstentionPolicy,
    AttendanceRecord,
    AttendanceStatus,
    Ballot,
    BallotValue,
    MotionResult,
    QuorumRule,
    RuleViolation,
    Threshold,
    VotingRules,
    can_move_reconsideration,
    check_ballots,
    decide,
    has_quorum,
    present_at,
    prevailing_side,
    quorum_required,
    threshold_label,
    votes_required,
)

YES, NO, ABSTAIN, RECUSED, ABSENT = (
    BallotValue.YES,
    BallotValue.NO,
    BallotValue.ABSTAIN,
    BallotValue.RECUSED,
    BallotValue.ABSENT,
)
SEVEN = VotingRules(seats=7, abstention_policy=AbstentionPolicy.CONFLICT_ONLY)
SEVEN_ALLOWING_ABSTENTION = VotingRules(seats=7, abstention_policy=AbstentionPolicy.ALLOWED)
ROSTER = frozenset(range(1, 8))
CONFLICT = "Owns the property next to the site"


def roll_call(*values):
    """Build ballots for members 1, 2, 3... in order; RECUSED gets a stated conflict."""
    return [
        Ballot(pid, value, CONFLICT if value is RECUSED else None)
        for pid, value in enumerate(values, start=1)
    ]


def present_in(ballots):
    return {b.person_id for b in ballots if b.value is not ABSENT}


def decide_on(ballots, threshold=Threshold.MAJORITY_PRESENT, rules=SEVEN, roster=ROSTER):
    return decide(
        rules,
        threshold=threshold,
        roster_ids=roster,
        present_ids=present_in(ballots),
        ballots=ballots,
    )


# Quorum


@pytest.mark.parametrize(
    ("rules", "required"),
    [
        (VotingRules(seats=7), 4),
        (VotingRules(seats=6), 4),
        (VotingRules(seats=5), 3),
        (VotingRules(seats=7, quorum_rule=QuorumRule.TWO_THIRDS_OF_SEATS), 5),
        (VotingRules(seats=9, quorum_rule=QuorumRule.TWO_THIRDS_OF_SEATS), 6),
        (VotingRules(seats=7, quorum_rule=QuorumRule.FIXED_NUMBER, quorum_fixed=3), 3),
    ],
)
def test_quorum_required(rules, required):
    assert quorum_required(rules) == required


@pytest.mark.parametrize(
    "kwargs",
    [
        {"seats": 0},
        {"seats": 7, "quorum_rule": QuorumRule.FIXED_NUMBER},
        {"seats": 7, "quorum_rule": QuorumRule.FIXED_NUMBER, "quorum_fixed": 8},
        {"seats": 7, "quorum_rule": QuorumRule.FIXED_NUMBER, "quorum_fixed": 0},
        {"seats": 7, "quorum_fixed": 4},
    ],
)
def test_voting_rules_refuse_impossible_settings(kwargs):
    with pytest.raises(ValueError):
        VotingRules(**kwargs)


def test_exactly_quorum_is_quorum():
    assert has_quorum(SEVEN, {1, 2, 3, 4}, recused_ids=())


def test_one_short_of_quorum_is_no_quorum():
    assert not has_quorum(SEVEN, {1, 2, 3}, recused_ids=())


def test_nothing_passes_without_quorum():
    outcome = decide_on(roll_call(YES, YES, YES, ABSENT, ABSENT, ABSENT, ABSENT))

    assert outcome.result is MotionResult.FAILED
    assert not outcome.has_quorum
    assert outcome.absent == 4
    assert outcome.explanation == "No quorum: 3 of 7 members present, 4 required"


def test_recused_members_count_for_quorum_when_the_body_says_so():
    counting = VotingRules(seats=7, recused_count_for_quorum=True)
    not_counting = VotingRules(seats=7, recused_count_for_quorum=False)

    assert has_quorum(counting, {1, 2, 3, 4}, recused_ids={4})
    assert not has_quorum(not_counting, {1, 2, 3, 4}, recused_ids={4})
    # A recusal by someone not present changes nothing.
    assert has_quorum(not_counting, {1, 2, 3, 4}, recused_ids={5})


def test_no_quorum_explanation_says_recused_members_were_left_out():
    rules = VotingRules(seats=7, recused_count_for_quorum=False)
    ballots = roll_call(YES, YES, YES, RECUSED, ABSENT, ABSENT, ABSENT)

    outcome = decide_on(ballots, rules=rules)

    assert outcome.result is MotionResult.FAILED
    assert outcome.explanation == "No quorum: 3 of 7 members present and not recused, 4 required"
    assert decide_on(ballots, rules=SEVEN).result is MotionResult.PASSED


# Attendance over time

T = datetime(2025, 3, 4, 18, 0, tzinfo=UTC)


def at(hour, minute=0):
    return T.replace(hour=hour, minute=minute)


def test_late_arrival_counts_from_the_moment_of_arrival():
    records = [AttendanceRecord(1, AttendanceStatus.PRESENT, arrived_at=at(18, 30))]

    assert present_at(records, at(18, 29)) == frozenset()
    assert present_at(records, at(18, 30)) == {1}
    assert present_at(records, at(21)) == {1}


def test_early_departure_stops_counting_at_the_moment_of_leaving():
    records = [AttendanceRecord(1, AttendanceStatus.PRESENT, left_at=at(20))]

    assert present_at(records, at(19, 59)) == {1}
    assert present_at(records, at(20)) == frozenset()


def test_absent_members_are_never_present_and_stays_can_be_several():
    records = [
        AttendanceRecord(1, AttendanceStatus.ABSENT),
        AttendanceRecord(2, AttendanceStatus.PRESENT),
        AttendanceRecord(3, AttendanceStatus.PRESENT, left_at=at(19)),
        AttendanceRecord(3, AttendanceStatus.PRESENT, arrived_at=at(19, 30)),
    ]

    assert present_at(records, at(18)) == {2, 3}
    assert present_at(records, at(19, 15)) == {2}
    assert present_at(records, at(20)) == {2, 3}


# Thresholds


@pytest.mark.parametrize(
    ("threshold", "counts", "required"),
    [
        (Threshold.MAJORITY_CAST, {"present": 7, "recused": 0, "cast": 7}, 4),
        (Threshold.MAJORITY_CAST, {"present": 7, "recused": 0, "cast": 5}, 3),
        (Threshold.MAJORITY_CAST, {"present": 7, "recused": 0, "cast": 6}, 4),
        (Threshold.MAJORITY_PRESENT, {"present": 7, "recused": 0, "cast": 5}, 4),
        (Threshold.MAJORITY_PRESENT, {"present": 5, "recused": 1, "cast": 4}, 3),
        (Threshold.MAJORITY_PRESENT, {"present": 6, "recused": 1, "cast": 5}, 3),
        (Threshold.MAJORITY_FULL, {"present": 4, "recused": 0, "cast": 4}, 4),
        (Threshold.MAJORITY_FULL, {"present": 7, "recused": 2, "cast": 5}, 4),
        (Threshold.TWO_THIRDS_PRESENT, {"present": 7, "recused": 0, "cast": 7}, 5),
        (Threshold.TWO_THIRDS_PRESENT, {"present": 7, "recused": 1, "cast": 6}, 4),
        (Threshold.TWO_THIRDS_FULL, {"present": 5, "recused": 0, "cast": 5}, 5),
        (Threshold.FOUR_FIFTHS_FULL, {"present": 7, "recused": 0, "cast": 7}, 6),
        (Threshold.UNANIMOUS_PRESENT, {"present": 7, "recused": 1, "cast": 6}, 6),
        (Threshold.UNANIMOUS_PRESENT, {"present": 3, "recused": 3, "cast": 0}, 1),
    ],
)
def test_votes_required(threshold, counts, required):
    assert votes_required(threshold, seats=7, **counts) == required


@pytest.mark.parametrize(
    "counts",
    [
        {"present": 3, "recused": 4, "cast": 0},
        {"present": 5, "recused": 1, "cast": 5},
        {"present": 5, "recused": -1, "cast": 0},
    ],
)
def test_votes_required_refuses_impossible_counts(counts):
    with pytest.raises(ValueError):
        votes_required(Threshold.MAJORITY_CAST, seats=7, **counts)


@pytest.mark.parametrize(
    ("threshold", "label"),
    [
        (Threshold.MAJORITY_CAST, "Majority of votes cast"),
        (Threshold.MAJORITY_PRESENT, "Majority of members present"),
        (Threshold.MAJORITY_FULL, "Majority of the full body"),
        (Threshold.TWO_THIRDS_PRESENT, "Two-thirds of members present"),
        (Threshold.TWO_THIRDS_FULL, "Two-thirds of the full body"),
        (Threshold.FOUR_FIFTHS_FULL, "Four-fifths of the full body"),
        (Threshold.UNANIMOUS_PRESENT, "Unanimous vote of members present"),
    ],
)
def test_threshold_label(threshold, label):
    assert threshold_label(threshold) == label


# Results and their wording


def test_the_287g_vote_passes_six_to_one():
    outcome = decide_on(roll_call(YES, YES, YES, NO, YES, YES, YES))

    assert outcome.result is MotionResult.PASSED
    assert outcome.tally == "6-1"
    assert (outcome.yes, outcome.no, outcome.abstain, outcome.recused, outcome.absent) == (
        6,
        1,
        0,
        0,
        0,
    )
    assert outcome.required == 4
    assert outcome.explanation == "Passed 6-1 (4 votes required: majority of the 7 members present)"


def test_a_tie_fails():
    outcome = decide_on(roll_call(YES, NO, YES, NO, YES, NO, ABSENT), Threshold.MAJORITY_CAST)

    assert outcome.result is MotionResult.FAILED
    assert outcome.explanation == "Failed 3-3 (tie)"


def test_four_fifths_of_seven_fails_five_to_two():
    outcome = decide_on(roll_call(YES, YES, YES, YES, YES, NO, NO), Threshold.FOUR_FIFTHS_FULL)

    assert outcome.result is MotionResult.FAILED
    assert outcome.required == 6
    assert outcome.explanation == (
        "Failed 5-2 (6 votes required: four-fifths of the full body of 7 seats)"
    )


def test_four_fifths_of_seven_passes_six_to_one():
    outcome = decide_on(roll_call(YES, YES, YES, YES, YES, YES, NO), Threshold.FOUR_FIFTHS_FULL)

    assert outcome.result is MotionResult.PASSED
    assert outcome.explanation == (
        "Passed 6-1 (6 votes required: four-fifths of the full body of 7 seats)"
    )


def test_two_thirds_of_seven_is_five():
    ballots = roll_call(YES, YES, YES, YES, YES, NO, NO)

    assert decide_on(ballots, Threshold.TWO_THIRDS_FULL).explanation == (
        "Passed 5-2 (5 votes required: two-thirds of the full body of 7 seats)"
    )
    assert decide_on(ballots, Threshold.TWO_THIRDS_PRESENT).explanation == (
        "Passed 5-2 (5 votes required: two-thirds of the 7 members present)"
    )
    fewer = roll_call(YES, YES, YES, YES, NO, NO, NO)
    assert decide_on(fewer, Threshold.TWO_THIRDS_FULL).result is MotionResult.FAILED


def test_majority_of_the_full_body_ignores_who_is_missing():
    outcome = decide_on(
        roll_call(YES, YES, YES, NO, ABSENT, ABSENT, ABSENT), Threshold.MAJORITY_FULL
    )

    assert outcome.explanation == (
        "Failed 3-1 (4 votes required: majority of the full body of 7 seats)"
    )


def test_abstentions_are_not_votes_cast():
    ballots = roll_call(YES, YES, YES, NO, NO, ABSTAIN, ABSTAIN)
    rules = SEVEN_ALLOWING_ABSTENTION

    cast = decide_on(ballots, Threshold.MAJORITY_CAST, rules=rules)
    present = decide_on(ballots, Threshold.MAJORITY_PRESENT, rules=rules)

    assert cast.abstain == 2
    assert cast.explanation == "Passed 3-2 (3 votes required: majority of the 5 votes cast)"
    assert present.explanation == "Failed 3-2 (4 votes required: majority of the 7 members present)"


def test_recusal_takes_the_member_out_of_the_denominator():
    ballots = roll_call(YES, YES, YES, NO, NO, RECUSED, ABSENT)

    outcome = decide_on(ballots, Threshold.MAJORITY_PRESENT)

    assert outcome.recused == 1
    assert outcome.result is MotionResult.PASSED
    assert outcome.explanation == (
        "Passed 3-2 (3 votes required: majority of the 5 members present and not recused)"
    )


def test_recusal_lowers_two_thirds_of_present_but_not_of_the_full_body():
    ballots = roll_call(YES, YES, YES, YES, NO, NO, RECUSED)

    assert decide_on(ballots, Threshold.TWO_THIRDS_PRESENT).explanation == (
        "Passed 4-2 (4 votes required: two-thirds of the 6 members present and not recused)"
    )
    assert decide_on(ballots, Threshold.TWO_THIRDS_FULL).explanation == (
        "Failed 4-2 (5 votes required: two-thirds of the full body of 7 seats)"
    )


def test_unanimous_means_every_member_present_who_is_not_recused():
    rules = SEVEN_ALLOWING_ABSTENTION
    recused = roll_call(YES, YES, YES, YES, YES, YES, RECUSED)
    abstained = roll_call(YES, YES, YES, YES, YES, YES, ABSTAIN)

    assert decide_on(recused, Threshold.UNANIMOUS_PRESENT, rules=rules).explanation == (
        "Passed 6-0 (6 votes required: unanimous vote of the 6 members present and not recused)"
    )
    assert decide_on(abstained, Threshold.UNANIMOUS_PRESENT, rules=rules).explanation == (
        "Failed 6-0 (7 votes required: unanimous vote of the 7 members present)"
    )


def test_wording_is_singular_for_one():
    rules = VotingRules(seats=1)

    outcome = decide_on([Ballot(1, YES)], Threshold.MAJORITY_CAST, rules=rules, roster={1})

    assert outcome.explanation == "Passed 1-0 (1 vote required: majority of the 1 vote cast)"


def test_a_vacant_seat_is_not_counted_absent():
    roster = ROSTER - {7}
    ballots = roll_call(YES, YES, YES, YES, NO, ABSENT)

    outcome = decide_on(ballots, Threshold.MAJORITY_FULL, roster=roster)

    assert outcome.absent == 1
    assert outcome.explanation == (
        "Passed 4-1 (4 votes required: majority of the full body of 7 seats)"
    )


# Refusals


def problems(ballots, rules=SEVEN, roster=ROSTER, present=None, names=None):
    present = present_in(ballots) if present is None else present
    return check_ballots(
        rules, roster_ids=roster, present_ids=present, ballots=ballots, names=names
    )


def test_a_complete_roll_call_is_accepted():
    assert problems(roll_call(YES, NO, YES, RECUSED, ABSENT, YES, YES)) == []


def test_refuses_a_ballot_from_someone_not_seated():
    ballots = [*roll_call(YES, YES, YES, YES, YES, YES, YES), Ballot(8, YES)]

    assert problems(ballots) == [
        "Member 8 is not a seated member on the meeting date and cannot vote"
    ]


def test_refuses_a_vote_from_an_absent_member_by_name():
    ballots = roll_call(YES, YES, YES, YES, YES, YES, NO)
    names = {7: "Commissioner Rivera"}

    assert problems(ballots, present=set(range(1, 7)), names=names) == [
        "Commissioner Rivera is absent and cannot vote"
    ]


def test_refuses_recording_a_present_member_as_absent():
    ballots = roll_call(YES, YES, YES, YES, YES, YES, ABSENT)

    assert problems(ballots, present=ROSTER) == [
        "Member 7 is present and cannot be recorded as absent"
    ]


def test_refuses_a_missing_vote_from_a_present_member():
    ballots = roll_call(YES, YES, YES, YES, YES)

    assert problems(ballots, present=ROSTER) == [
        "Member 6 is present and has no recorded vote",
        "Member 7 is present and has no recorded vote",
    ]


def test_refuses_two_votes_from_one_member_once():
    ballots = [*roll_call(YES, YES, YES, YES, YES, YES, YES), Ballot(3, NO), Ballot(3, NO)]

    assert problems(ballots) == ["Member 3 has more than one vote on this motion"]


def test_refuses_abstention_when_only_a_conflict_excuses_a_member():
    ballots = roll_call(YES, YES, YES, YES, YES, YES, ABSTAIN)

    assert problems(ballots, names={7: "Commissioner Lee"}) == [
        "Commissioner Lee cannot abstain. Under this body's rules a member who is present must"
        " vote; abstaining requires declaring a conflict (recusal with a reason)"
    ]
    assert problems(ballots, rules=SEVEN_ALLOWING_ABSTENTION) == []


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_refuses_a_recusal_without_a_stated_conflict(reason):
    ballots = [*roll_call(YES, YES, YES, YES, YES, YES), Ballot(7, RECUSED, reason)]

    assert problems(ballots) == ["Member 7 recused without stating the conflict"]


def test_decide_refuses_an_invalid_roll_call_with_every_message():
    ballots = [*roll_call(YES, YES, YES, YES, ABSTAIN), Ballot(6, RECUSED)]

    with pytest.raises(RuleViolation) as refused:
        decide(
            SEVEN,
            threshold=Threshold.MAJORITY_PRESENT,
            roster_ids=ROSTER,
            present_ids=ROSTER,
            ballots=ballots,
        )

    assert len(refused.value.messages) == 3
    assert "Member 7 is present and has no recorded vote" in str(refused.value)


# Reconsideration


def test_only_the_prevailing_side_may_move_to_reconsider():
    ballots = roll_call(YES, YES, YES, YES, YES, NO, NO)
    passed = decide_on(ballots, Threshold.MAJORITY_PRESENT).result
    failed = decide_on(ballots, Threshold.FOUR_FIFTHS_FULL).result

    assert prevailing_side(ballots, passed) == {1, 2, 3, 4, 5}
    assert can_move_reconsideration(ballots, passed, 1)
    assert not can_move_reconsideration(ballots, passed, 6)
    # A motion that failed for want of a supermajority: the side that won is the "no" side.
    assert can_move_reconsideration(ballots, failed, 6)
    assert not can_move_reconsideration(ballots, failed, 1)


def test_abstaining_or_recused_members_cannot_move_to_reconsider():
    ballots = roll_call(YES, YES, YES, YES, NO, ABSTAIN, RECUSED)

    assert not can_move_reconsideration(ballots, MotionResult.PASSED, 6)
    assert not can_move_reconsideration(ballots, MotionResult.PASSED, 7)


# The module stays pure and its stored values stay put


def test_rules_imports_only_the_standard_library():
    tree = ast.parse(Path(rules_module.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    ours = {name for name in imported if name.split(".")[0] == "agenda"}

    assert "flask" not in imported
    assert "sqlalchemy" not in imported
    # Only other pure rules and the base's pure helpers, never models or operations.
    base = {"agenda.errors", "agenda.text", "agenda.timefmt"}
    assert all(name.endswith(".rules") or name in base for name in ours), ours
    assert {name.split(".")[0] for name in imported - ours} <= set(sys.stdlib_module_names) | {
        "__future__"
    }


def test_stored_enum_values_do_not_change():
    assert [t.value for t in Threshold] == [
        "majority_cast",
        "majority_present",
        "majority_full",
        "two_thirds_present",
        "two_thirds_full",
        "four_fifths_full",
        "unanimous_present",
    ]
    assert [v.value for v in BallotValue] == [
        "yes",
        "no",
        "abstain",
        "recused",
        "absent",
        "not_voting",
    ]
    assert [q.value for q in QuorumRule] == [
        "majority_of_seats",
        "two_thirds_of_seats",
        "fixed_number",
    ]
    assert [p.value for p in AbstentionPolicy] == [
        "allowed",
        "conflict_only",
        "with_majority",
        "as_no",
        "with_consent",
        "silence_as_yes",
    ]


# Properties


@st.composite
def valid_roll_calls(draw):
    seats = draw(st.integers(min_value=1, max_value=9))
    roster = draw(st.sets(st.integers(min_value=1, max_value=seats)))
    quorum_rule = draw(st.sampled_from(QuorumRule))
    fixed = draw(st.integers(1, seats)) if quorum_rule is QuorumRule.FIXED_NUMBER else None
    rules = VotingRules(
        seats=seats,
        quorum_rule=quorum_rule,
        quorum_fixed=fixed,
        abstention_policy=AbstentionPolicy.ALLOWED,
        recused_count_for_quorum=draw(st.booleans()),
    )
    ballots = []
    for pid in sorted(roster):
        if draw(st.booleans()):
            value = draw(st.sampled_from([YES, NO, ABSTAIN, RECUSED]))
            ballots.append(Ballot(pid, value, CONFLICT if value is RECUSED else None))
        elif draw(st.booleans()):
            ballots.append(Ballot(pid, ABSENT))
    present = {b.person_id for b in ballots if b.value is not ABSENT}
    return rules, roster, present, ballots, draw(st.sampled_from(Threshold))


def decide_roll_call(rules, roster, present, ballots, threshold):
    return decide(
        rules, threshold=threshold, roster_ids=roster, present_ids=present, ballots=ballots
    )


@given(valid_roll_calls())
def test_every_well_formed_roll_call_is_accepted(case):
    rules, roster, present, ballots, _ = case
    assert check_ballots(rules, roster_ids=roster, present_ids=present, ballots=ballots) == []


@given(valid_roll_calls(), st.data())
def test_result_does_not_depend_on_ballot_order(case, data):
    rules, roster, present, ballots, threshold = case
    shuffled = data.draw(st.permutations(ballots))

    assert decide_roll_call(rules, roster, present, shuffled, threshold) == decide_roll_call(*case)


@given(valid_roll_calls(), st.data())
def test_turning_a_no_into_a_yes_never_defeats_a_motion(case, data):
    rules, roster, present, ballots, threshold = case
    noes = [i for i, b in enumerate(ballots) if b.value is NO]
    before = decide_roll_call(*case)
    if not noes:
        return
    i = data.draw(st.sampled_from(noes))
    after_ballots = [*ballots[:i], Ballot(ballots[i].person_id, YES), *ballots[i + 1 :]]

    after = decide_roll_call(rules, roster, present, after_ballots, threshold)

    if before.result is MotionResult.PASSED:
        assert after.result is MotionResult.PASSED


@given(valid_roll_calls())
def test_a_passed_motion_had_quorum_more_yes_than_no_and_enough_yes(case):
    outcome = decide_roll_call(*case)

    if not outcome.has_quorum:
        assert outcome.result is MotionResult.FAILED
        assert outcome.explanation.startswith("No quorum: ")
    if outcome.result is MotionResult.PASSED:
        assert outcome.yes > outcome.no
        assert outcome.yes >= outcome.required
        assert outcome.explanation.startswith(f"Passed {outcome.tally} (")


@given(valid_roll_calls())
def test_majority_of_votes_cast_passes_exactly_when_yes_beats_no(case):
    rules, roster, present, ballots, _ = case
    outcome = decide_roll_call(rules, roster, present, ballots, Threshold.MAJORITY_CAST)

    assert (outcome.result is MotionResult.PASSED) == (
        outcome.has_quorum and outcome.yes > outcome.no
    )


@st.composite
def counts(draw):
    seats = draw(st.integers(min_value=1, max_value=60))
    present = draw(st.integers(min_value=0, max_value=seats))
    recused = draw(st.integers(min_value=0, max_value=present))
    cast = draw(st.integers(min_value=0, max_value=present - recused))
    return {"seats": seats, "present": present, "recused": recused, "cast": cast}


FRACTIONS = {
    Threshold.TWO_THIRDS_PRESENT: Fraction(2, 3),
    Threshold.TWO_THIRDS_FULL: Fraction(2, 3),
    Threshold.FOUR_FIFTHS_FULL: Fraction(4, 5),
    Threshold.UNANIMOUS_PRESENT: Fraction(1),
}


def denominator(threshold, c):
    if threshold is Threshold.MAJORITY_CAST:
        return c["cast"]
    if threshold.value.endswith("_full"):
        return c["seats"]
    return c["present"] - c["recused"]


@given(st.sampled_from(Threshold), counts())
def test_required_votes_are_the_smallest_whole_number_meeting_the_fraction(threshold, c):
    n = denominator(threshold, c)
    required = votes_required(threshold, **c)

    if threshold in FRACTIONS:
        meets = [k for k in range(1, n + 2) if Fraction(k, max(n, 1)) >= FRACTIONS[threshold]]
    else:
        meets = [k for k in range(1, n + 2) if Fraction(k, max(n, 1)) > Fraction(1, 2)]
    assert required == min(meets)
    # Never more than the denominator, except when nobody counts and nothing can pass.
    assert required <= n or (n == 0 and required == 1)
