"""Worked examples of the voting rules, each from the statute, charter, opinion or RONR text."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from agenda.bodies.rules import AbstentionPolicy, PresidingVote, QuorumRule, SeatBase
from agenda.votes.rules import (
    CHARTER_RULES,
    AttendanceRecord,
    AttendanceStatus,
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
    consent_ballots,
    decide,
    parse_rule,
    parse_spec,
    presence_at,
    quorum_required,
    quorum_sentence,
    roll_from_snapshot,
    rule_label,
    rules_from_snapshot,
    snapshot,
    snapshot_sentence,
    spec_label,
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
FAIR = "Spoke against the applicant before the hearing"


def votes(*values: BallotValue) -> list[Ballot]:
    """Ballots of members 1, 2, 3... in order; a recusal states its conflict."""
    return [
        Ballot(pid, value, CONFLICT if value is R else None)
        for pid, value in enumerate(values, start=1)
    ]


def roll(ballots, *, seats=None, vacancies=0, presiding_id=None, where=None) -> Roll:
    """The roll behind `ballots`: members recorded absent are absent, the rest in the room."""
    presence = {
        b.person_id: Presence.ABSENT if b.value is X else Presence.IN_PERSON for b in ballots
    }
    presence.update(where or {})
    seats = len(presence) + vacancies if seats is None else seats
    return Roll(seats=seats, presence=presence, vacancies=vacancies, presiding_id=presiding_id)


def decide_on(rules, ballots, threshold="majority:present_voting", **kwargs):
    facts = {
        k: kwargs.pop(k) for k in ("seats", "vacancies", "presiding_id", "where") if k in kwargs
    }
    return decide(
        rules, threshold=threshold, ballots=ballots, roll=roll(ballots, **facts), **kwargs
    )


# Florida: a member present votes, unless in conflict or, in a quasi-judicial proceeding,
# abstaining to keep it fair.

KEY_WEST = VotingRules(
    seats=7, abstention_policy=AbstentionPolicy.CONFLICT_ONLY, recused_count_for_quorum=False
)


def test_florida_refuses_an_abstention_on_an_ordinary_item():
    """Fla. Stat. 286.012: no member present "may abstain from voting"; a vote is recorded for
    each member present unless there is a possible conflict. Key West, 7 seats: 6 yes and one
    abstention on a resolution are refused; the member votes or recuses with the conflict."""
    ballots = votes(Y, Y, Y, Y, Y, Y, A)

    assert check_ballots(KEY_WEST, ballots=ballots, roll=roll(ballots)) == [
        "Member 7 cannot abstain. Under this body's rules a member who is present must vote;"
        " abstaining requires declaring a conflict (recusal with a reason)"
    ]
    recusal = votes(Y, Y, Y, Y, Y, Y, R)
    assert check_ballots(KEY_WEST, ballots=recusal, roll=roll(recusal)) == []


def test_florida_accepts_a_quasi_judicial_abstention_with_its_reason():
    """Fla. Stat. 286.012: in a quasi-judicial proceeding "a member may abstain from voting ...
    if the abstention is to assure a fair proceeding free from potential bias or prejudice",
    with no Form 8B. A variance hearing, 7 present: 6-0 with one abstention, 4 votes needed."""
    ballots = [*votes(Y, Y, Y, Y, Y, Y), Ballot(7, A, FAIR)]

    outcome = decide_on(KEY_WEST, ballots, quasi_judicial=True)

    assert (outcome.tally, outcome.abstain, outcome.recused) == ("6-0", 1, 0)
    assert outcome.explanation == "Passed 6-0 (4 votes required: majority of the 7 members present)"


@pytest.mark.parametrize("reason", [None, "", "  "])
def test_florida_refuses_a_quasi_judicial_abstention_without_a_reason(reason):
    """Fla. Stat. 286.012: the quasi-judicial abstention is only "to assure a fair proceeding",
    so the record says why. Key West, a variance hearing: member 7 abstains without a reason."""
    ballots = [*votes(Y, Y, Y, Y, Y, Y), Ballot(7, A, reason)]

    assert check_ballots(KEY_WEST, ballots=ballots, roll=roll(ballots), quasi_judicial=True) == [
        "Member 7 abstains in a quasi-judicial proceeding; say why (to keep the proceeding fair,"
        " Fla. Stat. 286.012)"
    ]


# North Carolina: a council of five and a mayor who votes only on a tie.

NC = VotingRules(
    seats=6,
    abstention_policy=AbstentionPolicy.SILENCE_AS_YES,
    seat_base=SeatBase.FILLED,
    full_body_less_recused=True,
    has_presiding_seat=True,
    presiding_vote=PresidingVote.TIE_ONLY,
    presiding_seat_counted=False,
    unexcused_departure_present=True,
    citation="N.C.G.S. 160A-69, 160A-74, 160A-75",
)
MAYOR = 1  # members 2 to 6 are the council


def test_majority_of_members_not_excused_leaves_recused_members_out():
    """N.C.G.S. 160A-75: an ordinance needs "a majority of all the members of the council not
    excused from voting". Council of 5, two excused for their own financial interest: 3 not
    excused, so 2-1 adopts it (2 votes required); a majority of all 5 would need 3."""
    ballots = votes(NV, Y, Y, N, R, R)

    outcome = decide_on(NC, ballots, "majority:not_excused", presiding_id=MAYOR)

    assert outcome.result is MotionResult.PASSED
    assert outcome.explanation == (
        "Passed 2-1 (2 votes required: majority of the 3 members not excused from voting;"
        " N.C.G.S. 160A-69, 160A-74, 160A-75)"
    )


def test_the_full_body_less_recused_is_a_setting_and_the_default_keeps_them():
    """N.C.G.S. 160A-75 ("not excused") and Minnesota's case law leave disqualified members out
    of the full body; N.Y. Gen. Constr. Law 41 counts the whole number "were none of the persons
    ... disqualified". 7 seats, 2 recused, 3-2: with the setting 3 of 5 suffice, without it
    the majority of the full body is 4 of 7."""
    ballots = votes(Y, Y, Y, N, N, R, R)
    less = VotingRules(seats=7, full_body_less_recused=True)

    assert decide_on(less, ballots, "majority:full").explanation == (
        "Passed 3-2 (3 votes required: majority of the full body of 7 seats less 2 recused, 5)"
    )
    assert decide_on(VotingRules(seats=7), ballots, "majority:full").explanation == (
        "Failed 3-2 (4 votes required: majority of the full body of 7 seats)"
    )
    assert not VotingRules(seats=7).full_body_less_recused


def test_an_abstention_the_council_excused_leaves_the_not_excused_base():
    """N.C.G.S. 160A-75: the base is the members "not excused from voting", and a member the
    council excused is one of those left out, whether recorded as a recusal or an excused
    abstention. Council of 5, two excused: 2-1 is a majority of the 3 not excused."""
    ballots = [*votes(NV, Y, Y, N), Ballot(5, A, excused=True), Ballot(6, A, excused=True)]

    outcome = decide_on(NC, ballots, "majority:not_excused", presiding_id=MAYOR)

    assert (outcome.tally, outcome.abstain, outcome.required) == ("2-1", 2, 2)
    assert outcome.result is MotionResult.PASSED


# Recusals and quorum


def test_recused_members_count_for_quorum_only_when_the_body_says_so():
    """Chernoff v. City of North Miami Beach (Fla. 3d DCA 2024) held a vote void because
    members recused for a conflict could not count toward the quorum (a 1975 Florida Attorney
    General opinion counted them). 7 seats, 4 present, one recused: 3 count, 4 required."""
    ballots = votes(Y, Y, N, R, X, X, X)
    counting = VotingRules(seats=7, recused_count_for_quorum=True)

    following_the_court = decide_on(KEY_WEST, ballots)
    assert not following_the_court.has_quorum
    assert following_the_court.explanation == (
        "No quorum: 3 of 7 members present and not recused, 4 required"
    )
    assert decide_on(counting, ballots).explanation == (
        "Passed 2-1 (2 votes required: majority of the 3 members present and not recused)"
    )


# Seats as data: authorized seats, or the seats filled on the day


def test_authorized_seats_count_vacancies_and_filled_seats_do_not():
    """N.Y. Gen. Constr. Law 41: quorum is a majority of "the whole number", the number the
    body "would have were there no vacancies"; N.C.G.S. 160A-74 excludes vacant seats. 7 seats,
    2 vacant, 3 of the 5 members present: authorized, quorum 4 (none); filled, quorum 3."""
    ballots = votes(Y, Y, Y, X, X)
    authorized = VotingRules(seats=7, seat_base=SeatBase.AUTHORIZED)
    filled = VotingRules(seats=7, seat_base=SeatBase.FILLED)
    facts = roll(ballots, vacancies=2)

    assert (quorum_required(authorized, facts), quorum_required(filled, facts)) == (4, 3)
    assert decide_on(authorized, ballots, vacancies=2).explanation == (
        "No quorum: 3 of 7 members present, 4 required"
    )
    assert decide_on(filled, ballots, "majority:full", vacancies=2).explanation == (
        "Passed 3-0 (3 votes required: majority of the full body of 5 filled seats (2 vacant))"
    )


def test_a_full_body_threshold_follows_the_seat_base():
    """N.Y. Gen. Constr. Law 41 (the whole number, vacancies included) against a filled-seat
    charter: 7 seats, 1 vacant, all 6 members present, 4-2. Two-thirds of the full body is 5 of
    7 authorized seats (fails) or 4 of the 6 filled seats (passes)."""
    ballots = votes(Y, Y, Y, Y, N, N)
    authorized = VotingRules(seats=7)
    filled = VotingRules(seats=7, seat_base=SeatBase.FILLED)

    assert decide_on(authorized, ballots, "2/3:full", vacancies=1).required == 5
    assert decide_on(filled, ballots, "2/3:full", vacancies=1).required == 4
    assert decide_on(authorized, ballots, "2/3:filled", vacancies=1).explanation == (
        "Passed 4-2 (4 votes required: two-thirds of the 6 filled seats (1 vacant))"
    )
    assert decide_on(filled, ballots, "2/3:authorized", vacancies=1).explanation == (
        "Failed 4-2 (5 votes required: two-thirds of the 7 authorized seats)"
    )


# Thresholds as specifications


@pytest.mark.parametrize(
    "code",
    [
        "majority:cast",
        "majority:present_voting:min3",
        "2/3:cast",
        "over:2/3:full",
        "3/4:present",
        "3/5:not_excused",
        "4/5:present_voting",
        "all:filled",
        "1/2:authorized",
        "votes:5",
    ],
)
def test_a_threshold_code_reads_back_to_itself(code):
    """The stored form of every threshold the issue lists reads back unchanged."""
    assert parse_spec(code).code == code
    assert parse_spec(parse_spec(code).code) == parse_spec(code)


@pytest.mark.parametrize(
    "code", ["", "majority", "2/3", "5/3:cast", "2/3:seats", "votes:0", "x:cast"]
)
def test_a_threshold_code_that_is_not_one_is_refused(code):
    with pytest.raises(ValueError):
        parse_spec(code)


def test_two_thirds_of_votes_cast_leaves_abstentions_out():
    """RONR (12th ed.) 44:3: a two-thirds vote means at least two thirds of the votes cast,
    blanks and abstentions left out. 9 present, 2 abstain, 7 cast: 5 needed; 5-2 passes and
    4-3 fails, though 5 is not two-thirds of the 9 present."""
    rules = VotingRules(seats=9)

    passed = decide_on(rules, votes(Y, Y, Y, Y, Y, N, N, A, A), "2/3:cast")
    failed = decide_on(rules, votes(Y, Y, Y, Y, N, N, N, A, A), "2/3:cast")

    assert passed.explanation == "Passed 5-2 (5 votes required: two-thirds of the 7 votes cast)"
    assert (failed.result, failed.required) == (MotionResult.FAILED, 5)
    assert decide_on(rules, votes(Y, Y, Y, Y, Y, N, N, A, A), "2/3:present").required == 6


def test_four_fifths_of_members_present():
    """City of Miami: some acts of its five-member commission need a four-fifths affirmative
    vote of the members present. 4 present: 4/5 of 4 is 3.2, so 4 votes (4-0 passes, 3-1
    fails); with all 5 present, 4 votes."""
    rules = VotingRules(seats=5)

    assert decide_on(rules, votes(Y, Y, Y, Y, X), "4/5:present_voting").explanation == (
        "Passed 4-0 (4 votes required: four-fifths of the 4 members present)"
    )
    assert decide_on(rules, votes(Y, Y, Y, N, X), "4/5:present_voting").result is (
        MotionResult.FAILED
    )
    assert decide_on(rules, votes(Y, Y, Y, Y, N), "4/5:present_voting").required == 4


@pytest.mark.parametrize(
    ("code", "ballots", "required", "result"),
    [
        # Three-fourths of 7 present is 5.25: 6 votes.
        ("3/4:present_voting", votes(Y, Y, Y, Y, Y, Y, N), 6, MotionResult.PASSED),
        ("3/4:present_voting", votes(Y, Y, Y, Y, Y, N, N), 6, MotionResult.FAILED),
        # Three-fifths of the full body of 7 is 4.2: 5 votes.
        ("3/5:full", votes(Y, Y, Y, Y, Y, X, X), 5, MotionResult.PASSED),
        ("3/5:full", votes(Y, Y, Y, Y, N, N, N), 5, MotionResult.FAILED),
        # Unanimous: every member present and not recused.
        ("all:present_voting", votes(Y, Y, Y, Y, Y, R, X), 5, MotionResult.PASSED),
        ("all:present_voting", votes(Y, Y, Y, Y, Y, N, X), 6, MotionResult.FAILED),
        # A floor: a majority of 3 present is 2, but never less than three.
        ("majority:present_voting:min3", votes(Y, Y, N, X, X, X, X), 3, MotionResult.FAILED),
        ("majority:present_voting:min3", votes(Y, Y, Y, Y, N, X, X), 3, MotionResult.PASSED),
        # A fixed number of votes, whoever is present.
        ("votes:5", votes(Y, Y, Y, Y, N, N, N), 5, MotionResult.FAILED),
        ("votes:5", votes(Y, Y, Y, Y, Y, X, X), 5, MotionResult.PASSED),
    ],
)
def test_fractions_floors_and_fixed_numbers(code, ballots, required, result):
    """Charter thresholds of 3/4 and 3/5, unanimity, "never less than three" and a fixed
    number of votes, on a body of 7 with a fixed quorum of 3."""
    rules = VotingRules(seats=7, quorum_rule=QuorumRule.FIXED_NUMBER, quorum_fixed=3)

    outcome = decide_on(rules, ballots, code)

    assert (outcome.required, outcome.result) == (required, result)


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("majority:cast", "Majority of votes cast"),
        ("2/3:cast", "Two-thirds of votes cast"),
        ("over:2/3:present", "More than two-thirds of members present (recused included)"),
        ("3/4:present_voting", "Three-fourths of members present"),
        ("3/5:full", "Three-fifths of the full body"),
        ("4/5:present_voting", "Four-fifths of members present"),
        ("all:present_voting", "Unanimous vote of members present"),
        ("majority:not_excused", "Majority of members not excused from voting"),
        ("majority:filled:min3", "Majority of filled seats, never less than 3"),
        ("2/3:authorized", "Two-thirds of authorized seats"),
        ("5/7:full", "5/7 of the full body"),
        ("votes:5", "5 votes in favor"),
        ("votes:1", "1 vote in favor"),
    ],
)
def test_spec_label(code, label):
    assert spec_label(parse_spec(code)) == label


# Conditional thresholds

OFF_AGENDA = ThresholdRule(
    parse_spec("2/3:present"),
    conditions=(Condition(Trigger.FEW_PRESENT, parse_spec("all:present")),),
    citation="Cal. Gov. Code 54954.2(b)(2)",
)


def test_an_item_off_the_agenda_needs_two_thirds_or_unanimity_when_few_are_present():
    """Cal. Gov. Code 54954.2(b)(2): an item not on the agenda is taken up on "a two-thirds
    vote of the members of the legislative body present at the meeting, or, if less than
    two-thirds of the members are present, a unanimous vote of those members present".
    Council of 5: with 4 present 3-1 suffices (two-thirds of 4 is 3); with 3 present (less
    than two-thirds of 5) 2-1 fails and only 3-0 passes."""
    rules = VotingRules(seats=5)

    four = decide_on(rules, votes(Y, Y, Y, N, X), OFF_AGENDA)
    three_split = decide_on(rules, votes(Y, Y, N, X, X), OFF_AGENDA)
    three_agree = decide_on(rules, votes(Y, Y, Y, X, X), OFF_AGENDA)

    assert four.explanation == (
        "Passed 3-1 (3 votes required: two-thirds of the 4 members present;"
        " Cal. Gov. Code 54954.2(b)(2))"
    )
    assert (three_split.result, three_split.required) == (MotionResult.FAILED, 3)
    assert three_agree.explanation == (
        "Passed 3-0 (3 votes required: unanimous vote of the 3 members present;"
        " Cal. Gov. Code 54954.2(b)(2)); when fewer than two-thirds of the full body are"
        " present, the threshold is unanimous vote of members present (recused included)"
    )
    assert rule_label(OFF_AGENDA) == (
        "Two-thirds of members present (recused included); unanimous vote of members present"
        " (recused included) when fewer than two-thirds of the full body are present"
        " (Cal. Gov. Code 54954.2(b)(2))"
    )


FOUR_FIFTHS_OR_ALL_ELIGIBLE = ThresholdRule(
    parse_spec("4/5:full"),
    conditions=(Condition(Trigger.FEW_ELIGIBLE, parse_spec("all:present_voting")),),
)


def test_when_recusals_leave_too_few_eligible_the_rest_act_unanimously():
    """Florida charters: when so many members are disqualified that fewer remain than the
    vote required, the remaining members may act by unanimous vote. 7 seats, four-fifths is 6;
    2 recused leave 5 eligible: 5-0 passes unanimously, 4-1 fails."""
    rules = VotingRules(seats=7)

    unanimous = decide_on(rules, votes(Y, Y, Y, Y, Y, R, R), FOUR_FIFTHS_OR_ALL_ELIGIBLE)
    split = decide_on(rules, votes(Y, Y, Y, Y, N, R, R), FOUR_FIFTHS_OR_ALL_ELIGIBLE)

    assert unanimous.explanation == (
        "Passed 5-0 (5 votes required: unanimous vote of the 5 members present and not"
        " recused); when fewer members are eligible to vote than it requires, the threshold is"
        " unanimous vote of members present"
    )
    assert (split.result, split.required) == (MotionResult.FAILED, 5)


def test_absent_members_are_not_ineligible():
    """The same charters relieve a body of disqualified members, not of absent ones: 7 seats,
    none recused, 2 absent; four-fifths still needs 6, so 5-0 fails."""
    outcome = decide_on(
        VotingRules(seats=7), votes(Y, Y, Y, Y, Y, X, X), FOUR_FIFTHS_OR_ALL_ELIGIBLE
    )

    assert (
        outcome.explanation
        == "Failed 5-0 (6 votes required: four-fifths of the full body of 7 seats)"
    )


EMERGENCY = ThresholdRule(
    parse_spec("4/5:full"),
    fallback=parse_spec("majority:full"),
    name="an emergency ordinance",
    fallback_name="an ordinary ordinance",
)


def test_an_emergency_ordinance_that_fails_may_pass_as_an_ordinary_one():
    """An urgency ordinance needs four-fifths (Cal. Gov. Code 36937), an ordinary one a
    majority of the full body (36936); a charter that lets a failed emergency measure stand as
    an ordinary one decides one motion twice. 7 seats, 5-2: fails as an emergency (6
    required), passes as an ordinary ordinance (4 required); both results printed."""
    outcome = decide_on(VotingRules(seats=7), votes(Y, Y, Y, Y, Y, N, N), EMERGENCY)

    assert (outcome.result, outcome.fallback_result) == (MotionResult.FAILED, MotionResult.PASSED)
    assert (outcome.required, outcome.fallback_required) == (6, 4)
    assert outcome.carried
    assert outcome.explanation == (
        "Failed as an emergency ordinance 5-2 (6 votes required: four-fifths of the full body"
        " of 7 seats). Passed as an ordinary ordinance (4 votes required: majority of the full"
        " body of 7 seats)"
    )


def test_an_emergency_ordinance_with_six_votes_passes_once_and_three_fails_twice():
    """The same rule: 6-1 passes as an emergency (no second result); 3-2 fails both ways."""
    six = decide_on(VotingRules(seats=7), votes(Y, Y, Y, Y, Y, Y, N), EMERGENCY)
    three = decide_on(VotingRules(seats=7), votes(Y, Y, Y, N, N, X, X), EMERGENCY)

    assert (six.result, six.fallback_result, six.carried) == (MotionResult.PASSED, None, True)
    assert (three.result, three.fallback_result) == (MotionResult.FAILED, MotionResult.FAILED)
    assert not three.carried
    assert parse_rule(EMERGENCY.code) == EMERGENCY


# The presiding officer


def test_the_mayor_votes_only_to_break_a_tie():
    """N.C.G.S. 160A-69: the mayor "shall have the right to vote only when there are equal
    numbers of votes in the affirmative and in the negative". Council of 5: at 3-2 the mayor's
    vote is refused; at 2-2 (one absent) the mayor's yes carries it 3-2."""
    names = {MAYOR: "Mayor Hall"}
    decided = votes(Y, Y, Y, Y, N, N)
    tied = votes(Y, Y, Y, N, N, X)

    assert check_ballots(
        NC, ballots=decided, roll=roll(decided, presiding_id=MAYOR), names=names
    ) == ["Mayor Hall presides and votes only to break a tie; the others voted 3-2"]
    outcome = decide_on(NC, tied, "majority:cast", presiding_id=MAYOR, names=names)
    assert outcome.explanation == (
        "Passed 3-2 (3 votes required: majority of the 5 votes cast; N.C.G.S. 160A-69,"
        " 160A-74, 160A-75). Mayor Hall, presiding, broke a tie"
    )
    silent = decide_on(NC, votes(NV, Y, Y, N, N, X), "majority:cast", presiding_id=MAYOR)
    assert (silent.tally, silent.result) == ("2-2", MotionResult.FAILED)


def test_a_tie_is_a_tie_as_the_body_counts_the_votes():
    """N.C.G.S. 160A-75 records a member present who fails to vote as voting yes, so among the
    council 2-2 with one silent is 3-2, no "equal numbers" (160A-69): the mayor may not vote.
    1-2 with one silent (and one absent) is 2-2, which the mayor breaks 3-2."""
    silent_yes = [*votes(Y, Y, Y, N, N), Ballot(6, A)]
    tied_by_silence = [*votes(Y, Y, N, N, X), Ballot(6, A)]

    assert check_ballots(NC, ballots=silent_yes, roll=roll(silent_yes, presiding_id=MAYOR)) == [
        "Member 1 presides and votes only to break a tie; the others voted 3-2"
    ]
    outcome = decide_on(NC, tied_by_silence, "majority:cast", presiding_id=MAYOR)
    assert (outcome.tally, outcome.result) == ("3-2", MotionResult.PASSED)
    assert "1 abstention counted yes (N.C.G.S. 160A-75)" in outcome.explanation


def test_quorum_counts_the_mayor_but_thresholds_do_not():
    """N.C.G.S. 160A-74: "A majority of the actual membership of the council plus the mayor,
    excluding vacant seats, shall constitute a quorum": council of 5 plus the mayor, quorum 4
    of 6. The full body for thresholds is the 5 council seats (160A-75)."""
    full = roll(votes(NV, Y, Y, Y, N, N), presiding_id=MAYOR)
    not_for_quorum = VotingRules(
        seats=6,
        has_presiding_seat=True,
        presiding_vote=PresidingVote.TIE_ONLY,
        presiding_seat_counted=False,
        presiding_counted_for_quorum=False,
    )

    assert quorum_required(NC, full) == 4
    assert quorum_required(not_for_quorum, full) == 3
    assert quorum_sentence(6, NC.quorum_rule, None, NC) == "With 6 seats, quorum is 4."
    outcome = decide(NC, threshold="majority:full", ballots=votes(NV, Y, Y, Y, N, N), roll=full)
    assert outcome.explanation.startswith(
        "Passed 3-2 (3 votes required: majority of the full body of 5 filled seats;"
    )
    # The mayor and two council members are 3 of 6: no quorum.
    short = votes(NV, Y, N, X, X, X)
    assert decide_on(NC, short, presiding_id=MAYOR).explanation.startswith(
        "No quorum: 3 of 6 members present, 4 required"
    )


def test_a_presiding_officer_who_always_votes_is_one_more_member():
    """Key West: the mayor presides and is one of seven votes (PRODUCT.md: "a mayor and six
    commissioners, seven votes"). The 287(g) vote, 6-1 with the mayor voting yes."""
    rules = VotingRules(seats=7, has_presiding_seat=True, presiding_vote=PresidingVote.ALWAYS)

    outcome = decide_on(rules, votes(Y, Y, Y, N, Y, Y, Y), presiding_id=1)

    assert outcome.explanation == "Passed 6-1 (4 votes required: majority of the 7 members present)"


def test_a_presiding_officer_who_never_votes():
    """A chair who never votes (PresidingVote.NEVER): a yes from the chair is refused; recorded
    as not voting, the chair still counts toward quorum. 5 seats, chair and 2 present: 3."""
    rules = VotingRules(seats=5, has_presiding_seat=True, presiding_vote=PresidingVote.NEVER)
    voting = votes(Y, Y, N, X, X)

    assert check_ballots(rules, ballots=voting, roll=roll(voting, presiding_id=1)) == [
        "Member 1 presides and does not vote on this body"
    ]
    outcome = decide_on(rules, votes(NV, Y, N, X, X), "majority:cast", presiding_id=1)
    assert outcome.has_quorum
    assert outcome.explanation == "Failed 1-1 (tie)"
    assert consent_ballots({1, 2, 3}, {}, presiding_id=1, presiding_vote=PresidingVote.NEVER) == [
        Ballot(1, NV),
        Ballot(2, Y),
        Ballot(3, Y),
    ]


def test_presiding_settings_need_a_presiding_seat():
    with pytest.raises(ValueError, match="presiding seat"):
        VotingRules(seats=5, presiding_vote=PresidingVote.TIE_ONLY)
    with pytest.raises(ValueError, match="presiding seat"):
        VotingRules(seats=5, presiding_seat_counted=False)


# Abstention policies: 7 members present vote 3 yes, 2 no and 2 abstain


def policy(name: AbstentionPolicy) -> VotingRules:
    return VotingRules(seats=7, abstention_policy=name)


def test_an_abstention_allowed_is_not_a_vote():
    """RONR (12th ed.) 45:3 and 44:1: a member may abstain, and an abstention is not a vote
    cast. 3-2 with 2 abstaining: a majority of votes cast (3 of 5) passes; a majority of the 7
    members present (4) fails."""
    ballots = votes(Y, Y, Y, N, N, A, A)

    assert decide_on(policy(AbstentionPolicy.ALLOWED), ballots, "majority:cast").explanation == (
        "Passed 3-2 (3 votes required: majority of the 5 votes cast)"
    )
    assert decide_on(policy(AbstentionPolicy.ALLOWED), ballots).result is MotionResult.FAILED


def test_an_abstention_counted_with_the_majority():
    """Kentucky Attorney General opinions: a member present who abstains acquiesces with the
    majority. 3-2 with 2 abstaining is 5-2 and passes (4 required); at 2-2 there is no
    majority to join, so the abstentions stay out and the tie fails."""
    rules = policy(AbstentionPolicy.WITH_MAJORITY)

    assert decide_on(rules, votes(Y, Y, Y, N, N, A, A)).explanation == (
        "Passed 5-2 (4 votes required: majority of the 7 members present). 2 abstentions"
        " counted with the majority (Kentucky Attorney General)"
    )
    tied = decide_on(rules, votes(Y, Y, N, N, A, A, X))
    assert (tied.tally, tied.abstain, tied.explanation) == ("2-2", 2, "Failed 2-2 (tie)")


def test_an_abstention_counted_as_no():
    """Some Texas home-rule charters count an abstention as a no. 3-2 with 2 abstaining reads
    3-4 and fails even on a majority of votes cast."""
    outcome = decide_on(policy(AbstentionPolicy.AS_NO), votes(Y, Y, Y, N, N, A, A), "majority:cast")

    assert outcome.explanation == (
        "Failed 3-4 (4 votes required: majority of the 7 votes cast). 2 abstentions counted as"
        " no (by charter)"
    )


def test_an_abstention_with_the_bodys_consent():
    """A body that excuses a member from voting only by its consent: an abstention without
    it is refused; with it (Ballot(excused=True)) it stands and is not counted."""
    rules = policy(AbstentionPolicy.WITH_CONSENT)
    unexcused = votes(Y, Y, Y, N, N, Y, A)
    excused = [*votes(Y, Y, Y, N, N, Y), Ballot(7, A, excused=True)]

    assert check_ballots(rules, ballots=unexcused, roll=roll(unexcused)) == [
        "Member 7 cannot abstain without the body's consent; record that the body excused"
        " them, or their vote"
    ]
    outcome = decide_on(rules, excused)
    assert (outcome.tally, outcome.abstain, outcome.result) == ("4-2", 1, MotionResult.PASSED)


def test_silence_counts_as_yes_unless_excused():
    """N.C.G.S. 160A-75: "a failure to vote by a member who is physically present ... shall be
    recorded as an affirmative vote", unless the member is excused. 3-2 with one silent and one
    excused: 4-2, passing a majority of the 7 present (4 votes)."""
    ballots = [*votes(Y, Y, Y, N, N, A), Ballot(7, A, excused=True)]

    outcome = decide_on(policy(AbstentionPolicy.SILENCE_AS_YES), ballots)

    assert (outcome.tally, outcome.abstain) == ("4-2", 1)
    assert outcome.explanation == (
        "Passed 4-2 (4 votes required: majority of the 7 members present). 1 abstention counted"
        " yes (N.C.G.S. 160A-75)"
    )


def test_conflict_only_takes_a_recusal_and_not_an_abstention():
    """Fla. Stat. 286.012 and 112.3143: a member in conflict declares it (a recusal, with the
    conflict stated) and does not vote. 3-2 with 2 recused: a majority of the 5 present and not
    recused is 3, so it passes; the same with 2 abstentions is refused."""
    rules = policy(AbstentionPolicy.CONFLICT_ONLY)

    assert decide_on(rules, votes(Y, Y, Y, N, N, R, R)).explanation == (
        "Passed 3-2 (3 votes required: majority of the 5 members present and not recused)"
    )
    abstaining = votes(Y, Y, Y, N, N, A, A)
    assert len(check_ballots(rules, ballots=abstaining, roll=roll(abstaining))) == 2


# Attendance kinds

START = datetime(2026, 3, 3, 22, 0, tzinfo=UTC)


def test_presence_at_a_moment_from_the_attendance_records():
    """The record of attendance says in person or remote, absent excused or not, and who left
    with or without the body's leave (N.C.G.S. 160A-74 counts the latter present)."""
    hour = timedelta(hours=1)
    records = [
        AttendanceRecord(1, AttendanceStatus.PRESENT),
        AttendanceRecord(2, AttendanceStatus.PRESENT, is_remote=True),
        AttendanceRecord(3, AttendanceStatus.PRESENT, left_at=START + hour),
        AttendanceRecord(4, AttendanceStatus.PRESENT, left_at=START + hour, is_excused=True),
        AttendanceRecord(5, AttendanceStatus.ABSENT, is_excused=True),
        AttendanceRecord(6, AttendanceStatus.ABSENT),
        AttendanceRecord(7, AttendanceStatus.PRESENT, arrived_at=START + 2 * hour),
    ]

    assert presence_at(records, START + hour / 2) == {
        1: Presence.IN_PERSON,
        2: Presence.REMOTE,
        3: Presence.IN_PERSON,
        4: Presence.IN_PERSON,
        5: Presence.EXCUSED,
        6: Presence.ABSENT,
        7: Presence.ABSENT,
    }
    later = presence_at(records, START + 2 * hour)
    assert [later[p] for p in (3, 4, 7)] == [
        Presence.LEFT_UNEXCUSED,
        Presence.EXCUSED,
        Presence.IN_PERSON,
    ]


def test_a_physical_quorum_leaves_remote_members_out_of_quorum_only():
    """A body that needs a physical quorum (in_person_quorum): 7 seats, 3 in the room and 2
    remote. Remote members vote, but 3 in the room are no quorum of 4; without the setting
    5 are."""
    ballots = votes(Y, Y, Y, Y, N, X, X)
    remote = {4: Presence.REMOTE, 5: Presence.REMOTE}
    physical = VotingRules(seats=7, in_person_quorum=True)

    assert decide_on(physical, ballots, where=remote).explanation == (
        "No quorum: 3 of 7 members present in the room, 4 required"
    )
    assert decide_on(VotingRules(seats=7), ballots, where=remote).explanation == (
        "Passed 4-1 (3 votes required: majority of the 5 members present)"
    )
    in_room = {5: Presence.REMOTE}
    assert decide_on(physical, ballots, where=in_room).result is MotionResult.PASSED


def test_a_member_who_left_unexcused_counts_present_and_yes():
    """N.C.G.S. 160A-74: a member who has withdrawn without being excused "shall be counted as
    present for purposes of determining whether or not a quorum is present"; 160A-75 records
    that member's failure to vote as yes. Council of 5 and the mayor; the mayor and 2 members
    in the room and 1 gone unexcused make 4 of 6; 1-1 becomes 2-1."""
    ballots = votes(NV, Y, N, X, X, X)
    gone = {4: Presence.LEFT_UNEXCUSED}

    outcome = decide_on(NC, ballots, "majority:cast", presiding_id=MAYOR, where=gone)

    assert (outcome.has_quorum, outcome.tally, outcome.absent) == (True, "2-1", 2)
    assert outcome.explanation == (
        "Passed 2-1 (2 votes required: majority of the 3 votes cast; N.C.G.S. 160A-69,"
        " 160A-74, 160A-75). 1 member who left without being excused counted present and yes"
        " (N.C.G.S. 160A-74, 160A-75)"
    )
    excused = {4: Presence.EXCUSED}
    assert not decide_on(NC, ballots, presiding_id=MAYOR, where=excused).has_quorum


# Ties


def test_a_tie_fails():
    """RONR (12th ed.) 44:12: on a tie vote the motion is lost. 3-3 with one absent fails."""
    outcome = decide_on(VotingRules(seats=7), votes(Y, Y, Y, N, N, N, X), "majority:cast")

    assert (outcome.result, outcome.explanation) == (MotionResult.FAILED, "Failed 3-3 (tie)")
    assert not outcome.continues_item


def test_a_tie_on_an_appeal_sustains_the_chair():
    """RONR (12th ed.) 24:3: on an appeal "a majority or a tie vote sustains the decision of
    the chair". 3-3 on "Shall the decision of the chair be sustained?" passes."""
    outcome = decide_on(
        VotingRules(seats=7), votes(Y, Y, Y, N, N, N, X), "majority:cast", kind=MotionKind.APPEAL
    )

    assert outcome.result is MotionResult.PASSED
    assert outcome.explanation == "Passed 3-3 (a tie sustains the chair's ruling, RONR 24:3)"


def test_an_appeal_is_overturned_only_by_the_threshold_voting_no():
    """RONR (12th ed.) 24:3: the chair's ruling stands unless a majority votes to reverse it.
    Under "majority of members present" (7 present, 4 needed), 3-2 with two abstaining still
    sustains the ruling, where a main motion would fail; 2-4 reverses it; 3-3 sustains it."""
    rules = VotingRules(seats=7)
    kwargs = {"threshold": "majority:present_voting", "kind": MotionKind.APPEAL}

    short = decide_on(rules, votes(Y, Y, Y, N, N, A, A), **kwargs)
    reversed_ = decide_on(rules, votes(Y, Y, N, N, N, N, A), **kwargs)
    main = decide_on(rules, votes(Y, Y, Y, N, N, A, A), "majority:present_voting")

    assert short.result is MotionResult.PASSED and main.result is MotionResult.FAILED
    assert short.explanation == (
        "Passed 3-2 (4 votes required to overturn the ruling: majority of the 7 members present)"
    )
    assert reversed_.result is MotionResult.FAILED
    assert decide_on(rules, votes(Y, Y, Y, N, N, N, A), **kwargs).result is MotionResult.PASSED


def test_few_present_counts_the_seats_even_when_recused_members_leave_the_full_body():
    """Cal. Gov. Code 54954.2(b)(2) asks whether two-thirds "of the members" are present: 5 of
    9 are not, even when two recusals leave a full body of 7 for other thresholds; the three
    members who may vote must all agree."""
    rules = VotingRules(seats=9, full_body_less_recused=True)
    outcome = decide_on(rules, votes(Y, Y, Y, R, R, X, X, X, X), CHARTER_RULES[0])

    assert (outcome.required, outcome.result) == (3, MotionResult.PASSED)
    assert "when fewer than two-thirds of the full body are present" in outcome.explanation


def test_a_body_may_continue_an_item_tied_with_members_absent():
    """A body whose rules continue a main motion tied while members are absent (tie_continues):
    3-3 with one absent fails and continues the item; 3-3 with nobody absent, or on an
    amendment, simply fails."""
    rules = VotingRules(seats=7, tie_continues=True)

    continued = decide_on(rules, votes(Y, Y, Y, N, N, N, X), "majority:cast")
    all_here = decide_on(VotingRules(seats=6, tie_continues=True), votes(Y, Y, Y, N, N, N))
    amendment = decide_on(
        rules, votes(Y, Y, Y, N, N, N, X), "majority:cast", kind=MotionKind.AMENDMENT
    )

    assert (continued.result, continued.continues_item) == (MotionResult.FAILED, True)
    assert continued.explanation == (
        "Failed 3-3 (tie) with 1 member absent; under the body's rules the item is continued to"
        " a later meeting"
    )
    assert not all_here.continues_item
    assert not amendment.continues_item


# Snapshots: the rule a vote was decided under, kept with it


def test_a_snapshot_decides_the_same_outcome_after_the_settings_change():
    """PRODUCT.md: each recorded vote keeps a snapshot of its rule, so a later change of the
    body's settings never changes its result. NC council, the mayor and 2 members present and
    1 gone unexcused: 2-1 passes; the body later stops counting departures, which would leave
    3 of 6, no quorum."""
    ballots = votes(NV, Y, N, X, X, X)
    facts = roll(ballots, presiding_id=MAYOR, where={4: Presence.LEFT_UNEXCUSED})
    first = decide(NC, threshold="majority:cast", ballots=ballots, roll=facts)

    stored = json.loads(json.dumps(snapshot(NC, "majority:cast", facts)))

    again = decide(
        rules_from_snapshot(stored),
        threshold=stored["threshold"],
        ballots=ballots,
        roll=roll_from_snapshot(stored),
        kind=MotionKind(stored["kind"]),
        quasi_judicial=stored["quasi_judicial"],
    )
    assert again == first
    changed = replace(NC, unexcused_departure_present=False)
    assert not decide(changed, threshold="majority:cast", ballots=ballots, roll=facts).has_quorum


def test_a_snapshot_keeps_the_rule_with_its_conditions_and_citations():
    """A conditional rule, the quasi-judicial flag and the motion's kind are stored and read
    back; the minutes print the rule as it was, citations with their capitals."""
    ballots = [*votes(Y, Y, Y, Y, Y, Y), Ballot(7, A, FAIR)]
    facts = roll(ballots)
    stored = snapshot(KEY_WEST, OFF_AGENDA, facts, kind=MotionKind.MAIN, quasi_judicial=True)

    assert json.loads(json.dumps(stored)) == stored
    assert parse_rule(stored["threshold"]) == OFF_AGENDA
    assert stored["quasi_judicial"] is True
    assert snapshot_sentence(stored) == (
        "Rule: two-thirds of members present (recused included); unanimous vote of members"
        " present (recused included) when fewer than two-thirds of the full body are present"
        " (Cal. Gov. Code 54954.2(b)(2)); quorum 4 of 7 seats; members present vote unless in"
        " conflict."
    )
    cited = snapshot(replace(KEY_WEST, citation="Fla. Stat. 286.012"), OFF_AGENDA, facts)
    assert snapshot_sentence(cited).endswith("vote unless in conflict (Fla. Stat. 286.012).")
    assert snapshot_sentence(None) == ""


def test_threshold_spec_defaults_are_a_majority_of_votes_cast():
    """RONR (12th ed.) 44:1: the default majority is more than half of the votes cast."""
    assert ThresholdSpec() == parse_spec("majority:cast")
    assert ThresholdSpec().required(7) == 4


def test_stored_values_of_the_settings_do_not_change():
    """Bodies and vote snapshots store these values; renaming one would change old records."""
    assert [b.value for b in SeatBase] == ["authorized", "filled"]
    assert [p.value for p in PresidingVote] == ["always", "tie_only", "never"]
    assert [t.value for t in Trigger] == ["few_present", "few_eligible"]
    assert [p.value for p in Presence] == [
        "in_person",
        "remote",
        "absent",
        "excused",
        "left_unexcused",
    ]
    assert [b.value for b in Base] == [
        "cast",
        "present",
        "present_voting",
        "full",
        "not_excused",
        "filled",
        "authorized",
    ]
