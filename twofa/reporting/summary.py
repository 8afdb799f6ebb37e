"""The lines printed at the end of a run, ending with the verdict and where to read more.

Runs per driver, requirements per status, one entry per defect in the product's words (the
step, what the people saw, the error's first line, the rerun command), the gate's rules that
did not hold, then the verdict and the living doc's path: the last lines a CI log shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .requirements import REQUIREMENT_STATUSES

STATUSES = ("passed", "failed", "skipped", "undefined")
MAX_ITEMS = 3  # per failed rule; the full lists are in gate.json
MAX_DEFECTS = 10  # the rest are on the living doc's first screen
# Rules whose items are the failures already listed, defect by defect.
LISTED_ABOVE = {"critical_must_pass", "allow_broken_requirements", "max_failed"}


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


def _counts(run: dict[str, Any]) -> list[str]:
    counts = counts_by_driver(run["results"])
    width = max([len("driver")] + [len(d) for d in counts])
    lines = ["runs      " + "driver".ljust(width) + "  " + "  ".join(f"{s:>9}" for s in STATUSES) + "      total"]
    for driver, row in counts.items():
        lines.append("          " + driver.ljust(width) + "  " + "  ".join(f"{row[s]:>9}" for s in STATUSES)
                     + f"  {sum(row.values()):>9}")
    if not counts:
        lines.append("          (no scenario ran)")
    lines.append("          (a run is one scenario, or one Examples row, through one driver)")
    return lines


def _defects(run: dict[str, Any]) -> list[str]:
    from .failures import defects

    found = defects(run["results"])
    if not found:
        return []
    # Against another product a failure is a finding about it, not a defect of ours.
    word = "finding" if run.get("deviations") else "defect"
    lines = [f"failures: {len(found)} {word}{'s' if len(found) != 1 else ''} in {_runs(sum(len(d['runs']) for d in found))}"]
    for number, entry in enumerate(found[:MAX_DEFECTS], start=1):
        first = entry["runs"][0]
        example = " (" + ", ".join(f"{k}={v}" for k, v in entry["example"].items()) + ")" if entry["example"] else ""
        marks = " ".join(([ "@critical"] if entry["critical"] else []) + entry["requirements"])
        marks = f"  [{marks}]" if marks else ""
        lines.append(f"  {number}. {entry['scenario']}{example}{marks}  {entry['status']} on {', '.join(entry['drivers'])}")
        lines.append(f"     expected: {entry['step']}")
        for seen in first["observed"]:
            lines.append(f"     saw:      {seen['who']}: {seen['saw']}")
        lines.append(f"     error:    {first['headline']}")
        lines += [f"     note:     {run['driver']}: {run['rerun_note']}" for run in entry["runs"] if run["rerun_note"]]
        lines.append(f"     rerun:    {first['rerun']}")
    if len(found) > MAX_DEFECTS:
        lines.append(f"  ... and {len(found) - MAX_DEFECTS} more on the living doc's first screen")
    return lines


def _runs(n: int) -> str:
    return f"{n} failed run{'s' if n != 1 else ''}"


def _rules(gate: dict[str, Any]) -> list[str]:
    lines = []
    for rule in gate["rules"]:
        if rule["held"]:
            continue
        lines.append(f"  - {rule['rule']} = {setting(rule['setting'])}: {rule['reason']}")
        if rule["rule"] in LISTED_ABOVE:
            continue
        items = [item for item in rule["scenarios"] or [] if " broken: " not in item]
        lines += [f"      {item}" for item in items[:MAX_ITEMS]]
        if len(items) > MAX_ITEMS:
            lines.append(f"      ... and {len(items) - MAX_ITEMS} more (gate.json)")
    return ["gate rules not held:", *lines] if lines else []


def _conformance(run: dict[str, Any], coverage: list[dict[str, Any]]) -> list[str]:
    """A run against another product says it in the product's terms: what it holds, what it
    violates (a failed scenario is a finding about the product), what does not apply to it."""
    recorded = run.get("deviations")
    if not recorded:
        return []
    counts = requirement_counts(coverage)
    product = Path(recorded["file"]).stem  # spec/deviations/<target>.toml
    others = {s: n for s, n in counts.items() if s not in ("proven", "broken", "not applicable")}
    rest = "".join(f", {n} {s}" for s, n in others.items())
    return [f"conformance of {product}: {counts.get('proven', 0)} held, {counts.get('broken', 0)} violated, "
            f"{counts.get('not applicable', 0)} not applicable{rest} ({len(recorded['entries'])} known deviations in {recorded['file']})"]


def summary_lines(run: dict[str, Any], living_doc: str | None = None) -> list[str]:
    from .gate import verdict_sentence

    lines = _counts(run)
    coverage = run.get("coverage", [])
    if coverage:
        lines.append("requirements: " + ", ".join(f"{n} {status}" for status, n in requirement_counts(coverage).items()))
        lines += _conformance(run, coverage)
    lines += _defects(run)
    gate = run["gate"]
    lines += _rules(gate)
    lines.append(f"release gate: {'PASS' if gate['passed'] else 'FAIL'} \u2013 {verdict_sentence(run, coverage)}")
    if living_doc:
        lines.append(f"living doc:   {living_doc}")
    return lines
