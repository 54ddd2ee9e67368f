"""Pure meeting rules: local times in a body's time zone, moving entries, item titles, numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agenda.meetings.rules import (
    MeetingStatus,
    MeetingType,
    PositionOutOfRange,
    Stay,
    default_item_title,
    item_number,
    moved,
    notice_warning,
    recording_refusal,
    stays_label,
    stays_problems,
)
from agenda.text import plural
from agenda.timefmt import NonexistentLocalTime, clock_time, local_to_utc, utc_to_local

KEY_WEST = "America/New_York"


def test_summer_evening_in_key_west_is_four_hours_behind_utc():
    assert local_to_utc(date(2026, 7, 7), time(17, 0), KEY_WEST) == datetime(
        2026, 7, 7, 21, 0, tzinfo=UTC
    )


def test_winter_evening_in_key_west_is_five_hours_behind_utc():
    assert local_to_utc(date(2026, 12, 8), time(17, 30), KEY_WEST) == datetime(
        2026, 12, 8, 22, 30, tzinfo=UTC
    )


@pytest.mark.parametrize("at", [time(2, 0), time(2, 30), time(2, 59)])
def test_a_time_skipped_by_spring_forward_is_refused_in_words(at):
    with pytest.raises(NonexistentLocalTime) as refused:
        local_to_utc(date(2026, 3, 8), at, KEY_WEST)
    message = str(refused.value)
    assert clock_time(at) in message
    assert "March 8, 2026" in message
    assert "Choose another time" in message


def test_the_hour_around_spring_forward_exists():
    assert local_to_utc(date(2026, 3, 8), time(1, 59), KEY_WEST).hour == 6
    assert local_to_utc(date(2026, 3, 8), time(3, 0), KEY_WEST).hour == 7


def test_a_time_repeated_when_clocks_fall_back_means_the_first_one():
    # 1:30 AM on November 1, 2026 happens twice; the first is still daylight time (UTC-4).
    assert local_to_utc(date(2026, 11, 1), time(1, 30), KEY_WEST) == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2060, 1, 1)))
def test_local_time_reads_back_to_the_same_instant_but_in_the_repeated_hour(naive):
    instant = naive.replace(tzinfo=UTC, second=0, microsecond=0)
    day, at = utc_to_local(instant, KEY_WEST)
    back = local_to_utc(day, at, KEY_WEST)
    # The second 1:xx AM of a fall-back night reads back as the first one, an hour earlier.
    assert back == instant or instant - back == timedelta(hours=1)
    assert utc_to_local(back, KEY_WEST) == (day, at)


@pytest.mark.parametrize(
    ("at", "words"),
    [
        (time(0, 0), "12:00 AM"),
        (time(9, 5), "9:05 AM"),
        (time(12, 0), "12:00 PM"),
        (time(17, 30), "5:30 PM"),
    ],
)
def test_clock_time_reads_the_american_way(at, words):
    assert clock_time(at) == words


def test_moving_down_and_up():
    assert moved(["a", "b", "c"], 0, 2) == ["b", "a", "c"]
    assert moved(["a", "b", "c"], 2, 1) == ["c", "a", "b"]
    assert moved(["a", "b", "c"], 1, 2) == ["a", "b", "c"]


@pytest.mark.parametrize("position", [0, 4, -1])
def test_moving_past_either_end_is_refused(position):
    with pytest.raises(PositionOutOfRange):
        moved(["a", "b", "c"], 2, position)


@given(st.data(), st.lists(st.integers(), min_size=1, max_size=30, unique=True))
def test_a_move_keeps_every_entry_once_and_the_others_in_order(data, order):
    index = data.draw(st.integers(0, len(order) - 1))
    position = data.draw(st.integers(1, len(order)))
    result = moved(order, index, position)
    assert sorted(result) == sorted(order)
    assert result[position - 1] == order[index]
    others = [x for x in order if x != order[index]]
    assert [x for x in result if x != order[index]] == others


def test_an_item_takes_its_legislations_title_only_when_none_is_typed():
    assert default_item_title("  Typed title ", "Matter title") == "Typed title"
    assert default_item_title("   ", "  Matter title ") == "Matter title"
    assert default_item_title("", None) == ""


def test_a_long_legislation_title_is_shortened_to_fit():
    title = default_item_title("", "x" * 600)
    assert len(title) == 500
    assert title.endswith("\u2026")


@pytest.mark.parametrize(
    ("section", "item", "number"), [(6, 1, "6.a"), (6, 3, "6.c"), (2, 26, "2.z"), (2, 27, "2.aa")]
)
def test_item_numbers_are_computed_from_positions(section, item, number):
    assert item_number(section, item) == number


@pytest.mark.parametrize(
    ("status", "correcting", "expected"),
    [
        (MeetingStatus.IN_PROGRESS, False, None),
        (MeetingStatus.ADJOURNED, True, None),
        (MeetingStatus.ADJOURNED, False, "This meeting is adjourned; the console records"),
        (MeetingStatus.PUBLISHED, True, "Call the meeting to order first."),
        (MeetingStatus.CANCELLED, True, "This meeting is cancelled;"),
        (MeetingStatus.DRAFT, False, "This meeting is draft;"),
    ],
)
def test_what_the_live_record_accepts_in_each_state(status, correcting, expected):
    refusal = recording_refusal(status, correcting=correcting)
    assert (refusal is None) if expected is None else refusal.startswith(expected)


def notice(published_before_start: timedelta) -> str | None:
    start = datetime(2026, 7, 7, 21, 0, tzinfo=UTC)
    return notice_warning(
        MeetingType.REGULAR,
        scheduled_at=start,
        published_at=start - published_before_start,
        notice_hours_regular=168,
        notice_hours_special=24,
    )


def test_notice_warnings_count_hours_in_words_and_say_when_notice_came_late():
    assert notice(timedelta(days=7)) is None
    assert notice(timedelta(hours=1, minutes=5)) == (
        "Short notice: this regular meeting is published 1 hour ahead; "
        "the body's rule is 7 days ahead."
    )
    assert "published less than an hour ahead" in (notice(timedelta(minutes=20)) or "")
    assert "published 30 hours ahead" in (notice(timedelta(hours=30)) or "")
    late = notice(timedelta(hours=-2)) or ""
    assert late.startswith("Late notice: this regular meeting is published after it began")
    assert "0 hours" not in late


def test_counted_nouns_agree_with_their_count():
    assert plural(1, "page") == "1 page"
    assert plural(2, "page") == "2 pages"
    assert plural(0, "member") == "0 members"
    assert plural(3, "body", "bodies") == "3 bodies"


def _evening(hour: int, minute: int = 0) -> datetime:
    """Return a local time on July 7, 2026 in Key West, in UTC (called to order at 5 PM)."""
    return local_to_utc(date(2026, 7, 7), time(hour, minute), KEY_WEST)


def _problems(*stays: Stay) -> list[str]:
    return stays_problems(
        "Commissioner Kaufman",
        stays,
        called_at=_evening(17),
        adjourned_at=None,
        now=_evening(23),
        tz=KEY_WEST,
    )


def test_stays_that_follow_one_another_are_possible_and_read_in_order():
    stays = [Stay(_evening(18, 40), _evening(19, 30)), Stay(None, _evening(18, 15))]
    stays.append(Stay(_evening(19, 45)))
    assert _problems(*stays) == []
    assert stays_label(stays, KEY_WEST) == (
        "left 6:15 PM, returned 6:40 PM, left 7:30 PM, returned 7:45 PM"
    )
    assert stays_label([Stay()], KEY_WEST) == ""


def test_a_return_before_leaving_or_overlapping_stays_are_refused():
    assert _problems(Stay(), Stay(_evening(18, 40))) == [
        "Commissioner Kaufman cannot return at 6:40 PM without having left: "
        "enter the time they left first."
    ]
    assert _problems(Stay(None, _evening(18, 15)), Stay(_evening(18, 10))) == [
        "Commissioner Kaufman cannot return at 6:10 PM, before leaving at 6:15 PM: "
        "stays cannot overlap."
    ]
    assert _problems(Stay(None, _evening(18, 15)), Stay(_evening(18, 15))) != []
    assert _problems(Stay(), Stay()) != []
    late = _problems(Stay(None, _evening(18)), Stay(_evening(23, 30)))
    assert late == [
        "Commissioner Kaufman cannot have returned at 11:30 PM: that time has not come yet."
    ]


def test_an_arrival_typed_in_the_minute_of_the_call_to_order_is_on_time():
    called = _evening(17) + timedelta(seconds=40)
    typed = Stay(_evening(17))  # the clerk types 17:00; the gavel fell at 17:00:40

    def problems(stay: Stay, called_at: datetime) -> list[str]:
        return stays_problems("Commissioner Kaufman", [stay], called_at=called_at,
                              adjourned_at=None, now=_evening(23), tz=KEY_WEST)  # fmt: skip

    assert problems(typed, called) == []
    assert problems(Stay(_evening(16, 59)), called) == [
        "Commissioner Kaufman cannot have arrived at 4:59 PM, before the call to order at 5:00 PM."
    ]
