"""The voting rules at every fraction's and base's boundary, and their invariants by hypothesis."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from agenda.bodies.rules import AbstentionPolicy, PresidingVote, QuorumRule, SeatBase
from agenda.votes.rules import (
    PRESENT_KINDS,
    Ballot,
    BallotValue,
    Base,
    Condition,
    MotionKind,
    MotionResult,
    Presence,
    Roll,
    ThresholdRule,
    ThresholdSpec,
    Trigger,
    VotingRules,
    check_ballots,
    decide,
    parse_rule,
    parse_spec,
    quorum_required,
    roll_from_snapshot,
    rules_from_snapshot,
    snapshot,
)

Y, N, A, R, X, NV = (
    BallotValue.YES,
    BallotValue.NO,
    BallotValue.ABSTAIN,
    BallotValue.RECUSED,
    BallotValue.ABSENT,
    BallotValue.NOT_VOTING,
)
CONFLICT = "Owns the parcel next to the site"

# Boundaries: for each fraction and base, the exact number of votes passes and one fewer fails.

FRACTIONS = {
    "majority": None,  # more than half
    "2/3": Fraction(2, 3),
    "3/4": Fraction(3, 4),
    "3/5": Fraction(3, 5),
    "4/5": Fraction(4, 5),
    "all": Fraction(1),
}


def exact(fraction: str, n: int) -> int:
    """The fewest whole votes meeting the fraction of `n`, worked out apart from the engine."""
    share = FRACTIONS[fraction]
    if share is None:
        return next(k for k in range(1, n + 2) if Fraction(k, n) > Fraction(1, 2))
    return next(k for k in range(1, n + 1) if Fraction(k, n) >= share)


def scene(base: Base, n: int, yes: int) -> tuple[VotingRules, Roll, list[Ballot]]:
    """A body whose `base` counts `n` while the bases beside it count more, and `yes` of the
    n voters voting yes and the rest no (so the votes cast stay n)."""
    rules = VotingRules(seats=n + 2)
    vacancies = 0
    others: list[BallotValue] = []  # the two members beyond the n voters
    if base is Base.CAST:
        others = [A, A]  # 2 abstain: n + 2 present, n cast
    elif base is Base.PRESENT:
        others = [X, X]  # 2 absent: n present out of n + 2 seats
    elif base in (Base.PRESENT_VOTING, Base.NOT_EXCUSED):
        others = [R, R]  # 2 recused: n + 2 present, n voting, n not excused
    elif base is Base.FULL:
        rules, vacancies = VotingRules(seats=n + 2, seat_base=SeatBase.FILLED), 2
    elif base is Base.FILLED:
        vacancies = 2  # n filled of n + 2 authorized
    else:
        rules = VotingRules(seats=n)  # every authorized seat filled and present
    values = [Y] * yes + [N] * (n - yes) + others
    ballots = [
        Ballot(pid, value, CONFLICT if value is R else None)
        for pid, value in enumerate(values, start=1)
    ]
    presence = {
        b.person_id: Presence.ABSENT if b.value is X else Presence.IN_PERSON for b in ballots
    }
    return rules, Roll(seats=rules.seats, presence=presence, vacancies=vacancies), ballots


@pytest.mark.parametrize("n", [5, 7, 9, 10])
@pytest.mark.parametrize("base", list(Base))
@pytest.mark.parametrize("fraction", list(FRACTIONS))
def test_the_exact_count_passes_and_one_fewer_fails(fraction, base, n):
    needed = exact(fraction, n)
    code = f"{fraction}:{base.value}"
    outcomes = []
    for yes in (needed, needed - 1):
        rules, roll, ballots = scene(base, n, yes)
        outcomes.append(decide(rules, threshold=code, roll=roll, ballots=ballots))
    at, below = outcomes

    assert (at.required, at.result) == (needed, MotionResult.PASSED)
    assert (below.required, below.result) == (needed, MotionResult.FAILED)


@pytest.mark.parametrize(
    ("code", "n", "required"),
    [
        ("over:2/3:cast", 6, 5),  # more than two-thirds of 6 (4 is exactly two-thirds)
        ("over:2/3:cast", 7, 5),
        ("1/2:cast", 6, 3),  # at least half: a tie would meet it, but a tie still fails
        ("majority:cast:min3", 3, 3),
        ("majority:cast:min3", 6, 4),
        ("votes:5", 9, 5),
        ("votes:5", 3, 5),
        ("majority:cast", 0, 1),
        ("all:present", 0, 1),
    ],
)
def test_more_than_floors_fixed_numbers_and_empty_bases(code, n, required):
    assert parse_spec(code).required(n) == required


def test_at_least_half_is_not_a_tie_breaker():
    """RONR 44:12: a tie fails even when the threshold is "at least half"."""
    ballots = [Ballot(1, Y), Ballot(2, Y), Ballot(3, N), Ballot(4, N)]

    outcome = decide(
        VotingRules(seats=4),
        threshold="1/2:cast",
        ballots=ballots,
        roster_ids=range(1, 5),
        present_ids=range(1, 5),
    )

    assert (outcome.required, outcome.result) == (2, MotionResult.FAILED)


# Properties over every setting, roll and threshold

SHARES = [
    (1, 2, True),
    (1, 2, False),
    (2, 3, False),
    (2, 3, True),
    (3, 4, False),
    (3, 5, False),
    (4, 5, False),
    (1, 1, False),
]


@st.composite
def specs(draw) -> ThresholdSpec:
    if draw(st.integers(0, 7)) == 0:
        return ThresholdSpec(votes=draw(st.integers(1, 9)))
    numerator, denominator, more_than = draw(st.sampled_from(SHARES))
    floor = draw(st.none() | st.integers(1, 5))
    return ThresholdSpec(draw(st.sampled_from(Base)), numerator, denominator, more_than, floor)


@st.composite
def threshold_rules(draw) -> ThresholdRule:
    conditions = draw(
        st.lists(
            st.builds(
                Condition,
                st.sampled_from(Trigger),
                specs(),
                st.just(2) | st.just(1),
                st.just(3) | st.just(2),
            ),
            max_size=2,
        )
    )
    fallback = draw(st.none() | specs())
    return ThresholdRule(
        draw(specs()),
        tuple(conditions),
        fallback,
        name=draw(st.sampled_from(["", "an emergency ordinance"])),
        fallback_name="an ordinary ordinance" if fallback else "",
        citation=draw(st.sampled_from(["", "Charter 2.05"])),
    )


@st.composite
def voting_rules(draw) -> VotingRules:
    seats = draw(st.integers(1, 9))
    presiding = draw(st.booleans())
    quorum_rule = draw(st.sampled_from(QuorumRule))
    return VotingRules(
        seats=seats,
        quorum_rule=quorum_rule,
        quorum_fixed=draw(st.integers(1, seats))
        if quorum_rule is QuorumRule.FIXED_NUMBER
        else None,
        abstention_policy=draw(st.sampled_from(AbstentionPolicy)),
        recused_count_for_quorum=draw(st.booleans()),
        seat_base=draw(st.sampled_from(SeatBase)),
        full_body_less_recused=draw(st.booleans()),
        has_presiding_seat=presiding,
        presiding_vote=draw(st.sampled_from(PresidingVote)) if presiding else PresidingVote.ALWAYS,
        presiding_counted_for_quorum=draw(st.booleans()),
        presiding_seat_counted=draw(st.booleans()) if presiding and seats > 1 else True,
        in_person_quorum=draw(st.booleans()),
        unexcused_departure_present=draw(st.booleans()),
        tie_continues=draw(st.booleans()),
    )


def ballot_for(draw, rules: VotingRules, pid: int, quasi_judicial: bool) -> Ballot:
    """A ballot the body's abstention policy accepts from a member present."""
    value = draw(st.sampled_from([Y, N, A, R]))
    if value is R:
        return Ballot(pid, R, CONFLICT)
    if value is not A:
        return Ballot(pid, value)
    policy = rules.abstention_policy
    if policy is AbstentionPolicy.CONFLICT_ONLY and not quasi_judicial:
        return Ballot(pid, draw(st.sampled_from([Y, N])))
    excused = policy is AbstentionPolicy.WITH_CONSENT or draw(st.booleans())
    return Ballot(pid, A, "To keep the hearing fair", excused=excused)


@st.composite
def roll_calls(draw) -> dict:
    """A well-formed roll call: the rules, the roll, the ballots, the threshold and the kind."""
    rules = draw(voting_rules())
    vacancies = draw(st.integers(0, rules.seats))
    members = list(range(1, rules.seats - vacancies + 1))
    filled_chair = rules.has_presiding_seat and bool(members) and draw(st.booleans())
    presiding_id = 1 if filled_chair else None
    # Mostly in the room, so that most members vote.
    where = st.just(Presence.IN_PERSON) | st.sampled_from(Presence)
    presence = {pid: draw(where) for pid in members}
    roll = Roll(rules.seats, presence, vacancies, presiding_id)
    quasi_judicial = draw(st.booleans())
    ballots = []
    for pid in members:
        if presence[pid] not in PRESENT_KINDS:
            ballots.append(Ballot(pid, X))
        elif pid == presiding_id and rules.presiding_vote is not PresidingVote.ALWAYS:
            ballots.append(Ballot(pid, draw(st.sampled_from([NV, Y, N]))))
        else:
            ballots.append(ballot_for(draw, rules, pid, quasi_judicial))
    # The chair who votes only on a tie keeps a vote only when the others are tied.
    if check_ballots(rules, ballots=ballots, roll=roll, quasi_judicial=quasi_judicial):
        ballots = [Ballot(b.person_id, NV) if b.person_id == presiding_id else b for b in ballots]
    kind = draw(st.sampled_from(MotionKind))
    rule = draw(threshold_rules())
    return {
        "rules": rules,
        "roll": roll,
        "ballots": ballots,
        "threshold": rule,
        "kind": kind,
        "quasi_judicial": quasi_judicial,
    }


def decided(case: dict, **changes):
    return decide(**{**case, **changes})


@given(roll_calls())
def test_every_generated_roll_call_is_well_formed(case):
    assert (
        check_ballots(
            case["rules"],
            ballots=case["ballots"],
            roll=case["roll"],
            quasi_judicial=case["quasi_judicial"],
        )
        == []
    )


@given(roll_calls(), st.data())
def test_the_outcome_does_not_depend_on_ballot_or_roll_order(case, data):
    ballots = data.draw(st.permutations(case["ballots"]))
    roll = case["roll"]
    order = data.draw(st.permutations(sorted(roll.presence)))
    reordered = replace(roll, presence={pid: roll.presence[pid] for pid in order})

    assert decided(case, ballots=ballots, roll=reordered) == decided(case)


def voting_as(case: dict, pid: int, value: BallotValue) -> list[Ballot] | None:
    """The case's ballots with member `pid` voting `value`; None if the rules refuse them."""
    ballots = [Ballot(pid, value) if b.person_id == pid else b for b in case["ballots"]]
    refused = check_ballots(
        case["rules"], ballots=ballots, roll=case["roll"], quasi_judicial=case["quasi_judicial"]
    )
    return None if refused else ballots


@given(roll_calls(), st.data())
def test_turning_a_no_into_a_yes_never_defeats_a_motion(case, data):
    chair, present = case["roll"].presiding_id, case["roll"].present
    voters = [b.person_id for b in case["ballots"] if b.person_id in present - {chair}]
    assume(voters)
    pid = data.draw(st.sampled_from(voters))
    no, yes = voting_as(case, pid, N), voting_as(case, pid, Y)
    # A chair's tie-breaking vote stands only while the others are tied.
    assume(no is not None and yes is not None)

    before, after = decided(case, ballots=no), decided(case, ballots=yes)

    if before.carried:
        assert after.carried
    if before.result is MotionResult.PASSED:
        assert after.result is MotionResult.PASSED


@given(roll_calls(), st.sampled_from(["filled", "full"]), st.sampled_from(SHARES), st.data())
def test_a_vacancy_never_raises_a_filled_seats_threshold(case, base, share, data):
    rules = replace(case["rules"], seat_base=SeatBase.FILLED)
    roll, ballots = case["roll"], case["ballots"]
    leaving = [b.person_id for b in ballots if b.person_id != roll.presiding_id]
    assume(leaving)
    pid = data.draw(st.sampled_from(leaving))
    numerator, denominator, more_than = share
    spec = ThresholdSpec(Base(base), numerator, denominator, more_than)
    vacated = Roll(
        roll.seats,
        {p: where for p, where in roll.presence.items() if p != pid},
        roll.vacancies + 1,
        roll.presiding_id,
    )
    remaining = [b for b in ballots if b.person_id != pid]
    assume(
        not check_ballots(
            rules, ballots=remaining, roll=vacated, quasi_judicial=case["quasi_judicial"]
        )
    )

    before = decided(case, rules=rules, threshold=spec)
    after = decided(case, rules=rules, threshold=spec, ballots=remaining, roll=vacated)

    assert after.required <= before.required
    assert quorum_required(rules, vacated) <= quorum_required(rules, roll)


@given(roll_calls())
def test_nothing_passes_without_quorum(case):
    outcome = decided(case)

    if not outcome.has_quorum:
        assert outcome.result is MotionResult.FAILED
        assert outcome.fallback_result is None
        assert not outcome.carried
        assert not outcome.continues_item
        assert outcome.explanation.startswith("No quorum: ")


@given(roll_calls())
def test_required_is_never_below_one_and_a_pass_has_more_yes_than_no(case):
    outcome = decided(case)

    assert outcome.required >= 1
    assert outcome.fallback_required is None or outcome.fallback_required >= 1
    if outcome.result is MotionResult.PASSED and case["kind"] is not MotionKind.APPEAL:
        assert outcome.yes >= outcome.required
        assert outcome.yes > outcome.no


@given(specs(), st.integers(0, 99))
def test_a_spec_never_requires_fewer_than_one_vote(spec, n):
    assert spec.required(n) >= 1
    assert spec.floor is None or spec.votes is not None or spec.required(n) >= spec.floor


@given(roll_calls())
def test_every_member_is_counted_once(case):
    """Yes, no, abstaining, recused, absent and a chair not voting add up to the roll."""
    outcome = decided(case)
    chair_silent = sum(1 for b in case["ballots"] if b.value is NV)

    counted = outcome.yes + outcome.no + outcome.abstain + outcome.recused + outcome.absent
    assert counted + chair_silent == len(case["roll"].presence)


@given(roll_calls())
def test_a_snapshot_decides_the_same_outcome(case):
    stored = json.loads(
        json.dumps(
            snapshot(
                case["rules"],
                case["threshold"],
                case["roll"],
                kind=case["kind"],
                quasi_judicial=case["quasi_judicial"],
            )
        )
    )

    again = decide(
        rules_from_snapshot(stored),
        threshold=stored["threshold"],
        ballots=case["ballots"],
        roll=roll_from_snapshot(stored),
        kind=MotionKind(stored["kind"]),
        quasi_judicial=stored["quasi_judicial"],
    )

    assert again == decided(case)


@given(threshold_rules())
def test_a_threshold_rule_reads_back_from_its_code(rule):
    assert parse_rule(rule.code) == rule
    assert parse_spec(rule.spec.code) == rule.spec
