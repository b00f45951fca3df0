"""How long `awareness --help` and `awareness wave --help` take to start, and what they import.

    python benchmarks/cli_startup_benchmark.py [--rounds 10] [TREE ...]

Each TREE is a source tree of this project (default: this one), e.g. a `git archive` of an earlier commit
unpacked in /tmp, imported through PYTHONPATH. The commands run alternately, tree after tree in each round, so
that every tree meets the same load; for each: the best and median wall time and CPU time (user + system, less
sensitive to other processes on a shared machine) of a fresh interpreter under `python -X importtime`, the
modules it imported, and the time `-X importtime` counts in imports (the sum of every module's own, best of the
rounds).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {"--help": ["--help"], "wave --help": ["wave", "--help"]}


def script(arguments: list[str]) -> str:
    return (f"import sys\nfrom survey.cli import cli\ntry:\n    cli({arguments!r})\nexcept SystemExit:\n    pass\n"
            "print(len(sys.modules), file=sys.stderr)")


def run(tree: Path, arguments: list[str]) -> tuple[float, float, int, float]:
    """(wall seconds, CPU seconds, modules imported, seconds spent importing) of one fresh interpreter."""
    environment = dict(os.environ, PYTHONPATH=str(tree))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", script(arguments)], env=environment,  # noqa: S603
                          capture_output=True, text=True, check=True, cwd=tree)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    lines = done.stderr.splitlines()
    imports = sum(int(line.split("|")[0].split(":")[1]) for line in lines if line.startswith("import time:")
                  and "self [us]" not in line)
    return wall, cpu, int(lines[-1]), imports / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("trees", nargs="*", type=Path, default=[ROOT])
    options = parser.parse_args()
    results = {(tree, name): [] for tree in options.trees for name in COMMANDS}
    for _ in range(options.rounds):
        for name, arguments in COMMANDS.items():
            for tree in options.trees:
                results[tree, name].append(run(tree, arguments))
    print(f"{'tree':30} {'command':12} {'wall best':>9} {'median':>7} {'CPU best':>8} {'median':>7} {'modules':>7} "
          f"{'imports best':>12}")
    for (tree, name), runs in results.items():
        walls, cpus = [run[0] for run in runs], [run[1] for run in runs]
        print(f"{str(tree)[-30:]:30} {name:12} {min(walls):9.3f} {statistics.median(walls):7.3f} {min(cpus):8.3f} "
              f"{statistics.median(cpus):7.3f} {runs[0][2]:7d} {min(run[3] for run in runs):12.3f}")


if __name__ == "__main__":
    main()
