"""The pure rules of a member's record: filters, the majority, attendance, percents, CSV cells."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agenda.votes import history_rules
from agenda.votes.history_rules import (
    BadFilter,
    BallotFilters,
    BallotGroup,
    HeldMeeting,
    Share,
    TermSpan,
    attendance_share,
    csv_cell,
    majority_share,
    parse_filters,
    percent,
    result_words,
    value_counts,
    with_majority,
)
from agenda.votes.rules import BallotValue, MotionResult, VoteMethod
from tests.test_rules_purity import impurities

YES, NO = BallotValue.YES, BallotValue.NO
PASSED, FAILED = MotionResult.PASSED, MotionResult.FAILED
ROLL, CONSENT = VoteMethod.ROLL_CALL, VoteMethod.UNANIMOUS_CONSENT


def test_the_rules_are_pure():
    path = Path(history_rules.__file__)
    assert impurities(path.read_text(), "agenda.votes.history_rules") == []


@pytest.mark.parametrize(
    ("value", "result", "method", "sided"),
    [
        (YES, PASSED, ROLL, True),
        (NO, FAILED, ROLL, True),
        (YES, FAILED, ROLL, False),
        (NO, PASSED, ROLL, False),
        (BallotValue.ABSTAIN, PASSED, ROLL, None),
        (BallotValue.RECUSED, FAILED, ROLL, None),
        (BallotValue.ABSENT, PASSED, ROLL, None),
        (BallotValue.NOT_VOTING, PASSED, ROLL, None),
        (YES, PASSED, CONSENT, None),  # carried without objection: no sides to take
    ],
)
def test_with_the_majority_is_decided_per_ballot(value, result, method, sided):
    assert with_majority(value, result, method) is sided


def test_majority_share_adds_up_the_groups_that_count():
    groups = [
        BallotGroup(YES, PASSED, ROLL, 10),
        BallotGroup(NO, PASSED, ROLL, 3),
        BallotGroup(NO, FAILED, ROLL, 2),
        BallotGroup(BallotValue.ABSENT, PASSED, ROLL, 4),
        BallotGroup(YES, PASSED, CONSENT, 7),
    ]
    assert majority_share(groups) == Share(12, 15)
    assert majority_share(groups).percent == 80
    assert majority_share([]) == Share(0, 0) and Share(0, 0).percent is None
    counts = value_counts(groups)
    assert counts[YES] == 17 and counts[NO] == 5 and counts[BallotValue.RECUSED] == 0


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(0, 0, None), (0, 5, 0), (1, 3, 33), (2, 3, 67), (1, 2, 50), (1, 200, 1), (1, 201, 0),
     (5, 5, 100)],
)  # fmt: skip
def test_percent_rounds_half_up(part, whole, expected):
    assert percent(part, whole) == expected


@given(
    st.integers(1, 10_000).flatmap(lambda whole: st.tuples(st.integers(0, whole), st.just(whole)))
)
def test_percent_is_the_nearest_whole_percent(pair):
    part, whole = pair
    shown = percent(part, whole)
    assert 0 <= shown <= 100
    assert abs(shown - 100 * part / whole) <= 0.5


def test_filters_read_from_the_address():
    assert parse_filters({}, [1]) == BallotFilters()
    assert parse_filters({"body": "1", "year": "2025", "value": "no", "page": "3"}, [1]) == (
        BallotFilters(1, 2025, NO, 3)
    )
    assert parse_filters({"body": " ", "year": "", "value": ""}, [1]) == BallotFilters()
    assert BallotFilters(1, 2025, NO, 3).args(page=4) == {
        "body": 1, "year": 2025, "value": "no", "page": 4,
    }  # fmt: skip
    assert BallotFilters(value=NO, page=3).args(page=1) == {"value": "no"}


@pytest.mark.parametrize(
    "args",
    [{"body": "2"}, {"body": "x"}, {"year": "1899"}, {"year": "2200"}, {"year": "²"},
     {"value": "YES"}, {"value": "maybe"}, {"page": "0"}, {"page": "-2"}, {"page": "1.5"}],
)  # fmt: skip
def test_bad_filters_are_refused_with_status_400(args):
    with pytest.raises(BadFilter) as refused:
        parse_filters(args, [1])
    assert refused.value.status == 400 and str(refused.value)


def test_attendance_counts_meetings_within_the_terms_of_their_body():
    terms = [
        TermSpan(1, date(2020, 1, 1), date(2020, 12, 31)),
        TermSpan(2, date(2021, 1, 1), None),
    ]
    meetings = [
        HeldMeeting(1, date(2019, 12, 31), True),  # before the term: not counted
        HeldMeeting(1, date(2020, 1, 1), True),  # first day
        HeldMeeting(1, date(2020, 12, 31), False),  # last day
        HeldMeeting(1, date(2021, 1, 1), False),  # after: the other body's term runs, not this
        HeldMeeting(2, date(2030, 5, 5), True),  # a running term
        HeldMeeting(3, date(2020, 6, 1), True),  # a body they never sat on
    ]
    assert attendance_share(meetings, terms) == Share(2, 3)
    assert attendance_share([], terms) == Share(0, 0)


@pytest.mark.parametrize(
    ("text", "safe"),
    [("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@cmd", "'@cmd"),
     ("\tx", "'\tx"), ("\rx", "'\rx"), ("Move to adopt.", "Move to adopt."), ("", ""),
     ("a=b", "a=b")],
)  # fmt: skip
def test_csv_cells_never_start_a_formula(text, safe):
    assert csv_cell(text) == safe


def test_results_read_like_the_meeting_page():
    assert result_words(PASSED, ROLL, 6, 1) == "Passed 6-1"
    assert result_words(FAILED, ROLL, 3, 4) == "Failed 3-4"
    assert result_words(PASSED, CONSENT, 7, 0) == "Carried without objection"
