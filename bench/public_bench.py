"""The public pages' speed floors (issue 14), measured in one run with `wrk -t2 -c16` against
gunicorn with 2 workers serving the demo on SQLite as `make run` does: the 287(g) meeting page
against a hello-world route (floor 0.5), `/meetings/<id>/minutes.pdf` against the same
minutes at `/documents/<sha256>.pdf` (floor 0.9), and the lists, a person, a body and search
for information. Every answer must be 2xx. Run it with `make bench-public`."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))  # per address, over all rounds
ROUNDS = 10
WORKERS = 2
HELLO = "/_bench/hello"
# (numerator, denominator, floor): the ratios of requests per second the issue asks for.
FLOORS = [
    ("287(g) meeting page", "hello-world route", 0.5),
    ("minutes.pdf", "the same minutes at /documents", 0.9),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_instance(instance: Path) -> dict[str, str]:
    """Migrate and load the demo in a fresh instance folder, as `make run` does."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["AGENDA_INSTANCE"] = str(instance)
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "secret_key").write_text(uuid.uuid4().hex * 2)
    for command in (["db", "upgrade"], ["demo", "load"]):
        done = subprocess.run([str(BIN / "flask"), "--app", "agenda", *command], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
        assert done.returncode == 0, done.stderr
    return env


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 (our own server)
            answer.read()
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


@contextmanager
def gunicorn(
    env: dict[str, str], log: Path, target: str = "bench.hello_wsgi:app"
) -> Iterator[tuple[str, int]]:
    """Serve bench.hello_wsgi:app (the product's app plus the hello route) with 2 workers."""
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
             target],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while get(base + HELLO) != 200:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            yield base, server.pid
        finally:
            server.terminate()
            server.wait(timeout=30)


def addresses(database: Path) -> dict[str, str]:
    """Find the demo's 287(g) meeting, its approved minutes, Kaufman and the commission."""
    with sqlite3.connect(database) as conn:
        meeting_id, body_id = conn.execute(
            "SELECT s.meeting_id, m.body_id FROM agenda_items i JOIN agenda_sections s "
            "ON s.id = i.section_id JOIN matters t ON t.id = i.matter_id JOIN meetings m "
            "ON m.id = s.meeting_id WHERE t.title LIKE 'A Resolution%terminating%287(g)%'"
        ).fetchone()
        digest = conn.execute(
            "SELECT r.pdf_sha256 FROM minutes_revisions r JOIN minutes n ON n.id = r.minutes_id "
            "WHERE n.meeting_id = ? AND r.pdf_sha256 IS NOT NULL ORDER BY r.id DESC LIMIT 1",
            (meeting_id,),
        ).fetchone()[0]
        (person_id,) = conn.execute("SELECT id FROM people WHERE name LIKE '%Kaufman'").fetchone()
    return {
        "hello-world route": HELLO,
        "287(g) meeting page": f"/meetings/{meeting_id}",
        "minutes.pdf": f"/meetings/{meeting_id}/minutes.pdf",
        "the same minutes at /documents": f"/documents/{digest}.pdf",
        "meetings list": "/meetings",
        "people list": "/people",
        "Kaufman's page": f"/people/{person_id}",
        "the commission's page": f"/bodies/{body_id}",
        "search 287(g)": "/search?q=287%28g%29",
    }


@dataclass
class Figures:
    """One address's figures over every round: requests, seconds, bad answers."""

    requests: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    not_2xx: int = 0
    socket_errors: list[str] = field(default_factory=list)
    rates: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_us(self) -> float:
        """The workers' CPU time per answer, which other work on the machine leaves alone."""
        return self.cpu_seconds / self.requests * 1e6


def workers_cpu(master: int) -> float:
    """Return the CPU seconds (user and system) the master's workers have used so far."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime and stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def wrk(
    url: str, seconds: int, master: int, figures: Figures, headers: tuple[str, ...] = ()
) -> None:
    """Run `wrk -t2 -c16` on one address (with `headers`, "Name: value"); add its requests
    and bad answers to `figures`."""
    cpu = workers_cpu(master)
    sent = [part for header in headers for part in ("-H", header)]
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "30s", *sent, url]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    elapsed = float(done[2]) / (1000 if done[3] == "ms" else 1)
    figures.requests += int(done[1])
    figures.seconds += elapsed
    figures.rates.append(int(done[1]) / elapsed)
    figures.cpu_seconds += workers_cpu(master) - cpu
    # wrk prints the line only when some answer was neither 2xx nor 3xx; no answer of these
    # addresses is a 3xx (checked before), so its count is the non-2xx count.
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        figures.not_2xx += int(found[1])
    if errors := re.search(r"Socket errors: (.*)", out):
        figures.socket_errors.append(errors[1])


def measure(base: str, master: int, paths: dict[str, str]) -> dict[str, Figures]:
    """Give every address SECONDS of wrk in ROUNDS turns, each round visiting all of them.

    On a shared machine the load of other work comes and goes: interleaving puts each floor's
    two addresses side by side in time, and every other round goes the other way round, so
    a load that grows or fades through the run weighs on both alike.
    """
    figures = {label: Figures() for label in paths}
    for turn in range(ROUNDS):
        order = list(paths.items())
        for label, path in order if turn % 2 == 0 else reversed(order):
            wrk(base + path, SECONDS // ROUNDS, master, figures[label])
    return figures


def main() -> int:
    """Load the demo, serve it, and measure each address in turn; exit 1 if a floor is missed."""
    with tempfile.TemporaryDirectory(prefix="agenda-floors-") as tmp:
        instance = Path(tmp) / "instance"
        env = demo_instance(instance)
        paths = addresses(instance / "agenda.sqlite")
        with gunicorn(env, Path(tmp) / "gunicorn.log") as (base, master):
            for label, path in paths.items():
                # Each address answers 200 (never a redirect), and each worker has seen it.
                statuses = {get(base + path) for _ in range(4 * WORKERS)}
                assert statuses == {200}, f"{label} {path} answered {statuses}"
            figures = measure(base, master, paths)
    hello = figures["hello-world route"].rate
    print(f"wrk -t2 -c16, {SECONDS} s per address in {ROUNDS} interleaved rounds, "
          f"gunicorn --workers {WORKERS}, the demo on SQLite")  # fmt: skip
    print(f"{'address':<30} {'requests/s':>10} {'x hello':>8} {'CPU us':>7} {'non-2xx':>8}  path")
    for label, path in paths.items():
        f = figures[label]
        print(f"{label:<30} {f.rate:>10.0f} {f.rate / hello:>8.2f} {f.cpu_us:>7.0f} "
              f"{f.not_2xx:>8}  {path}")  # fmt: skip
        if bad := [e for e in f.socket_errors if e != "none"]:
            print(f"  socket errors: {'; '.join(bad)}")
    failed = [label for label, f in figures.items() if f.not_2xx]
    for top, bottom, floor in FLOORS:
        rounds = [a / b for a, b in zip(figures[top].rates, figures[bottom].rates, strict=True)]
        ratio = figures[top].rate / figures[bottom].rate
        verdict = "ok" if ratio >= floor else "MISSED"
        spread = ", ".join(f"{r:.2f}" for r in rounds)
        by_cpu = figures[bottom].cpu_us / figures[top].cpu_us
        print(f"{top} / {bottom}: {ratio:.2f} (floor {floor}) {verdict}; rounds {spread}; "
              f"by the workers' CPU per answer {by_cpu:.2f}")  # fmt: skip
        if ratio < floor:
            failed.append(top)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
