"""Benchmark `awareness compare --by-group` on two large synthetic waves.

Builds a 40-item questionnaire (awareness, knowledge, likert, numbers) with 5
stakeholder groups, writes two waves of N respondents each as interchange CSV,
then times the command end to end in a fresh process and reads its peak memory.

    python benchmarks/compare_benchmark.py --sizes 10000 100000 1000000
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

GROUPS = ["government", "employers", "workers", "civil_society", "development_partners"]


def benchmark_questionnaire() -> dict:
    yes_no = [{"code": c, "label": c} for c in ("yes", "no", "dk")]
    agree = [{"code": str(i), "label": f"level {i}"} for i in range(1, 6)]
    items = []
    for i in range(10):
        items.append({"id": f"aware_{i}", "type": "single_choice", "choices": "yes_no_dk",
                      "label": f"Awareness {i}", "measure": "awareness", "success": ["yes"]})
    for i in range(10):
        items.append({"id": f"know_{i}", "type": "single_choice", "label": f"Knowledge {i}", "measure": "knowledge",
                      "correct": "a", "choices": [{"code": c, "label": c} for c in ("a", "b", "c", "dk")]})
    for i in range(12):
        items.append({"id": f"likert_{i}", "type": "likert", "choices": "agree5", "label": f"Likert {i}"})
    for i in range(8):
        items.append({"id": f"number_{i}", "type": "number", "integer": True, "min": 0, "max": 100,
                      "label": f"Number {i}"})
    return {"id": "benchmark", "version": "1", "title": "Benchmark", "languages": ["en"],
            "groups": [{"code": g, "label": g} for g in GROUPS],
            "choice_lists": {"yes_no_dk": yes_no, "agree5": agree},
            "sections": [{"id": "all", "title": "All", "items": items}]}


def write_wave(path: Path, definition: dict, n: int, seed: int, lift: float) -> None:
    """N respondents; answers drawn per column with numpy (20 % blank cells on average)."""
    rng = np.random.default_rng(seed)
    columns: dict[str, np.ndarray] = {"group": rng.choice(GROUPS, n)}
    for item in definition["sections"][0]["items"]:
        kind = item["id"].split("_")[0]
        if kind == "aware":
            values = np.where(rng.random(n) < 0.5 + lift, "yes", rng.choice(["no", "dk"], n))
        elif kind == "know":
            values = np.where(rng.random(n) < 0.4 + lift, "a", rng.choice(["b", "c", "dk"], n))
        elif kind == "likert":
            values = (rng.binomial(4, 0.5 + lift / 2, n) + 1).astype(str)
        else:
            values = rng.poisson(3 + 10 * lift, n).clip(0, 100).astype(str)
        columns[item["id"]] = np.where(rng.random(n) < 0.2, "", values)
    pd.DataFrame(columns).to_csv(path, index=False)


def write_wave_apart(path: Path, n: int, seed: int, lift: float) -> None:
    """write_wave in a process of its own.

    Linux carries a process's peak memory into the children it starts (ru_maxrss survives fork and
    exec), so a benchmark that built a million rows itself would report that peak for every command.
    """
    code = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1])\n"
            "from benchmarks.compare_benchmark import benchmark_questionnaire, write_wave\n"
            "write_wave(Path(sys.argv[2]), benchmark_questionnaire(), int(sys.argv[3]), int(sys.argv[4]), "
            "float(sys.argv[5]))")
    subprocess.run([sys.executable, "-c", code, str(Path(__file__).resolve().parent.parent), str(path), str(n),
                    str(seed), str(lift)], check=True)


def run(size: int, folder: Path, definition_path: Path) -> dict:
    base, cur = folder / f"base-{size}.csv", folder / f"cur-{size}.csv"
    write_wave_apart(base, size, seed=1, lift=0.0)
    write_wave_apart(cur, size, seed=2, lift=0.05)
    command = [sys.executable, "-c", "from survey.cli import cli; cli()", "compare", "--questionnaire",
               str(definition_path), "--baseline", str(base), "--current", str(cur), "--by-group",
               "--format", "json", "--output", str(folder / f"result-{size}.json")]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    _pid, status, usage = os.wait4(process.pid, 0)  # this one command's resources, not all children's
    seconds = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"compare failed with status {status}")
    return {"respondents_per_wave": size, "seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": usage.ru_maxrss / 1024,
            "csv_mb": (base.stat().st_size + cur.stat().st_size) / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    definition = benchmark_questionnaire()
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("respondents/wave  seconds  cpu s  peak RSS MB  input MB  seconds per 100k")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        definition_path = folder / "benchmark.yaml"
        definition_path.write_text(yaml.safe_dump(definition))
        for size in sorted(args.sizes):
            r = run(size, folder, definition_path)
            print(f"{r['respondents_per_wave']:>16,}  {r['seconds']:7.2f}  {r['cpu_seconds']:5.1f}  "
                  f"{r['peak_rss_mb']:11.0f}  {r['csv_mb']:8.1f}  {r['seconds'] / size * 1e5:16.2f}", flush=True)


if __name__ == "__main__":
    main()
