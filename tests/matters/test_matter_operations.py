"""Writes on legislation: numbering, sponsors, edits, documents and agenda places, all audited."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.auth.rules import PUBLIC, Role, Viewer
from agenda.bodies.models import Membership, Person
from agenda.documents.models import Attachment, Blob
from agenda.extensions import db
from agenda.matters.operations import (
    MatterError,
    attach_to_matter,
    file_matter,
    place_on_agenda,
    remove_attachment,
    update_matter,
)
from agenda.matters.queries import matter_page
from agenda.matters.rules import MatterAction, MatterStatus, MatterType
from agenda.meetings.agenda_editing import add_agenda_item, add_section
from agenda.meetings.models import AgendaRevision
from agenda.meetings.publishing import publish_meeting
from agenda.meetings.rules import MeetingStatus
from agenda.meetings.snapshot import pending_changes
from agenda.votes.queries import motions_loader
from tests.conftest import count_rows, make_pdf_bytes, publish_pending

STAFF = Viewer(Role.CLERK)


def year() -> int:
    return datetime.now(ZoneInfo("America/New_York")).year % 100


def actions() -> list[str]:
    return list(db.session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id)).scalars())


def revisions(meeting) -> list[str]:
    query = sa.select(AgendaRevision.summary).where(AgendaRevision.meeting_id == meeting.id)
    return list(db.session.execute(query.order_by(AgendaRevision.number)).scalars())


@pytest.fixture
def clerk(make_user):
    return make_user(Role.CLERK)


@pytest.fixture
def file(make_body, clerk):
    def make(body=None, **fields):
        fields.setdefault("matter_type", MatterType.RESOLUTION)
        fields.setdefault("title", "Authorize a declaratory-judgment action")
        fields.setdefault("text", "WHEREAS the Commission voted 6-1;")
        fields.setdefault("sponsor_ids", [])
        return file_matter(body or make_body(), actor=clerk, **fields)

    return make


def test_numbers_run_per_type_within_the_local_year(file, make_body):
    body = make_body()
    first = file(body)
    second = file(body)
    ordinance = file(body, matter_type=MatterType.ORDINANCE)
    third = file(make_body())
    yy = f"{year():02d}"
    assert [first.file_number, second.file_number, third.file_number] == [
        f"Res {yy}-001",
        f"Res {yy}-002",
        f"Res {yy}-003",
    ]
    assert ordinance.file_number == f"Ord {yy}-001"
    assert first.status is MatterStatus.FILED
    assert [e.action for e in first.history] == [MatterAction.FILED]
    assert actions().count("matter.create") == 4


def test_sponsors_must_sit_on_the_body_today(file, make_body):
    body, other = make_body(), make_body()
    mayor, commissioner = (m.person for m in body.memberships[:2])
    matter = file(body, sponsor_ids=[commissioner.id, mayor.id, commissioner.id])
    assert [s.person.name for s in matter.sponsors] == [commissioner.name, mayor.name]
    with pytest.raises(MatterError) as refused:
        file(body, sponsor_ids=[other.memberships[0].person_id])
    assert refused.value.field == "sponsors"
    former = Person(name="Former Commissioner")
    body.memberships.append(
        Membership(
            person=former, seat=8, title="Commissioner", starts_on=date(2020, 1, 1),
            ends_on=date.today() - timedelta(days=30),
        )
    )  # fmt: skip
    db.session.flush()
    with pytest.raises(MatterError):
        file(body, sponsor_ids=[former.id])


def test_bad_titles_are_refused_before_anything_is_written(file):
    before = actions()
    for title in ["   ", "x" * 1001]:
        with pytest.raises(MatterError) as refused:
            file(title=title)
        assert refused.value.field == "title"
    assert actions() == before


def test_an_edit_says_what_changed_and_keeps_a_former_sponsor(file, make_body, clerk):
    body = make_body()
    leaving = body.memberships[3]
    matter = file(body, sponsor_ids=[leaving.person_id])
    leaving.ends_on = date.today() - timedelta(days=1)
    db.session.flush()
    unchanged = update_matter(
        matter,
        title=matter.title,
        text=matter.text.replace("\n", "\r\n") + "\r\n",
        sponsor_ids=[leaving.person_id],
        status=matter.status,
        actor=clerk,
    )
    assert unchanged == []
    assert "matter.update" not in actions()
    changes = update_matter(
        matter,
        title="  Join South Miami's lawsuit ",
        text=matter.text,
        sponsor_ids=[body.memberships[0].person_id, leaving.person_id],
        status=MatterStatus.WITHDRAWN,
        actor=clerk,
    )
    assert changes == ["title changed", "sponsors changed", "status changed to Withdrawn"]
    assert matter.title == "Join South Miami's lawsuit"
    assert [s.person_id for s in matter.sponsors] == [
        body.memberships[0].person_id,
        leaving.person_id,
    ]
    assert [e.action for e in matter.history][-1] is MatterAction.WITHDRAWN
    assert actions()[-1] == "matter.update"


def test_the_clerk_cannot_set_an_outcome_by_hand(file, clerk):
    matter = file()
    db.session.commit()
    events = len(actions())
    for outcome in (MatterStatus.ADOPTED, MatterStatus.FAILED, MatterStatus.ON_AGENDA):
        with pytest.raises(MatterError) as refused:
            update_matter(
                matter,
                title=matter.title,
                text=matter.text,
                sponsor_ids=[],
                status=outcome,
                actor=clerk,
            )
        assert refused.value.field == "status"
        db.session.rollback()
        assert db.session.get(type(matter), matter.id).status is MatterStatus.FILED
    assert len(actions()) == events
    assert [e.action for e in matter.history] == [MatterAction.FILED]


def test_placing_on_a_published_agenda_amends_it(file, make_meeting, clerk):
    meeting = make_meeting()
    matter = file(meeting.body)
    item = place_on_agenda(matter, meeting, "Resolutions", actor=clerk)
    assert item.section.title == "Resolutions"
    assert item.title == matter.title
    # The history records the placement when the public sees it: with the amendment.
    assert matter.status is MatterStatus.FILED
    assert [e.action for e in matter.history] == [MatterAction.FILED]
    assert pending_changes(meeting) == [f"Added item 6.a: {matter.file_number} {matter.title}"]
    publish_pending(meeting, clerk)
    assert matter.status is MatterStatus.ON_AGENDA
    assert revisions(meeting) == [f"Added item 6.a: {matter.file_number} {matter.title}"]
    placed = matter.history[-1]
    assert (placed.action, placed.meeting_id, placed.agenda_item_id) == (
        MatterAction.PLACED_ON_AGENDA,
        meeting.id,
        item.id,
    )
    assert {"agenda_item.create", "matter.place", "meeting.amend"} <= set(actions())


def test_the_workspace_and_the_matter_page_place_legislation_alike(file, make_meeting, clerk):
    body = make_meeting().body
    from_matter_page, from_workspace = file(body), file(body)
    first, second = make_meeting(body=body), make_meeting(body=body)
    for matter in (from_matter_page, from_workspace):
        matter.status = MatterStatus.ADOPTED  # an outcome that placing again must not undo
    place_on_agenda(from_matter_page, first, "Resolutions", actor=clerk)
    section = next(s for s in second.sections if s.title == "Resolutions")
    add_agenda_item(section, title="", description="", matter=from_workspace, actor=clerk)
    for meeting in (first, second):
        publish_pending(meeting, clerk)

    for matter, meeting in ((from_matter_page, first), (from_workspace, second)):
        assert matter.status is MatterStatus.ADOPTED
        placed = matter.history[-1]
        assert (placed.action, placed.meeting_id, placed.note) == (
            MatterAction.PLACED_ON_AGENDA,
            meeting.id,
            "Item 6.a",
        )
        assert revisions(meeting) == [f"Added item 6.a: {matter.file_number} {matter.title}"]
    placements = db.session.execute(
        sa.select(AuditEvent.object_id).where(AuditEvent.action == "matter.place")
    ).scalars()
    assert sorted(placements) == sorted([str(from_matter_page.id), str(from_workspace.id)])


def test_placing_on_a_draft_agenda_needs_no_revision(file, make_meeting, clerk):
    meeting = make_meeting(published=False)
    matter = file(meeting.body)
    place_on_agenda(matter, meeting, "Resolutions", actor=clerk)
    assert revisions(meeting) == []


def test_placing_is_refused_where_it_does_not_belong(file, make_meeting, clerk):
    meeting = make_meeting()
    matter = file(meeting.body)
    cases = [
        (make_meeting(), "Resolutions", "meeting", "Choose a meeting of the"),
        (
            make_meeting(body=meeting.body, status=MeetingStatus.ADJOURNED),
            "Resolutions",
            "meeting",
            "can no longer change",
        ),
        (meeting, "Presentations", "section", 'no section titled "Presentations"'),
    ]
    for target, section, field, words in cases:
        with pytest.raises(MatterError) as refused:
            place_on_agenda(matter, target, section, actor=clerk)
        assert refused.value.field == field
        assert words in str(refused.value)
    place_on_agenda(matter, meeting, "Resolutions", actor=clerk)
    with pytest.raises(MatterError, match="already on that meeting's agenda"):
        place_on_agenda(matter, meeting, "Ordinances", actor=clerk)


def test_edits_amend_open_agendas_and_leave_closed_records_alone(file, make_meeting, clerk):
    published = make_meeting()
    body = published.body
    draft = make_meeting(body=body, published=False)
    past = make_meeting(body=body, scheduled_at=datetime.now(UTC) - timedelta(days=30))
    matter = file(body)
    items = [place_on_agenda(matter, m, "Resolutions", actor=clerk) for m in (published, draft)]
    held = place_on_agenda(matter, past, "Resolutions", actor=clerk)
    for meeting in (published, past):
        publish_pending(meeting, clerk)
    past.status = MeetingStatus.ADJOURNED
    db.session.flush()
    old_title = matter.title
    update_matter(
        matter,
        title="A new title",
        text=matter.text,
        sponsor_ids=[],
        status=matter.status,
        actor=clerk,
    )
    assert [i.title for i in items] == ["A new title", "A new title"]
    assert held.title == old_title
    assert pending_changes(published) == [f"Matter {matter.file_number} edited: title changed"]
    publish_pending(published, clerk)
    assert revisions(published)[-1] == f"Matter {matter.file_number} edited: title changed"
    assert revisions(draft) == []
    assert len(revisions(past)) == 1  # only the placement, made while it was published


def test_documents_on_a_published_matter_amend_its_agenda(file, make_meeting, clerk):
    meeting = make_meeting()
    matter = file(meeting.body)
    place_on_agenda(matter, meeting, "Resolutions", actor=clerk)
    pdf = make_pdf_bytes("Staff report")
    memo = attach_to_matter(matter, pdf, filename="dir/memo.pdf", title="", actor=clerk)
    again = attach_to_matter(matter, pdf, filename="memo-copy.pdf", title="Copy", actor=clerk)
    assert (memo.filename, memo.title, memo.page_count) == ("memo.pdf", "memo.pdf", 1)
    assert memo.sha256 == again.sha256
    assert count_rows(Blob) >= 1
    remove_attachment(memo, actor=clerk)
    assert [a.title for a in matter.attachments] == ["Copy"]
    assert db.session.get(Attachment, memo.id) is None
    assert db.session.get(Blob, again.sha256) is not None
    assert pending_changes(meeting)[-3:] == [
        f'Matter {matter.file_number}: document "memo.pdf" attached',
        f'Matter {matter.file_number}: document "Copy" attached',
        f'Matter {matter.file_number}: document "memo.pdf" removed',
    ]
    assert actions().count("attachment.create") == 2
    assert "attachment.delete" in actions()


def test_the_page_read_takes_the_same_queries_however_big_the_matter(
    file, make_meeting, clerk, count_queries
):
    def statements(matter_id: int) -> int:
        db.session.expunge_all()
        with count_queries() as seen:
            assert matter_page(matter_id, STAFF, item_options=[motions_loader()]) is not None
        return len([s for s in seen if s.lstrip().upper().startswith("SELECT")])

    def filled(sponsors: int, places: int):
        body = make_meeting().body
        seated = [m.person_id for m in body.memberships[:sponsors]]
        matter = file(body, sponsor_ids=seated)
        for n in range(places):
            place_on_agenda(matter, make_meeting(body=body), "Resolutions", actor=clerk)
            attach_to_matter(
                matter, make_pdf_bytes(f"Doc {n}"), filename="d.pdf", title="", actor=clerk
            )
        return matter.id

    small, big = filled(1, 1), filled(7, 3)
    db.session.commit()
    assert statements(big) == statements(small) == 13


def test_the_public_read_leaves_out_meetings_it_may_not_see(file, make_meeting, clerk):
    public = make_meeting()
    draft = make_meeting(body=public.body, published=False)
    matter = file(public.body)
    for meeting in (public, draft):
        place_on_agenda(matter, meeting, "Resolutions", actor=clerk)
    # Placed on the published agenda, but not yet published: the public sees nothing of it.
    assert matter_page(matter.id, PUBLIC).appearances == []
    publish_pending(public, clerk)
    db.session.commit()
    page = matter_page(matter.id, PUBLIC)
    assert page is not None
    assert [a.meeting.id for a in page.appearances] == [public.id]
    assert [row.meeting.id for row in page.history if row.meeting] == [public.id]
    staff_page = matter_page(matter.id, STAFF)
    assert staff_page is not None
    assert {a.meeting.id for a in staff_page.appearances} == {public.id, draft.id}


def test_the_history_names_the_item_by_its_number_as_published(file, make_meeting, clerk):
    meeting = make_meeting(published=False)
    matter = file(meeting.body)
    place_on_agenda(matter, meeting, "Resolutions", actor=clerk)
    assert matter.history[-1].note == "Item 6.a"
    # The clerk inserts a section before publishing: the resolution is now 7.a.
    add_section(meeting, title="Presentations", position=2, is_consent=False, actor=clerk)
    publish_meeting(meeting, actor=clerk)
    db.session.commit()
    page = matter_page(matter.id, STAFF)
    placed = [row for row in page.history if row.event.action is MatterAction.PLACED_ON_AGENDA]
    assert [row.note for row in placed] == ["Item 7.a"]
    assert [a.number for a in page.appearances] == ["7.a"]
