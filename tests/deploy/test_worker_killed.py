"""A gunicorn worker killed (SIGKILL) in the middle of recording a roll call leaves all or
nothing, on PostgreSQL and on SQLite: the record verifies and gunicorn serves on.

The kill lands mid-request deterministically: the test holds a lock the roll call needs. On
PostgreSQL it is the audit chain's advisory lock, so the worker waits in record_event after it
wrote the vote and its ballots; on SQLite it is the write lock (BEGIN IMMEDIATE), so the
worker waits in SQLite's busy handler."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from agenda.audit.models import AuditEvent
from agenda.audit.operations import CHAIN_LOCK
from agenda.auth.operations import create_user
from agenda.auth.rules import Role
from agenda.bodies.models import Body, Membership, Person
from agenda.extensions import db
from agenda.meetings.models import Attendance
from agenda.meetings.operations import add_item, create_meeting, section_titled
from agenda.meetings.rules import MeetingStatus, MeetingType
from agenda.votes.models import Ballot, Motion, Vote
from agenda.votes.rules import AttendanceStatus, MotionKind, Threshold
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CLERK = "clerk@city.test"
SEATS = 7


@dataclass(frozen=True)
class Scene:
    """A meeting in session, everyone present, and a main motion awaiting its roll call."""

    meeting_id: int
    motion_id: int
    people: list[int]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'agenda.sqlite'}"
    return request.getfixturevalue("pg_database")()


def build(app: Flask) -> Scene:
    with app.app_context():
        upgrade()
        start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
        body = Body(name="City Commission", slug="c", seats=SEATS, timezone="America/New_York")
        people = [Person(name=f"Member {n}") for n in range(1, SEATS + 1)]
        for seat, person in enumerate(people, start=1):
            body.memberships.append(
                Membership(person=person, seat=seat, title="Member", starts_on=date(2020, 1, 1))
            )
        db.session.add(body)
        meeting = create_meeting(body, meeting_type=MeetingType.REGULAR, scheduled_at=start,
                                 location="City Hall", actor=None)  # fmt: skip
        meeting.attendance = [Attendance(person=p, status=AttendanceStatus.PRESENT) for p in people]
        meeting.status, meeting.published_at = MeetingStatus.IN_PROGRESS, start - timedelta(days=8)
        item = add_item(section_titled(meeting, "Resolutions"), title="Seawall", actor=None)
        motion = Motion(agenda_item=item, position=1, kind=MotionKind.MAIN, text="Adopt.",
                        mover_id=people[0].id, seconder_id=people[1].id,
                        threshold=Threshold.MAJORITY_CAST)  # fmt: skip
        db.session.add(motion)
        create_user(email=CLERK, password=PASSWORD, role=Role.CLERK)
        db.session.commit()
        scene = Scene(meeting.id, motion.id, [p.id for p in people])
        db.session.remove()
        db.engine.dispose()
    return scene


def stored(app: Flask, motion_id: int) -> tuple[int, int, int]:
    """Return the motion's votes, their ballots and their audit events, as rows stored."""
    with app.app_context():
        votes = db.session.execute(sa.select(Vote.id).where(Vote.motion_id == motion_id))
        ids = [str(v) for v in votes.scalars()]
        ballots = db.session.execute(
            sa.select(sa.func.count(Ballot.id)).join(Vote).where(Vote.motion_id == motion_id)
        ).scalar_one()
        events = db.session.execute(
            sa.select(sa.func.count(AuditEvent.id)).where(
                AuditEvent.action == "vote.record", AuditEvent.object_id.in_(ids)
            )
        ).scalar_one()
        db.session.remove()
    return len(ids), ballots, events


@contextmanager
def gunicorn(instance: Path, database_url: str) -> Iterator[tuple[str, int]]:
    """Run gunicorn with 2 workers as `make run` does; yield its address and master pid."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "AGENDA_INSTANCE": str(instance), "SECRET_KEY": "worker-kill-test",
           "PASSWORD_HASH_PROFILE": "test", "DATABASE_URL": database_url}  # fmt: skip
    log = (instance / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(lambda: get(f"http://127.0.0.1:{port}/healthz") == 200, "gunicorn to start")
        yield f"127.0.0.1:{port}", server.pid
    finally:
        server.send_signal(signal.SIGQUIT)  # quick shutdown: a worker still booting need not finish
        server.wait(timeout=20)
        log.close()


def wait_for(condition: Callable[[], object], what: str, seconds: float = 20) -> object:
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.05)
    return found


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


class Clerk:
    """The clerk signed in over HTTP; posts carry the session's cookie and CSRF token."""

    def __init__(self, address: str, console: str) -> None:
        self.base, self.jar = f"http://127.0.0.1:{address.split(':')[1]}", CookieJar()
        no_redirect = type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                           {"redirect_request": lambda *a: None})  # fmt: skip
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), no_redirect
        )
        self.token = self.token_of("/login")
        assert self.post("/login", {"email": CLERK, "password": PASSWORD}) == 302
        self.token = self.token_of(console)

    def token_of(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as page:
            html = page.read().decode()
        start = html.index('name="csrf_token"')
        start = html.index('value="', start) + len('value="')
        return html[start : html.index('"', start)]

    def form(self, data: dict[str, str]) -> bytes:
        return urllib.parse.urlencode({**data, "csrf_token": self.token}).encode()

    def post(self, path: str, data: dict[str, str]) -> int:
        try:
            with self.opener.open(self.base + path, data=self.form(data), timeout=30) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def children(pid: int) -> set[int]:
    """Return the processes whose parent is `pid` (gunicorn's workers)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def worker_serving(master: int, server_port: int, client_port: int) -> int | None:
    """Return the worker that accepted our connection: the one holding its socket."""
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{server_port:04X}") and fields[2].endswith(f":{client_port:04X}"):
            inode = fields[9]
    if inode in (None, "0"):
        return None
    for worker in children(master):
        try:
            links = {os.readlink(fd) for fd in Path(f"/proc/{worker}/fd").iterdir()}
        except OSError:
            continue
        if f"socket:[{inode}]" in links:
            return worker
    return None


class RollCallInFlight(threading.Thread):
    """The roll call's POST, sent on a connection whose client port we know."""

    def __init__(self, address: str, clerk: Clerk, path: str, data: dict[str, str]) -> None:
        super().__init__()
        host, port = address.split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=60)
        self.connection.connect()
        self.client_port = self.connection.sock.getsockname()[1]
        self.request = (path, clerk.form(data), clerk.cookie())
        self.outcome = ""

    def run(self) -> None:
        path, body, cookie = self.request
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        try:
            self.connection.request("POST", path, body=body, headers=headers)
            self.outcome = str(self.connection.getresponse().status)
        except (http.client.HTTPException, OSError) as error:
            self.outcome = type(error).__name__
        finally:
            self.connection.close()


@contextmanager
def roll_call_held(database_url: str) -> Iterator[Callable[[int], None]]:
    """Hold what the roll call needs; yield a check that the worker now waits for it."""
    if database_url.startswith("sqlite"):
        path = sa.make_url(database_url).database
        with closing(sqlite3.connect(path, isolation_level=None)) as c:
            c.execute("BEGIN IMMEDIATE")

            def in_busy_handler(worker: int) -> None:
                # SQLite's busy handler sleeps between tries for the write lock we hold.
                wchan = Path(f"/proc/{worker}/wchan")
                wait_for(lambda: "nanosleep" in wchan.read_text(), "the worker to wait")

            yield in_busy_handler
            c.execute("ROLLBACK")
        return
    plain = sa.make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(plain.render_as_string(hide_password=False), autocommit=True) as c:
        c.execute("SELECT pg_advisory_lock(%s)", (CHAIN_LOCK,))
        waiting: list[int] = []

        def after_vote_and_ballots(worker: int) -> None:
            backend = wait_for(
                lambda: c.execute(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND wait_event = 'advisory' AND datname = current_database()"
                ).fetchone(),
                "the worker to wait for the audit chain",
            )
            waiting.append(backend[0])  # type: ignore[index]
            # It waits inside its transaction, having written the vote and its ballots.
            written = c.execute(
                "SELECT relation::regclass::text FROM pg_locks WHERE pid = %s "
                "AND mode = 'RowExclusiveLock' AND relation IS NOT NULL",
                waiting,
            ).fetchall()
            assert {"votes", "ballots"} <= {r[0] for r in written}, written

        yield after_vote_and_ballots
        c.execute("SELECT pg_advisory_unlock(%s)", (CHAIN_LOCK,))
        # The killed worker's server process ends, rolling its transaction back.
        wait_for(
            lambda: (
                not c.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", waiting).fetchone()
            ),
            "the killed worker's transaction to end",
        )


def test_a_worker_killed_mid_roll_call_leaves_all_or_nothing(
    database: str, make_app: Callable[..., Flask], tmp_path: Path
):
    app = make_app(database)
    scene = build(app)
    ballots = {f"vote-{pid}": "yes" for pid in scene.people}
    path = f"/clerk/console/motions/{scene.motion_id}/roll-call"
    with gunicorn(tmp_path, database) as (address, master):
        clerk = Clerk(address, f"/clerk/meetings/{scene.meeting_id}/console")
        workers = children(master)
        assert len(workers) == 2
        with roll_call_held(database) as waits_mid_roll_call:
            in_flight = RollCallInFlight(address, clerk, path, ballots)
            in_flight.start()
            server_port = int(address.split(":")[1])
            worker = wait_for(
                lambda: worker_serving(master, server_port, in_flight.client_port),
                "a worker to take the roll call",
            )
            assert isinstance(worker, int)
            waits_mid_roll_call(worker)
            os.kill(worker, signal.SIGKILL)
            in_flight.join(timeout=30)
        # The clerk's browser saw the connection drop, not an answer.
        dropped = {"RemoteDisconnected", "ConnectionResetError"}
        assert in_flight.outcome in dropped, in_flight.outcome
        # Nothing of the roll call is stored: no vote, no ballot, no audit event.
        assert stored(app, scene.motion_id) == (0, 0, 0)
        # gunicorn replaced the worker and serves on; the clerk records the roll call again.
        wait_for(lambda: len(children(master) - {worker}) == 2, "gunicorn to replace the worker")
        assert get(f"http://{address}/healthz") == 200
        assert clerk.post(path, ballots) == 302
    assert stored(app, scene.motion_id) == (1, SEATS, 1)
    with app.app_context():
        verified = app.test_cli_runner().invoke(args=["verify"])
        db.session.remove()
    assert verified.exit_code == 0, verified.output
    assert "The record verifies" in verified.output
