"""The few lines printed at the end of a run: counts per driver, the verdict."""

from __future__ import annotations

from typing import Any

STATUSES = ("passed", "failed", "skipped", "undefined")
MAX_ITEMS = 5  # per failed rule; the full lists are in gate.json


def counts_by_driver(results: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for record in results:
        row = counts.setdefault(record.get("driver") or "-", {s: 0 for s in STATUSES})
        row[record["status"]] = row.get(record["status"], 0) + 1
    return dict(sorted(counts.items()))


def summary_lines(run: dict[str, Any]) -> list[str]:
    lines = []
    counts = counts_by_driver(run["results"])
    width = max([len("driver")] + [len(d) for d in counts])
    lines.append("scenarios " + "driver".ljust(width) + "  " + "  ".join(f"{s:>9}" for s in STATUSES))
    for driver, row in counts.items():
        lines.append("          " + driver.ljust(width) + "  " + "  ".join(f"{row[s]:>9}" for s in STATUSES))
    if not counts:
        lines.append("          (no scenario ran)")
    gate = run["gate"]
    lines.append(f"release gate: {'PASS' if gate['passed'] else 'FAIL'}")
    for rule in gate["rules"]:
        if rule["held"]:
            continue
        lines.append(f"  - {rule['rule']} = {rule['setting']!r}: {rule['reason']}")
        items = rule["scenarios"] or []
        for item in items[:MAX_ITEMS]:
            lines.append(f"      {item}")
        if len(items) > MAX_ITEMS:
            lines.append(f"      ... and {len(items) - MAX_ITEMS} more (see gate.json)")
    return lines
