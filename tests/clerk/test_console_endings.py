"""Motions that end without a roll call, and motions carried without objection, at the console."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.extensions import db
from agenda.meetings.models import AgendaItem
from agenda.votes.models import Motion, Vote
from agenda.votes.rules import MotionEnding, Threshold, VoteMethod
from tests.clerk.test_console import Clerk, ballots, in_session, moved, text_of
from tests.conftest import count_rows


def events(action: str) -> list[AuditEvent]:
    return list(
        db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == action)).scalars()
    )


def died(clerk: Clerk, item: AgendaItem, **fields: Any) -> Any:
    """Submit the motion form with its "Died for lack of a second" button."""
    fields = {"kind": "main", "threshold": "", "text": "Move to adopt.", **fields}
    data = {f"motion-{k}": v for k, v in fields.items()}
    return clerk.post(f"/clerk/console/items/{item.id}/motions", {**data, "died": "1"})


@pytest.mark.parametrize(
    ("ending", "said"),
    [
        ("withdrawn", "Withdrawn by its mover before the vote"),
        ("voided", "Voided by the clerk before the vote"),
    ],
)
def test_a_motion_is_withdrawn_or_voided_with_its_reason_kept(
    clerk, meeting, item, people, ending, said
):
    in_session(meeting, people)
    motion = moved(item, people)
    path = f"/clerk/console/motions/{motion.id}/end"
    bare = clerk.post(path, {f"end{motion.id}-ending": ending, f"end{motion.id}-reason": " "})
    assert bare.status_code == 422 and "Give the reason" in text_of(bare)
    assert db.session.get(Motion, motion.id).ending is None and not events(f"motion.{ending}")

    reason = "The mover asked to restate it after public comment."
    data = {f"end{motion.id}-ending": ending, f"end{motion.id}-reason": reason}
    page = text_of(clerk.post(path, data, follow=True))
    words = "withdrawn by its mover" if ending == "withdrawn" else "voided by the clerk"
    assert f"Motion 1 {words}." in page and f"{said}. Reason: {reason}" in page
    assert "Record the roll call on motion 1" not in page
    assert "motion 1 has no roll call" not in page  # the adjourn block no longer counts it
    db.session.expire_all()
    stored = db.session.get(Motion, motion.id)
    assert stored.ending is MotionEnding(ending) and stored.ending_reason == reason
    assert stored.ended_at is not None and stored.ended_by_id is not None
    (event,) = events(f"motion.{ending}")
    assert event.details["reason"] == reason and event.actor_id == stored.ended_by_id

    refused = clerk.roll_call(stored, ballots(people))
    assert refused.status_code == 422 and "it takes no vote" in text_of(refused)
    assert count_rows(Vote) == 0
    adjourn = clerk.post(f"{clerk.url}/adjourn", {})
    assert "without a roll call" not in text_of(adjourn) and "1 item without an outcome" in text_of(
        adjourn
    )
    public = text_of(clerk.client.get(f"/meetings/{meeting.id}"))
    assert f"{said}. Reason: {reason}" in public


def test_a_motion_with_a_roll_call_cannot_be_withdrawn_or_voided(clerk, meeting, item, people):
    in_session(meeting, people)
    motion = moved(item, people)
    assert clerk.roll_call(motion, ballots(people)).status_code == 302
    data = {f"end{motion.id}-ending": "withdrawn", f"end{motion.id}-reason": "Changed my mind."}
    response = clerk.post(f"/clerk/console/motions/{motion.id}/end", data)
    assert response.status_code == 422
    assert "a motion that was voted on cannot be withdrawn or voided" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Motion, motion.id).ending is None and not events("motion.withdrawn")


def test_a_motion_without_a_second_dies_for_lack_of_one(clerk, meeting, item, people):
    in_session(meeting, people)
    seconded = died(clerk, item, mover=people[5].id, seconder=people[1].id)
    assert seconded.status_code == 422 and "This motion was seconded" in text_of(seconded)
    assert count_rows(Motion) == 0

    response = died(clerk, item, mover=people[5].id, seconder="")
    assert response.status_code == 302
    page = text_of(clerk.client.get(response.headers["Location"]))
    assert "Motion 1 died for lack of a second." in page
    assert "Died for lack of a second." in page and "Record the roll call" not in page
    motion = db.session.execute(sa.select(Motion)).scalar_one()
    assert motion.ending is MotionEnding.DIED and motion.seconder_id is None
    assert len(events("motion.died")) == 1
    refused = clerk.roll_call(motion, ballots(people))
    assert refused.status_code == 422 and "died for lack of a second; it takes no vote" in text_of(
        refused
    )
    public = text_of(clerk.client.get(f"/meetings/{meeting.id}"))
    assert "Move to adopt." in public and "Died for lack of a second." in public


def test_a_motion_is_carried_without_objection_with_the_members_present(
    clerk, meeting, item, people
):
    in_session(meeting, people, absent=(6,))
    motion = moved(item, people)
    assert "Carried without objection" in text_of(clerk.page(item=item.id))
    response = clerk.post(f"/clerk/console/motions/{motion.id}/unanimous-consent", {}, True)
    here = ", ".join(f"{'Mayor' if i == 0 else 'Commissioner'} {p.name}"
                     for i, p in enumerate(people[:6]))  # fmt: skip
    line = f"Carried without objection (members present: {here})"
    assert line in text_of(response)
    vote = db.session.execute(sa.select(Vote)).scalar_one()
    assert vote.method is VoteMethod.UNANIMOUS_CONSENT
    assert (vote.yes_count, vote.no_count, vote.absent_count) == (6, 0, 1)
    (event,) = events("vote.record")
    assert event.details["method"] == "unanimous_consent"
    public = clerk.client.get(f"/meetings/{meeting.id}")
    assert f"{line}." in text_of(public)
    assert 'class="roll-call"' not in public.get_data(as_text=True)  # no list of ayes and nays


@pytest.mark.parametrize(
    ("absent", "threshold", "allowed", "message"),
    [
        ((), "", False, "does not carry motions without objection; take a roll call"),
        ((0, 1, 2, 3), "", True, "No quorum: 3 of 7 members present, 4 required"),
        ((5, 6), "four_fifths_full", True, "Without objection the motion would still fail"),
    ],
    ids=["body-does-not-allow-it", "no-quorum", "threshold-not-met"],
)
def test_a_motion_carried_without_objection_still_obeys_the_rules(
    clerk, meeting, item, people, absent, threshold, allowed, message
):
    in_session(meeting, people, absent=absent)
    meeting.body.is_unanimous_consent_allowed = allowed
    db.session.commit()
    kw = {"threshold": Threshold(threshold)} if threshold else {}
    here = [p for i, p in enumerate(people) if i not in absent]
    motion = moved(item, people, mover_id=here[0].id, seconder_id=here[1].id, **kw)
    if not allowed:
        assert "Carried without objection" not in text_of(clerk.page(item=item.id))
    response = clerk.post(f"/clerk/console/motions/{motion.id}/unanimous-consent", {})
    assert response.status_code == 422 and message in text_of(response)
    assert count_rows(Vote) == 0
