"""The trend over the demo's 4 waves and the period's report, in process, timed in CPU seconds.

    python benchmarks/trend_benchmark.py [--rounds 5] [--calls 3] [--tree OTHER_CHECKOUT] [--instance FOLDER]

What the tests and the console pay again and again, without the interpreter's start-up, the imports or a PDF:

- read:        the waves 2015 to 2018 read from the demo's database (`TrendRun.read`, as `awareness trend --waves`)
- weighted:    `analysis.trend.trend` over them, by group, weighted to the sizes stored with each wave
- unweighted:  the same without the weighted rows
- report html: `awareness report --waves 2015 2016 2017 2018 --by-group --weighted -o period.html`, the command
               run in process (reading, trend, JSON, the HTML document written)

The demo's instance (`awareness demo --no-serve`) is made in a temporary folder unless --instance names one that
holds it. Each round runs a fresh process per tree (this one, and --tree's, say main's made with `git archive
main | tar -x -C DIR`), in an order that turns every round; that process makes each measure once to warm up,
then --calls times, and reports the median CPU seconds (time.process_time) of each. The table gives the median
and range over the rounds. The trees must agree: the trend's JSON (weighted and not) and the report's HTML,
the stamp's time aside, are compared by their SHA-256.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEASURES = ("read", "weighted", "unweighted", "report html")
WAVES = ["2015", "2016", "2017", "2018"]


def child(calls: int, out: Path) -> dict:
    """In the tree's process (its source first on the path): each measure's median CPU seconds and digests."""
    import re

    from analysis.trend import to_json, trend
    from survey import database_app
    from survey.cli import cli
    from survey.cli.trend import TrendRun

    app = database_app()

    def read():
        run = TrendRun({"first_wave": WAVES[0], "more_waves": tuple(WAVES[1:]), "weighted": True})
        with app.app_context():
            return run.read()

    questionnaire, waves, notes, populations = read()
    output = out / "period.html"
    report = ["report", "--waves", *WAVES, "--by-group", "--weighted", "-o", str(output)]
    work = {
        "read": read,
        "weighted": lambda: trend(questionnaire, waves, by_group=True, populations=populations, notes=tuple(notes)),
        "unweighted": lambda: trend(questionnaire, waves, by_group=True, notes=tuple(notes)),
        "report html": lambda: cli.main(report, standalone_mode=False),
    }
    found, made = {}, {}
    for name, function in work.items():
        times = []
        for call in range(calls + 1):
            start = time.process_time()
            made[name] = function()
            if call:  # the first warms up (the lazy imports, the questionnaire's parse)
                times.append(time.process_time() - start)
        found[name] = statistics.median(times)
    html = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", "TIME", output.read_text(encoding="utf-8"))
    digests = [to_json(made["weighted"]), to_json(made["unweighted"]), html]
    return {"cpu": found, "sha256": [hashlib.sha256(text.encode()).hexdigest() for text in digests]}


def run_tree(tree: Path, calls: int, instance: Path, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update({"PYTHONPATH": str(tree), "AWARENESS_INSTANCE_PATH": str(instance), "PYTHONWARNINGS": "ignore"})
    done = subprocess.run([sys.executable, __file__, "--child", "--calls", str(calls), "--out", str(out)], cwd=tree,
                          env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=3)
    parser.add_argument("--tree", type=Path, action="append", default=[],
                        help="Another checkout of the project to time beside this one (say main's).")
    parser.add_argument("--instance", type=Path, help="An instance folder holding the demo (made if empty).")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.calls, args.out)))
        return
    sys.path.insert(0, str(ROOT))
    from benchmarks.report_benchmark import compile_tree, demo_instance
    from benchmarks.scale_benchmark import rounds_in_turn

    trees = {"this": ROOT, **{f"tree{i + 1}": tree.resolve() for i, tree in enumerate(args.tree)}}
    for tree in trees.values():
        compile_tree(tree)
    with tempfile.TemporaryDirectory() as tmp:
        instance = args.instance.resolve() if args.instance else Path(tmp) / "instance"
        demo_instance(instance)
        print(f"# {', '.join(f'{name} = {tree}' for name, tree in trees.items())}; {args.rounds} rounds of "
              f"{args.calls} calls; {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}", flush=True)
        cpu = {(name, measure): [] for name in trees for measure in MEASURES}
        digests, loads = {}, []
        for number, (load, order) in enumerate(rounds_in_turn(list(trees), args.rounds)):
            loads.append(load)
            for name in order:
                found = run_tree(trees[name], args.calls, instance, Path(tmp) / name)
                digests.setdefault(name, found["sha256"])
                for measure in MEASURES:
                    cpu[(name, measure)].append(found["cpu"][measure])
            print(f"round {number + 1} (load {load:.1f}): " + "  ".join(
                f"{name}/{measure} {cpu[(name, measure)][-1]:.3f}" for name in trees for measure in MEASURES)
                + " CPU s", flush=True)
        agree = len({tuple(d) for d in digests.values()}) == 1
        print(f"# load average at the start of each round: {min(loads):.1f} to {max(loads):.1f}"
              + (f"; every tree's trend JSON and report HTML the same: {agree}" if len(trees) > 1 else ""))
        print(f"{'measure':12} {'tree':6} {'CPU s median':>12} {'CPU range':>13}"
              + (f" {'/ this':>7}" if len(trees) > 1 else ""))
        for measure in MEASURES:
            for name in trees:
                values = cpu[(name, measure)]
                ratio = statistics.median(values) / statistics.median(cpu[("this", measure)])
                print(f"{measure:12} {name:6} {statistics.median(values):12.3f} {min(values):6.3f}-{max(values):<6.3f}"
                      + (f" {ratio:7.2f}" if len(trees) > 1 else ""), flush=True)


if __name__ == "__main__":
    main()
