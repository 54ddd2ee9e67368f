"""The words and dates of a generated city: names, titles, meeting days, terms, vote splits.

Pure and seeded: the same `random.Random` gives the same city. No database here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agenda.bodies.rules import BodyKind, TermEnd, TermStart
from agenda.meetings.rules import MeetingType

TZ = ZoneInfo("America/New_York")
SLUG_PREFIX = "generated-"
LOCATION = "Harbor City Hall, 100 Demo Street (demo)"

FIRST = [
    "Alex",
    "Avery",
    "Blair",
    "Cameron",
    "Dana",
    "Eden",
    "Emerson",
    "Finley",
    "Gale",
    "Harley",
    "Hayden",
    "Indra",
    "Jamie",
    "Jordan",
    "Kai",
    "Kerry",
    "Lane",
    "Logan",
    "Marley",
    "Morgan",
    "Noel",
    "Oakley",
    "Parker",
    "Peyton",
    "Quinn",
    "Reese",
    "Riley",
    "Robin",
    "Rowan",
    "Sage",
    "Sawyer",
    "Shay",
    "Skyler",
    "Sloan",
    "Tatum",
    "Teagan",
    "Val",
    "Wren",
    "Yael",
    "Zion",
]
LAST = [
    "Abbott",
    "Alvarez",
    "Baptiste",
    "Castillo",
    "Delgado",
    "Ellison",
    "Fontaine",
    "Garrido",
    "Hale",
    "Iverson",
    "Jaramillo",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quintero",
    "Rasmussen",
    "Santoro",
    "Tanaka",
    "Ueda",
    "Vasquez",
    "Whitfield",
    "Xiong",
    "Yamada",
    "Zamora",
    "Brennan",
    "Cordero",
    "Dubois",
    "Esposito",
    "Ferreira",
    "Gallagher",
    "Holloway",
    "Ibarra",
    "Jensen",
    "Kaur",
    "Larsen",
    "Mendez",
    "Novak",
]

VENDORS = [
    "Coastal Paving",
    "Gulf Marine Works",
    "Keys Electric",
    "Island Fleet",
    "Bayside Engineering",
    "Reef Environmental",
    "Palm Consulting",
    "Harbor Roofing",
    "Seaside Water Systems",
    "Tidewater Labs",
]
SERVICES = [
    "seawall repair",
    "stormwater pumps",
    "street resurfacing",
    "LED street lights",
    "bus shelters",
    "wastewater treatment",
    "beach renourishment",
    "park playground equipment",
    "fire station roof",
    "marina dredging",
    "sidewalk repairs",
    "traffic signals",
]
DEPARTMENTS = [
    "Public Works",
    "Utilities",
    "Fire",
    "Police",
    "Parks and Recreation",
    "Transportation",
    "Planning",
    "Finance",
    "Information Technology",
    "Port Operations",
]
THINGS = [
    "two pickup trucks",
    "a street sweeper",
    "radios",
    "computers",
    "a fire engine",
    "body cameras",
    "sandbags",
    "water meters",
    "mowing services",
    "lifeguard towers",
]
TOPICS = [
    "transient rental licenses",
    "noise",
    "sidewalk cafes",
    "tree protection",
    "parking",
    "signs",
    "short-term moorings",
    "flood-plain management",
    "building heights",
    "solid waste",
    "affordable housing",
    "golf carts",
]
STREETS = [
    "Duval",
    "Whitehead",
    "Simonton",
    "Eaton",
    "Fleming",
    "Olivia",
    "Truman",
    "Flagler",
    "Bertha",
    "Catherine",
]
OCCASIONS = [
    "Earth Day",
    "Arbor Day",
    "Hurricane Preparedness Week",
    "Public Works Week",
    "Library Week",
    "National Night Out",
    "Veterans Day",
    "Pride Month",
    "Black History Month",
    "Women's History Month",
]
CONFLICTS = (
    "Employed by the applicant (demo)",
    "A relative owns property next to the site (demo)",
    "Business relationship with the vendor (demo)",
)


@dataclass(frozen=True)
class BodyPlan:
    slug: str
    name: str
    kind: BodyKind
    titles: tuple[str, ...]
    presiding_seat: int | None
    term_years: int
    elected: bool


BODIES = (
    BodyPlan(
        f"{SLUG_PREFIX}city-commission",
        "Harbor City Commission (demo)",
        BodyKind.COMMISSION,
        ("Mayor", *["Commissioner"] * 6),
        1,
        4,
        True,
    ),
    BodyPlan(
        f"{SLUG_PREFIX}planning-board",
        "Harbor City Planning Board (demo)",
        BodyKind.BOARD,
        ("Chair", "Vice Chair", *["Member"] * 5),
        1,
        3,
        False,
    ),
    BodyPlan(
        f"{SLUG_PREFIX}utility-board",
        "Harbor City Utility Board (demo)",
        BodyKind.BOARD,
        ("Chair", *["Member"] * 4),
        1,
        3,
        False,
    ),
)


def person_name(rng: random.Random) -> str:
    """Return a placeholder name, marked demo as every demo name is."""
    return f"{rng.choice(FIRST)} {rng.choice(LAST)} (demo)"


@dataclass
class Term:
    """A seat held by a person from one date to another (None: still serving)."""

    seat: int
    person: int  # index into the generated people
    starts_on: date
    ends_on: date | None
    start_reason: TermStart
    end_reason: TermEnd | None = None


@dataclass
class Terms:
    terms: list[Term] = field(default_factory=list)
    people: list[str] = field(default_factory=list)


def plan_terms(
    plan: BodyPlan, start: date, end: date, rng: random.Random, people: list[str]
) -> list[Term]:
    """Return who holds each seat from `start` to `end`: re-elections, resignations, vacancies.

    New people are appended to `people` (their names); a term's `person` indexes that list.
    """
    terms: list[Term] = []
    for seat in range(1, len(plan.titles) + 1):
        day = start
        person = _new(people, rng)
        reason = TermStart.ELECTED if plan.elected else TermStart.APPOINTED
        # Staggered: half the seats come up a year or two after the others.
        term_end = date(start.year + 1 + seat % plan.term_years, 11, 30)
        while day <= end:
            if rng.random() < 0.08:  # resigns mid-term; the seat stays vacant a while
                leave = day + timedelta(days=rng.randint(60, max(61, (term_end - day).days - 30)))
                if leave < term_end and leave <= end:
                    terms.append(Term(seat, person, day, leave, reason, TermEnd.RESIGNED))
                    day = leave + timedelta(days=rng.randint(30, 100))
                    person, reason = _new(people, rng), TermStart.APPOINTED
                    if day >= term_end:
                        day = term_end + timedelta(days=1)
                        term_end = date(term_end.year + plan.term_years, 11, 30)
                        reason = TermStart.ELECTED if plan.elected else TermStart.APPOINTED
                    continue
            if term_end >= end:
                terms.append(Term(seat, person, day, None, reason))
                break
            terms.append(Term(seat, person, day, term_end, reason, TermEnd.EXPIRED))
            day = term_end + timedelta(days=1)
            term_end = date(term_end.year + plan.term_years, 11, 30)
            reason = TermStart.ELECTED if plan.elected else TermStart.APPOINTED
            if rng.random() > 0.6:  # not re-elected (or not re-appointed): someone new
                person = _new(people, rng)
    return terms


def _new(people: list[str], rng: random.Random) -> int:
    people.append(person_name(rng))
    return len(people) - 1


@dataclass(frozen=True)
class MeetingPlan:
    body: int  # index into BODIES
    meeting_type: MeetingType
    at: datetime
    cancelled: bool = False


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def plan_meetings(first_year: int, years: int, rng: random.Random) -> list[MeetingPlan]:
    """Return every meeting of every body, in time order: about 50 a year, one cancelled."""
    meetings: list[MeetingPlan] = []
    for year in range(first_year, first_year + years):
        cancelled_month = rng.randint(6, 9)
        for month in range(1, 13):
            for n in (2, 4):  # the commission: second and fourth Tuesday
                day = _nth_weekday(year, month, 1, n)
                off = month == cancelled_month and n == 4
                meetings.append(MeetingPlan(0, MeetingType.REGULAR, _local(day, 17), off))
            meetings.append(
                MeetingPlan(1, MeetingType.REGULAR, _local(_nth_weekday(year, month, 2, 3), 17))
            )
            meetings.append(
                MeetingPlan(2, MeetingType.REGULAR, _local(_nth_weekday(year, month, 3, 1), 9))
            )
        for month in rng.sample(range(1, 13), 2):  # special meetings of the commission
            day = _nth_weekday(year, month, 3, 3)
            meetings.append(MeetingPlan(0, MeetingType.SPECIAL, _local(day, 10)))
    return sorted(meetings, key=lambda m: m.at)


def split(rng: random.Random, present: int) -> int:
    """Return how many of the members present vote no: mostly none, sometimes a close split."""
    r = rng.random()
    if r < 0.72 or present < 3:
        return 0
    if r < 0.87:
        return 1
    if r < 0.94:
        return 2
    if r < 0.985:
        return (present - 1) // 2  # 4-3 on seven
    return (present + 1) // 2  # fails


def item_title(rng: random.Random) -> str:
    """Return the title of an item without legislation."""
    kind = rng.randrange(4)
    if kind == 0:
        thing, department = rng.choice(THINGS), rng.choice(DEPARTMENTS)
        return f"Approve the purchase of {thing} for the {department} Department (demo)"
    if kind == 1:
        return f"Award a bid to {rng.choice(VENDORS)} for {rng.choice(SERVICES)} (demo)"
    if kind == 2:
        return f"Appoint a member to the {rng.choice(DEPARTMENTS)} advisory committee (demo)"
    return f"Approve a change order for {rng.choice(SERVICES)} (demo)"


def resolution_title(rng: random.Random) -> str:
    return (
        f"A Resolution approving a contract with {rng.choice(VENDORS)} for "
        f"{rng.choice(SERVICES)}; providing for an effective date (demo)"
    )


def ordinance_title(rng: random.Random) -> str:
    return (
        f"An Ordinance amending Chapter {rng.randint(2, 122)} of the Code of Ordinances "
        f"concerning {rng.choice(TOPICS)}; providing for an effective date (demo)"
    )


def variance_title(rng: random.Random) -> str:
    side = rng.choice(("front", "side", "rear"))
    return (
        f"A Resolution granting a {side} setback variance at {rng.randint(100, 1999)} "
        f"{rng.choice(STREETS)} Street (demo)"
    )


def proclamation_title(rng: random.Random) -> str:
    return f"A Proclamation recognizing {rng.choice(OCCASIONS)} (demo)"


def matter_text(title: str, rng: random.Random) -> str:
    """Return a short full text in the shape of real legislation."""
    topic = rng.choice(TOPICS + SERVICES)
    return (
        f"**WHEREAS**, the City Commission has considered {topic} at a public meeting; and\n\n"
        f"**WHEREAS**, staff of the {rng.choice(DEPARTMENTS)} Department recommend approval;\n\n"
        f"**NOW, THEREFORE, BE IT RESOLVED:**\n\n1. {title}.\n"
        "2. This measure takes effect immediately upon its adoption.\n\n"
        "*Generated demonstration text; not a real measure.*\n"
    )


def rng_topic(rng: random.Random) -> str:
    """Return a subject a staff report or a direction to staff is about."""
    return rng.choice(TOPICS + SERVICES).capitalize()
