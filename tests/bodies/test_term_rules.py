"""The pure rules of terms and rosters, at their boundaries, and one invariant by hypothesis."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from agenda.bodies.rules import Term, TermEnd, TermStart, roster_on, term_problems

SEATS = [(1, "Mayor"), (2, "Commissioner"), (3, "District 3")]
JO = Term(3, 7, date(2024, 1, 1), date(2026, 4, 30), person_name="Jo Smith")


def test_a_term_may_start_the_day_after_another_ends_on_the_same_seat():
    nxt = Term(3, 8, date(2026, 5, 1), None, TermStart.APPOINTED, person_name="Al")
    assert term_problems(nxt, [JO]) == []


def test_end_dates_are_inclusive_so_starting_on_the_last_day_overlaps():
    nxt = Term(3, 8, date(2026, 4, 30), None, person_name="Al")
    assert term_problems(nxt, [JO]) == [
        "Seat 3 is held by Jo Smith from January 1, 2024 to April 30, 2026."
    ]


def test_an_open_ended_term_overlaps_everything_after_it():
    open_term = Term(1, 1, date(2020, 1, 1), None, person_name="Ann")
    later = Term(1, 2, date(2190, 1, 1), date(2190, 2, 1))
    assert "Seat 1 is held by Ann from January 1, 2020 on." in term_problems(later, [open_term])


def test_a_term_that_ends_before_it_starts_is_refused():
    bad = Term(2, 1, date(2026, 5, 2), date(2026, 5, 1))
    assert term_problems(bad, []) == [
        "The term ends on May 1, 2026, before it starts on May 2, 2026."
    ]
    assert term_problems(Term(2, 1, date(2026, 5, 1), date(2026, 5, 1)), []) == []


def test_dates_out_of_range_are_refused():
    assert term_problems(Term(2, 1, date(1899, 12, 31)), [])
    assert term_problems(Term(2, 1, date(1900, 1, 1), date(2199, 12, 31)), []) == []
    assert term_problems(Term(2, 1, date(2000, 1, 1), date(2200, 1, 1)), [])


def test_one_person_holds_one_seat_of_a_body_at_a_time():
    second = Term(1, 7, date(2025, 1, 1), person_name="Jo Smith")
    assert term_problems(second, [JO]) == [
        "Jo Smith already holds seat 3 from January 1, 2024 to April 30, 2026; "
        "a person holds one seat of a body at a time."
    ]


def test_an_end_that_uncovers_a_ballot_is_refused_and_the_last_voted_day_is_allowed():
    ended = Term(3, 7, date(2024, 1, 1), date(2026, 3, 2), end_reason=TermEnd.RESIGNED,
                 person_name="Jo Smith")  # fmt: skip
    assert term_problems(ended, [], [date(2026, 3, 3)]) == [
        "Jo Smith voted on March 3, 2026; a term must cover that day."
    ]
    on_the_day = Term(3, 7, date(2024, 1, 1), date(2026, 3, 3), person_name="Jo Smith")
    assert term_problems(on_the_day, [], [date(2026, 3, 3)]) == []


def test_the_roster_shows_holders_and_why_a_seat_is_vacant():
    suspended = Term(3, 7, date(2024, 1, 1), date(2026, 4, 30), end_reason=TermEnd.SUSPENDED,
                     person_name="Jo Smith")  # fmt: skip
    mayor = Term(1, 1, date(2024, 1, 1), person_name="Ann")
    on_last_day = roster_on(date(2026, 4, 30), SEATS, [suspended, mayor])
    assert [(r.number, r.term and r.term.person_name, r.vacancy) for r in on_last_day] == [
        (1, "Ann", ""),
        (2, None, "Vacant: never filled"),
        (3, "Jo Smith", ""),
    ]
    after = roster_on(date(2026, 5, 1), SEATS, [suspended, mayor])
    assert after[2].is_vacant
    assert after[2].vacancy == "Vacant since May 1, 2026: Jo Smith suspended"


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def candidate(draw: st.DrawFn) -> Term:
    start = draw(days)
    length = draw(st.none() | st.integers(min_value=0, max_value=2000))
    end = None if length is None else start + timedelta(days=length)
    return Term(draw(st.integers(1, 3)), draw(st.integers(1, 5)), start, end)


@given(st.lists(candidate(), max_size=12), days)
def test_accepted_terms_never_put_two_holders_in_one_seat(candidates, day):
    accepted: list[Term] = []
    for term in candidates:
        if not term_problems(term, accepted):
            accepted.append(term)
    roster = roster_on(day, SEATS, accepted)
    for row in roster:
        holders = [t for t in accepted if t.seat == row.number and t.covers(day)]
        assert len(holders) <= 1
        assert row.is_vacant == (not holders)
    seated = [r.term.person_id for r in roster if r.term]
    assert len(seated) == len(set(seated))
