"""Who ran what, where: the identity of a run, so that an archived verdict is tied to a build.

Stored in the run document's ``meta`` and copied into ``gate.json`` as ``run``: an id, the
start and end times, the commit (and whether the tree had changes), the drivers, the seed,
the versions of the tools that decided the verdict, and how browser scenarios were traced.
"""

from __future__ import annotations

import os
import platform
import subprocess
import uuid
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

# The harness seeds every random source (Faker) from this variable when it is set, else
# from each scenario's id (steps/plugin.py); either way a failure reruns with the same people.
SEED_VARIABLE = "TWOFA_SEED"
TOOLS = ("pytest", "pytest-bdd", "pytest-xdist", "gherkin-official", "playwright", "freezegun", "pyotp", "faker")


def _git(rootdir: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=rootdir, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def commit(rootdir: Path) -> dict[str, Any] | None:
    """The commit checked out, and whether files differ from it; None outside git."""
    sha = _git(rootdir, "rev-parse", "HEAD")
    if not sha:
        return None
    changes = _git(rootdir, "status", "--porcelain", "--untracked-files=no")
    return {"sha": sha, "short": sha[:10], "branch": _git(rootdir, "rev-parse", "--abbrev-ref", "HEAD") or "",
            "changed_files": bool(changes)}


def tool_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in TOOLS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def start(rootdir: Path, started_ns: int) -> dict[str, Any]:
    """What is known when the run starts."""
    return {
        "run_id": uuid.uuid4().hex[:12],
        "started_ns": started_ns,
        "commit": commit(rootdir),
        "seed": os.environ.get(SEED_VARIABLE) or "per scenario, from its id",
        "tools": tool_versions(),
    }


def when(ns: int | None) -> str:
    if not ns:
        return "unknown time"
    return datetime.fromtimestamp(ns / 1e9, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def drivers_of(run: dict[str, Any]) -> list[str]:
    return sorted({r.get("driver") or "-" for r in [*run["results"], *run.get("not_run", [])]})


def for_gate(run: dict[str, Any]) -> dict[str, Any]:
    """The identity as gate.json carries it: everything a release manager archives."""
    meta = run.get("meta", {})
    # A run spread over machines: which slice this is, or which slices were merged (merge.py).
    spread = {key: meta[key] for key in ("shard", "shards") if meta.get(key)}
    # How failed browser scenarios got their traces (steps/browser_trace.py), when the suite says.
    traces = {"browser_trace": meta["browser_trace"]} if meta.get("browser_trace") else {}
    return {
        "run_id": meta.get("run_id"),
        "started": when(meta.get("started_ns")),
        "finished": when(meta.get("finished_ns")),
        "commit": meta.get("commit"),
        "target": meta.get("target") or "reference",
        "real_time": bool(meta.get("real_time")),  # on the wall clock: the scenarios that move time did not apply
        "drivers": drivers_of(run),
        "seed": meta.get("seed"),
        "tools": meta.get("tools", {}),
        **traces,
        **spread,
    }


def describe(run: dict[str, Any]) -> str:
    """One line: when, which commit, which drivers, which seed."""
    identity = for_gate(run)
    source = identity["commit"]
    where = (f"commit {source['short']}" + (" with uncommitted changes" if source["changed_files"] else "")
             + (f" on {source['branch']}" if source.get("branch") and source["branch"] != "HEAD" else "")) if source else "not in git"
    return (f"run {identity['run_id'] or '?'} \u00b7 {identity['started']} \u00b7 {where} \u00b7 target "
            f"{identity['target']}{' (real time)' if identity['real_time'] else ''} \u00b7 drivers "
            f"{', '.join(identity['drivers']) or 'none'} \u00b7 seed {identity['seed']}")
