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
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import Crowd, database_rows, platform_served, prepare_platform, worker_pids  # noqa: E402
from benchmarks.respond_benchmark import CSRF, PAGE_ANSWERS, QUESTIONNAIRE, RECEIPT, Client  # noqa: E402

ATTEMPTS = 30  # restarts of one questionnaire before the client gives up (counted as an error)
CUT = (OSError, http.client.HTTPException)


class RetryingClient(Client):
    """A respondent who, when a request fails, opens the link again and carries on from there."""

    cuts = 0  # requests cut by a killed worker, and sent again

    def finish(self, token: str) -> tuple[str, str | None]:
        """('receipt', code) or ('already', None); raises after ATTEMPTS cut attempts."""
        for attempt in range(ATTEMPTS):
            try:
                return self._walk(token)
            except CUT:
                self.cuts += 1
                time.sleep(0.05 * (attempt + 1))
        raise RuntimeError(f"gave up after {ATTEMPTS} attempts")

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


def drive_with_kills(base: str, tokens: list[str], clients: int, master: int, kills: int) -> dict:
    """Each token's questionnaire finished by one of `clients` threads while `kills` workers are SIGKILLed."""
    killed: list[int] = []
    cuts: list[int] = []
    # Kill when these shares of the questionnaires are done: spread over the run, never at its very end.
    thresholds = [len(tokens) * (k + 1) // (kills + 1) for k in range(kills)]
    started = time.perf_counter()
    crowd = Crowd(tokens, clients, make_client=lambda: RetryingClient(base, []),
                  answer=lambda client, token: client.finish(token),
                  finished=lambda client: cuts.append(client.cuts)).start()
    for threshold in thresholds:
        while len(crowd.results) < threshold and crowd.running():
            time.sleep(0.02)
        pids = worker_pids(master)
        if pids:
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])
    crowd.join()
    return {"outcomes": crowd.results, "errors": crowd.errors, "killed": killed, "cuts": sum(cuts),
            "seconds": time.perf_counter() - started}


def run(label: str, database_url: str | None, args, folder: Path) -> dict:
    instance = folder / label
    tokens = prepare_platform(instance, database_url, QUESTIONNAIRE, args.questionnaires)
    # SIGQUIT: quick shutdown, every answer is committed by now.
    with platform_served(instance, database_url, args.workers, stop=signal.SIGQUIT) as (master, base):
        result = drive_with_kills(base, tokens, args.clients, master, args.kills)
    stored = database_rows(database_url, instance, {
        "receipts": "SELECT receipt FROM responses", "completions": "SELECT count(*) FROM completions",
        "completed_invitations": "SELECT count(*) FROM invitations WHERE completed"})
    shown = [receipt for kind, receipt in result["outcomes"].values() if kind == "receipt"]
    in_database = set(stored["receipts"])
    result.update(
        label=label, completed=len(result["outcomes"]), with_receipt=len(shown),
        lost=sum(1 for receipt in shown if receipt not in in_database),
        duplicated=len(stored["receipts"]) - len(result["outcomes"]),
        consistent=len(stored["receipts"]) == stored["completions"][0] == stored["completed_invitations"][0],
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
