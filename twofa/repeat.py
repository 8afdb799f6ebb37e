"""``twofa accept --repeat N``: run the acceptance suite N times and report any scenario
whose verdict changed between runs (a flaky scenario).

Each run is a separate ``twofa accept`` process writing its own reports folder
(``<reports>/repeat/run-K``), so runs share nothing but the code. A scenario run is
identified by its node id (scenario, driver, Examples row); its verdict is the status in
that run's results.json. The comparison goes to ``<reports>/repeat/flakiness.json``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def verdicts(results_json: Path) -> dict[str, str]:
    run = json.loads(results_json.read_text(encoding="utf-8"))
    return {r["nodeid"]: r["status"] for r in run["results"]}


def changes(runs: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The scenario runs whose status was not the same in every run (missing counts as 'absent')."""
    names = sorted({name for run in runs for name in run})
    changed = []
    for name in names:
        seen = [run.get(name, "absent") for run in runs]
        if len(set(seen)) > 1:
            changed.append({"scenario": name, "statuses": seen})
    return changed


def repeat(times: int, accept_args: list[str], reports: Path) -> int:
    folder = reports / "repeat"
    shutil.rmtree(folder, ignore_errors=True)
    runs, seconds, exits = [], [], []
    for k in range(1, times + 1):
        target = folder / f"run-{k}"
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "twofa.cli", "accept", f"--reports={target}", *accept_args],
                              capture_output=True, text=True)
        seconds.append(time.monotonic() - started)
        exits.append(done.returncode)
        if not (target / "results.json").is_file():
            print(done.stdout[-3000:] + done.stderr[-3000:], file=sys.stderr)
            print(f"twofa accept --repeat: run {k} wrote no results.json (exit {done.returncode})", file=sys.stderr)
            return 2
        runs.append(verdicts(target / "results.json"))
        failed = sum(1 for s in runs[-1].values() if s != "passed")
        print(f"run {k}/{times}: {len(runs[-1])} scenario runs, {failed} not passed, exit {done.returncode}, {seconds[-1]:.0f} s",
              flush=True)
    changed = changes(runs)
    summary = {"times": times, "arguments": accept_args, "scenario_runs": len(runs[0]), "exit_codes": exits,
               "seconds": [round(s, 1) for s in seconds], "changed": changed}
    (folder / "flakiness.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(f"\n{times} runs of {len(runs[0])} scenario runs each; verdict changed for {len(changed)}")
    for entry in changed:
        print(f"  {entry['scenario']}: {' '.join(entry['statuses'])}")
    print(f"details: {folder / 'flakiness.json'}")
    return 1 if changed else 0
