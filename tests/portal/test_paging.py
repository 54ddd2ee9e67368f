"""Lists a page at a time: page numbers and filters read from an address, and the page links."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agenda.matters.rules import STATUS_NAMES, MatterStatus
from agenda.meetings.rules import MeetingStatus
from agenda.meetings.summary import (
    ItemHeading,
    list_status,
    read_filters,
    subject_line,
    year_bounds,
)
from agenda.paging import MAX_PAGE, BadValue, Paging, choice, page_number, paging, whole_number


@pytest.mark.parametrize(("raw", "number"), [(None, 1), ("", 1), ("  ", 1), ("1", 1), ("7", 7)])
def test_a_page_number_is_read_and_absent_means_the_first(raw, number):
    assert page_number(raw) == number


@pytest.mark.parametrize(
    "raw", ["0", "-1", "+1", "1.5", "1e3", "abc", "1_0", "٣", str(MAX_PAGE + 1), "9" * 40]
)
def test_a_page_number_that_is_not_a_whole_number_from_1_is_refused_with_400(raw):
    with pytest.raises(BadValue) as refused:
        page_number(raw)
    assert refused.value.status == 400
    assert refused.value.messages == (f"Choose a page number from 1 to {MAX_PAGE:,}.",)


def test_filters_say_what_is_wrong_in_words():
    with pytest.raises(BadValue, match=re.escape("The year must be a number.")):
        whole_number("twenty", "year", 1900, 2199)
    with pytest.raises(BadValue, match=re.escape("Choose a year from 1900 to 2199.")):
        whole_number("0", "year", 1900, 2199)
    with pytest.raises(BadValue, match=r"Choose a status from: draft \(Draft\), filed"):
        choice("passed", "status", STATUS_NAMES)
    assert choice("adopted", "status", STATUS_NAMES) is MatterStatus.ADOPTED
    assert whole_number(None, "year", 1900, 2199) is None


def test_page_links_show_the_ends_and_the_neighbourhood_with_gaps():
    assert Paging(1, 25).links() == [1]
    assert Paging(1, 60).links() == [1, 2, 3]
    assert Paging(10, 25 * 40).links() == [1, None, 8, 9, 10, 11, 12, None, 40]
    assert Paging(3, 25 * 40).links() == [1, 2, 3, 4, 5, None, 40]
    assert Paging(40, 25 * 40).links() == [1, None, 38, 39, 40]


def test_a_page_knows_its_rows_and_neighbours():
    page = Paging(2, 60)
    assert (page.pages, page.offset, page.first_shown, page.last_shown) == (3, 25, 26, 50)
    assert (page.previous, page.next) == (1, 3)
    assert Paging(3, 60).last_shown == 60 and Paging(3, 60).next is None
    empty = Paging(1, 0)
    assert (empty.pages, empty.first_shown, empty.previous, empty.next) == (1, 0, None, None)


def test_a_page_past_the_last_is_refused_and_says_how_many_there_are():
    assert paging(1, 0).pages == 1  # an empty list still has its first page
    message = "There is no page 4: these meetings fill 3 pages."
    with pytest.raises(BadValue, match=re.escape(message)):
        paging(4, 60, noun="meetings")


@given(st.integers(min_value=0, max_value=2_000), st.integers(min_value=1, max_value=100))
def test_every_row_is_on_exactly_one_page(total, per_page):
    pages = Paging(1, total, per_page).pages
    shown = []
    for number in range(1, pages + 1):
        page = Paging(number, total, per_page)
        shown += range(page.first_shown, page.last_shown + 1) if total else []
        assert page.number in page.links()
        assert page.links()[0] == 1 and page.links()[-1] == pages
    assert shown == list(range(1, total + 1))


def test_the_meetings_list_reads_its_filters():
    filters = read_filters({"body": "3", "year": "2025", "when": "past", "page": "2"})
    assert (filters.body_id, filters.year, filters.when.value, filters.page) == (3, 2025, "past", 2)
    assert filters.args() == {"body": 3, "year": 2025, "when": "past"}
    with pytest.raises(BadValue, match=r"Choose a list from: upcoming"):
        read_filters({"when": "soon"})
    with pytest.raises(BadValue, match=re.escape("The body must be a number.")):
        read_filters({"body": "abc"})


def test_a_local_year_starts_at_local_midnight():
    start, end = year_bounds(2026, "America/New_York")
    assert (start.isoformat(), end.isoformat()) == (
        "2026-01-01T05:00:00+00:00",
        "2027-01-01T05:00:00+00:00",
    )


def test_a_status_is_named_in_the_products_words():
    assert list_status(MeetingStatus.PUBLISHED, 1).label == "Published"
    assert list_status(MeetingStatus.PUBLISHED, 2).label == "Amended agenda"
    assert list_status(MeetingStatus.IN_PROGRESS, 1).label == "In session"
    assert list_status(MeetingStatus.ADJOURNED, 3).label == "Adjourned"
    assert list_status(MeetingStatus.CANCELLED, 1).label == "Cancelled"
    assert list_status(MeetingStatus.DRAFT, 0).label == "Draft"


def test_the_subject_line_is_the_main_items_legislation_first_and_trimmed():
    items = [
        ItemHeading("Call to order", "Call to order"),
        ItemHeading("Approval of minutes", "Minutes of June 3"),
        ItemHeading("Consent agenda", "Accept the audit report"),
        ItemHeading("Resolutions", "Terminate the 287(g) agreement " + "x" * 200, True),
        ItemHeading("Discussion", "Parking downtown"),
        ItemHeading("Discussion", "Seawall repairs"),
        ItemHeading("PUBLIC  COMMENT", "Public comment"),
    ]
    line = subject_line(items)
    first, second, third = line.split("; ")
    assert first.startswith("Terminate the 287(g) agreement") and first.endswith("\u2026")
    assert len(first) == 100
    assert (second, third) == ("Accept the audit report", "Parking downtown")
    assert subject_line([ItemHeading("Roll call", "Roll call")]) == ""
