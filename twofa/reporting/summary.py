"""The lines printed at the end of a run: runs per driver, requirements, the verdict."""

from __future__ import annotations

from typing import Any

from .requirements import BROKEN, REQUIREMENT_STATUSES, broken_by

STATUSES = ("passed", "failed", "skipped", "undefined")
MAX_ITEMS = 5  # per failed rule; the full lists are in gate.json


def setting(value: Any) -> str:
    """A policy value as it is written in pyproject.toml (true, not Python's True)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def counts_by_driver(results: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Runs (one scenario or Examples row through one driver) per driver and status."""
    counts: dict[str, dict[str, int]] = {}
    for record in results:
        row = counts.setdefault(record.get("driver") or "-", {s: 0 for s in STATUSES})
        row[record["status"]] = row.get(record["status"], 0) + 1
    return dict(sorted(counts.items()))


def requirement_counts(coverage: list[dict[str, Any]]) -> dict[str, int]:
    counts = {status: 0 for status in REQUIREMENT_STATUSES}
    for entry in coverage:
        counts[entry["status"]] += 1
    return {status: n for status, n in counts.items() if n}


def summary_lines(run: dict[str, Any]) -> list[str]:
    lines = []
    counts = counts_by_driver(run["results"])
    width = max([len("driver")] + [len(d) for d in counts])
    lines.append("runs      " + "driver".ljust(width) + "  " + "  ".join(f"{s:>9}" for s in STATUSES))
    for driver, row in counts.items():
        lines.append("          " + driver.ljust(width) + "  " + "  ".join(f"{row[s]:>9}" for s in STATUSES))
    if not counts:
        lines.append("          (no scenario ran)")
    coverage = run.get("coverage", [])
    if coverage:
        lines.append("requirements: " + ", ".join(f"{n} {status}" for status, n in requirement_counts(coverage).items()))
    for entry in (c for c in coverage if c["status"] == BROKEN):
        lines.append(f"  broken {entry['id']} {entry['title']}")
        lines += [f"      {line}" for line in broken_by(entry)]
    gate = run["gate"]
    lines.append(f"release gate: {'PASS' if gate['passed'] else 'FAIL'}")
    for rule in gate["rules"]:
        if rule["held"]:
            continue
        lines.append(f"  - {rule['rule']} = {setting(rule['setting'])}: {rule['reason']}")
        items = rule["scenarios"] or []
        for item in items[:MAX_ITEMS]:
            lines.append(f"      {item}")
        if len(items) > MAX_ITEMS:
            lines.append(f"      ... and {len(items) - MAX_ITEMS} more (see gate.json)")
    return lines
