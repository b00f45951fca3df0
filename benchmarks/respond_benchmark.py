"""Drive complete questionnaires through the HTML flow with concurrent clients, against gunicorn.

For the platform on SQLite, on PostgreSQL (when --postgres URL is given), and for the floor
(benchmarks/floor_app.py: plain Flask, the same pages, one SQLite INSERT per page), it reports
completed questionnaires per second, server CPU milliseconds per completed questionnaire (the
gunicorn master and workers, from /proc), p50 and p95 page latency, errors, and lost responses
(acknowledged with a receipt but not in the database: must be 0). Then the ratio of the
platform's server CPU per questionnaire to the floor's.

    python benchmarks/respond_benchmark.py --questionnaires 200 --clients 8 \
        --postgres postgresql://postgres@127.0.0.1:5432/test

Only loopback addresses are used; every loop is bounded by the number of questionnaires.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import (  # noqa: E402
    Crowd,
    cpu_seconds,
    database_rows,
    gunicorn,
    platform_served,
    prepare_platform,
)
from questionnaires import load  # noqa: E402
from questionnaires.library import BUNDLED_INSTRUMENT  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
RECEIPT = re.compile(r'class="receipt">([^<]+)<')
QUESTIONNAIRE = load(BUNDLED_INSTRUMENT)


def answers_for(section) -> list[tuple[str, str]]:
    """A plausible, valid answer to every item of a page (someone aware of the policy)."""
    fields = []
    for item in section.items:
        if item.type == "single_choice":
            fields.append((item.id, (item.success_codes or item.codes)[0]))
        elif item.type == "likert":
            fields.append((item.id, item.codes[-1]))
        elif item.type == "multiple_choice":
            fields += [(item.id, code) for code in item.codes[:2]]
        elif item.type == "number":
            fields.append((item.id, str(int(item.minimum or 0) + 1)))
        elif item.type == "text":
            fields.append((item.id, "Benchmark answer."))
    return fields


PAGE_ANSWERS = [answers_for(section) for section in QUESTIONNAIRE.sections]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One respondent's browser: cookies, CSRF tokens, timing of every request."""

    def __init__(self, base: str, latencies: list[float]):
        self.base = base
        self.latencies = latencies
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  NoRedirect())

    def request(self, path: str, fields: list[tuple[str, str]] | None = None) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as response:
                status, location, body = response.status, "", response.read().decode()
        except urllib.error.HTTPError as error:
            status, location, body = error.code, error.headers.get("Location", ""), error.read().decode()
        self.latencies.append(time.perf_counter() - started)
        return status, urllib.parse.urlparse(location).path, body

    def complete(self, token: str) -> str | None:
        """Fill the whole questionnaire as a browser would; return the receipt."""
        link = f"/s/{token}"
        status, _, body = self.request(link)
        csrf = CSRF.search(body).group(1)
        status, location, _ = self.request(link, [("csrf_token", csrf), ("consent", "yes")])
        while location and "/review" not in location and "/done" not in location:
            number = int(location.rsplit("/", 1)[1])
            status, _, body = self.request(location)
            csrf = CSRF.search(body).group(1)
            status, location, _ = self.request(location, [("csrf_token", csrf), ("action", "next"),
                                                          *PAGE_ANSWERS[number - 1]])
            if status != 302:
                raise RuntimeError(f"page {number} answered with {status}")
        status, _, body = self.request(f"{link}/review")
        csrf = CSRF.search(body).group(1)
        status, location, _ = self.request(f"{link}/review", [("csrf_token", csrf)])
        status, _, body = self.request(location)
        match = RECEIPT.search(body)
        return match.group(1) if match else None


def drive(base: str, tokens: list[str], clients: int, master: int) -> dict:
    """Each token's questionnaire filled by one of `clients` threads; throughput, CPU and latencies."""
    latencies: list[float] = []
    cpu_before = cpu_seconds(master)
    started = time.perf_counter()
    # Each questionnaire gets a new browser (cookies); a thread's browsers share its list of latencies.
    crowd = Crowd(tokens, clients, make_client=list, answer=lambda times, token: Client(base, times).complete(token),
                  finished=latencies.extend).start()
    crowd.join()
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(master) - cpu_before
    receipts = [receipt for receipt in crowd.results.values() if receipt]
    errors = crowd.errors + ["no receipt"] * (len(crowd.results) - len(receipts))
    latencies.sort()
    return {"completed": len(receipts), "receipts": receipts, "errors": errors, "seconds": elapsed,
            "per_second": len(receipts) / elapsed, "cpu_ms_per_questionnaire": 1000 * cpu / max(1, len(receipts)),
            "p50_ms": 1000 * statistics.median(latencies),
            "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))], "requests": len(latencies)}


def run_platform(label: str, database_url: str | None, args, folder: Path) -> dict:
    instance = folder / label
    tokens = prepare_platform(instance, database_url, QUESTIONNAIRE, args.questionnaires)
    with platform_served(instance, database_url, args.workers) as (master, base):
        result = drive(base, tokens, args.clients, master)
    stored = database_rows(database_url, instance, {"responses": "SELECT count(*) FROM responses"})
    result["lost"] = len(result["receipts"]) - stored["responses"][0]
    return result


def run_floor(args, folder: Path) -> dict:
    database = folder / "floor.sqlite"
    with gunicorn("benchmarks.floor_app:app", {"FLOOR_DATABASE": str(database)}, args.workers) as (master, base):
        result = drive(base, [f"floor{i}" for i in range(args.questionnaires)], args.clients, master)
    with sqlite3.connect(database) as connection:
        pages = connection.execute("SELECT count(DISTINCT token) FROM answers").fetchone()[0]
    result["lost"] = len(result["receipts"]) - pages
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questionnaires", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", help="PostgreSQL URL to benchmark too (its public schema is reset)")
    args = parser.parse_args()
    print(f"# {args.questionnaires} questionnaires of {len(QUESTIONNAIRE.sections)} pages, {args.clients} clients, "
          f"gunicorn with {args.workers} sync workers, {os.cpu_count()} cores")
    print(f"{'server':22} {'done':>5} {'q/s':>6} {'CPU ms/q':>9} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6} {'lost':>5}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs = [("platform, SQLite", lambda: run_platform("sqlite", None, args, folder))]
        if args.postgres:
            runs.append(("platform, PostgreSQL", lambda: run_platform("postgres", args.postgres, args, folder)))
        runs.append(("floor (Flask+INSERT)", lambda: run_floor(args, folder)))
        for label, run in runs:
            r = results[label] = run()
            print(f"{label:22} {r['completed']:5} {r['per_second']:6.1f} {r['cpu_ms_per_questionnaire']:9.1f} "
                  f"{r['p50_ms']:7.1f} {r['p95_ms']:7.1f} {len(r['errors']):6} {r['lost']:5}", flush=True)
            for error in r["errors"][:3]:
                print(f"  error: {error}")
    floor = results["floor (Flask+INSERT)"]["cpu_ms_per_questionnaire"]
    for label, r in results.items():
        if label.startswith("platform"):
            print(f"{label}: {r['cpu_ms_per_questionnaire'] / floor:.2f} x the floor's server CPU per questionnaire "
                  "(target: at most 3)")


if __name__ == "__main__":
    main()
