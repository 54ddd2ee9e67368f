"""Load the demo once: the Key West City Commission, its 287(g) vote and what followed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from agenda.audit.operations import seal
from agenda.audit.verify import fact_sources, replay_chain, uncovered
from agenda.auth.operations import create_user
from agenda.auth.rules import Role
from agenda.bodies.models import Body, Jurisdiction, Membership, Person, Seat
from agenda.bodies.rules import AbstentionPolicy, BodyKind, RulesPreset
from agenda.demo import data
from agenda.documents.operations import attach_pdf
from agenda.extensions import db
from agenda.matters.documents import render_matter_pdf
from agenda.matters.models import Matter
from agenda.matters.operations import add_history, create_matter, place_on_agenda
from agenda.matters.rules import MatterAction, MatterType
from agenda.meetings.models import AgendaItem, Meeting
from agenda.meetings.operations import add_item, create_meeting, section_titled
from agenda.meetings.publishing import cancel_meeting, publish_amendment, publish_meeting
from agenda.meetings.rules import (
    AttendanceStatus,
    Disposition,
    MeetingStatus,
    MeetingType,
    amendment_reason,
)
from agenda.meetings.session import adjourn, call_to_order, record_attendance
from agenda.meetings.snapshot import pending_changes
from agenda.minutes.operations import save_draft
from agenda.votes.operations import move_motion, record_roll_call
from agenda.votes.outcomes import set_disposition
from agenda.votes.rules import Ballot, BallotValue, MotionKind

TZ = ZoneInfo("America/New_York")


@dataclass(frozen=True)
class DemoSummary:
    loaded: bool
    meetings: int
    logins: dict[str, str]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def _next_tuesday(day: date) -> date:
    return day + timedelta(days=(1 - day.weekday()) % 7)


def is_loaded() -> bool:
    """Tell whether the demo body is already in the database."""
    return (
        db.session.execute(sa.select(Body.id).where(Body.slug == data.BODY_SLUG)).first()
        is not None
    )


def load_demo(now: datetime) -> DemoSummary:
    """Add the demo data unless it is there already; dates are placed around `now`."""
    if is_loaded():
        return DemoSummary(loaded=False, meetings=0, logins={})
    today = now.astimezone(TZ).date()
    if db.session.execute(sa.select(Jurisdiction.id)).first() is None:
        db.session.add(
            Jurisdiction(
                name="City of Key West (demo)",
                timezone="America/New_York",
                address="1300 White Street, Key West, FL 33040",
                accommodation_statement=data.ACCOMMODATION_STATEMENT,
                appeal_statement=data.APPEAL_STATEMENT,
                rules_preset=RulesPreset.FLORIDA,
                is_demo=True,
            )
        )
    # The resolution's meeting is upcoming; the 287(g) vote was three weeks earlier.
    resolution_day = _next_tuesday(today + timedelta(days=8))
    vote_day = resolution_day - timedelta(days=21)

    commission, members = _body(
        data.BODY_SLUG, "Key West City Commission", data.COMMISSION, vote_day - timedelta(500)
    )
    # The mayor presides and votes like any commissioner; the explanation cites the statute.
    commission.presiding_seat = 1
    commission.rules_citation = "Fla. Stat. 286.012"
    planning, planners = _body(
        data.PLANNING_SLUG,
        "Key West Planning Board (demo)",
        data.PLANNING_BOARD,
        vote_day - timedelta(400),
        kind=BodyKind.BOARD,
    )
    kaufman = members[data.KAUFMAN_SEAT]

    special = _meeting(commission, MeetingType.SPECIAL, _at(vote_day - timedelta(10), 17, 0))
    _publish(special, special.scheduled_at - timedelta(days=2))
    special.status = MeetingStatus.ADJOURNED

    vote_meeting = _vote_meeting(commission, members, vote_day, special)
    approval = _approval_meeting(commission, members, vote_day + timedelta(days=7), vote_meeting)
    _resolution_meeting(commission, members, kaufman, resolution_day, now, approval)

    cancelled = _meeting(commission, MeetingType.REGULAR, _at(resolution_day + timedelta(14), 17))
    _publish(cancelled, now)
    cancel_meeting(cancelled, "The regular meeting moves to the following week (demo).", actor=None)

    workshop = _meeting(commission, MeetingType.WORKSHOP, _at(resolution_day + timedelta(7), 10))
    workshop.notes = "Budget workshop. Draft: not yet noticed."
    add_item(
        section_titled(workshop, "Discussion"),
        title="Fiscal year budget overview (demo)",
        actor=None,
    )

    planning_meeting = _meeting(
        planning, MeetingType.REGULAR, _at(resolution_day + timedelta(2), 17)
    )
    variance = create_matter(
        planning,
        matter_type=MatterType.RESOLUTION,
        title=data.VARIANCE_TITLE,
        text=data.VARIANCE_TEXT,
        sponsors=[planners[1]],
        actor=None,
        filed_at=now,
        is_demo=True,
    )
    place_on_agenda(variance, planning_meeting, "Resolutions", actor=None)
    _publish(planning_meeting, now)

    logins = _users(kaufman)
    db.session.flush()
    # The demo's bodies and terms are written directly: the chain records them in one seal.
    seal(uncovered(fact_sources(), replay_chain()))
    meetings = db.session.execute(sa.select(sa.func.count(Meeting.id))).scalar_one()
    return DemoSummary(loaded=True, meetings=meetings, logins=logins)


def _body(
    slug: str,
    name: str,
    seats: list[tuple[int, str, str]],
    since: date,
    kind: BodyKind = BodyKind.COMMISSION,
) -> tuple[Body, dict[int, Person]]:
    body = Body(
        name=name,
        slug=slug,
        kind=kind,
        seats=len(seats),
        default_location=data.LOCATION,
        default_time=time(17),
        abstention_policy=AbstentionPolicy.CONFLICT_ONLY,
        timezone="America/New_York",
        appeal_statement=data.APPEAL_STATEMENT,
        accommodation_statement=data.ACCOMMODATION_STATEMENT,
        is_demo=True,
    )
    db.session.add(body)
    people: dict[int, Person] = {}
    for seat, title, person_name in seats:
        db.session.add(Seat(body=body, number=seat, title=title))
        person = Person(name=person_name, is_demo=True)
        people[seat] = person
        db.session.add(
            Membership(body=body, person=person, seat=seat, title=title, starts_on=since)
        )
    db.session.flush()
    return body, people


def _meeting(body: Body, meeting_type: MeetingType, at: datetime) -> Meeting:
    return create_meeting(
        body,
        meeting_type=meeting_type,
        scheduled_at=at,
        location=data.LOCATION,
        actor=None,
        is_demo=True,
    )


def _publish(meeting: Meeting, at: datetime) -> None:
    publish_meeting(meeting, actor=None, now=at)


def _vote_meeting(body: Body, members: dict[int, Person], day: date, previous: Meeting) -> Meeting:
    """The regular meeting at which the commission voted 6-1 to end the 287(g) agreement."""
    meeting = _meeting(body, MeetingType.REGULAR, _at(day, 17))
    add_item(
        section_titled(meeting, "Approval of minutes"),
        title=f"Minutes of the special meeting of {previous.scheduled_at.astimezone(TZ):%B} "
        f"{previous.scheduled_at.astimezone(TZ).day}",
        minutes_of=[previous],
        actor=None,
    )
    matter = create_matter(
        body,
        matter_type=MatterType.RESOLUTION,
        title=data.TERMINATE_287G_TITLE,
        text=data.TERMINATE_287G_TEXT,
        sponsors=[members[1]],
        actor=None,
        filed_at=_at(day - timedelta(days=12), 10),
        sequence=187,
        is_demo=True,
    )
    _attach_text(matter)
    item = add_item(
        section_titled(meeting, "Resolutions"), title=matter.title, matter=matter, actor=None
    )
    add_item(
        section_titled(meeting, "Public comment"), title="Public comment on any matter", actor=None
    )
    _publish(meeting, _at(day - timedelta(days=8), 12))
    add_history(
        matter,
        MatterAction.PLACED_ON_AGENDA,
        occurred_at=meeting.published_at,
        meeting_id=meeting.id,
        agenda_item_id=item.id,
    )

    _in_session(meeting, members, _at(day, 17, 2))
    ballots = dict.fromkeys([data.NO_VOTE_SEAT], BallotValue.NO)
    _decide(
        item,
        members,
        f"Move to adopt {matter.file_number}, ending the City's 287(g) agreement.",
        (data.KAUFMAN_SEAT, 2),
        ballots,
        _at(day, 18, 52),
        "majority:present_voting",
    )
    adjourn(meeting, actor=None, at=_at(day, 20, 41))
    save_draft(meeting, meeting_notes=data.MINUTES_NOTES, item_notes={}, actor=None)
    return meeting


def _approval_meeting(
    body: Body, members: dict[int, Person], day: date, previous: Meeting
) -> Meeting:
    """A special meeting a week later that approved the 287(g) meeting's minutes 7-0."""
    meeting = _meeting(body, MeetingType.SPECIAL, _at(day, 10))
    prev_local = previous.scheduled_at.astimezone(TZ)
    item = add_item(
        section_titled(meeting, "Approval of minutes"),
        title=f"Minutes of the regular meeting of {prev_local:%B} {prev_local.day}",
        minutes_of=[previous],
        actor=None,
    )
    _publish(meeting, _at(day - timedelta(days=2), 9))
    _in_session(meeting, members, _at(day, 10, 1))
    _decide(item, members, "Move to approve the minutes as presented.", (3, 5), {},
            _at(day, 10, 6), "majority:cast")  # fmt: skip
    adjourn(meeting, actor=None, at=_at(day, 10, 30))
    return meeting


def _in_session(meeting: Meeting, members: dict[int, Person], at: datetime) -> None:
    call_to_order(meeting, actor=None, at=at)
    for person in members.values():
        record_attendance(meeting, person.id, status=AttendanceStatus.PRESENT, actor=None)


def _decide(
    item: AgendaItem,
    members: dict[int, Person],
    text: str,
    movers: tuple[int, int],
    changes: dict[int, BallotValue],
    at: datetime,
    threshold: str,
) -> None:
    """Move, second, vote and adopt; everyone present votes yes unless `changes` says not."""
    motion = move_motion(item, kind=MotionKind.MAIN, text=text, mover_id=members[movers[0]].id,
                         seconder_id=members[movers[1]].id, threshold=threshold, actor=None,
                         at=at - timedelta(minutes=8))  # fmt: skip
    ballots = [Ballot(p.id, changes.get(seat, BallotValue.YES)) for seat, p in members.items()]
    record_roll_call(motion, ballots, actor=None, at=at)
    set_disposition(item, Disposition.ADOPTED, motion=motion, actor=None)


def _resolution_meeting(
    body: Body,
    members: dict[int, Person],
    kaufman: Person,
    day: date,
    now: datetime,
    previous: Meeting,
) -> Meeting:
    """The next regular meeting, whose agenda carries Kaufman's declaratory-judgment resolution."""
    meeting = _meeting(body, MeetingType.REGULAR, _at(day, 17))
    prev_local = previous.scheduled_at.astimezone(TZ)
    # Left for the clerk to link in the workspace once those minutes are drafted.
    add_item(
        section_titled(meeting, "Approval of minutes"),
        title=f"Minutes of the special meeting of {prev_local:%B} {prev_local.day}",
        actor=None,
    )
    seawall = create_matter(
        body,
        matter_type=MatterType.RESOLUTION,
        title=data.SEAWALL_TITLE,
        text=data.SEAWALL_TEXT,
        sponsors=[members[3]],
        actor=None,
        filed_at=now - timedelta(days=3),
        is_demo=True,
    )
    resolution = create_matter(
        body,
        matter_type=MatterType.RESOLUTION,
        title=data.DECLARATORY_TITLE,
        text=data.DECLARATORY_TEXT,
        sponsors=[kaufman],
        actor=None,
        # A week after the 287(g) vote, and never later than the moment the demo is loaded.
        filed_at=min(previous.scheduled_at, now - timedelta(hours=1)),
        sequence=214,
        is_demo=True,
    )
    _attach_text(resolution)
    place_on_agenda(resolution, meeting, "Resolutions", actor=None)
    ordinance = create_matter(
        body,
        matter_type=MatterType.ORDINANCE,
        title=data.RENTAL_TITLE,
        text=data.RENTAL_TEXT,
        sponsors=[members[5]],
        actor=None,
        filed_at=now - timedelta(days=5),
        is_demo=True,
    )
    place_on_agenda(ordinance, meeting, "Ordinances", actor=None)
    _publish(meeting, now - timedelta(hours=2))
    # A later addition, with its document, shows how an amended agenda reads.
    _attach_text(seawall)
    place_on_agenda(seawall, meeting, "Consent agenda", actor=None)
    publish_amendment(meeting, amendment_reason(pending_changes(meeting)), actor=None)
    return meeting


def _attach_text(matter: Matter) -> None:
    """Attach the matter's text, printed by the app, as its document."""
    attach_pdf(
        render_matter_pdf(matter),
        filename=f"{matter.file_number}.pdf",
        title=f"{matter.file_number} full text",
        matter=matter,
        actor=None,
    )


def _users(kaufman: Person) -> dict[str, str]:
    roles = {
        "clerk@demo.agenda.test": (Role.CLERK, "Demo City Clerk", None),
        "kaufman@demo.agenda.test": (Role.COMMISSIONER, "Sam Kaufman (demo login)", kaufman.id),
        "admin@demo.agenda.test": (Role.ADMIN, "Demo Administrator", None),
    }
    for email, (role, name, person_id) in roles.items():
        create_user(
            email=email,
            password=data.DEMO_PASSWORDS[email],
            role=role,
            name=name,
            person_id=person_id,
            actor=None,
            is_demo=True,
        )
    return dict(data.DEMO_PASSWORDS)
