"""The platform at a national programme's scale, each figure beside its floor, measured in one run.

    python benchmarks/scale_benchmark.py --sizes 10000 100000 1000000 \
        [--postgres postgresql://postgres@127.0.0.1:5432/bench] [--only startup compare import ...]

For each size N: two synthetic waves of N respondents (40 items, 5 groups; `compare_benchmark.py`)
written as interchange CSV. Every command runs in a fresh process, timed end to end, with its peak
resident memory read from the operating system (wait4), like its floor in `floors.py`:

- startup:    `awareness --help` (and `--version`) against importing pandas + scipy.stats
- compare:    `awareness compare` on the two files against the pandas + scipy floor
- import:     `awareness import` of the baseline into an empty wave against pandas + sqlite3
- db-compare: `awareness compare --baseline-wave --current-wave` against the same from files, the two
              run in turn (best of five each), so that both are measured under the same load
- export:     `awareness export --format csv|xlsx|sav|dta` against pandas (CSV) and openpyxl
              write-only (XLSX) floors reading the same answers from SQLite
- monitoring: a wave's console page (and its counts) with 100 and with 100,000 invitations in every
              state, and the cost of the tally triggers to inviting (monitoring_benchmark.py)
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.compare_benchmark import benchmark_questionnaire, write_wave_apart  # noqa: E402

FLOORS = str(Path(__file__).with_name("floors.py"))
AWARENESS = [sys.executable, "-c", "from survey.cli import cli; cli()"]


# Every command runs as on a user's machine, from the bytecode Python keeps of each module (__pycache__):
# an environment that forbids writing it (PYTHONDONTWRITEBYTECODE) would have each process compile the
# project's modules again, which costs the commands that import more of them (the database's) up to 1.5 s.
ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def compile_project() -> None:
    """Write the bytecode of the project's modules, as their first import on a user's machine does."""
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", *(str(root / name) for name in
                    ("survey", "analysis", "questionnaires", "benchmarks"))], check=True, env=ENVIRONMENT)


def rounds_in_turn(items: list, rounds: int):
    """Each round's load average at its start and its order of `items`, rotated by one a round, so that no
    command always runs first (or right after the same other) on a shared machine."""
    for number in range(rounds):
        turn = number % len(items)
        yield os.getloadavg()[0], items[turn:] + items[:turn]


def run_fresh(command: list[str], env: dict | None = None) -> tuple[float, resource.struct_rusage]:
    """Seconds end to end and the resource usage (CPU, peak RSS) of one fresh process; raises if it fails."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**ENVIRONMENT, "PYTHONWARNINGS": "ignore", **(env or {})})
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{' '.join(command[3:])} failed: {process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    return seconds, usage


def timed(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one fresh process; raises if it fails."""
    seconds, usage = run_fresh(command, env)
    return seconds, usage.ru_maxrss / 1024


def best(command: list[str], env: dict | None = None, repeat: int = 3) -> tuple[float, float]:
    """The fastest of `repeat` runs (the least disturbed by the other work on the machine)."""
    return best_of([timed(command, env) for _ in range(repeat)])


def best_of(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The fewest seconds and the most memory of these runs."""
    return min(r[0] for r in runs), max(r[1] for r in runs)


def report(name: str, size: int | str, ours: tuple[float, float], floor: tuple[float, float] | None,
           floor_name: str = "") -> None:
    ratio = f"{ours[0] / floor[0]:5.2f}" if floor else "    -"
    floor_text = f"{floor[0]:8.2f} {floor[1]:7.0f}" if floor else f"{'-':>8} {'-':>7}"
    print(f"{name:24} {size!s:>9} {ours[0]:8.2f} {ours[1]:7.0f} {floor_text} {ratio}  {floor_name}", flush=True)


class Instance:
    """An instance folder (SQLite there, or a PostgreSQL database reset for the run) with two waves."""

    def __init__(self, folder: Path, questionnaire: Path, postgres: str | None):
        self.env = {"AWARENESS_INSTANCE_PATH": str(folder / "instance")}
        if postgres:
            self.env["AWARENESS_DATABASE_URL"] = postgres
            self._run("from sqlalchemy import create_engine, text\n"
                      f"e = create_engine({postgres.replace('postgresql://', 'postgresql+psycopg://')!r})\n"
                      "with e.begin() as c:\n"
                      "    c.execute(text('DROP SCHEMA public CASCADE')); c.execute(text('CREATE SCHEMA public'))")
        self.sqlite = None if postgres else folder / "instance" / "awareness.sqlite"
        subprocess.run(AWARENESS + ["db", "upgrade"], check=True, env={**os.environ, **self.env},
                       stdout=subprocess.DEVNULL)
        self._run("from survey import create_app, db\nfrom survey.waves.operations import create_wave, store_edition\n"
                  "from questionnaires import load\n"
                  "app = create_app()\n"
                  "with app.app_context():\n"
                  "    s = db.session()\n"
                  f"    edition = store_edition(s, load({str(questionnaire)!r}))\n"
                  "    base = create_wave(s, 'base', edition, status='closed')\n"
                  "    create_wave(s, 'cur', edition, status='closed', baseline=base)\n"
                  "    s.commit()\n")

    def _run(self, code: str) -> None:
        subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, **self.env})

    def awareness(self, *args: str) -> tuple[float, float]:
        return timed(AWARENESS + list(args), self.env)


def bench_startup() -> None:
    report("awareness --help", "-", best(AWARENESS + ["--help"]),
           best([sys.executable, "-c", "import pandas, scipy.stats"]), "import pandas, scipy.stats")
    report("awareness --version", "-", best(AWARENESS + ["--version"]), None)


def file_compare_command(files: dict[str, Path], questionnaire: Path, folder: Path) -> list[str]:
    return AWARENESS + ["compare", "--questionnaire", str(questionnaire), "--baseline", str(files["base"]),
                        "--current", str(files["cur"]), "--by-group", "--format", "json", "--output",
                        str(folder / "ours.json")]


def bench_compare(size: int, files: dict[str, Path], questionnaire: Path, folder: Path) -> None:
    ours = best(file_compare_command(files, questionnaire, folder), repeat=3)
    floor = best([sys.executable, FLOORS, "compare", str(questionnaire), str(files["base"]), str(files["cur"]),
                  str(folder / "floor.json")], repeat=3)
    report("compare (files)", size, ours, floor, "pandas + scipy")


def alternated(first: list[str], second: list[str], env: dict, repeat: int = 5) -> tuple[tuple, tuple]:
    """The best of `repeat` runs of each command, taken in turn: both measured under the same load."""
    runs = [(timed(first), timed(second, env)) for _ in range(repeat)]
    return best_of([run[0] for run in runs]), best_of([run[1] for run in runs])


def bench_database(size: int, files: dict[str, Path], questionnaire: Path, folder: Path, postgres: str | None,
                   against_files: bool) -> None:
    label = "PostgreSQL" if postgres else "SQLite"
    instance = Instance(folder / f"db-{size}", questionnaire, postgres)
    ours = instance.awareness("import", "base", str(files["base"]))
    floor_db = folder / f"floor-{size}.sqlite"
    floor_db.unlink(missing_ok=True)
    floor = timed([sys.executable, FLOORS, "import", str(files["base"]), str(floor_db)])
    report(f"import ({label})", size, ours, floor, "pandas + sqlite3, one transaction")
    instance.awareness("import", "cur", str(files["cur"]))
    command = AWARENESS + ["compare", "--baseline-wave", "base", "--current-wave", "cur", "--by-group", "--format",
                           "json", "--output", str(folder / "db.json")]
    if against_files:  # the comparison of the same data from files, run in turn with this one
        files_run, ours = alternated(file_compare_command(files, questionnaire, folder), command, instance.env)
        report(f"compare ({label})", size, ours, files_run, "compare from files, in turn")
    else:
        report(f"compare ({label})", size, best(command, instance.env), None)
    out = folder / "export"
    for fmt, floor_command in (("csv", "export-csv"), ("xlsx", "export-xlsx"), ("sav", None), ("dta", None)):
        if fmt == "xlsx" and size > 100_000 and not os.environ.get("BENCH_LARGE_EXPORTS"):
            continue  # minutes for a sheet at Excel's row limit (1,048,576): BENCH_LARGE_EXPORTS=1 measures it
        ours = instance.awareness("export", "cur", "--format", fmt, "--output", f"{out}.{fmt}")
        floor = timed([sys.executable, FLOORS, floor_command, str(floor_db), f"{out}-floor.{fmt}"]) \
            if floor_command else None
        report(f"export {fmt} ({label})", size, ours, floor, "pandas" if fmt == "csv" else
               "openpyxl write-only" if fmt == "xlsx" else "")


def bench_monitoring(folder: Path, questionnaire: Path, postgres: str | None) -> None:
    """A wave's console page with 100 and with 100,000 invitations in every state (monitoring_benchmark.py)."""
    label = "PostgreSQL" if postgres else "SQLite"
    script = str(Path(__file__).with_name("monitoring_benchmark.py"))
    for count in (100, 100_000):
        instance = Instance(folder / f"mon-{count}", questionnaire, postgres)
        result = subprocess.run([sys.executable, script, str(count)], check=True, capture_output=True, text=True,
                                env={**os.environ, "PYTHONWARNINGS": "ignore", **instance.env})
        tallied, untallied, counts, page, last_page, search = (float(value) for value in result.stdout.split()[-6:])
        print(f"{'invite (' + label + ')':24} {count:>9} {tallied:8.3f} {'':>7} {untallied:8.3f} {'':>7} "
              f"{tallied / untallied:5.2f}  without the tally triggers", flush=True)
        print(f"{'monitoring (' + label + ')':24} {count:>9} {counts:8.4f}", flush=True)
        print(f"{'wave page (' + label + ')':24} {count:>9} {page:8.4f}", flush=True)
        print(f"{'invitations, last page':24} {count:>9} {last_page:8.4f}", flush=True)
        print(f"{'invitations, search':24} {count:>9} {search:8.4f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--postgres", help="Also measure on this PostgreSQL database (it is reset).")
    parser.add_argument("--only", nargs="+", choices=["startup", "compare", "database", "monitoring"])
    args = parser.parse_args()
    only = set(args.only or ["startup", "compare", "database", "monitoring"])
    compile_project()
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")
    print(f"{'measure':24} {'size':>9} {'seconds':>8} {'peak MB':>7} {'floor s':>8} {'floor MB':>7} ratio")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        questionnaire = folder / "benchmark.yaml"
        definition = benchmark_questionnaire()
        questionnaire.write_text(yaml.safe_dump(definition))
        # The peak memory of each command is its own only while this process stays small (see write_wave_apart).
        print(f"# this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB", flush=True)
        if "startup" in only:
            bench_startup()
        for size in sorted(args.sizes):
            files = {"base": folder / f"base-{size}.csv", "cur": folder / f"cur-{size}.csv"}
            write_wave_apart(files["base"], size, seed=1, lift=0.0)
            write_wave_apart(files["cur"], size, seed=2, lift=0.05)
            print(f"# {size:,} respondents per wave; load average {os.getloadavg()[0]:.1f}", flush=True)
            if "compare" in only:
                bench_compare(size, files, questionnaire, folder)
            if "database" in only:
                for postgres in [None] + ([args.postgres] if args.postgres else []):
                    bench_database(size, files, questionnaire, folder, postgres, "compare" in only)
        if "monitoring" in only:
            for postgres in [None] + ([args.postgres] if args.postgres else []):
                bench_monitoring(folder, questionnaire, postgres)


if __name__ == "__main__":
    main()
