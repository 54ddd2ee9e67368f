"""Agenda editing operations on a real database: numbering, moves, removals, sections, revisions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.documents.models import Attachment, Blob
from agenda.errors import Refused
from agenda.extensions import db
from agenda.matters.models import MatterHistoryEvent
from agenda.matters.operations import create_matter
from agenda.matters.rules import MatterAction, MatterStatus, MatterType
from agenda.meetings import agenda_editing as editing
from agenda.meetings.models import AgendaItem, AgendaRevision, AgendaSection, Meeting
from agenda.meetings.operations import (
    MeetingEditError,
    schedule_meeting,
    section_titled,
    update_meeting,
)
from agenda.meetings.publishing import publish_amendment, publish_meeting
from agenda.meetings.rules import DEFAULT_SECTIONS, MeetingStatus, MeetingType, item_number
from agenda.meetings.snapshot import pending_changes
from tests.conftest import make_pdf_bytes

JULY_7 = datetime(2026, 7, 7, 21, 0, tzinfo=UTC)  # 5:00 PM EDT in Key West


def numbers(meeting: Meeting) -> list[tuple[str, str]]:
    """Return every item's number and title in agenda order, read back from the database."""
    rows = db.session.execute(
        sa.select(AgendaSection.position, AgendaItem.position, AgendaItem.title)
        .join(AgendaItem, AgendaItem.section_id == AgendaSection.id)
        .where(AgendaSection.meeting_id == meeting.id)
        .order_by(AgendaSection.position, AgendaItem.position)
    ).all()
    return [(item_number(s, i), title) for s, i, title in rows]


def section_titles(meeting: Meeting) -> list[str]:
    """Return the section titles in agenda order, read back from the database."""
    return list(
        db.session.execute(
            sa.select(AgendaSection.title)
            .where(AgendaSection.meeting_id == meeting.id)
            .order_by(AgendaSection.position)
        ).scalars()
    )


def revisions(meeting: Meeting) -> list[str]:
    """Return the summaries of the meeting's agenda revisions, oldest first."""
    return list(
        db.session.execute(
            sa.select(AgendaRevision.summary)
            .where(AgendaRevision.meeting_id == meeting.id)
            .order_by(AgendaRevision.number)
        ).scalars()
    )


def add(meeting: Meeting, *titles: str, section: str = "Resolutions") -> list[AgendaItem]:
    """Add items by title to a section of the meeting."""
    target = section_titled(meeting, section)
    return [
        editing.add_agenda_item(target, title=t, description="", matter=None, actor=None)
        for t in titles
    ]


@pytest.fixture
def draft(make_meeting):
    return make_meeting(published=False, scheduled_at=JULY_7)


@pytest.fixture
def published(make_body, make_meeting):
    body = make_body(appeal_statement="Appeals need a record.", accommodation_statement="Call us.")
    meeting = make_meeting(body=body, published=False, scheduled_at=JULY_7)
    publish_meeting(meeting, actor=None, now=datetime(2026, 6, 1, tzinfo=UTC))
    db.session.commit()
    return meeting


def test_schedule_meeting_stores_utc_and_lays_out_the_default_sections(make_body):
    body = make_body()
    meeting = schedule_meeting(
        body,
        meeting_type=MeetingType.REGULAR,
        day=date(2026, 7, 7),
        at=time(17, 0),
        location=" City Hall ",
        notes="",
        actor=None,
    )
    assert meeting.scheduled_at == JULY_7
    assert meeting.location == "City Hall"
    assert section_titles(meeting) == [title for title, _ in DEFAULT_SECTIONS]


def test_schedule_meeting_refuses_a_time_skipped_by_daylight_saving(make_body):
    body = make_body()
    with pytest.raises(Refused) as refused:
        schedule_meeting(
            body,
            meeting_type=MeetingType.REGULAR,
            day=date(2026, 3, 8),
            at=time(2, 30),
            location="",
            notes="",
            actor=None,
        )
    assert refused.value.field == "at"
    assert "2:30 AM does not exist on March 8, 2026" in str(refused.value)
    assert db.session.execute(sa.select(sa.func.count(Meeting.id))).scalar_one() == 0


def test_items_are_numbered_in_their_section(draft):
    add(draft, "First", "Second", "Third")
    assert numbers(draft) == [("6.a", "First"), ("6.b", "Second"), ("6.c", "Third")]


def test_an_item_with_legislation_takes_its_title_and_is_recorded_on_the_matter(draft):
    matter = create_matter(
        draft.body,
        matter_type=MatterType.RESOLUTION,
        title="Authorizing the City Attorney to seek a declaratory judgment",
        text="",
        sponsors=[],
        actor=None,
    )
    section = section_titled(draft, "Resolutions")
    item = editing.add_agenda_item(section, title="", description="", matter=matter, actor=None)
    assert item.title == matter.title
    history = db.session.execute(
        sa.select(MatterHistoryEvent).where(
            MatterHistoryEvent.matter_id == matter.id,
            MatterHistoryEvent.action == MatterAction.PLACED_ON_AGENDA,
        )
    ).scalar_one()
    assert (history.meeting_id, history.agenda_item_id, history.note) == (
        draft.id,
        item.id,
        "Item 6.a",
    )
    assert matter.status is MatterStatus.ON_AGENDA


def test_legislation_of_another_body_is_refused(draft, make_body):
    other = create_matter(
        make_body(),
        matter_type=MatterType.RESOLUTION,
        title="Elsewhere",
        text="",
        sponsors=[],
        actor=None,
    )
    with pytest.raises(MeetingEditError, match="this meeting's body"):
        add_item_with(draft, other)
    assert numbers(draft) == []


def test_the_same_legislation_twice_on_one_agenda_is_refused(draft):
    matter = create_matter(
        draft.body, matter_type=MatterType.RESOLUTION, title="Once only", text="",
        sponsors=[], actor=None,
    )  # fmt: skip
    add_item_with(draft, matter)
    with pytest.raises(MeetingEditError, match=r"already item 6\.a of this agenda"):
        add_item_with(draft, matter)
    assert numbers(draft) == [("6.a", "Once only")]


def add_item_with(meeting, matter):
    section = section_titled(meeting, "Resolutions")
    return editing.add_agenda_item(section, title="", description="", matter=matter, actor=None)


def test_an_item_without_a_title_or_legislation_is_refused(draft):
    with pytest.raises(MeetingEditError) as refused:
        add(draft, "   ")
    assert refused.value.field == "title"
    assert numbers(draft) == []


def test_moving_within_a_section_keeps_positions_contiguous(draft):
    a, _b, c = add(draft, "A", "B", "C")
    assert editing.move_item(a, position=2, actor=None) == "Moved item 6.a to 6.b"
    assert numbers(draft) == [("6.a", "B"), ("6.b", "A"), ("6.c", "C")]
    assert editing.move_item(c, position=1, actor=None) == "Moved item 6.c to 6.a"
    assert numbers(draft) == [("6.a", "C"), ("6.b", "B"), ("6.c", "A")]


@pytest.mark.parametrize(
    ("which", "position", "message"),
    [
        (2, 4, "Item 6.c is already last in section 6"),
        (0, 0, "Item 6.a is already first in section 6"),
        (0, 7, "There is no place 7 in section 6"),
    ],
)
def test_moving_past_the_end_changes_nothing(draft, which, position, message):
    items = add(draft, "A", "B", "C")
    db.session.commit()
    with pytest.raises(MeetingEditError, match=message):
        editing.move_item(items[which], position=position, actor=None)
    db.session.rollback()
    assert numbers(draft) == [("6.a", "A"), ("6.b", "B"), ("6.c", "C")]


def test_moving_to_another_section_appends_and_closes_the_gap(draft):
    a, _b, _c = add(draft, "A", "B", "C")
    add(draft, "D", section="Ordinances")
    ordinances = section_titled(draft, "Ordinances")
    change = editing.move_item(a, section=ordinances, position=None, actor=None)
    assert change == "Moved item 6.a to 7.b"
    assert numbers(draft) == [("6.a", "B"), ("6.b", "C"), ("7.a", "D"), ("7.b", "A")]


def test_moving_to_a_place_in_another_section(draft):
    a, _ = add(draft, "A", "B")
    add(draft, "D", "E", section="Ordinances")
    ordinances = section_titled(draft, "Ordinances")
    editing.move_item(a, section=ordinances, position=1, actor=None)
    assert numbers(draft) == [("6.a", "B"), ("7.a", "A"), ("7.b", "D"), ("7.c", "E")]
    with pytest.raises(MeetingEditError, match="no place 3 in section 6; choose 1 to 2"):
        editing.move_item(a, section=section_titled(draft, "Resolutions"), position=3, actor=None)


def test_removing_an_item_renumbers_and_takes_its_documents(draft):
    a, b, _c = add(draft, "A", "B", "C")
    data = make_pdf_bytes("Staff report")
    editing.attach_item_document(b, data, filename="report.pdf", title="Report", actor=None)
    assert editing.remove_item(b, actor=None) == "Removed item 6.b: B"
    assert numbers(draft) == [("6.a", "A"), ("6.b", "C")]
    assert db.session.execute(sa.select(sa.func.count(Attachment.id))).scalar_one() == 0
    assert db.session.execute(sa.select(sa.func.count(Blob.sha256))).scalar_one() == 1
    assert a.position == 1


def test_sections_are_added_moved_renamed_and_removed(draft):
    add(draft, "A")
    section = editing.add_section(
        draft, title="Presentations", position=1, is_consent=False, actor=None
    )
    assert section.position == 1
    assert numbers(draft) == [("7.a", "A")]
    assert editing.move_section(section, position=2, actor=None) == (
        "Moved section 1 Presentations to 2"
    )
    assert section_titles(draft)[:3] == ["Call to order", "Presentations", "Roll call"]
    editing.rename_section(section, title="Proclamations", actor=None)
    editing.set_consent(section, is_consent=True, actor=None)
    assert (section.title, section.is_consent) == ("Proclamations", True)
    assert editing.remove_section(section, actor=None) == "Removed section 2: Proclamations"
    assert section_titles(draft) == [title for title, _ in DEFAULT_SECTIONS]
    assert numbers(draft) == [("6.a", "A")]


def test_a_section_with_items_is_not_removed(draft):
    add(draft, "A")
    with pytest.raises(MeetingEditError, match="still has items"):
        editing.remove_section(section_titled(draft, "Resolutions"), actor=None)


def test_moving_the_last_section_down_is_refused(draft):
    last = draft.sections[-1]
    with pytest.raises(MeetingEditError, match="Section 10 is already last in the agenda"):
        editing.move_section(last, position=11, actor=None)


def test_edits_of_a_published_agenda_collect_in_one_amendment(published):
    a, _b = add(published, "Res 26-214 Ending the 287(g) agreement", "Budget workshop date")
    editing.move_item(a, position=2, actor=None)
    editing.remove_item(a, actor=None)
    update_meeting(
        published,
        meeting_type=MeetingType.REGULAR,
        day=date(2026, 7, 7),
        at=time(17, 30),
        location="Old City Hall, 510 Greene Street",
        notes="",
        actor=None,
    )
    # Nothing is public yet: the edits wait in one pending amendment.
    assert revisions(published) == ["Agenda published."]
    assert pending_changes(published) == [
        "Added item 6.a: Res 26-214 Ending the 287(g) agreement",
        "Added item 6.b: Budget workshop date",
        "Moved item 6.a to 6.b",
        "Removed item 6.b: Res 26-214 Ending the 287(g) agreement",
        "Time changed to Tuesday, July 7, 2026, 5:30 PM EDT; "
        "Location changed to Old City Hall, 510 Greene Street.",
    ]
    with pytest.raises(Refused, match="Say what changed"):
        publish_amendment(published, "  ", actor=None)
    publish_amendment(published, "Added the workshop date; moved to 5:30 PM", actor=None)
    assert revisions(published) == [
        "Agenda published.",
        "Added the workshop date; moved to 5:30 PM",
    ]
    assert pending_changes(published) == []
    last = db.session.execute(
        sa.select(AgendaRevision)
        .where(AgendaRevision.meeting_id == published.id)
        .order_by(AgendaRevision.number.desc())
        .limit(1)
    ).scalar_one()
    assert last.agenda_sha256 and last.packet_sha256
    assert [i["title"] for s in last.snapshot["sections"] for i in s["items"]] == [
        "Budget workshop date"
    ]


def test_saving_unchanged_details_makes_no_revision(published):
    changes = update_meeting(
        published,
        meeting_type=published.meeting_type,
        day=date(2026, 7, 7),
        at=time(17, 0),
        location=published.location,
        notes=published.notes,
        actor=None,
    )
    assert changes == []
    assert revisions(published) == ["Agenda published."]


@pytest.mark.parametrize(
    "status", [MeetingStatus.IN_PROGRESS, MeetingStatus.ADJOURNED, MeetingStatus.CANCELLED]
)
def test_a_meeting_that_started_ended_or_was_cancelled_refuses_every_edit(make_meeting, status):
    meeting = make_meeting(scheduled_at=JULY_7, cancelled_reason="Storm")
    item = add(meeting, "A")[0]
    meeting.status = status
    db.session.commit()
    section = section_titled(meeting, "Resolutions")
    attempts = [
        lambda: add(meeting, "B"),
        lambda: editing.update_item(item, title="B", description="", matter=None, actor=None),
        lambda: editing.move_item(item, position=None, section=meeting.sections[0], actor=None),
        lambda: editing.remove_item(item, actor=None),
        lambda: editing.attach_item_document(
            item, make_pdf_bytes("x"), filename="x.pdf", title="", actor=None
        ),
        lambda: editing.add_section(meeting, title="X", position=1, is_consent=False, actor=None),
        lambda: editing.rename_section(section, title="X", actor=None),
        lambda: editing.set_consent(section, is_consent=True, actor=None),
        lambda: editing.move_section(section, position=1, actor=None),
        lambda: editing.remove_section(meeting.sections[0], actor=None),
        lambda: update_meeting(
            meeting,
            meeting_type=MeetingType.SPECIAL,
            day=date(2026, 7, 8),
            at=time(9, 0),
            location="",
            notes="",
            actor=None,
        ),
    ]
    words = status.value.replace("_", " ")
    for attempt in attempts:
        with pytest.raises(MeetingEditError, match=f"This meeting is {words}"):
            attempt()
        db.session.rollback()
    assert numbers(meeting) == [("6.a", "A")]
    assert meeting.meeting_type is MeetingType.REGULAR


def test_every_edit_is_in_the_audit_log(draft):
    def actions() -> list[str]:
        return list(
            db.session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id)).scalars()
        )

    start = len(actions())
    a, b = add(draft, "A", "B")
    editing.update_item(a, title="A2", description="", matter=None, actor=None)
    editing.move_item(a, position=2, actor=None)
    editing.remove_item(b, actor=None)
    section = editing.add_section(draft, title="S", position=11, is_consent=False, actor=None)
    editing.rename_section(section, title="T", actor=None)
    editing.set_consent(section, is_consent=True, actor=None)
    editing.move_section(section, position=10, actor=None)
    editing.remove_section(section, actor=None)
    assert actions()[start:] == [
        "agenda_item.create",
        "agenda_item.create",
        "agenda_item.update",
        "agenda_item.move",
        "agenda_item.delete",
        "agenda_section.create",
        "agenda_section.update",
        "agenda_section.update",
        "agenda_section.move",
        "agenda_section.delete",
    ]


def test_an_item_takes_up_only_earlier_adjourned_minutes_of_its_own_body(draft, make_meeting):
    section = section_titled(draft, "Approval of minutes")
    same_body = {"body": draft.body}
    earlier = make_meeting(scheduled_at=datetime(2026, 6, 2, 21, tzinfo=UTC), **same_body)
    earlier.status = MeetingStatus.ADJOURNED
    not_held = make_meeting(scheduled_at=datetime(2026, 6, 9, 21, tzinfo=UTC), **same_body)
    later = make_meeting(scheduled_at=datetime(2026, 8, 4, 21, tzinfo=UTC), **same_body)
    later.status = MeetingStatus.ADJOURNED
    elsewhere = make_meeting(scheduled_at=datetime(2026, 6, 2, 21, tzinfo=UTC))
    elsewhere.status = MeetingStatus.ADJOURNED
    db.session.commit()
    for wrong in (not_held, later, elsewhere):
        with pytest.raises(Refused) as refused:
            editing.add_agenda_item(
                section,
                title="Minutes",
                description="",
                matter=None,
                minutes_of=[wrong],
                actor=None,
            )
        assert refused.value.field == "minutes_of"
        db.session.rollback()
    item = editing.add_agenda_item(
        section, title="Minutes", description="", matter=None, minutes_of=[earlier], actor=None
    )
    assert item.minutes_of == [earlier]
    change = editing.update_item(
        item, title="Minutes", description="", matter=None, minutes_of=[], actor=None
    )
    assert change == "Changed item 3.a: Minutes" and item.minutes_of == []
