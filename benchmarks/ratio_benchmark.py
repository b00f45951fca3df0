"""The comparison's ratios on a shared machine: each command run in turn, round after round, medians.

    python benchmarks/ratio_benchmark.py --size 100000 --rounds 7 \
        [--postgres postgresql://postgres@127.0.0.1:5432/bench]

Two synthetic waves of N respondents (the 40-item questionnaire of `compare_benchmark.py`) as CSV files,
imported into SQLite (and PostgreSQL). Each round runs, in a fresh process each and in an order that
turns by one every round (so that no command always follows the same one):

- floor:      `floors.py compare`, plain pandas + scipy doing the same tests (chi-square/Fisher, Mann-Whitney,
              Welch, Holm; for `all` and each group) on the same files;
- files:      `awareness compare --questionnaire Q --baseline A.csv --current B.csv --by-group --format json`;
- sqlite:     `awareness compare --baseline-wave base --current-wave cur --by-group --format json`;
- postgresql: the same on PostgreSQL.

When other work shares the cores, a command's time swings with the load from one run to the next; a
ratio taken within a round (both commands under about the same load) swings less. The table gives each
command's median, fastest and slowest, and each ratio's median over the rounds with its range, in seconds
end to end and in CPU seconds (user + system of the command and its threads): on cores shared with other
work a command waits for the CPU, and its seconds measure the load more than the command; its CPU seconds
move much less.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.compare_benchmark import benchmark_questionnaire, write_wave_apart  # noqa: E402
from benchmarks.scale_benchmark import (  # noqa: E402
    AWARENESS,
    FLOORS,
    Instance,
    compile_project,
    file_compare_command,
    rounds_in_turn,
    run_fresh,
)

RATIOS = (("files", "floor", "compare on files / pandas + scipy", 1.0),
          ("sqlite", "files", "compare from SQLite / from files", 1.5),
          ("postgresql", "files", "compare from PostgreSQL / from files", 1.5))


def same(first, second) -> bool:
    """Whether two results agree, floats to a relative 1e-9 (sums taken in another order differ in the last
    digits; rounding both to a number of digits would still split a value lying on a rounding boundary)."""
    if isinstance(first, float) and isinstance(second, float):
        return math.isclose(first, second, rel_tol=1e-9)
    if isinstance(first, dict) and isinstance(second, dict):
        return first.keys() == second.keys() and all(same(first[key], second[key]) for key in first)
    if isinstance(first, list) and isinstance(second, list):
        return len(first) == len(second) and all(map(same, first, second))
    return first == second


def timed(command: list[str], env: dict | None) -> tuple[float, float]:
    """Seconds end to end and CPU seconds (user + system, its threads included) of one fresh process."""
    seconds, usage = run_fresh(command, env)
    return seconds, usage.ru_utime + usage.ru_stime


def database_command(folder: Path, label: str) -> list[str]:
    return AWARENESS + ["compare", "--baseline-wave", "base", "--current-wave", "cur", "--by-group", "--format",
                        "json", "--output", str(folder / f"{label}.json")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--postgres", help="Also compare from this PostgreSQL database (its schema is reset).")
    args = parser.parse_args()
    compile_project()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        questionnaire = folder / "benchmark.yaml"
        questionnaire.write_text(yaml.safe_dump(benchmark_questionnaire()))
        files = {"base": folder / "base.csv", "cur": folder / "cur.csv"}
        write_wave_apart(files["base"], args.size, seed=1, lift=0.0)
        write_wave_apart(files["cur"], args.size, seed=2, lift=0.05)
        commands: dict[str, tuple[list[str], dict | None]] = {
            "floor": ([sys.executable, FLOORS, "compare", str(questionnaire), str(files["base"]), str(files["cur"]),
                       str(folder / "floor.json")], None),
            "files": (file_compare_command(files, questionnaire, folder), None)}
        for label, url in (("sqlite", None), ("postgresql", args.postgres)):
            if label == "postgresql" and not url:
                continue
            instance = Instance(folder / label, questionnaire, url)
            for wave in ("base", "cur"):
                seconds, _ = instance.awareness("import", wave, str(files[wave]))
                print(f"# import {wave} into {label}: {seconds:.1f} s", flush=True)
            commands[label] = (database_command(folder, label), instance.env)
        names = list(commands)
        print(f"# {args.size:,} respondents per wave, {args.rounds} rounds of {', '.join(names)}; "
              f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}", flush=True)
        runs: dict[str, list[float]] = {name: [] for name in names}
        cpu: dict[str, list[float]] = {name: [] for name in names}
        loads = []
        for round_number, (load, order) in enumerate(rounds_in_turn(names, args.rounds)):
            loads.append(load)
            for name in order:
                command, env = commands[name]
                seconds, cpu_seconds = timed(command, env)
                runs[name].append(seconds)
                cpu[name].append(cpu_seconds)
            print(f"round {round_number + 1} (load {loads[-1]:.1f}): "
                  + "  ".join(f"{name} {runs[name][-1]:.2f} ({cpu[name][-1]:.2f} CPU)" for name in names), flush=True)
        agree = [same(json.loads((folder / f"{name}.json").read_text())["results"],
                      json.loads((folder / "ours.json").read_text())["results"])
                 for name in names if name in ("sqlite", "postgresql")]
        print(f"# load average at the start of each round: {min(loads):.1f} to {max(loads):.1f}; "
              f"results from the database the same as from the files (floats to a relative 1e-9): {all(agree)}")
        print(f"{'command':12} {'median s':>9} {'fastest':>8} {'slowest':>8} {'CPU s median':>12} {'CPU range':>12}")
        for name in names:
            print(f"{name:12} {statistics.median(runs[name]):9.2f} {min(runs[name]):8.2f} {max(runs[name]):8.2f} "
                  f"{statistics.median(cpu[name]):12.2f} {min(cpu[name]):5.2f}-{max(cpu[name]):<6.2f}")
        for label, measure in (("seconds", runs), ("CPU seconds", cpu)):
            print(f"{'ratio of ' + label:40} {'median':>7} {'range':>13} {'of medians':>10} target")
            for top, bottom, text, target in RATIOS:
                if top not in measure:
                    continue
                ratios = [a / b for a, b in zip(measure[top], measure[bottom], strict=True)]
                print(f"{text:40} {statistics.median(ratios):7.2f} {min(ratios):6.2f}-{max(ratios):<6.2f} "
                      f"{statistics.median(measure[top]) / statistics.median(measure[bottom]):10.2f} <= {target}")

if __name__ == "__main__":
    main()
