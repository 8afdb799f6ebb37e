"""Failures as a release manager reads them: one entry per defect, in the product's words.

A defect is one step of one scenario (one Examples row) that failed, whatever the number of
drivers it failed on: the same broken rule seen through domain, api and ui is one entry
naming three drivers. Each entry says which step failed (the expectation, as the feature
words it), what the people saw (recorded by the harness with ``observe``), the first line
of the error, and a command that reruns that scenario on that driver with the same seed; the
technical detail (the short traceback per driver) comes last.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from .identity import SEED_VARIABLE
from .model import CRITICAL_TAG
from .requirements import FAILING, requirement_ids

_NOISE = re.compile(r"^(E\s+)?(assert |\+  where |where )")


def headline(error: str | None) -> str:
    """The error's message without the traceback: the line after 'E   SomeError:'."""
    lines = (error or "").splitlines()
    for line in lines:
        match = re.match(r"^E\s+(?:[\w.]+(?:Error|Exception)|Failed):\s*(.*)$", line)
        if match and match.group(1):
            return match.group(1).strip()
    for line in lines:  # an error without pytest's "E" lines, e.g. "AssertionError: text"
        match = re.match(r"^(?:[\w.]+(?:Error|Exception)):\s*(.*)$", line)
        if match and match.group(1):
            return match.group(1).strip()
    meaningful = [line.strip() for line in lines if line.strip() and not _NOISE.match(line.strip())]
    return meaningful[-1] if meaningful else "failed"


def _failed_step(record: dict[str, Any]) -> dict[str, Any] | None:
    return next((s for s in record["steps"] if s["status"] in FAILING), None)


def _function_name(nodeid: str) -> str:
    return nodeid.split("::")[-1].split("[")[0]


def rerun_command(record: dict[str, Any]) -> str:
    """The command that runs this scenario again, on this driver, with the same people."""
    seed = (record.get("properties") or {}).get("seed")
    command = ["twofa", "accept", "-k", _function_name(record["nodeid"])]
    if record.get("driver"):
        command += ["--driver", record["driver"]]
    prefix = f"{SEED_VARIABLE}={seed} " if seed is not None else ""
    return prefix + shlex.join(command)


def failed_at(record: dict[str, Any]) -> str:
    """Where a failed run failed: its step as the feature words it, or before or after the steps."""
    step = _failed_step(record)
    if step:
        return f"{step['keyword'].strip()} {step['text']}"
    hook = next((h for h in record.get("hooks", []) if h["status"] == "failed"), None)
    return "before the first step" if hook and hook["kind"] == "before" else "after the last step"


def rerun_note(record: dict[str, Any]) -> str | None:
    """How a failed run's rerun for its evidence ended (``evidence_from_rerun``), in words;
    None if it was not rerun. A rerun that passed is a flakiness signal; the run still failed."""
    rerun = record.get("evidence_rerun")
    if not rerun:
        return None
    why = rerun.get("why") or ""
    if not rerun.get("failed_again"):
        return f"did not fail again when rerun {why}: the failure comes and goes (flaky); the first run's failure stands"
    elsewhere = rerun.get("failed_at")
    if elsewhere and elsewhere != failed_at(record):
        return f"failed again when rerun {why}, but at \u201c{elsewhere}\u201d"
    return f"failed again when rerun {why}"


def defects(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Failed runs grouped by scenario, Examples row and failed step, in report order."""
    grouped: dict[tuple, dict[str, Any]] = {}
    for record in results:
        if record["status"] not in FAILING:
            continue
        step = _failed_step(record)
        hook = next((h for h in record.get("hooks", []) if h["status"] == "failed"), None)
        key = (record["uri"], record["scenario_line"], record.get("example_index"), step["line"] if step else None)
        entry = grouped.setdefault(key, {
            "key": f"{record['uri']}:{record['scenario_line']}",
            "scenario": record["scenario_name"],
            "feature": record.get("feature_name", ""),
            "example": record.get("example") or {},
            "critical": CRITICAL_TAG in record["tags"],
            "requirements": requirement_ids(record["tags"]),
            "status": record["status"],
            "step": failed_at(record),
            "drivers": [],
            "runs": [],
        })
        error = (step or {}).get("error") or (hook or {}).get("error") or record.get("error")
        entry["drivers"].append(record.get("driver") or "-")
        entry["runs"].append({
            "driver": record.get("driver") or "-",
            "headline": "undefined step: no step definition matches it" if record["status"] == "undefined" else headline(error),
            "observed": (step or {}).get("observed", []),
            "rerun": rerun_command(record),
            "detail": error or "",
            "links": record.get("links", []),
            "rerun_note": rerun_note(record),  # how its rerun for a trace ended, if it had one
        })
    return list(grouped.values())
