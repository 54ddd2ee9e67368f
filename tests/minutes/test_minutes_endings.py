"""The minutes print motions that ended without a vote, failed motions and voice votes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agenda.auth.rules import Role
from agenda.extensions import db
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.session import adjourn
from agenda.minutes.documents import render_minutes_pdf
from agenda.minutes.operations import save_draft
from agenda.minutes.queries import revisions_of
from agenda.minutes.record import meeting_record
from agenda.votes.endings import end_motion, record_died
from agenda.votes.operations import move_motion, record_unanimous_consent
from agenda.votes.rules import MotionEnding, MotionKind
from tests.conftest import hold, pdf_text, vote_on

START = datetime(2026, 7, 7, 21, tzinfo=UTC)
REASON = "The mover asked to restate it after public comment."
VOID = "Recorded on the wrong item."


@pytest.fixture
def held(make_body, make_meeting):
    """An adjourned meeting with every way a motion ends, and its draft minutes."""
    body = make_body(name="Key West City Commission")
    people = [m.person for m in body.memberships]
    meeting = make_meeting(body=body, scheduled_at=START)
    parking = add_item(section_titled(meeting, "Resolutions"), title="Parking rates", actor=None)
    flags = add_item(section_titled(meeting, "Discussion"), title="Flag display", actor=None)
    hold(meeting, people, START)
    at = START + timedelta(hours=1)

    def move(item, text, seconder=1, **kw):
        return move_motion(item, kind=MotionKind.MAIN, text=text, mover_id=people[5].id,
                           seconder_id=people[seconder].id, actor=None, at=at, **kw)  # fmt: skip

    end_motion(move(parking, "Move to raise the rates."), MotionEnding.WITHDRAWN, reason=REASON,
               actor=None, at=at)  # fmt: skip
    end_motion(move(parking, "Move to lower the rates."), MotionEnding.VOIDED, reason=VOID,
               actor=None, at=at)  # fmt: skip
    vote_on(parking, people, at, no=(0, 2, 3, 4))  # fails 3-4
    record_died(flags, kind=MotionKind.MAIN, text="Move to fly the flag.", mover_id=people[2].id,
                seconder_id=None, actor=None, at=at)  # fmt: skip
    record_unanimous_consent(move(flags, "Move to receive the report."), actor=None, at=at)
    adjourn(meeting, actor=None, at=START + timedelta(hours=3))
    save_draft(meeting, meeting_notes="", item_notes={}, actor=None)
    db.session.commit()
    return meeting, people


def expected(people) -> list[str]:
    present = ", ".join(
        f"{'Mayor' if i == 0 else 'Commissioner'} {p.name}" for i, p in enumerate(people)
    )
    return [
        "Move to raise the rates.",
        f"Withdrawn by its mover before the vote. Reason: {REASON}",
        "Move to lower the rates.",
        f"Voided by the clerk before the vote. Reason: {VOID}",
        "Failed 3-4",
        "Move to fly the flag.",
        "Died for lack of a second.",
        "Move to receive the report.",
        f"Carried without objection (members present: {present}).",
    ]


def test_the_minutes_print_every_way_a_motion_ended(held, client, auth, tmp_path):
    meeting, people = held
    auth.login(Role.CLERK)
    html = client.get(f"/clerk/meetings/{meeting.id}/minutes/preview").get_data(as_text=True)
    text = " ".join(html.replace("&#39;", "'").split())
    for words in expected(people):
        assert words in text, words
    pdf = render_minutes_pdf(meeting, revisions_of(meeting.id)[0])
    printed = " ".join(pdf_text(pdf, tmp_path).split())
    for words in expected(people):
        assert words[:70] in printed, words  # a long line may break across pages


def test_the_record_names_new_facts_only_when_they_happened(held):
    meeting, _ = held
    revision = revisions_of(meeting.id)[0]
    motions = [m for item in meeting_record(meeting, revision)["items"] for m in item["motions"]]
    old_keys = {"id", "parent", "kind", "text", "mover", "seconder", "threshold", "vote"}
    withdrawn, voided, failed, died, consent = motions
    assert set(failed) == old_keys and "method" not in failed["vote"]  # as before this release
    assert withdrawn["ended"]["how"] == "withdrawn" and withdrawn["ended"]["reason"] == REASON
    assert voided["ended"]["how"] == "voided" and died["ended"]["how"] == "died"
    assert consent["vote"]["method"] == "unanimous_consent" and "ended" not in consent
