"""The live meeting console as the clerk uses it: session, attendance, motions, roll calls."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, Attendance, Meeting
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.rules import Disposition, MeetingStatus
from agenda.meetings.session import adjourn, call_to_order, record_attendance
from agenda.timefmt import local_to_utc, utc_to_local
from agenda.votes.attendance import submitted_attendance
from agenda.votes.models import BallotCorrection, Motion, Vote
from agenda.votes.operations import move_motion, record_roll_call
from agenda.votes.outcomes import correct_ballot
from agenda.votes.rules import AttendanceStatus, Ballot, BallotValue, MotionKind
from tests.conftest import count_rows, csrf_token, row_counts

# 5 PM in Key West on a Tuesday in July: long enough ago that every time on it has come.
START = datetime(2026, 7, 7, 21, 0, tzinfo=UTC)
SIX_ONE = "Passed 6-1 (4 votes required: majority of the 7 members present)"
FOUR_FIFTHS = "Failed 5-2 (6 votes required: four-fifths of the full body of 7 seats)"


def text_of(response: Any) -> str:
    """Return a page's text with entities decoded and spaces collapsed."""
    page = htmllib.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    return " ".join(page.split())


def in_session(meeting: Meeting, people: list[Any], absent: tuple[int, ...] = ()) -> None:
    """Call the meeting to order with everyone present except the 0-based seats `absent`."""
    call_to_order(meeting, actor=None, at=START)
    for i, person in enumerate(people):
        status = AttendanceStatus.ABSENT if i in absent else AttendanceStatus.PRESENT
        record_attendance(meeting, person.id, status=status, actor=None)
    db.session.commit()


def moved(item: AgendaItem, people: list[Any], commit: bool = True, **kw: Any) -> Motion:
    """Move a motion through the operation: seat 6 moves and seat 2 seconds unless told."""
    kw = {"kind": MotionKind.MAIN, "text": "Move to adopt.", "mover_id": people[5].id,
          "seconder_id": people[1].id, **kw}  # fmt: skip
    motion = move_motion(item, actor=None, **kw)
    if commit:
        db.session.commit()
    return motion


def ballots(people: list[Any], changes: dict[int, str] | None = None) -> dict[str, str]:
    """Return a roll-call form: everyone yes except the 0-based seats in `changes` ("" omits)."""
    votes = {f"vote-{p.id}": (changes or {}).get(i, "yes") for i, p in enumerate(people)}
    return {key: value for key, value in votes.items() if value}


class Clerk:
    """Drive the console through HTTP as a signed-in clerk."""

    def __init__(self, client: Any, meeting: Meeting) -> None:
        self.client, self.url = client, f"/clerk/meetings/{meeting.id}/console"

    def page(self, **params: Any) -> Any:
        return self.client.get(self.url, query_string=params)

    def post(self, path: str, data: dict[str, Any], follow: bool = False) -> Any:
        token = csrf_token(self.client, self.url)
        return self.client.post(path, data={**data, "csrf_token": token}, follow_redirects=follow)

    def roll_call(self, motion: Motion, data: dict[str, str], follow: bool = False) -> Any:
        return self.post(f"/clerk/console/motions/{motion.id}/roll-call", data, follow)

    def motion(self, item: AgendaItem, **fields: Any) -> Any:
        data = {f"motion-{k}": v for k, v in {"kind": "main", "threshold": "", **fields}.items()}
        return self.post(f"/clerk/console/items/{item.id}/motions", data)


@pytest.mark.parametrize("role", [None, Role.COMMISSIONER])
def test_the_console_is_for_clerks_only(role, auth, client, meeting, item, people):
    in_session(meeting, people)
    vote = record_roll_call(moved(item, people), [Ballot(p.id, BallotValue.YES) for p in people],
                            actor=None)  # fmt: skip
    pending = moved(item, people, text="Move to amend.")
    before = row_counts(Motion, Vote, Attendance, BallotCorrection)
    if role is not None:
        auth.login(role)
    token = csrf_token(client, "/login" if role is None else "/")
    forged = {**ballots(people), "motion-text": "x", "csrf_token": token}
    base, console = f"/clerk/meetings/{meeting.id}/console", "/clerk/console"
    assert client.get(base).status_code == (403 if role else 302)
    for path in [f"{base}/call-to-order", f"{base}/adjourn", f"{base}/attendance",
                 f"{console}/items/{item.id}/motions", f"{console}/items/{item.id}/disposition",
                 f"{console}/motions/{pending.id}/roll-call",
                 f"{console}/votes/{vote.id}/corrections"]:  # fmt: skip
        response = client.post(path, data=forged)
        assert response.status_code == (403 if role else 302), path
        assert role or "/login" in response.headers["Location"]
    db.session.expire_all()
    assert meeting.status is MeetingStatus.IN_PROGRESS and item.disposition is None
    assert row_counts(Motion, Vote, Attendance, BallotCorrection) == before


def test_the_clerk_calls_the_meeting_to_order_and_adjourns(clerk, meeting, people, make_meeting):
    draft = make_meeting(body=meeting.body, published=False)
    page = text_of(clerk.client.get(f"/clerk/meetings/{draft.id}/console"))
    assert "This meeting is a draft" in page and "Back to the meeting workspace" in page
    early = clerk.post(f"{clerk.url}/attendance", {f"status-{p.id}": "present" for p in people})
    assert early.status_code == 422 and "Call the meeting to order first." in text_of(early)
    assert count_rows(Attendance) == 0 and "Call to order" in text_of(clerk.page())
    response = clerk.post(f"{clerk.url}/call-to-order", {})
    assert response.status_code == 302 and response.headers["Location"].endswith("#attendance")
    db.session.expire_all()
    assert meeting.status is MeetingStatus.IN_PROGRESS and meeting.called_to_order_at
    assert "Called to order" in text_of(clerk.page())
    again = clerk.post(f"{clerk.url}/call-to-order", {})
    assert again.status_code == 422 and "Only a published meeting" in text_of(again)
    asked = clerk.post(f"{clerk.url}/adjourn", {})
    assert asked.status_code == 422
    assert "Still open: Item 6.a" in text_of(asked) and "no outcome recorded" in text_of(asked)
    assert "1 item without an outcome. Tick the box to adjourn all the same." in text_of(asked)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status is MeetingStatus.IN_PROGRESS
    page = text_of(clerk.post(f"{clerk.url}/adjourn", {"adjourn-confirm": "y"}, follow=True))
    assert "Meeting adjourned." in page and "motions and roll calls are closed" in page
    assert db.session.get(Meeting, meeting.id).status is MeetingStatus.ADJOURNED


def test_attendance_is_saved_in_one_submit_or_not_at_all(clerk, meeting, people):
    call_to_order(meeting, actor=None, at=START)
    db.session.commit()
    data = {f"status-{p.id}": "present" for p in people[1:]}
    data.update({f"arrived-{people[2].id}": "7 pm", f"arrived-{people[3].id}": "19:00"})
    data[f"left-{people[3].id}"] = "18:00"  # refused by record_attendance; other rows roll back
    refused = clerk.post(f"{clerk.url}/attendance", data)
    assert refused.status_code == 422 and count_rows(Attendance) == 0
    page = text_of(refused)
    assert f"Choose present or absent for Mayor {people[0].name}." in page
    assert "like 18:15" in page and "cannot leave before arriving" in page
    assert f'href="#status-{people[0].id}-present"' in refused.get_data(as_text=True)
    data = {f"status-{p.id}": "present" for p in people[:6]}
    data.update({f"status-{people[6].id}": "absent", f"arrived-{people[5].id}": "18:15"})
    response = clerk.post(f"{clerk.url}/attendance", data, follow=True)
    assert "Attendance saved: 6 of 7 present." in text_of(response)
    assert 'value="18:15"' in response.get_data(as_text=True)
    db.session.expire_all()
    records = {a.person_id: a for a in db.session.get(Meeting, meeting.id).attendance}
    day = utc_to_local(meeting.scheduled_at, meeting.timezone)[0]
    assert records[people[5].id].arrived_at == local_to_utc(day, time(18, 15), meeting.timezone)
    assert records[people[6].id].status is AttendanceStatus.ABSENT
    everyone = clerk.post(f"{clerk.url}/attendance", {"everyone_present": "1"}, follow=True)
    assert "Attendance saved: 7 of 7 present." in text_of(everyone)


@pytest.mark.parametrize(
    ("threshold", "noes", "result"),
    [("", {3: "no"}, SIX_ONE), ("4/5:full", {3: "no", 4: "no"}, FOUR_FIFTHS)],
    ids=["6-1-passes", "four-fifths-fails-5-2"],
)
def test_a_motion_moved_seconded_and_voted_shows_its_arithmetic(
    clerk, meeting, item, people, threshold, noes, result
):
    in_session(meeting, people)
    response = clerk.motion(item, text="Move to adopt.", mover=people[5].id,
                            seconder=people[1].id, threshold=threshold)  # fmt: skip
    assert response.status_code == 302 and "#motion-" in response.headers["Location"]
    motion = db.session.execute(sa.select(Motion)).scalar_one()
    assert motion.threshold == (threshold or "majority:present_voting")  # legislation default
    assert f"Vote of Commissioner {people[3].name}" in text_of(clerk.page(item=item.id))
    page = text_of(clerk.roll_call(motion, ballots(people, noes), follow=True))
    assert f"Roll call recorded: {result}." in page
    assert page.count(result) >= 2  # the flash and the motion's result
    assert f"Commissioner {people[3].name} No" in page
    assert count_rows(Vote) == 1


@pytest.mark.parametrize(
    ("absent", "form", "message"),
    [
        ((0, 1, 2, 3), lambda p: ballots(p[4:]), "No quorum: 3 of 7 members present, 4 required"),
        ((6,), ballots, "is absent and cannot vote"),
        ((), lambda p: ballots(p, {2: ""}), "is present and has no recorded vote"),
        ((), lambda p: ballots(p, {2: "abstain"}), "cannot abstain"),
        ((), lambda p: ballots(p, {2: "recused"}), "recused without stating the conflict"),
        ((), lambda p: ballots(p, {2: "maybe"}), "has no valid vote: choose yes, no"),
    ],
    ids=["no-quorum", "absent-member", "missing-ballot", "abstention", "bare-recusal", "bad-value"],
)
def test_a_refused_roll_call_says_why_and_saves_nothing(
    clerk, meeting, item, people, absent, form, message
):
    in_session(meeting, people, absent=absent)
    motion = moved(item, people, seconder_id=people[4].id)
    response = clerk.roll_call(motion, form(people))
    assert response.status_code == 422
    assert message in text_of(response) and "Nothing was saved" in text_of(response)
    assert count_rows(Vote) == 0


@pytest.mark.parametrize(
    ("kind", "mover", "seconder", "message"),
    [
        ("main", 5, None, "The motion has no second; it cannot be voted on."),
        ("reconsider", 3, 2, "Only a member who voted on the prevailing side may move to recon"),
    ],
    ids=["no-second", "reconsider-from-the-losing-side"],
)
def test_a_refused_motion_says_why_and_saves_nothing(
    clerk, meeting, item, people, kind, mover, seconder, message
):
    in_session(meeting, people)
    voted = moved(item, people)
    clerk.roll_call(voted, ballots(people, {3: "no"}))
    second = people[seconder].id if seconder is not None else ""
    response = clerk.motion(item, text="Again.", kind=kind, mover=people[mover].id,
                            seconder=second, parent=voted.id)  # fmt: skip
    assert response.status_code == 422
    assert message in text_of(response) and "Nothing was saved" in text_of(response)
    assert count_rows(Motion) == 1


def test_a_roll_call_is_recorded_once_and_corrected_with_its_old_value_kept(
    clerk, meeting, item, people
):
    in_session(meeting, people)
    motion = moved(item, people)
    assert clerk.roll_call(motion, ballots(people, {3: "no"})).status_code == 302
    again = clerk.roll_call(motion, ballots(people, {3: "no"}))  # a double click, or a retry
    assert again.status_code == 409
    assert "This roll call is already recorded: Passed 6-1" in text_of(again)
    vote = db.session.execute(sa.select(Vote)).scalar_one()  # exactly one
    fix = {f"fix{vote.id}-member": people[3].id, f"fix{vote.id}-value": "yes"}
    path = f"/clerk/console/votes/{vote.id}/corrections"
    refused = clerk.post(path, fix)
    assert refused.status_code == 422 and "Say why the vote is corrected" in text_of(refused)
    page = text_of(clerk.post(path, {**fix, f"fix{vote.id}-why": "Misheard."}, follow=True))
    assert "Vote corrected: Passed 7-0" in page and "Why: Misheard." in page
    assert f"Commissioner {people[3].name}: corrected from No to Yes by" in page
    assert count_rows(BallotCorrection) == 1


def test_a_continued_item_goes_on_the_later_agenda(clerk, meeting, item, people, make_meeting):
    in_session(meeting, people)
    later = make_meeting(body=meeting.body, published=False,
                         scheduled_at=meeting.scheduled_at + timedelta(days=14))  # fmt: skip
    motion = moved(item, people, kind=MotionKind.CONTINUE, continued_to_id=later.id,
                   text="Move to continue to the next meeting.")  # fmt: skip
    clerk.roll_call(motion, ballots(people))
    data = {"disposition-disposition": "continued", "disposition-continued_to": later.id,
            "disposition-motion": motion.id}  # fmt: skip
    response = clerk.post(f"/clerk/console/items/{item.id}/disposition", data, follow=True)
    assert "Disposition recorded: Continued to a later meeting" in text_of(response)
    db.session.expire_all()
    carried = section_titled(db.session.get(Meeting, later.id), "Resolutions").items
    assert [i.matter_id for i in carried] == [item.matter_id]
    assert db.session.get(AgendaItem, item.id).disposition is Disposition.CONTINUED


def test_record_all_yes_prefills_the_pending_roll_call(clerk, meeting, item, people):
    in_session(meeting, people, absent=(6,))
    main = moved(item, people)
    # Flushed, not committed: the shared cleanup's DELETE FROM motions cannot remove a committed
    # amendment on SQLite (ON DELETE RESTRICT on motions.parent_id).
    amendment = moved(item, people, commit=False, kind=MotionKind.AMENDMENT, parent=main,
                      text="Strike section 2.", mover_id=people[0].id)  # fmt: skip
    html = clerk.page(item=item.id, all_yes=1).get_data(as_text=True)
    checked = re.findall(rf'id="vote-{amendment.id}-(\d+)-yes"[^>]*value="yes" checked', html)
    assert sorted(map(int, checked)) == sorted(p.id for p in people[:6])
    page = text_of(clerk.page(item=item.id))
    assert f"Commissioner {people[6].name}: absent" in page
    assert (
        "Motion 2: Amendment on motion 1" in page and "Vote on motion 2 (amendment) first" in page
    )
    assert page.count("Roll call on motion") == 1


def test_the_console_runs_a_fixed_number_of_queries(clerk, count_queries, meeting, item, people):
    in_session(meeting, people)
    yes = [Ballot(p.id, BallotValue.YES) for p in people]
    record_roll_call(moved(item, people), yes, actor=None)
    db.session.commit()

    def queries() -> int:
        with count_queries() as statements:
            assert clerk.page(item=item.id).status_code == 200
        return len(statements)

    few = queries()
    for n in range(5):
        other = add_item(section_titled(meeting, "Discussion"), title=f"Topic {n}", actor=None)
        for on in (item, other):
            vote = record_roll_call(moved(on, people), yes, actor=None)
            correct_ballot(vote, people[n].id, new_value=BallotValue.NO, why="Misheard.",
                           actor=None)  # fmt: skip
        moved(item, people, text=f"Pending motion {n}.")
    assert queries() == few


def test_after_adjournment_a_vote_can_be_corrected_but_not_taken(clerk, meeting, item, people):
    in_session(meeting, people)
    motion = moved(item, people)
    assert clerk.roll_call(motion, ballots(people, {3: "no"})).status_code == 302
    assert clerk.post(f"{clerk.url}/adjourn", {"adjourn-confirm": "y"}).status_code == 302
    page = text_of(clerk.page(item=item.id))
    assert "Make a motion" not in page and "Record the motion" not in page
    refused = clerk.motion(item, text="A new motion.", mover=people[0].id, seconder=people[1].id)
    assert refused.status_code == 422
    vote = db.session.execute(sa.select(Vote)).scalar_one()
    fix = {f"fix{vote.id}-member": people[3].id, f"fix{vote.id}-value": "yes",
           f"fix{vote.id}-why": "Found while drafting the minutes."}  # fmt: skip
    page = text_of(clerk.post(f"/clerk/console/votes/{vote.id}/corrections", fix, follow=True))
    assert "Vote corrected: Passed 7-0" in page
    assert count_rows(Motion) == 1 and count_rows(BallotCorrection) == 1


def test_calling_to_order_before_the_day_needs_a_reason_and_keeps_it(clerk, body, make_meeting):
    ahead = make_meeting(body=body)  # ten days from now
    url = f"/clerk/meetings/{ahead.id}/console"
    page = text_of(clerk.client.get(url))
    assert "not today" in page and "Reason for calling to order before the meeting's date" in page
    refused = clerk.post(f"{url}/call-to-order", {})
    assert refused.status_code == 422
    assert "To call it to order today, give the reason." in text_of(refused)
    db.session.expire_all()
    assert db.session.get(Meeting, ahead.id).status is MeetingStatus.PUBLISHED
    reason = "The hurricane moves the meeting forward."
    assert clerk.post(f"{url}/call-to-order", {"call-early_reason": reason}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, ahead.id).status is MeetingStatus.IN_PROGRESS
    event = db.session.execute(
        sa.select(AuditEvent).where(AuditEvent.action == "meeting.call_to_order")
    ).scalar_one()
    assert event.details == {"early_reason": reason}


def test_an_adjourned_meeting_is_reopened_with_a_reason(clerk, meeting, people):
    in_session(meeting, people)
    adjourn(meeting, actor=None)
    db.session.commit()
    assert "Reopen the meeting" in text_of(clerk.page())
    refused = clerk.post(f"{clerk.url}/reopen", {})
    assert refused.status_code == 422
    assert "Give the reason for reopening" in text_of(refused)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status is MeetingStatus.ADJOURNED
    reason = "Adjourned by mistake before public comment."
    page = text_of(clerk.post(f"{clerk.url}/reopen", {"reopen-reason": reason}, follow=True))
    assert "Meeting reopened." in page
    db.session.expire_all()
    reopened = db.session.get(Meeting, meeting.id)
    assert reopened.status is MeetingStatus.IN_PROGRESS and reopened.adjourned_at is None
    event = db.session.execute(
        sa.select(AuditEvent).where(AuditEvent.action == "meeting.reopen")
    ).scalar_one()
    assert event.details["reason"] == reason and event.details["adjourned_at"]


def test_times_after_midnight_are_read_on_the_next_day(body, people):
    # Called to order at 11:30 PM on July 7: a member who arrives at 12:15 AM came on July 8.
    opened = datetime(2026, 7, 8, 3, 30, tzinfo=UTC)
    seated = list(body.memberships)
    data = {f"status-{p.id}": "present" for p in people}
    data |= {f"arrived-{people[1].id}": "00:15", f"arrived-{people[2].id}": "23:45"}
    rows = {r.person_id: r for r in submitted_attendance(data, seated, opened, body.timezone)}
    assert rows[people[1].id].parsed[0].arrived_at == datetime(2026, 7, 8, 4, 15, tzinfo=UTC)
    assert rows[people[2].id].parsed[0].arrived_at == datetime(2026, 7, 8, 3, 45, tzinfo=UTC)


def test_the_saved_count_is_who_is_in_the_room_as_the_header_says(clerk, meeting, people):
    call_to_order(meeting, actor=None, at=START)
    db.session.commit()
    data = {f"status-{p.id}": "present" for p in people}
    data |= {f"arrived-{people[4].id}": "17:20", f"left-{people[4].id}": "18:40"}
    page = text_of(clerk.post(f"{clerk.url}/attendance", data, follow=True))
    assert "Attendance saved: 6 of 7 present." in page
    assert "Present now 6 of 7" in page
