"""Minutes: the app's PDF against WeasyPrint on the same HTML, and download throughput.

Run with `.venv/bin/python bench/minutes_bench.py` (needs `wrk` for the download part).
"""

from __future__ import annotations

import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import weasyprint  # noqa: E402
from flask import render_template  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from agenda import create_app  # noqa: E402
from agenda.bodies.models import Body, Membership, Person  # noqa: E402
from agenda.documents.fetcher import INTERNAL_BASE_URL  # noqa: E402
from agenda.documents.operations import load_blob  # noqa: E402
from agenda.documents.render import FONT_CONFIG, default_fetcher  # noqa: E402
from agenda.extensions import db  # noqa: E402
from agenda.meetings.models import AgendaItem, Meeting  # noqa: E402
from agenda.meetings.operations import add_item, create_meeting, section_titled  # noqa: E402
from agenda.meetings.publishing import publish_meeting  # noqa: E402
from agenda.meetings.rules import Disposition, MeetingType  # noqa: E402
from agenda.meetings.session import adjourn, call_to_order, record_attendance  # noqa: E402
from agenda.minutes.documents import minutes_context, render_minutes_pdf  # noqa: E402
from agenda.minutes.operations import save_draft  # noqa: E402
from agenda.minutes.queries import revisions_of  # noqa: E402
from agenda.votes.operations import move_motion, record_roll_call  # noqa: E402
from agenda.votes.outcomes import set_disposition  # noqa: E402
from agenda.votes.rules import (  # noqa: E402
    AttendanceStatus,
    Ballot,
    BallotValue,
    MotionKind,
    Threshold,
)

ITEMS, ROLL_CALLS, RUNS = 100, 60, 5
START = datetime(2026, 7, 7, 21, tzinfo=UTC)


def build(app) -> tuple[int, int]:
    """Create a 100-item meeting with 60 roll calls and draft minutes; return its id and a later."""
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
    for n, item in enumerate(items[:ROLL_CALLS]):
        at = START + timedelta(minutes=n + 1)
        motion = move_motion(item, kind=MotionKind.MAIN, text="Move to adopt.", actor=None,
                             mover_id=people[0].id, seconder_id=people[1].id, at=at,
                             threshold=Threshold.MAJORITY_PRESENT)  # fmt: skip
        ballots = [Ballot(p.id, BallotValue.NO if i == n % 7 else BallotValue.YES)
                   for i, p in enumerate(people)]  # fmt: skip
        record_roll_call(motion, ballots, actor=None, at=at)
    adjourn(meeting, actor=None, at=START + timedelta(hours=4))
    notes = {item.id: f"Discussion of item {n} was brief." for n, item in enumerate(items)}
    save_draft(meeting, meeting_notes="Bench minutes.", item_notes=notes, actor=None)
    later = create_meeting(body, meeting_type=MeetingType.REGULAR, location="City Hall",
                           scheduled_at=START + timedelta(days=14), actor=None)  # fmt: skip
    approval = add_item(section_titled(later, "Approval of minutes"), title="Minutes",
                        minutes_of=[meeting], actor=None)  # fmt: skip
    publish_meeting(later, actor=None, now=START)
    call_to_order(later, actor=None, at=later.scheduled_at)
    for person in people:
        record_attendance(later, person.id, status=AttendanceStatus.PRESENT, actor=None)
    at = later.scheduled_at + timedelta(minutes=5)
    motion = move_motion(approval, kind=MotionKind.MAIN, text="Approve.", actor=None, at=at,
                         mover_id=people[2].id, seconder_id=people[3].id)  # fmt: skip
    record_roll_call(motion, [Ballot(p.id, BallotValue.YES) for p in people], actor=None, at=at)
    db.session.commit()
    return meeting.id, approval.id


def timed(function, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def render_numbers(app, meeting_id: int) -> None:
    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting_id)
        revision = revisions_of(meeting_id)[0]
        render_minutes_pdf(meeting, revision)  # warm fonts and templates
        app_times, plain_times = [], []
        for _ in range(RUNS):
            db.session.expire_all()
            meeting = db.session.get(Meeting, meeting_id)
            seconds, _ = timed(render_minutes_pdf, meeting, revision)
            app_times.append(seconds)
            html = render_template(
                "pdf/minutes.html",
                static_base=f"{INTERNAL_BASE_URL}static/",
                **minutes_context(meeting, revision),
            )
            fetcher = default_fetcher(ROOT / "static")
            document = weasyprint.HTML(string=html, base_url=INTERNAL_BASE_URL, url_fetcher=fetcher)
            seconds, _ = timed(
                lambda d=document: d.write_pdf(font_config=FONT_CONFIG, pdf_variant="pdf/ua-1")
            )
            plain_times.append(seconds)
        pages = len(weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=INTERNAL_BASE_URL)
                    .render(font_config=FONT_CONFIG).pages)  # fmt: skip
    app_s, plain_s = statistics.median(app_times), statistics.median(plain_times)
    print(f"minutes PDF, {ITEMS} items, {ROLL_CALLS} roll calls, {pages} pages, tagged")
    print(f"  app render_minutes_pdf: {app_s:.2f} s ({pages / app_s:.1f} pages/s)")
    print(f"  WeasyPrint on the same HTML: {plain_s:.2f} s ({pages / plain_s:.1f} pages/s)")
    print(f"  ratio app/WeasyPrint: {app_s / plain_s:.2f} (floor 1.15)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"  peak RSS of this process: {peak} MB")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str) -> float:
    out = subprocess.run(["wrk", "-t2", "-c16", "-d8s", url], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("Requests/sec"))
    return float(line.split()[1])


def throughput(env: dict[str, str], digest: str, pdf: bytes) -> None:
    if shutil.which("wrk") is None:
        print("download throughput: skipped, install wrk (apt-get install wrk)")
        return
    static_copy = ROOT / "static" / "bench-minutes.pdf"
    static_copy.write_bytes(pdf)
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        app_rate = wrk(f"{base}/documents/{digest}.pdf")
        static_rate = wrk(f"{base}/static/bench-minutes.pdf")
        print(f"download of the approved minutes PDF ({len(pdf) // 1024} KB), gunicorn 2 workers:")
        print(f"  app /documents/<sha256>.pdf: {app_rate:.0f} requests/s")
        print(f"  same gunicorn, static file: {static_rate:.0f} requests/s")
        print(f"  ratio app/static: {app_rate / static_rate:.2f} (floor 0.8)")
    finally:
        server.terminate()
        server.wait(timeout=10)
        static_copy.unlink(missing_ok=True)


def main() -> None:
    """Build the meeting, time the renders, approve the minutes, measure downloads."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            meeting_id, approval_id = build(app)
        render_numbers(app, meeting_id)
        with app.app_context():
            approval = db.session.get(AgendaItem, approval_id)
            set_disposition(approval, Disposition.ADOPTED, motion=approval.motions[0], actor=None)
            db.session.commit()
            revision = revisions_of(meeting_id)[0]
            digest = revision.pdf_sha256
            pdf = load_blob(digest) or b""
        env = {**os.environ, "SECRET_KEY": "bench", "DATABASE_URL": url,
               "AGENDA_INSTANCE": tmp}  # fmt: skip
        throughput(env, digest, pdf)


if __name__ == "__main__":
    main()
