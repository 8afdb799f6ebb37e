"""Four shards and a merge against one run: the same reports, and how even the slices are.

    .venv/bin/python bench/shard_bench.py [--shards 4] [--driver domain --driver api ...] [-k EXPR]

Runs the suite once (which writes the durations the shards are balanced by), then each
``--shard I/N`` in turn on this machine (as N runners would, one after another here), then
``twofa report --merge``, and compares the merged reports with the single run's
(bench/compare_reports.py). Prints per shard: runs, the time estimated from the single run's
durations, the time its scenarios took (sum of results.json's durations) and its wall time;
then the balance (slowest shard / mean shard) and the single run's scenario time against the
slowest shard's, which is the wall time N runners would need for the scenarios. Never fails
on speed; exit status 1 only when the reports differ.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.compare_reports import compare_dirs  # noqa: E402


def _accept(reports: Path, options: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "twofa.cli", "accept", f"--reports={reports}", "-q", *options],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"twofa accept {' '.join(options)} broke (exit {done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return time.perf_counter() - started, done.stdout


def _scenario_seconds(reports: Path) -> tuple[int, float]:
    run = json.loads((reports / "results.json").read_text(encoding="utf-8"))
    return len(run["results"]), sum(r["duration_ns"] for r in run["results"]) / 1e9


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--driver", action="append", default=None)
    parser.add_argument("-k", dest="keyword", default=None)
    args = parser.parse_args(argv)
    options = [f"--driver={d}" for d in args.driver or ["domain", "api"]] + (["-k", args.keyword] if args.keyword else [])
    with tempfile.TemporaryDirectory(prefix="shard-bench-") as scratch:
        base = Path(scratch)
        wall, _ = _accept(base / "single", options)
        runs, seconds = _scenario_seconds(base / "single")
        print(f"single run: {runs} runs, scenarios {seconds:.1f} s, wall {wall:.1f} s ({' '.join(options)})")
        shard_seconds = []
        for index in range(1, args.shards + 1):
            wall, out = _accept(base / f"shard-{index}", options + [
                "--shard", f"{index}/{args.shards}", "--shard-durations", str(base / "single" / "durations.json")])
            runs, seconds = _scenario_seconds(base / f"shard-{index}")
            estimate = re.search(r"about ([\d.]+) s", out)
            shard_seconds.append(seconds)
            print(f"shard {index}/{args.shards}: {runs} runs, estimated {estimate.group(1) if estimate else '?'} s, "
                  f"scenarios {seconds:.1f} s, wall {wall:.1f} s")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "twofa.cli", "report", "--merge",
                               *[str(base / f"shard-{i}") for i in range(1, args.shards + 1)], "--reports", str(base / "merged")],
                              cwd=ROOT, capture_output=True, text=True)
        print(f"merge: exit {done.returncode}, {time.perf_counter() - started:.1f} s; {done.stdout.strip().splitlines()[-2]}")
        mean = sum(shard_seconds) / len(shard_seconds)
        print(f"balance: slowest shard / mean shard = {max(shard_seconds) / mean:.2f}; "
              f"single run's scenarios / slowest shard's = {_scenario_seconds(base / 'single')[1] / max(shard_seconds):.2f}x")
        out = io.StringIO()
        same = compare_dirs(base / "single", base / "merged", out=out)
        print("merged vs single (compare_reports):\n" + "".join("    " + line + "\n" for line in out.getvalue().splitlines()))
        return 0 if same == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
