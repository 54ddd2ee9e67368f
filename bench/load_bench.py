"""Load and faults (issue 13), over real gunicorn on loopback, each part bounded in time:
roll calls recorded through the console while wrk reads public pages, on PostgreSQL (4
workers, 1,000 roll calls) and on SQLite as `make run` serves it (2 workers, 200), then a
private PostgreSQL cluster restarted under load. Run it with `make bench-load`."""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_SERVER_URL = os.environ.get("PG_SERVER_URL", "postgresql://root@127.0.0.1:5432/test")
CLERK = {"email": "clerk@demo.agenda.test", "password": "demo-clerk-password"}
CLERKS = 2  # two consoles at once, each on its own items
PART_SECONDS = 900  # no part runs longer than this
WRK_LUA = """
local paths = {%s}
local i, threads = 0, {}
server_errors = 0  -- a global, so done() can read each thread's count with get()
function setup(thread) table.insert(threads, thread) end
function request() i = i %% #paths + 1; return wrk.format("GET", paths[i]) end
function response(status) if status >= 500 then server_errors = server_errors + 1 end end
function done()
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("server_errors") end
  io.write(string.format("5xx responses: %%d\\n", total))
end
"""
# What is stored for the staged meeting; "events" counts every roll call's audit event.
COUNTS = {
    "motions": "SELECT count(*) FROM motions mo JOIN agenda_items i ON i.id = mo.agenda_item_id "
    "JOIN agenda_sections s ON s.id = i.section_id WHERE s.meeting_id = :m",
    "votes": "SELECT count(*) FROM votes v JOIN motions mo ON mo.id = v.motion_id "
    "JOIN agenda_items i ON i.id = mo.agenda_item_id "
    "JOIN agenda_sections s ON s.id = i.section_id WHERE s.meeting_id = :m",
    "ballots": "SELECT count(*) FROM ballots b JOIN votes v ON v.id = b.vote_id "
    "JOIN motions mo ON mo.id = v.motion_id JOIN agenda_items i ON i.id = mo.agenda_item_id "
    "JOIN agenda_sections s ON s.id = i.section_id WHERE s.meeting_id = :m",
    "events": "SELECT count(*) FROM audit_events WHERE action = 'vote.record'",
    "events_per_vote_max": "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n "
    "FROM audit_events WHERE action = 'vote.record' GROUP BY object_id) AS e",
}


class Session:
    """One visitor over HTTP: keeps cookies, never follows redirects; status 0 = no answer."""

    def __init__(self, base: str) -> None:
        self.base = base
        no_redirect = type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                           {"redirect_request": lambda *a: None})  # fmt: skip
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), no_redirect
        )
        self.token = ""

    def send(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Return status, body and Location of a GET (or a POST of `form` with the token)."""
        data = None
        if form is not None:
            data = urllib.parse.urlencode({**form, "csrf_token": self.token}).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as answer:
                return answer.status, answer.read().decode(), ""
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.headers["Location"]
        except OSError:
            return 0, "", ""

    def sign_in(self) -> None:
        _, page, _ = self.send("/login")
        self.token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)[1]
        status, _, _ = self.send("/login", CLERK)
        assert status == 302, f"the clerk could not sign in ({status})"
        # The session's token is good for every form of the session (no time limit).
        _, page, _ = self.send("/clerk/")
        self.token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "flask"), "--app", "agenda", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=False)  # fmt: skip


def demo_env(instance: Path, database_url: str | None) -> dict[str, str]:
    """The environment of `make demo` and `make run`: a migrated demo in `instance`."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"AGENDA_INSTANCE": str(instance)}
    if database_url:
        env["DATABASE_URL"] = database_url
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "secret_key").write_text(uuid.uuid4().hex * 2)
    for command in (["db", "upgrade"], ["demo", "load"]):
        done = flask(env, *command)
        assert done.returncode == 0, done.stderr
    return env


@contextmanager
def gunicorn(env: dict[str, str], workers: int, log: Path) -> Iterator[str]:
    """Serve wsgi:app as `make run` does, the access log giving each answer's worker pid."""
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
             "--access-logfile", "-", "--access-logformat", "%(p)s %(s)s %(m)s %(U)s", "wsgi:app"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while Session(base).send("/healthz")[0] != 200:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


@dataclass
class Stage:
    """The demo's upcoming meeting, in session with everyone present, and what wrk reads."""

    meeting_id: int
    items: list[int]
    people: list[int]
    reads: list[str]


def stage(database_url: str, base: str) -> Stage:
    """Find the demo's upcoming regular meeting; call it to order through the console."""
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        meeting_id = conn.execute(sa.text(
            "SELECT m.id FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE b.slug = "
            "'key-west-city-commission' AND m.status = 'published' AND m.meeting_type = 'regular'"
            " ORDER BY m.scheduled_at LIMIT 1")).scalar_one()  # fmt: skip
        items = list(conn.execute(sa.text(
            "SELECT i.id FROM agenda_items i JOIN agenda_sections s ON s.id = i.section_id "
            "WHERE s.meeting_id = :m AND s.title IN ('Resolutions', 'Ordinances') ORDER BY i.id"
        ), {"m": meeting_id}).scalars())  # fmt: skip
        people = list(conn.execute(sa.text(
            "SELECT ms.person_id FROM memberships ms JOIN meetings m ON m.body_id = ms.body_id "
            "WHERE m.id = :m ORDER BY ms.seat"), {"m": meeting_id}).scalars())  # fmt: skip
        # wrk reads the 287(g) meeting: a finished meeting keeps its size while clerks record.
        voted = conn.execute(sa.text(
            "SELECT m.id FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE b.slug = "
            "'key-west-city-commission' AND m.status = 'adjourned' AND m.meeting_type = 'regular'"
            " ORDER BY m.scheduled_at DESC LIMIT 1")).scalar_one()  # fmt: skip
        document = conn.execute(sa.text(
            "SELECT a.id, a.filename FROM attachments a JOIN agenda_items i "
            "ON i.matter_id = a.matter_id JOIN agenda_sections s ON s.id = i.section_id "
            "WHERE s.meeting_id = :m ORDER BY a.id LIMIT 1"), {"m": meeting_id}).one()  # fmt: skip
    engine.dispose()
    clerk = Session(base)
    clerk.sign_in()
    console = f"/clerk/meetings/{meeting_id}/console"
    early = {"call-early_reason": "Load benchmark: the meeting is held early."}
    assert clerk.send(f"{console}/call-to-order", early)[0] == 302
    assert clerk.send(f"{console}/attendance", {"everyone_present": "1"})[0] == 302
    doc = f"/attachments/{document.id}/{urllib.parse.quote(document.filename)}"
    reads = [f"/meetings/{voted}", "/", doc]
    return Stage(meeting_id, items, people, reads)


@dataclass
class Clerks:
    """What the clerks' consoles saw: roll-call times and every answer's status."""

    seconds: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    recorded: int = 0


def record(base: str, where: Stage, items: list[int], count: int, seen: Clerks) -> None:
    """Move a motion, then record its roll call (all yes), `count` times, as one clerk."""
    clerk = Session(base)
    clerk.sign_in()
    mover, seconder = where.people[1], where.people[2]
    ballots = {f"vote-{p}": "yes" for p in where.people}
    deadline = time.monotonic() + PART_SECONDS
    for n in range(count):
        if time.monotonic() > deadline:
            return
        motion = {"motion-kind": "main", "motion-threshold": "", "motion-mover": str(mover),
                  "motion-seconder": str(seconder), "motion-text": f"Move ({n})."}  # fmt: skip
        item = items[n % len(items)]
        status, _, location = clerk.send(f"/clerk/console/items/{item}/motions", motion)
        seen.statuses[status] += 1
        if status != 302:
            continue
        motion_id = re.search(r"#motion-(\d+)$", location)[1]
        start = time.perf_counter()
        status, _, _ = clerk.send(f"/clerk/console/motions/{motion_id}/roll-call", ballots)
        seen.seconds.append(time.perf_counter() - start)
        seen.statuses[status] += 1
        seen.recorded += status == 302


@dataclass
class Wrk:
    """wrk's figures: requests per second, answers not 2xx/3xx, 5xx, socket errors."""

    rate: float = 0.0
    requests: int = 0
    not_ok: int = 0
    server_errors: int = 0
    socket_errors: str = "none"


@contextmanager
def wrk_reading(base: str, paths: list[str], folder: Path) -> Iterator[Wrk]:
    """Run `wrk -t2 -c16` over `paths` until the block ends; fill in its figures then."""
    script = folder / "reads.lua"
    script.write_text(WRK_LUA % ", ".join(f'"{p}"' for p in paths))
    reader = subprocess.Popen(
        ["wrk", "-t2", "-c16", f"-d{PART_SECONDS}s", "--timeout", "30s", "-s", str(script), base],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    figures = Wrk()
    try:
        yield figures
    finally:
        reader.send_signal(signal.SIGINT)  # wrk stops and prints what it measured
        out = reader.communicate(timeout=60)[0]
        figures.rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
        figures.requests = int(re.search(r"(\d+) requests in", out)[1])
        if found := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
            figures.not_ok = int(found[1])
        figures.server_errors = int(re.search(r"5xx responses: (\d+)", out)[1])
        if found := re.search(r"Socket errors: (.*)", out):
            figures.socket_errors = found[1]


def stored(database_url: str, meeting_id: int) -> dict[str, int]:
    """Count the meeting's motions, votes, ballots and votes' audit events in the database."""
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        counts = {k: conn.execute(sa.text(q), {"m": meeting_id}).scalar_one()
                  for k, q in COUNTS.items()}  # fmt: skip
    engine.dispose()
    return counts


@dataclass
class Run:
    """One roll-call run's figures, for the table."""

    label: str
    wanted: int
    clerks: Clerks
    reads: Wrk
    counts: dict[str, int]
    verified: bool
    locked: int
    log_5xx: int
    live_page: int  # bytes of the meeting page holding every roll call, and its time alone
    live_seconds: float


def roll_calls(label: str, env: dict[str, str], url: str, workers: int, count: int,
               folder: Path) -> Run:  # fmt: skip
    """Serve, stage the meeting, record `count` roll calls under wrk, then check the record."""
    log = folder / "server.log"
    with gunicorn(env, workers, log) as base:
        where = stage(url, base)
        before = stored(url, where.meeting_id)
        seen = Clerks()
        with wrk_reading(base, where.reads, folder) as reads:
            clerks = [threading.Thread(target=record, args=(base, where, where.items[k::CLERKS],
                                                            count // CLERKS, seen))
                      for k in range(CLERKS)]  # fmt: skip
            for clerk in clerks:
                clerk.start()
            for clerk in clerks:
                clerk.join()
        start = time.perf_counter()
        live_page = len(Session(base).send(f"/meetings/{where.meeting_id}")[1].encode())
        live_seconds = time.perf_counter() - start
    counts = stored(url, where.meeting_id)
    counts["events"] -= before["events"]
    text = log.read_text()
    access_5xx = len(re.findall(r"^<\d+> 5\d\d ", text, re.M))
    return Run(label, count, seen, reads, counts, flask(env, "verify").returncode == 0,
               text.count("database is locked"), access_5xx, live_page, live_seconds)  # fmt: skip


def check(run: Run) -> list[str]:
    """Say what misses the targets (empty when all are met)."""
    c, misses = run.counts, []
    if run.clerks.recorded != run.wanted or c["votes"] != run.wanted:
        misses.append(f"{run.clerks.recorded} roll calls answered, {c['votes']} stored")
    if not (c["motions"] == c["votes"] == c["events"] and c["ballots"] == 7 * c["votes"]):
        misses.append(f"not stored exactly once: {c}")
    if c["events_per_vote_max"] > 1:
        misses.append("a vote has two audit events")
    server_errors = sum(n for s, n in run.clerks.statuses.items() if s >= 500 or s == 0)
    if run.reads.server_errors or server_errors or run.log_5xx:
        misses.append(f"5xx: wrk {run.reads.server_errors}, clerks {server_errors}")
    if run.locked:
        misses.append(f'"database is locked" {run.locked} times in the server log')
    if not run.verified:
        misses.append("flask verify failed")
    return misses


def report(runs: list[Run]) -> None:
    print("\n| database | workers' run | roll calls stored | exactly once | 5xx (wrk/clerks/log) "
          "| not 2xx/3xx (wrk) | 'database is locked' | verify | reads/s (wrk) "
          "| roll call median / p95 |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for run in runs:
        ms = sorted(s * 1000 for s in run.clerks.seconds) or [0.0]
        c = run.counts
        once = c["motions"] == c["votes"] == c["events"] and c["ballots"] == 7 * c["votes"]
        clerk_5xx = sum(n for s, n in run.clerks.statuses.items() if s >= 500 or s == 0)
        print(f"| {run.label} | {run.wanted} asked | {c['votes']} ({c['ballots']} ballots, "
              f"{c['events']} events) | {'yes' if once else 'NO'} | {run.reads.server_errors}/"
              f"{clerk_5xx}/{run.log_5xx} | {run.reads.not_ok} of {run.reads.requests} | "
              f"{run.locked} | {'passes' if run.verified else 'FAILS'} | {run.reads.rate:.0f} | "
              f"{statistics.median(ms):.0f} / {ms[int(len(ms) * 0.95) - 1]:.0f} ms |")  # fmt: skip
    for run in runs:
        misses = check(run)
        print(f"{run.label}: " + ("all targets met" if not misses else "; ".join(misses)))
        print(f"  clerks' answers by status: {dict(run.clerks.statuses)}; "
              f"wrk socket errors: {run.reads.socket_errors}; the public page of the meeting "
              f"with every roll call: {run.live_page / 1024:.0f} KB in {run.live_seconds:.2f} s "
              "(wrk stopped)")  # fmt: skip


def postgres_run(folder: Path, count: int) -> Run:
    name = f"agenda_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_SERVER_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = sa.make_url(PG_SERVER_URL).set(drivername="postgresql+psycopg", database=name)
    url_text = url.render_as_string(hide_password=False)
    try:
        env = demo_env(folder / "instance", url_text)
        return roll_calls("PostgreSQL, 4 workers", env, url_text, 4, count, folder)
    finally:
        with psycopg.connect(PG_SERVER_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite_run(folder: Path, count: int) -> Run:
    instance = folder / "instance"
    env = demo_env(instance, None)
    url = f"sqlite:///{instance / 'agenda.sqlite'}"
    return roll_calls("SQLite, make run (2 workers)", env, url, 2, count, folder)


def pg_tool(name: str) -> str | None:
    """Return the newest Debian PostgreSQL binary `name`, or one on PATH."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda p: int(Path(p).parts[-3]))  # fmt: skip
    return found[-1] if found else shutil.which(name)


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def private_cluster() -> Iterator[tuple[str, list[str]]]:
    """A throwaway PostgreSQL cluster on a free port; yield its URL and its pg_ctl command."""
    folder = Path(tempfile.mkdtemp(prefix="agenda-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    port = free_port()
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    ctl = as_postgres([str(pg_tool("pg_ctl")), "-D", str(folder / "data"),
                       "-l", str(folder / "postgres.log"), "-o", options])  # fmt: skip
    try:
        subprocess.run(as_postgres([str(pg_tool("initdb")), "-D", str(folder / "data"), "-A",
                                    "trust", "-U", "postgres", "--no-sync"]),
                       check=True, capture_output=True, timeout=120)  # fmt: skip
        subprocess.run([*ctl, "-w", "start"], check=True, capture_output=True, timeout=60)
        server = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute("CREATE DATABASE agenda")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/agenda", ctl
    finally:
        subprocess.run([*ctl, "-m", "immediate", "stop"], capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Answer:
    started: float
    ended: float
    status: int


def read_until(base: str, paths: list[str], stop: threading.Event, answers: list[Answer]) -> None:
    """Read public pages back to back, as one wrk connection does, noting every answer."""
    reader, n = Session(base), 0
    while not stop.is_set():
        started = time.monotonic()
        status = reader.send(paths[n % len(paths)])[0]
        answers.append(Answer(started, time.monotonic(), status))
        n += 1


def restart_under_load(folder: Path, readers: int = 8) -> None:
    """Restart a private PostgreSQL under load; count failed answers per worker and downtime."""
    if pg_tool("pg_ctl") is None or pg_tool("initdb") is None:
        print("\nPostgreSQL restarted under load: skipped, no initdb/pg_ctl installed")
        return
    folder.mkdir()
    log, answers, stop = folder / "server.log", [], threading.Event()
    with private_cluster() as (url, ctl), gunicorn(demo_env(folder / "i", url), 4, log) as base:
        paths = stage(url, base).reads[:2]  # the meeting page and home: both read the database
        threads = [threading.Thread(target=read_until, args=(base, paths, stop, answers))
                   for _ in range(readers)]  # fmt: skip
        for thread in threads:
            thread.start()
        time.sleep(3)  # every worker has its pooled connections
        began = time.monotonic()
        subprocess.run([*ctl, "-m", "fast", "-w", "restart"], check=True, capture_output=True)
        restarted = time.monotonic()
        time.sleep(8)
        stop.set()
        for thread in threads:
            thread.join()
    failed = [a for a in answers if a.status != 200]
    lines = re.findall(r"^<(\d+)> (\d{3}) ", log.read_text(), re.M)
    served = Counter(pid for pid, _ in lines)
    per_worker = Counter(pid for pid, status in lines if status >= "500")
    back_from = max([restarted, *(a.ended for a in failed)])
    again = min((a.ended for a in answers if a.status == 200 and a.started >= back_from),
                default=float("nan"))  # fmt: skip
    window = [a for a in answers if a.ended >= began and a.started <= again]
    slowest = max((a.ended - a.started for a in window), default=0.0)
    print(f"\nPostgreSQL restarted under load ({len(served)} workers, {readers} readers): "
          f"`pg_ctl restart -m fast` took {restarted - began:.2f} s")  # fmt: skip
    print(f"  {len(answers)} answers, {len(failed)} failed "
          f"(statuses {dict(Counter(a.status for a in failed))}; 5xx per worker pid "
          f"{dict(per_worker) or 'none'}; answers per worker {dict(served)})")  # fmt: skip
    print(f"  serving again {again - began:.2f} s after the restart began; "
          f"slowest answer in that window {slowest:.2f} s")  # fmt: skip
    worst = max(per_worker.values(), default=0)
    no_answer = sum(a.status == 0 for a in failed)
    met = worst <= 1 and no_answer == 0 and again - began <= 5
    print(f"  target (at most 1 failed per worker, serving within 5 s): "
          f"{'met' if met else 'MISSED'}")  # fmt: skip


def main() -> None:
    """Run the parts named in LOAD_PARTS (all by default) and print their figures."""
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    parts = os.environ.get("LOAD_PARTS", "postgresql,sqlite,restart").split(",")
    counts = {"postgresql": int(os.environ.get("LOAD_PG_ROLL_CALLS", "1000")),
              "sqlite": int(os.environ.get("LOAD_SQLITE_ROLL_CALLS", "200"))}  # fmt: skip
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, part in (("postgresql", postgres_run), ("sqlite", sqlite_run)):
            if name in parts:
                (Path(tmp) / name).mkdir()
                started = time.monotonic()
                runs.append(part(Path(tmp) / name, counts[name]))
                print(f"{runs[-1].label}: done in {time.monotonic() - started:.0f} s", flush=True)
        if runs:
            report(runs)
        if "restart" in parts:
            restart_under_load(Path(tmp) / "restart")


if __name__ == "__main__":
    main()
