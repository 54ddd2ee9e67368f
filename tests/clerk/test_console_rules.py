"""The console records votes under a body's own rules: a quasi-judicial abstention with its
reason, an abstention the body excused, the charter rules offered as thresholds, and the rule
each vote was decided under shown with it."""

from __future__ import annotations

import sqlalchemy as sa

from agenda.bodies.rules import AbstentionPolicy
from agenda.extensions import db
from agenda.minutes.models import Disclosure
from agenda.votes.models import Ballot, Motion, Vote
from agenda.votes.rules import CHARTER_RULES, BallotValue, rule_label
from tests.clerk.test_console import ballots, in_session, text_of
from tests.conftest import count_rows

WHY = "Spoke with the applicant before the hearing"


def moved(clerk, item, people, **fields) -> Motion:
    response = clerk.motion(item, text="Move to grant the variance.", mover=people[5].id,
                            seconder=people[1].id, **fields)  # fmt: skip
    assert response.status_code == 302, text_of(response)
    return db.session.execute(sa.select(Motion).order_by(Motion.id.desc())).scalars().first()


def test_a_quasi_judicial_abstention_is_recorded_with_its_reason(clerk, meeting, item, people):
    """Fla. Stat. 286.012: on a hearing the member may abstain, saying why; no Form 8B."""
    item.is_quasi_judicial = True
    db.session.commit()
    in_session(meeting, people)
    motion = moved(clerk, item, people)
    page = text_of(clerk.page(item=item.id))
    assert "why, if abstaining in this quasi-judicial hearing" in page
    form = {**ballots(people, {6: "abstain"}), f"reason-{people[6].id}": WHY}
    page = text_of(clerk.roll_call(motion, form, follow=True))
    assert "Roll call recorded: Passed 6-0" in page
    assert f"Abstain: {WHY}" in page
    ballot = db.session.execute(
        sa.select(Ballot).where(Ballot.person_id == people[6].id)
    ).scalar_one()
    assert (ballot.value, ballot.reason) == (BallotValue.ABSTAIN, WHY)
    assert count_rows(Disclosure) == 0


def test_without_a_reason_the_hearing_abstention_is_refused_beside_the_member(
    clerk, meeting, item, people
):
    item.is_quasi_judicial = True
    db.session.commit()
    in_session(meeting, people)
    motion = moved(clerk, item, people)
    response = clerk.roll_call(motion, ballots(people, {6: "abstain"}))
    assert response.status_code == 422
    assert "abstains in a quasi-judicial proceeding; say why" in text_of(response)
    assert count_rows(Vote) == 0


def test_an_abstention_needs_the_bodys_leave_when_the_body_says_so(clerk, meeting, item, people):
    meeting.body.abstention_policy = AbstentionPolicy.WITH_CONSENT
    db.session.commit()
    in_session(meeting, people)
    motion = moved(clerk, item, people)
    page = text_of(clerk.page(item=item.id))
    assert f"The body excused Commissioner {people[6].name} from voting (if abstaining)" in page
    refused = clerk.roll_call(motion, ballots(people, {6: "abstain"}))
    assert refused.status_code == 422
    assert "cannot abstain without the body's consent" in text_of(refused)
    assert count_rows(Vote) == 0
    form = {**ballots(people, {6: "abstain"}), f"excused-{people[6].id}": "y"}
    page = text_of(clerk.roll_call(motion, form, follow=True))
    assert "Roll call recorded: Passed 6-0" in page
    assert "Abstain (excused by the body)" in page
    assert db.session.execute(sa.select(Ballot.is_excused).where(
        Ballot.person_id == people[6].id)).scalar_one()  # fmt: skip


def test_the_charter_rules_are_offered_and_the_vote_shows_its_rule(clerk, meeting, item, people):
    in_session(meeting, people)
    page = clerk.page(item=item.id).get_data(as_text=True).replace("&#39;", "'")
    for code in CHARTER_RULES:
        assert rule_label(code) in page
    emergency = CHARTER_RULES[1]
    motion = moved(clerk, item, people, threshold=emergency)
    assert motion.threshold == emergency
    page = text_of(clerk.roll_call(motion, ballots(people, {3: "no", 4: "no"}), follow=True))
    assert "Failed as an emergency ordinance 5-2 (6 votes required" in page
    assert "Passed as an ordinary ordinance (4 votes required" in page
    assert "Rule: as an emergency ordinance: four-fifths of the full body;" in page
    vote = db.session.execute(sa.select(Vote)).scalar_one()
    assert vote.rules_snapshot["threshold"] == emergency


def test_a_threshold_not_on_the_list_is_refused(clerk, meeting, item, people):
    in_session(meeting, people)
    response = clerk.motion(item, text="Move.", mover=people[5].id, seconder=people[1].id,
                            threshold="9/7:cast")  # fmt: skip
    assert response.status_code == 422
    assert count_rows(Motion) == 0
