"""What the harness tells the reports while a scenario runs: evidence and applicability.

Called from step definitions and the harness's hooks with their ``request`` (or, for
``not_applicable``, the collected item). Each is a no-op returning False when the run writes
no reports (no ``--twofa-reports``), so callers need not check.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from .collecting import ACTIVE_KEY, NOT_APPLICABLE_KEY, REPORT_ATTR, ScenarioRecord, record_of


def not_applicable(item: pytest.Item, reason: str) -> None:
    """Declare a collected run not applicable, before deselecting it.

    The harness calls this for what a driver cannot express (a click path on a driver
    without a browser). Any other deselected run (``-k``, ``--tags``) is "not run": a
    requirement whose scenarios did not all run is not proven (see requirements.py).
    """
    item.stash[NOT_APPLICABLE_KEY] = reason


def attach(request: pytest.FixtureRequest, data: bytes | str, media_type: str = "image/png", name: str | None = None) -> bool:
    """Attach evidence (a screenshot, a log) to the step that is running.

    Called by steps with their ``request`` fixture. After a failure (e.g. from
    a fixture finaliser) it goes to the last step that ran. Returns False and
    does nothing when reporting is off (no ``--twofa-reports``), so steps may
    call it unconditionally.
    """
    node = getattr(request, "node", None)
    if node is None or not isinstance(node, pytest.Item):
        return False
    if not node.config.stash.get(ACTIVE_KEY, False):
        return False
    record = record_of(node)
    if record is None:
        return False
    if isinstance(data, str):
        data = data.encode("utf-8")
    record.attach(bytes(data), media_type, name)
    return True


def link(request: pytest.FixtureRequest, path: str | os.PathLike[str], name: str) -> bool:
    """Link a file of evidence (a Playwright trace) to the scenario. The reports keep its path
    relative to the reports folder, so the living doc's link survives moving the folder."""
    record = _active_record(request)
    if record is None:
        return False
    config = record.item.config
    reports = Path(config.invocation_params.dir, config.getoption("twofa_reports"))
    relative = Path(os.path.relpath(Path(path).resolve(), reports.resolve())).as_posix()
    record.data["links"].append({"name": str(name), "path": relative})
    return True


def observe(request: pytest.FixtureRequest, who: str, saw: str) -> bool:
    """Record what a person saw (an outcome, a screen's heading and alert) on the running or
    last step, so a failure reads "expected ... / saw ..." in the product's words."""
    record = _active_record(request)
    if record is None:
        return False
    record.observe(str(who), str(saw))
    return True


def evidence_from_rerun(report: pytest.TestReport, rerun: Sequence[pytest.TestReport], why: str) -> bool:
    """Give a failed scenario's record what a rerun made only for its evidence linked (its
    Playwright traces) and how that rerun ended; nothing else.

    ``report`` is the first run's teardown report, not yet logged (it carries the record);
    ``rerun`` the rerun's reports, which are never logged; ``why`` what the rerun was for, as
    the reports say it ("with a trace"). The record's status, steps, screenshots and errors
    stay the first run's: the verdict is the first run's, whatever the rerun did. Returns False
    when the run writes no reports.
    """
    from .failures import failed_at

    record = getattr(report, REPORT_ATTR, None)
    if record is None:
        return False
    again = next((r for each in rerun if (r := getattr(each, REPORT_ATTR, None)) is not None), None)
    failed_again = any(each.failed for each in rerun)
    if again is not None:
        record["links"].extend(again["links"])
    record["evidence_rerun"] = {"why": str(why), "failed_again": failed_again,
                                "failed_at": failed_at(again) if failed_again and again is not None else None}
    return True


def _active_record(request: pytest.FixtureRequest) -> ScenarioRecord | None:
    """The record of the running scenario; None when reporting is off (no --twofa-reports)."""
    node = getattr(request, "node", None)
    if not isinstance(node, pytest.Item) or not node.config.stash.get(ACTIVE_KEY, False):
        return None
    return record_of(node)
