"""What the load benchmarks share: the platform prepared with invitations and served by gunicorn on a
free loopback port, the server's processes and CPU, the database behind it, and respondents shared out
among client threads.

Used by respond_benchmark.py, faults_benchmark.py and tests/test_load_faults.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from survey.invitations.operations import Contact, create_invitations
from survey.waves.operations import create_wave, store_edition

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
PLATFORM_APP = "survey:create_app()"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: the master's child processes."""
    pgrep = shutil.which("pgrep") or "/usr/bin/pgrep"
    found = subprocess.run([pgrep, "-P", str(master)], capture_output=True, text=True, check=False)  # noqa: S603
    return [int(pid) for pid in found.stdout.split()]


def cpu_seconds(master: int) -> float:
    """User + system CPU of the gunicorn master and its workers."""
    total = 0
    for pid in [master, *worker_pids(master)]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a worker that ended meanwhile
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def start_gunicorn(app: str, env: dict, workers: int) -> tuple[subprocess.Popen, str]:
    """gunicorn serving `app` with sync workers on a free loopback port, once it answers; and its base URL."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", app], env={**os.environ, **env}, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/static/style.css", timeout=1).read()  # noqa: S310 (loopback)
            return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    process.wait(timeout=30)
    raise RuntimeError(f"gunicorn did not start for {app}")


@contextmanager
def gunicorn(app: str, env: dict, workers: int, stop: int = signal.SIGTERM) -> Iterator[tuple[int, str]]:
    """(master pid, base URL) while gunicorn serves `app`; stopped with `stop` afterwards, whatever happened."""
    process, base = start_gunicorn(app, env, workers)
    try:
        yield process.pid, base
    finally:
        process.send_signal(stop)
        process.wait(timeout=60)


def platform_env(instance: Path, database_url: str | None) -> dict:
    """The environment of a platform on this instance folder: its SQLite file, or `database_url`."""
    return {"AWARENESS_INSTANCE_PATH": str(instance), "AWARENESS_SECRET_KEY": "benchmark",
            **({"AWARENESS_DATABASE_URL": database_url} if database_url else {})}


def prepare_platform(instance: Path, database_url: str | None, questionnaire, count: int) -> list[str]:
    """A fresh database with an open wave of `questionnaire` and `count` invitations; their tokens.

    Sets the instance (and database) in os.environ, as the platform reads them from there; a
    PostgreSQL database's public schema is dropped first.
    """
    env = platform_env(instance, database_url)
    del env["AWARENESS_SECRET_KEY"]
    os.environ.update(env)
    from sqlalchemy import text

    from survey import create_app, db

    app = create_app()
    if database_url:
        with app.app_context(), db.engine().begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    db.upgrade(app)
    with app.app_context():
        session = db.session()
        edition = store_edition(session, questionnaire)
        wave = create_wave(session, "bench", edition, status="open")
        created = create_invitations(session, wave,
                                                [Contact(group="workers") for _ in range(count)])
        session.commit()
    app.extensions["awareness.engine"].dispose()
    return [token for _invitation, token in created]


@contextmanager
def platform_served(instance: Path, database_url: str | None, workers: int,
                    stop: int = signal.SIGTERM) -> Iterator[tuple[int, str]]:
    """(master pid, base URL) of the platform on this instance under gunicorn (prepare_platform first)."""
    with gunicorn(PLATFORM_APP, platform_env(instance, database_url), workers, stop) as served:
        yield served


def database_rows(database_url: str | None, instance: Path, statements: dict[str, str]) -> dict[str, list]:
    """Each named SQL statement's rows (first column), read from the platform's database after a run."""
    from sqlalchemy import create_engine, text

    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1) if database_url \
        else f"sqlite:///{instance / 'awareness.sqlite'}"
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {name: list(connection.execute(text(sql)).scalars()) for name, sql in statements.items()}
    finally:
        engine.dispose()


class Crowd:
    """`clients` threads taking tokens until none is left: answer(client, token) for each, its result kept.

    results: what `answer` returned, by token; errors: "token: exception" for each that raised
    (counted and reported, never hidden; the thread goes on with the next token). `finished` is
    called with each thread's client when that thread is done.
    """

    def __init__(self, tokens: list[str], clients: int, make_client: Callable[[], object],
                 answer: Callable[[object, str], object], finished: Callable[[object], None] = lambda client: None):
        self.queue = list(tokens)
        self.results: dict[str, object] = {}
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.make_client, self.answer, self.finished = make_client, answer, finished
        self.threads = [threading.Thread(target=self._respondent) for _ in range(clients)]

    def start(self) -> Crowd:
        for thread in self.threads:
            thread.start()
        return self

    def running(self) -> bool:
        return any(thread.is_alive() for thread in self.threads)

    def join(self) -> None:
        for thread in self.threads:
            thread.join()

    def _respondent(self) -> None:
        client = self.make_client()
        while True:
            with self.lock:
                if not self.queue:
                    break
                token = self.queue.pop()
            try:
                result = self.answer(client, token)
                with self.lock:
                    self.results[token] = result
            except Exception as error:  # counted and reported, never hidden
                with self.lock:
                    self.errors.append(f"{token[:6]}: {error!r}")
        with self.lock:
            self.finished(client)
