"""The status of each requirement: one rule, used by every report.

A requirement is only as proven as its weakest scenario. Its status comes from every run of
every scenario tagged ``@req-<ID>``: one run is one scenario (one Examples row) through one
driver. Runs that did not happen count too: a run the harness declared *not applicable*
(a click path on a driver without a browser) is left out; a run the person running the
suite left out (``-k``, ``--tags``) is *not run*.

=================  ======================================================================
status             when
=================  ======================================================================
broken             any run failed or has an undefined step (the scenarios and drivers are named)
proven             every applicable run passed
partly proven      some runs passed, the others were skipped or not run; none failed
not proven         no run passed and none failed: all skipped or not run
not applicable     every run of its scenarios was not applicable to this run's drivers
not covered        no scenario is tagged with it
=================  ======================================================================

``gate.json``, ``results.json``, the living documentation and the terminal summary all read
the list :func:`requirement_status` returns, stored once in the run document as ``coverage``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

REQUIREMENT_TAG_PREFIX = "req-"

BROKEN, PROVEN, PARTLY, NOT_PROVEN, NOT_APPLICABLE, NOT_COVERED = (
    "broken", "proven", "partly proven", "not proven", "not applicable", "not covered")
# Worst first: the order a release manager reads them in.
REQUIREMENT_STATUSES = (BROKEN, NOT_COVERED, NOT_PROVEN, PARTLY, PROVEN, NOT_APPLICABLE)
# Statuses a release can live with.
ACCEPTABLE = (PROVEN, NOT_APPLICABLE)

# A conformance run (another product, judged against its known deviations) speaks of the
# product: a requirement it meets is *held*, one a scenario shows it breaking is *violated*.
CONFORMANCE_WORDS = {PROVEN: "held", BROKEN: "violated"}


def status_word(status: str, conformance: Any) -> str:
    return CONFORMANCE_WORDS.get(status, status) if conformance else status


def conformance_target(run: dict[str, Any]) -> str | None:
    """The product a conformance run is about (None for the reference app's own run)."""
    recorded = run.get("deviations")
    if not recorded:
        return None
    return (run.get("meta") or {}).get("target") or Path(recorded["file"]).stem


# Statuses of one run. The first four are Cucumber's; the last two are runs that did not happen.
FAILING = ("failed", "undefined")
NOT_RUN = "not run"
NOT_APPLICABLE_RUN = "not applicable"
RUN_ORDER = ("failed", "undefined", "skipped", NOT_RUN, "passed", NOT_APPLICABLE_RUN)


def worst(statuses: Iterable[str], default: str = NOT_RUN) -> str:
    """The worst of some statuses: a scenario's runs (none: 'not run'), or a run's steps and hooks."""
    present = set(statuses)
    return next((status for status in RUN_ORDER if status in present), default)


def requirement_ids(tags: Iterable[str]) -> list[str]:
    return sorted(t[len(REQUIREMENT_TAG_PREFIX) :] for t in tags if t.startswith(REQUIREMENT_TAG_PREFIX))


def load_requirements(path: Path | None) -> list[dict[str, Any]]:
    """The catalogue as the run document holds it, in file order (read by ``twofa/spec.py``).
    A missing file is an empty catalogue."""
    if path is None or not path.is_file():
        return []
    from twofa.spec import load_requirements as read

    fields = ("id", "title", "statement", "source", "kind", "peer")
    return [{name: getattr(requirement, name) for name in fields} for requirement in read(path)]


def scenario_key(record: dict[str, Any]) -> str:
    """Identity of a scenario as written (all its drivers and examples)."""
    return f"{record['uri']}:{record['scenario_line']}"


def scenario_outcomes(results: list[dict[str, Any]], not_run: Iterable[dict[str, Any]] = ()) -> dict[str, dict[str, Any]]:
    """Per scenario as written: its name, tags, and each run (driver, example row, status).

    ``results`` are the runs that happened; ``not_run`` the ones that did not (their
    ``status`` is 'not run' or 'not applicable', with a ``reason``).
    """
    scenarios: dict[str, dict[str, Any]] = {}
    for record in [*results, *not_run]:
        key = scenario_key(record)
        entry = scenarios.setdefault(key, {"key": key, "uri": record["uri"], "line": record["scenario_line"],
                                           "name": record.get("scenario_title") or record["scenario_name"],
                                           "tags": set(), "runs": []})
        entry["tags"].update(record["tags"])
        entry["runs"].append({"driver": record.get("driver") or "-", "example_index": record.get("example_index"),
                              "status": record["status"]})
    for entry in scenarios.values():
        entry["tags"] = sorted(entry["tags"])
        entry["status"] = worst(run["status"] for run in entry["runs"])
    return dict(sorted(scenarios.items(), key=lambda item: (item[1]["uri"], item[1]["line"])))


def _drivers(runs: list[dict[str, Any]], statuses: Iterable[str]) -> list[str]:
    wanted = set(statuses)
    return sorted({run["driver"] for run in runs if run["status"] in wanted})


def _status(runs: list[dict[str, Any]]) -> str:
    applicable = [run["status"] for run in runs if run["status"] != NOT_APPLICABLE_RUN]
    if not runs:
        return NOT_COVERED
    if not applicable:
        return NOT_APPLICABLE
    if any(status in FAILING for status in applicable):
        return BROKEN
    if all(status == "passed" for status in applicable):
        return PROVEN
    if any(status == "passed" for status in applicable):
        return PARTLY
    return NOT_PROVEN


def requirement_status(requirements: list[dict[str, Any]], results: list[dict[str, Any]],
                       not_run: Iterable[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """For each requirement of the catalogue: its status, its scenarios, and what broke it."""
    scenarios = scenario_outcomes(results, not_run)
    coverage = []
    for requirement in requirements:
        tag = REQUIREMENT_TAG_PREFIX + requirement["id"]
        proving = [s for s in scenarios.values() if tag in s["tags"]]
        runs = [run for s in proving for run in s["runs"]]
        coverage.append({
            "id": requirement["id"],
            "title": requirement.get("title", ""),
            "status": _status(runs),
            "scenarios": [{"key": s["key"], "name": s["name"], "status": s["status"],
                           "failed_on": _drivers(s["runs"], FAILING),
                           "passed_on": _drivers(s["runs"], ("passed",)),
                           "skipped_on": _drivers(s["runs"], ("skipped",)),
                           "not_run_on": _drivers(s["runs"], (NOT_RUN,))} for s in proving],
        })
    return coverage


def broken_by(entry: dict[str, Any]) -> list[str]:
    """What broke a requirement, one line per scenario: name, status and drivers."""
    return [f"{s['key']} {s['name']}: {s['status']} on {', '.join(s['failed_on'])}"
            for s in entry["scenarios"] if s["failed_on"]]


def explain(entry: dict[str, Any]) -> str:
    """Why a requirement has its status, in a sentence."""
    status = entry["status"]
    if status == BROKEN:
        return "; ".join(broken_by(entry))
    if status in (PARTLY, NOT_PROVEN):
        gaps = [f"{s['key']} {s['name']}: " + ", ".join(
                    part for part in (f"skipped on {', '.join(s['skipped_on'])}" if s["skipped_on"] else "",
                                      f"not run on {', '.join(s['not_run_on'])}" if s["not_run_on"] else "") if part)
                for s in entry["scenarios"] if s["skipped_on"] or s["not_run_on"]]
        return "; ".join(gaps)
    if status == NOT_COVERED:
        return "no scenario is tagged @" + REQUIREMENT_TAG_PREFIX + entry["id"]
    if status == NOT_APPLICABLE:
        return "none of its scenarios applies to the drivers of this run"
    return f"all {len(entry['scenarios'])} of its scenarios passed on every driver that applies"
