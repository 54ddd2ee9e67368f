"""The read API's speed (issue 15): `GET /api/v1/meetings/<id>` for a meeting of 60 items, each
with a motion and a roll call of 7 ballots, against a hello-world route in the same run: with
`wrk -t2 -c16` against gunicorn with 2 workers on SQLite, as `make run` serves it.

Answers are kept per record version and audience (`pagecache.kept_page`): anonymous readers
share one, a read token's reader gets the one kept for what the token may see (its token is
still looked up and checked on every request). A second server with `PAGE_CACHE=0` builds
the answer for every request: what the first reader after each change waits for. Run it
with `make bench-api`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import urllib.error
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from agenda import create_app  # noqa: E402
from agenda.auth.operations import create_user  # noqa: E402
from agenda.auth.rules import Role, TokenScope  # noqa: E402
from agenda.auth.tokens import create_token  # noqa: E402
from agenda.bodies.models import Body, Membership, Person  # noqa: E402
from agenda.extensions import db  # noqa: E402
from agenda.meetings.operations import add_item, create_meeting, section_titled  # noqa: E402
from agenda.meetings.publishing import publish_meeting  # noqa: E402
from agenda.meetings.rules import MeetingType  # noqa: E402
from agenda.meetings.session import adjourn, call_to_order, record_attendance  # noqa: E402
from agenda.votes.operations import move_motion, record_roll_call  # noqa: E402
from agenda.votes.rules import (  # noqa: E402
    AttendanceStatus,
    Ballot,
    BallotValue,
    MotionKind,
    Threshold,
)
from bench.public_bench import HELLO, ROUNDS, WORKERS, Figures, gunicorn, wrk  # noqa: E402

ITEMS = 60
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))  # per address, over all rounds
START = datetime(2026, 7, 7, 21, tzinfo=UTC)
PASSWORD = "bench clerk password of some length"


def build() -> tuple[int, str]:
    """Create and hold a 60-item meeting with a roll call on every item; return it and a token."""
    body = Body(name="Bench City Commission", slug="bench", seats=7, timezone="America/New_York")
    people = [Person(name=f"Bench Member {n}") for n in range(1, 8)]
    for seat, person in enumerate(people, start=1):
        body.memberships.append(Membership(person=person, seat=seat, title="Commissioner",
                                           starts_on=date(2020, 1, 1)))  # fmt: skip
    db.session.add(body)
    meeting = create_meeting(body, meeting_type=MeetingType.REGULAR, scheduled_at=START,
                             location="City Hall", actor=None)  # fmt: skip
    section = section_titled(meeting, "Resolutions")
    items = [add_item(section, title=f"Resolution number {n} on a city matter of some length",
                      actor=None) for n in range(ITEMS)]  # fmt: skip
    publish_meeting(meeting, actor=None, now=START - timedelta(days=8))
    call_to_order(meeting, actor=None, at=START)
    for person in people:
        record_attendance(meeting, person.id, status=AttendanceStatus.PRESENT, actor=None)
    for n, item in enumerate(items):
        at = START + timedelta(minutes=n + 1)
        motion = move_motion(item, kind=MotionKind.MAIN, text="Move to adopt.", actor=None,
                             mover_id=people[0].id, seconder_id=people[1].id, at=at,
                             threshold=Threshold.MAJORITY_PRESENT)  # fmt: skip
        ballots = [Ballot(p.id, BallotValue.NO if i == n % 7 else BallotValue.YES)
                   for i, p in enumerate(people)]  # fmt: skip
        record_roll_call(motion, ballots, actor=None, at=at)
    adjourn(meeting, actor=None, at=START + timedelta(hours=4))
    clerk = create_user(email="clerk@bench.test", password=PASSWORD, role=Role.CLERK)
    _, secret = create_token(clerk, name="bench", scope=TokenScope.READ, actor=None)
    db.session.commit()
    return meeting.id, secret


def get_status(url: str, token: str | None = None) -> int:
    """Return the status of a GET, with the token if given."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as a:  # noqa: S310
            a.read()
            return a.status
    except urllib.error.HTTPError as error:
        return error.code


def main() -> int:
    """Build the meeting, serve it, measure each address in interleaved rounds; print ratios."""
    with tempfile.TemporaryDirectory(prefix="agenda-api-bench-") as tmp:
        url = f"sqlite:///{tmp}/agenda.sqlite"
        env = {**os.environ, "SECRET_KEY": "bench", "DATABASE_URL": url,
               "AGENDA_INSTANCE": tmp, "PASSWORD_HASH_PROFILE": "test"}  # fmt: skip
        env.pop("REDIS_URL", None)
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                          "PASSWORD_HASH_PROFILE": "test"})  # fmt: skip
        with app.app_context():
            upgrade()
            meeting_id, token = build()
            db.engine.dispose()
        uncached = {**env, "PAGE_CACHE": "0"}
        with (
            gunicorn(env, Path(tmp) / "gunicorn.log", "bench.api_wsgi:app") as (base, master),
            gunicorn(uncached, Path(tmp) / "built.log", "bench.api_wsgi:app") as built,
        ):
            meeting = f"/api/v1/meetings/{meeting_id}"
            paths = {
                "hello-world route": (base, master, HELLO, None),
                "meeting, anonymous (kept)": (base, master, meeting, None),
                "meeting, read token (kept)": (base, master, meeting, token),
                "meeting, built every time": (*built, meeting, None),
            }
            for label, (at, _, path, key) in paths.items():
                statuses = {get_status(at + path, key) for _ in range(4 * WORKERS)}
                assert statuses == {200}, f"{label} {path} answered {statuses}"
            figures = {label: Figures() for label in paths}
            for turn in range(ROUNDS):
                order = list(paths.items())
                for label, (at, pid, path, key) in order if turn % 2 == 0 else reversed(order):
                    wrk(
                        at + path,
                        max(1, SECONDS // ROUNDS),
                        pid,
                        figures[label],
                        (f"Authorization: Bearer {key}",) if key else (),
                    )
    hello = figures["hello-world route"].rate
    print(f"wrk -t2 -c16, {SECONDS} s per address in {ROUNDS} interleaved rounds, "
          f"gunicorn --workers {WORKERS}, SQLite; a meeting of {ITEMS} items, each with a "
          f"roll call of 7")  # fmt: skip
    print(f"{'address':<30} {'requests/s':>10} {'x hello':>8} {'CPU us':>7} {'non-2xx':>8}  path")
    for label, (_, _, path, _) in paths.items():
        f = figures[label]
        print(f"{label:<30} {f.rate:>10.0f} {f.rate / hello:>8.2f} {f.cpu_us:>7.0f} "
              f"{f.not_2xx:>8}  {path}")  # fmt: skip
    rates = [figures[label].rate / hello for label in list(paths)[1:]]
    print("x hello: anonymous {:.2f}, read token {:.2f}, built every time {:.2f}".format(*rates))
    return 1 if any(f.not_2xx for f in figures.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
