"""Respondent pages served in one process through Flask's test client: CPU per completed questionnaire.

The same questionnaires as respond_benchmark.py (the bundled instrument, every page answered, welcome,
consent, a GET and a POST per page with CSRF tokens, review, submit, receipt), without gunicorn, sockets
or client threads, so that the CPU time of this one process is the platform's own (plus Werkzeug's test
client). Steadier than the gunicorn figures on a shared machine, and what a profile of the respondent's
path is taken from:

    python benchmarks/respond_inprocess_benchmark.py --questionnaires 60 --warmup 5 [--rounds 3]
        [--postgres postgresql://postgres@127.0.0.1:5432/test] [--profile respond.prof]
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=respond.cg \
        python benchmarks/respond_inprocess_benchmark.py --questionnaires 10 --warmup 3 --callgrind

Run it from another commit's worktree (with that worktree's own environment) to compare two commits: it
uses only what 0c8c7b4's benchmarks already had (harness.prepare_platform, respond_benchmark's answers).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import prepare_platform  # noqa: E402
from benchmarks.respond_benchmark import CSRF, PAGE_ANSWERS, QUESTIONNAIRE, RECEIPT  # noqa: E402


def _path(response) -> str:
    return urllib.parse.urlparse(response.headers.get("Location", "")).path


def complete(app, token: str) -> str:
    """One respondent (a new browser: its own cookies) through the whole questionnaire; the receipt."""
    client = app.test_client()
    link = f"/s/{token}"
    body = client.get(link).get_data(as_text=True)
    location = _path(client.post(link, data={"csrf_token": CSRF.search(body).group(1), "consent": "yes"}))
    while location and "/review" not in location and "/done" not in location:
        number = int(location.rsplit("/", 1)[1])
        body = client.get(location).get_data(as_text=True)
        fields = [("csrf_token", CSRF.search(body).group(1)), ("action", "next"), *PAGE_ANSWERS[number - 1]]
        response = client.post(location, data=urllib.parse.urlencode(fields),
                               content_type="application/x-www-form-urlencoded")
        if response.status_code != 302:
            raise RuntimeError(f"page {number} answered with {response.status_code}")
        location = _path(response)
    body = client.get(f"{link}/review").get_data(as_text=True)
    location = _path(client.post(f"{link}/review", data={"csrf_token": CSRF.search(body).group(1)}))
    match = RECEIPT.search(client.get(location).get_data(as_text=True))
    if match is None:
        raise RuntimeError("no receipt")
    return match.group(1)


def _callgrind(args, state: str) -> None:
    """Under `valgrind --tool=callgrind --instr-atstart=no`: count instructions of the counted questionnaires only."""
    if args.callgrind:
        subprocess.run(["callgrind_control", "--instr=" + state, str(os.getpid())],  # noqa: S603, S607
                       check=True, capture_output=True)


def one_round(folder: Path, database_url: str | None, args, profile: cProfile.Profile | None) -> float:
    """CPU milliseconds per questionnaire over args.questionnaires, after args.warmup not counted."""
    tokens = prepare_platform(folder, database_url, QUESTIONNAIRE, args.warmup + args.questionnaires)
    os.environ["AWARENESS_SECRET_KEY"] = "benchmark"  # noqa: S105 (a throw-away instance)
    from survey import create_app

    app = create_app()
    for token in tokens[:args.warmup]:
        complete(app, token)
    _callgrind(args, "on")
    started = time.process_time()
    if profile is not None:
        profile.enable()
    for token in tokens[args.warmup:]:
        complete(app, token)
    if profile is not None:
        profile.disable()
    cpu = time.process_time() - started
    _callgrind(args, "off")
    app.extensions["awareness.engine"].dispose()
    return 1000 * cpu / args.questionnaires


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questionnaires", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--postgres", help="PostgreSQL URL instead of SQLite (its public schema is reset)")
    parser.add_argument("--callgrind", action="store_true",
                        help="run under valgrind --tool=callgrind --instr-atstart=no: instructions of the counted "
                             "questionnaires only, whatever the load (callgrind_annotate the output)")
    parser.add_argument("--profile", help="write a cProfile of the counted questionnaires to this file")
    args = parser.parse_args()
    # CPU time, not the wall clock: on a shared machine waiting for the cores would count.
    profile = cProfile.Profile(time.process_time) if args.profile else None
    for number in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            ms = one_round(Path(tmp), args.postgres, args, profile)
        print(f"round {number + 1}: {ms:.1f} CPU ms per questionnaire", flush=True)
    if profile is not None:
        profile.dump_stats(args.profile)


if __name__ == "__main__":
    main()
