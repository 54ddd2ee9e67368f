"""How often members vote alike: the pure counts, percents, matrix and period, and the database's
counts checked against one pass over the same ballots."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import combinations

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from agenda.auth.rules import PUBLIC
from agenda.bodies.models import Body
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.queries import visible_to
from agenda.votes.agreement import (
    FEWEST_ROLL_CALLS,
    PairCount,
    Period,
    PeriodKind,
    agreement_matrix,
    agreement_percent,
    count_pairs,
    count_patterns,
    default_period,
    pair_key,
    period_words,
    twelve_months_to,
    year_period,
)
from agenda.votes.body_history import side_patterns
from agenda.votes.models import Ballot, Motion, Vote

VALUES = ["yes", "no", "abstain", "recused", "absent", "not_voting"]


def test_percent_rounds_half_up_and_is_none_without_shared_roll_calls():
    assert agreement_percent(0, 0) is None
    assert agreement_percent(5, 5) == 100
    assert agreement_percent(0, 4) == 0
    assert agreement_percent(1, 2) == 50
    assert agreement_percent(2, 3) == 67
    assert agreement_percent(1, 3) == 33
    assert agreement_percent(1, 8) == 13  # 12.5 rounds up
    assert PairCount().percent is None


def test_only_yes_and_no_count_toward_agreement():
    ballots = [
        (1, 10, "yes"), (1, 20, "yes"), (1, 30, "no"),
        (2, 10, "yes"), (2, 20, "no"), (2, 30, "abstain"),
        (3, 10, "no"), (3, 20, "recused"), (3, 30, "no"),
        (4, 10, "absent"), (4, 20, "yes"), (4, 30, "yes"),
    ]  # fmt: skip
    counts = count_pairs(ballots)
    assert counts[10, 20] == PairCount(shared=2, alike=1)
    assert counts[10, 30] == PairCount(shared=2, alike=1)
    assert counts[20, 30] == PairCount(shared=2, alike=1)
    assert count_pairs([(1, 10, "abstain"), (1, 20, "absent")]) == {}


def test_the_matrix_is_symmetric_with_dashes_down_the_diagonal():
    members = [(3, "Avery"), (1, "Blake"), (2, "Casey")]
    counts = {(1, 3): PairCount(4, 4), (1, 2): PairCount(3, 1)}
    matrix = agreement_matrix(members, counts)
    labels = [[c.label for c in row] for row in matrix.rows]
    assert labels == [["\N{EM DASH}", "100%", "none"], ["100%", "\N{EM DASH}", "33%"],
                      ["none", "33%", "\N{EM DASH}"]]  # fmt: skip
    assert matrix.rows[1][2].detail == "1 of 3"
    assert matrix.rows[0][2].detail == ""
    assert not matrix.is_empty
    assert agreement_matrix(members, {}).is_empty


@given(
    st.lists(
        st.tuples(st.integers(1, 12), st.integers(1, 6), st.sampled_from(VALUES)),
        max_size=80,
        unique_by=lambda b: (b[0], b[1]),
    )
)
def test_one_pass_matches_counting_each_pair_by_hand(ballots):
    counts = count_pairs(ballots)
    by_vote: dict[int, dict[int, str]] = {}
    for vote, person, value in ballots:
        by_vote.setdefault(vote, {})[person] = value
    for a, b in combinations(range(1, 7), 2):
        both = [v for v in by_vote.values() if {v.get(a), v.get(b)} <= {"yes", "no"}]
        alike = sum(v[a] == v[b] for v in both)
        assert counts.get((a, b), PairCount()) == PairCount(len(both), alike)
        percent = counts.get((a, b), PairCount()).percent
        assert percent is None if not both else 0 <= percent <= 100
    people = [4, 1, 6, 2, 5, 3]
    assert count_patterns(people, patterns_of(ballots, people)) == counts
    matrix = agreement_matrix([(p, str(p)) for p in range(1, 7)], counts)
    for i, row in enumerate(matrix.rows):
        for j, cell in enumerate(row):
            assert cell.label == matrix.rows[j][i].label


def patterns_of(ballots, people):
    """Group ballots by roll call into (yes mask, no mask, roll calls), as the database does."""
    masks: dict[int, list[int]] = {}
    for vote, person, value in ballots:
        if person in people and value in ("yes", "no"):
            mask = masks.setdefault(vote, [0, 0])
            mask[value == "no"] |= 1 << people.index(person)
    patterns: dict[tuple[int, int], int] = {}
    for yes, no in masks.values():
        patterns[yes, no] = patterns.get((yes, no), 0) + 1
    return [(yes, no, n) for (yes, no), n in patterns.items()]


def test_patterns_count_like_ballots_one_by_one():
    ballots = [(1, 7, "yes"), (1, 8, "no"), (1, 9, "absent"), (2, 7, "no"), (2, 8, "no"),
               (2, 9, "no"), (3, 7, "yes"), (3, 8, "no"), (3, 9, "yes")]  # fmt: skip
    people = [9, 8, 7]
    assert (
        count_patterns(people, patterns_of(ballots, people))
        == count_pairs(ballots)
        == {
            (7, 8): PairCount(3, 1),
            (7, 9): PairCount(2, 2),
            (8, 9): PairCount(2, 1),
        }
    )
    assert count_patterns(people, []) == {}


def test_the_period_is_twelve_months_unless_they_hold_few_roll_calls():
    day = date(2026, 7, 7)
    assert twelve_months_to(day) == Period(PeriodKind.LAST_TWELVE_MONTHS, date(2025, 7, 8), day)
    assert twelve_months_to(date(2028, 2, 29)).first == date(2027, 3, 1)
    assert default_period(day, FEWEST_ROLL_CALLS) == twelve_months_to(day)
    assert default_period(day, FEWEST_ROLL_CALLS - 1) == Period(PeriodKind.ALL_TIME, None, day)
    assert year_period(2025) == Period(PeriodKind.YEAR, date(2025, 1, 1), date(2025, 12, 31))
    assert period_words(year_period(2025)) == "in 2025"
    assert period_words(twelve_months_to(day)) == "in the twelve months to July 7, 2026"
    assert period_words(default_period(day, 0)) == "in the whole record to July 7, 2026"


def test_the_database_counts_what_one_pass_over_the_demos_ballots_counts(demo_app):
    body = db.session.execute(sa.select(Body)).scalars().first()
    rows = db.session.execute(
        sa.select(Ballot.vote_id, Ballot.person_id, Ballot.value)
        .join(Vote, Vote.id == Ballot.vote_id)
        .join(Motion, Motion.id == Vote.motion_id)
        .join(AgendaItem, AgendaItem.id == Motion.agenda_item_id)
        .join(AgendaSection, AgendaSection.id == AgendaItem.section_id)
        .join(Meeting, Meeting.id == AgendaSection.meeting_id)
        .where(Meeting.body_id == body.id, visible_to(PUBLIC))
    ).all()
    assert rows, "the demo records roll calls"
    people = sorted({m.person_id for m in body.memberships})
    everything = Period(PeriodKind.ALL_TIME, None, date(2199, 12, 31))
    patterns = side_patterns(body.id, everything, body.timezone, people)
    counted = count_patterns(people, patterns)
    assert counted == count_pairs(rows)
    assert any(c.alike < c.shared for c in counted.values()), "the 287(g) vote split 6-1"
    assert sum(n for _, _, n in patterns) == len({vote_id for vote_id, _, _ in rows})
    last_year = twelve_months_to(datetime.now(UTC).date() + timedelta(days=1))
    assert sorted(side_patterns(body.id, last_year, body.timezone, people)) == sorted(patterns)
    assert side_patterns(body.id, year_period(1999), body.timezone, people) == []
    assert side_patterns(body.id, everything, body.timezone, []) == []
    assert pair_key(5, 2) == (2, 5)
