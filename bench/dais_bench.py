"""At the dais: server time to record a 7-member roll call through the console's endpoint (as
a full page post and as the console's background post plus its redraw), and to render the
public page of a 60-item meeting with 40 roll calls (median, p95, SQL queries); each against
the app's hello-world route (/healthz) timed in the same run."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from agenda import create_app  # noqa: E402
from agenda.auth.operations import create_user  # noqa: E402
from agenda.auth.rules import Role  # noqa: E402
from agenda.bodies.models import Body, Membership, Person  # noqa: E402
from agenda.extensions import db  # noqa: E402
from agenda.meetings.models import Meeting  # noqa: E402
from agenda.meetings.operations import add_item, create_meeting, section_titled  # noqa: E402
from agenda.meetings.publishing import publish_meeting  # noqa: E402
from agenda.meetings.rules import MeetingType  # noqa: E402
from agenda.meetings.session import call_to_order, record_attendance  # noqa: E402
from agenda.votes.models import Motion  # noqa: E402
from agenda.votes.operations import move_motion, record_roll_call  # noqa: E402
from agenda.votes.rules import AttendanceStatus, Ballot, BallotValue, MotionKind  # noqa: E402

REQUESTS = 200
START = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
PASSWORD = "bench password, long enough"


def meeting_with(body: Body, people: list[Person], items: int, day: int) -> Meeting:
    meeting = create_meeting(body, meeting_type=MeetingType.REGULAR, location="City Hall",
                             scheduled_at=START - timedelta(days=day), actor=None)  # fmt: skip
    section = section_titled(meeting, "Resolutions")
    for n in range(items):
        add_item(section, title=f"Resolution {n} of the bench meeting", actor=None)
    publish_meeting(meeting, actor=None, now=meeting.scheduled_at - timedelta(days=8))
    call_to_order(meeting, actor=None, at=meeting.scheduled_at)
    for person in people:
        record_attendance(meeting, person.id, status=AttendanceStatus.PRESENT, actor=None)
    return meeting


def motions_on(meeting: Meeting, people: list[Person], count: int, at: datetime) -> list[int]:
    items = [i for s in meeting.sections for i in s.items]
    return [
        move_motion(items[n % len(items)], kind=MotionKind.MAIN, text=f"Motion {n}.", actor=None,
                    mover_id=people[0].id, seconder_id=people[1].id, at=at).id
        for n in range(count)
    ]  # fmt: skip


def build() -> tuple[int, list[int], list[int]]:
    body = Body(name="Bench Commission", slug="bench", seats=7, timezone="America/New_York")
    people = [Person(name=f"Member {n}") for n in range(1, 8)]
    for seat, person in enumerate(people, start=1):
        body.memberships.append(Membership(person=person, seat=seat, title="Commissioner",
                                           starts_on=date(2020, 1, 1)))  # fmt: skip
    db.session.add(body)
    db.session.flush()
    page_meeting = meeting_with(body, people, 60, day=14)
    ballots = [Ballot(p.id, BallotValue.YES) for p in people]
    for motion_id in motions_on(page_meeting, people, 40, page_meeting.scheduled_at):
        motion = db.session.get_one(Motion, motion_id)
        record_roll_call(motion, ballots, actor=None, at=page_meeting.scheduled_at)
    live = meeting_with(body, people, 60, day=0)
    pending = motions_on(live, people, REQUESTS, datetime.now(UTC))
    create_user(email="bench@city.test", password=PASSWORD, role=Role.CLERK, actor=None)
    db.session.commit()
    return page_meeting.id, pending, [p.id for p in people]


BASELINE: list[float] = []


def summary(label: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[int(len(ms) * 0.95) - 1]
    ratio = (
        f", {statistics.median(seconds) / statistics.median(BASELINE):.0f}x hello-world"
        if (BASELINE and seconds is not BASELINE)
        else ""
    )
    print(f"{label}: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms "
          f"({len(ms)} requests{ratio})")  # fmt: skip


def main() -> None:
    """Build both meetings, then time the two endpoints through the whole WSGI stack."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite"})  # fmt: skip
        with app.app_context():
            upgrade()
            page_id, pending, people = build()
        client = app.test_client()
        for _ in range(REQUESTS):
            start = time.perf_counter()
            assert client.get("/healthz").status_code == 200
            BASELINE.append(time.perf_counter() - start)
        summary("hello-world route /healthz (baseline)", BASELINE)
        client.post("/login", data={"email": "bench@city.test", "password": PASSWORD})
        half = len(pending) // 2
        times = []
        for motion_id in pending[:half]:
            form = {f"vote-{pid}": "yes" for pid in people}
            start = time.perf_counter()
            response = client.post(f"/clerk/console/motions/{motion_id}/roll-call", data=form)
            times.append(time.perf_counter() - start)
            assert response.status_code == 302, response.status_code
        summary("record a 7-member roll call (POST, console)", times)
        times = []
        for motion_id in pending[half:]:
            form = {f"vote-{pid}": "yes" for pid in people}
            start = time.perf_counter()
            response = client.post(f"/clerk/console/motions/{motion_id}/roll-call", data=form,
                                   headers={"X-Agenda-Fetch": "1"})  # fmt: skip
            assert response.status_code == 200, response.status_code
            assert client.get(response.get_json()["to"]).status_code == 200
            times.append(time.perf_counter() - start)
        summary("record a roll call in the background and redraw the console", times)

        public = app.test_client()
        statements: list[str] = []
        with app.app_context():
            sa.event.listen(db.engine, "before_cursor_execute",
                            lambda *a: statements.append(a[2]))  # fmt: skip
        times = []
        for _ in range(REQUESTS):
            statements.clear()
            start = time.perf_counter()
            response = public.get(f"/meetings/{page_id}")
            times.append(time.perf_counter() - start)
            assert response.status_code == 200
        queries = len([s for s in statements if not s.startswith("BEGIN")])
        summary("public page, 60 items and 40 roll calls (GET)", times)
        print(f"SQL queries per public page: {queries}")


if __name__ == "__main__":
    main()
