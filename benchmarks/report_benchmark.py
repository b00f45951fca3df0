"""The reviewers' reports of the demo's data, timed: the report over the period and the two-round report, HTML and PDF.

    python benchmarks/report_benchmark.py [--rounds 5] [--tree OTHER_CHECKOUT ...] [--instance FOLDER]

The demo's instance (`awareness demo --no-serve`: waves 2015 to 2018) is made in a temporary folder, unless
--instance names one that already holds it. Each round builds, in a fresh process each and in an order that turns
by one every round (so that no command always follows the same one):

- period:    `awareness report --waves 2015 2016 2017 2018 --by-group --weighted -o period.html|.pdf`
- two-round: `awareness report --baseline-wave 2017 --current-wave 2018 --by-group -o two-round.html|.pdf`

With --tree (another checkout of the project, say main's, made with `git archive main | tar -x -C DIR`), the
same commands run from that tree's source as well, in the same rounds: a before/after measure under the same load.
Each command's time is given in seconds end to end and in CPU seconds (user + system of the command and its
threads): on cores shared with other work, the seconds measure the load as much as the command; the CPU seconds
move much less. Every tree's reports must say the same: their JSON files equal once the stamp's time is left
out, and so their HTML; the script says whether they are.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.scale_benchmark import ENVIRONMENT, rounds_in_turn, run_fresh  # noqa: E402

# Run from the tree's own folder: `python -c` puts it first on the path, ahead of any installed copy.
AWARENESS = [sys.executable, "-c", "from survey.cli import cli; cli()"]
REPORTS = {
    "period": ["report", "--waves", "2015", "2016", "2017", "2018", "--by-group", "--weighted"],
    "two-round": ["report", "--baseline-wave", "2017", "--current-wave", "2018", "--by-group"],
}
FORMATS = ("html", "pdf")
STAMP_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


def compile_tree(tree: Path) -> None:
    """Write the bytecode of the tree's modules, as their first import on a user's machine does."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", *(str(tree / name) for name in
                    ("survey", "analysis", "questionnaires"))], check=True, env=ENVIRONMENT)


def demo_instance(folder: Path) -> dict:
    """The environment of an instance holding the demo's waves (made by `awareness demo --no-serve`)."""
    env = {"AWARENESS_INSTANCE_PATH": str(folder)}
    if not (folder / "awareness.sqlite").exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([*AWARENESS, "demo", "--no-serve"], cwd=ROOT, env={**ENVIRONMENT, **env}, check=True,
                       stdout=subprocess.DEVNULL)
    return env


def run(tree: Path, report: str, kind: str, out: Path, env: dict) -> tuple[float, float]:
    """Seconds end to end and CPU seconds of one report built by the tree's source in a fresh process."""
    out.mkdir(parents=True, exist_ok=True)
    command = [*AWARENESS, *REPORTS[report], "-o", str(out / f"{report}.{kind}")]
    cwd = Path.cwd()
    os.chdir(tree)  # run_fresh starts the process in the current folder
    try:
        seconds, usage = run_fresh(command, env)
    finally:
        os.chdir(cwd)
    return seconds, usage.ru_utime + usage.ru_stime


def same_reports(outputs: list[Path]) -> bool:
    """Whether every tree's JSON and HTML are the same but for the stamp's time."""
    def text(path: Path) -> str:
        return STAMP_TIME.sub("TIME", path.read_text(encoding="utf-8"))

    first, *others = outputs
    return all(text(first / name) == text(other / name) for other in others
               for report in REPORTS for name in (f"{report}.json", f"{report}.html"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tree", type=Path, action="append", default=[],
                        help="Another checkout of the project to time beside this one (say main's).")
    parser.add_argument("--instance", type=Path, help="An instance folder holding the demo (made if empty).")
    args = parser.parse_args()
    trees = {"this": ROOT, **{f"tree{i + 1}": tree.resolve() for i, tree in enumerate(args.tree)}}
    for tree in trees.values():
        compile_tree(tree)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = demo_instance(args.instance.resolve() if args.instance else folder / "instance")
        commands = [(name, report, kind) for report in REPORTS for kind in FORMATS for name in trees]
        print(f"# {', '.join(f'{name} = {tree}' for name, tree in trees.items())}; {args.rounds} rounds; "
              f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}", flush=True)
        seconds: dict[tuple, list[float]] = {command: [] for command in commands}
        cpu: dict[tuple, list[float]] = {command: [] for command in commands}
        loads = []
        for number, (load, order) in enumerate(rounds_in_turn(commands, args.rounds)):
            loads.append(load)
            for command in order:
                name, report, kind = command
                wall, used = run(trees[name], report, kind, folder / name, env)
                seconds[command].append(wall)
                cpu[command].append(used)
            print(f"round {number + 1} (load {loads[-1]:.1f}): " + "  ".join(
                f"{'/'.join(c)} {cpu[c][-1]:.2f}" for c in commands) + " CPU s", flush=True)
        agree = same_reports([folder / name for name in trees]) if len(trees) > 1 else None
        print(f"# load average at the start of each round: {min(loads):.1f} to {max(loads):.1f}"
              + ("" if agree is None else f"; every tree's reports the same (JSON, HTML; stamp time aside): {agree}"))
        print(f"{'report':18} {'tree':6} {'median s':>9} {'CPU s median':>12} {'CPU range':>12}"
              + (f" {'CPU / this':>10}" if len(trees) > 1 else ""))
        for name, report, kind in commands:
            command = (name, report, kind)
            ratio = statistics.median(cpu[command]) / statistics.median(cpu[("this", report, kind)])
            print(f"{report + ' ' + kind:18} {name:6} {statistics.median(seconds[command]):9.2f} "
                  f"{statistics.median(cpu[command]):12.2f} {min(cpu[command]):5.2f}-{max(cpu[command]):<6.2f}"
                  + (f" {ratio:10.2f}" if len(trees) > 1 else ""), flush=True)


if __name__ == "__main__":
    main()
