"""Load with faults: concurrent respondents through the HTML flow while gunicorn workers are SIGKILLed.

gunicorn runs the platform with --workers 4 (on SQLite, and on PostgreSQL with --postgres URL).
--clients threads each fill complete copies of the bundled instrument, as browsers would; while
they do, one worker is killed with SIGKILL --kills times (spread over the run). A client whose
request is cut (the connection drops with the worker) starts again from its link, which brings
it back to where its saved answers stop, and finishes. At the end every questionnaire is checked
against the database:

- completed: clients that finished (with a receipt, or told "already submitted" when the cut
  request was their submit, which the server had stored);
- lost: receipts shown to a client but not in the database (must be 0);
- duplicated: responses beyond one per finished invitation (must be 0), and the database's
  completions, completed invitations and responses must all agree.

    python benchmarks/faults_benchmark.py --questionnaires 2000 --clients 50 --kills 2 \
        --postgres postgresql://postgres@127.0.0.1:5432/test

Only loopback addresses are used; every loop is bounded.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.respond_benchmark import (  # noqa: E402
    CSRF,
    PAGE_ANSWERS,
    RECEIPT,
    Client,
    prepare_platform,
    start_gunicorn,
)

ATTEMPTS = 30  # restarts of one questionnaire before the client gives up (counted as an error)
CUT = (OSError, http.client.HTTPException)


class RetryingClient(Client):
    """A respondent who, when a request fails, opens the link again and carries on from there."""

    def finish(self, token: str) -> tuple[str, str | None]:
        """('receipt', code) or ('already', None); raises after ATTEMPTS cut attempts."""
        for attempt in range(ATTEMPTS):
            try:
                return self._walk(token)
            except CUT:
                self.cuts += 1
                time.sleep(0.05 * (attempt + 1))
        raise RuntimeError(f"gave up after {ATTEMPTS} attempts")

    cuts = 0

    def _walk(self, token: str) -> tuple[str, str | None]:
        link = f"/s/{token}"
        location = link
        for _ in range(100):  # 8 pages, a review, a receipt: far fewer steps than this
            status, redirect, body = self.request(location)
            if status == 302:
                location = redirect
                continue
            if status >= 500:
                raise ConnectionError(f"{location} answered {status}")
            if "Already submitted" in body:
                return "already", None
            if location.endswith("/done"):
                return "receipt", RECEIPT.search(body).group(1)
            fields = [("csrf_token", CSRF.search(body).group(1))]
            if location == link:
                fields.append(("consent", "yes"))
            elif not location.endswith("/review"):
                fields += [("action", "next"), *PAGE_ANSWERS[int(location.rsplit("/", 1)[1]) - 1]]
            status, redirect, _ = self.request(location, fields)
            if status != 302:
                raise ConnectionError(f"POST {location} answered {status}")
            location = redirect
        raise RuntimeError(f"{link}: no receipt after 100 steps")


def workers_of(master: int) -> list[int]:
    pgrep = shutil.which("pgrep") or "/usr/bin/pgrep"
    found = subprocess.run([pgrep, "-P", str(master)], capture_output=True, text=True, check=False)  # noqa: S603
    return [int(pid) for pid in found.stdout.split()]


def drive_with_kills(base: str, tokens: list[str], clients: int, master: int, kills: int) -> dict:
    outcomes: dict[str, tuple[str, str | None]] = {}
    errors: list[str] = []
    killed: list[int] = []
    queue = list(tokens)
    lock = threading.Lock()
    cuts = [0]
    # Kill when these shares of the questionnaires are done: spread over the run, never at its very end.
    thresholds = [len(tokens) * (k + 1) // (kills + 1) for k in range(kills)]

    def respondent():
        client = RetryingClient(base, [])
        while True:
            with lock:
                if not queue:
                    break
                token = queue.pop()
            try:
                outcome = client.finish(token)
                with lock:
                    outcomes[token] = outcome
            except Exception as error:  # counted and reported, never hidden
                with lock:
                    errors.append(f"{token[:6]}: {error!r}")
        with lock:
            cuts[0] += client.cuts

    def killer():
        for threshold in thresholds:
            while len(outcomes) < threshold and (queue or any(t.is_alive() for t in threads)):
                time.sleep(0.02)
            pids = workers_of(master)
            if pids:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

    started = time.perf_counter()
    threads = [threading.Thread(target=respondent) for _ in range(clients)]
    for thread in threads:
        thread.start()
    killing = threading.Thread(target=killer)
    killing.start()
    for thread in threads:
        thread.join()
    killing.join()
    return {"outcomes": outcomes, "errors": errors, "killed": killed, "cuts": cuts[0],
            "seconds": time.perf_counter() - started}


def database_check(database_url: str | None, instance: Path) -> dict:
    """What the database holds: responses, completions, completed invitations, receipts."""
    from sqlalchemy import create_engine, text

    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1) if database_url \
        else f"sqlite:///{instance / 'awareness.sqlite'}"
    engine = create_engine(url)
    with engine.connect() as connection:
        receipts = [row[0] for row in connection.execute(text("SELECT receipt FROM responses"))]
        completions = connection.execute(text("SELECT count(*) FROM completions")).scalar_one()
        completed = connection.execute(text("SELECT count(*) FROM invitations WHERE completed")).scalar_one()
    engine.dispose()
    return {"receipts": receipts, "completions": completions, "completed_invitations": completed}


def run(label: str, database_url: str | None, args, folder: Path) -> dict:
    instance = folder / label
    tokens = prepare_platform(instance, database_url, args.questionnaires)
    env = {"AWARENESS_INSTANCE_PATH": str(instance), "AWARENESS_SECRET_KEY": "benchmark",
           **({"AWARENESS_DATABASE_URL": database_url} if database_url else {})}
    process, base = start_gunicorn("survey:create_app()", env, args.workers)
    try:
        result = drive_with_kills(base, tokens, args.clients, process.pid, args.kills)
    finally:
        process.send_signal(signal.SIGQUIT)  # quick shutdown: every answer is committed by now
        process.wait(timeout=60)
    stored = database_check(database_url, instance)
    shown = [receipt for kind, receipt in result["outcomes"].values() if kind == "receipt"]
    in_database = set(stored["receipts"])
    result.update(
        label=label, completed=len(result["outcomes"]), with_receipt=len(shown),
        lost=sum(1 for receipt in shown if receipt not in in_database),
        duplicated=len(stored["receipts"]) - len(result["outcomes"]),
        consistent=len(stored["receipts"]) == stored["completions"] == stored["completed_invitations"],
    )
    return result


def report(result: dict) -> str:
    return (f"{result['label']:10} {result['completed']:6} {result['with_receipt']:8} {len(result['killed']):6} "
            f"{result['cuts']:5} {len(result['errors']):6} {result['lost']:5} {result['duplicated']:6} "
            f"{'yes' if result['consistent'] else 'NO':>10} {result['seconds']:8.1f}")


HEADER = (f"{'database':10} {'done':>6} {'receipts':>8} {'killed':>6} {'cuts':>5} {'errors':>6} {'lost':>5} "
          f"{'dupl.':>6} {'consistent':>10} {'seconds':>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questionnaires", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--postgres", help="PostgreSQL URL to run on too (its public schema is reset)")
    args = parser.parse_args()
    print(f"# {args.questionnaires} questionnaires, {args.clients} clients, gunicorn --workers {args.workers}, "
          f"{args.kills} SIGKILLs, {os.cpu_count()} cores")
    print(HEADER)
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
        for label, url in runs:
            result = run(label, url, args, Path(tmp))
            print(report(result), flush=True)
            for error in result["errors"][:5]:
                print(f"  error: {error}")


if __name__ == "__main__":
    main()
