"""Two gunicorn app servers on one fresh PostgreSQL database and one Redis, as a city runs them
behind a proxy; both are stopped, the database dropped and the Redis keys removed afterwards."""

from __future__ import annotations

import os
import random
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis
import sqlalchemy as sa

from tests.conftest import (
    NO_REDIS,
    PG_SERVER_URL,
    REDIS_SERVER_URL,
    redis_available,
    require,
)
from tests.deploy.browsing import Server

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CLAIM = "agenda-test:claimed"
STARTUP_SECONDS = 30


@dataclass(frozen=True)
class City:
    """The deployment under test: its two app servers and what they share."""

    a: Server
    b: Server
    database_url: str
    redis_url: str


def claim_redis_database() -> int:
    """Return the number of an empty Redis database, marked as ours until `release`."""
    for number in random.sample(range(1, 16), 15):
        with redis.Redis.from_url(f"{REDIS_SERVER_URL}/{number}") as client:
            if client.dbsize() == 0 and client.set(CLAIM, "1", nx=True, ex=3600):
                return number
    raise RuntimeError(f"no empty database on the Redis server at {REDIS_SERVER_URL}")


def release_redis_database(number: int) -> None:
    """Delete what this run wrote: the sign-in limiter's counters, then the claim."""
    with redis.Redis.from_url(f"{REDIS_SERVER_URL}/{number}") as client:
        keys = list(client.scan_iter("LIMITS*"))
        if keys:
            client.delete(*keys)
        client.delete(CLAIM)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"


def healthy(server: Server) -> bool:
    try:
        with urllib.request.urlopen(f"{server.base}/healthz", timeout=2) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def start(name: str, env: dict[str, str], logs: Path, stack: ExitStack) -> tuple[Server, Path]:
    """Start one gunicorn with two workers; it is stopped when `stack` closes."""
    server, log_path = Server(name, free_port()), logs / f"gunicorn-{name}.log"
    log = stack.enter_context(log_path.open("w"))
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{server.port}",
         "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    stack.callback(stop)
    return server, log_path


def wait_until_healthy(started: list[tuple[Server, Path]]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    waiting = list(started)
    while waiting:
        waiting = [(server, log) for server, log in waiting if not healthy(server)]
        if waiting and time.monotonic() > deadline:
            server, log = waiting[0]
            raise RuntimeError(
                f"app server {server.name} never answered /healthz:\n" + log.read_text()
            )
        time.sleep(0.1)


@pytest.fixture(scope="module")
def city(
    pg_database: Callable[..., str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[City]:
    """Migrate a fresh database, load the demo, and serve it from two app servers."""
    require(redis_available(), NO_REDIS)
    folder = tmp_path_factory.mktemp("two-servers")
    with ExitStack() as stack:
        database_url = pg_database()
        stack.callback(drop_database, database_url)  # runs last: after both servers stopped
        number = claim_redis_database()
        stack.callback(release_redis_database, number)
        redis_url = f"{REDIS_SERVER_URL}/{number}"
        env = {
            **os.environ,
            "AGENDA_INSTANCE": str(folder),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SECRET_KEY": secrets.token_hex(32),  # one key, shared by both servers
            "PASSWORD_HASH_PROFILE": "test",
        }
        run([str(BIN / "flask"), "--app", "agenda", "db", "upgrade"], env)
        run([str(BIN / "flask"), "--app", "agenda", "demo", "load"], env)
        started = [start(name, env, folder, stack) for name in ("A", "B")]
        wait_until_healthy(started)
        yield City(started[0][0], started[1][0], database_url, redis_url)


def drop_database(url: str) -> None:
    name = sa.make_url(url).database
    with suppress(psycopg.Error), psycopg.connect(PG_SERVER_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
