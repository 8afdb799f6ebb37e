"""Worker side: record what each scenario did, step by step.

Everything here runs in the process that executes the test (a pytest-xdist
worker, or the only process of a serial run). The record of one test item is
kept in ``item.stash`` while it runs and, once its teardown is reported, is put
on that teardown ``TestReport`` as the plain-JSON attribute ``twofa_scenario``.
pytest serialises every JSON-able attribute of a report, so xdist carries the
record to the controller for free, and the controller (see ``plugin.py``) is
the only process that writes files. That is what makes ``-n N`` produce the
same reports as a serial run.

A record is a dict (JSON types only)::

    {"nodeid", "uri", "feature_name", "scenario_line", "scenario_name",
     "keyword", "example_index", "example", "driver", "tags",
     "status", "error", "skip_reason", "hooks", "attachments",
     "started_ns", "duration_ns",
     "steps": [{"line", "keyword", "text", "status", "duration_ns",
                "started_ns", "error", "definition", "attachments"}]}

Step status is one of passed, failed, skipped, undefined. A step that never
ran (after a failure, or in a scenario skipped during setup) is "skipped".
"""

from __future__ import annotations

import base64
import os
import re
import weakref
from pathlib import Path
from typing import Any

import pytest

from . import clock
from .requirements import worst

# pytest-bdd parametrizes Scenario Outlines with this argument name.
EXAMPLE_PARAM = "_pytest_bdd_example"
# Attribute of the teardown TestReport that carries the record.
REPORT_ATTR = "twofa_scenario"

RECORD_KEY = pytest.StashKey["ScenarioRecord"]()
# Why the harness left a collected item out as not applicable (see ``not_applicable``).
NOT_APPLICABLE_KEY = pytest.StashKey[str]()
# Key of ``config.workeroutput`` that carries an xdist worker's deselected runs home.
NOT_RUN_OUTPUT = "twofa_not_run"
# Set on config when --twofa-reports is given: attach() is a no-op otherwise.
ACTIVE_KEY = pytest.StashKey[bool]()



def _template_of(item: pytest.Item) -> Any | None:
    """The pytest-bdd ScenarioTemplate behind a test item, if any.

    pytest-bdd has no public API for this. Its registry maps the generated
    test function to the template; we need the template (rather than the
    ``pytest_bdd_before_scenario`` hook) because a scenario skipped or broken
    during fixture setup never reaches that hook, and it must still appear in
    the reports with all its steps.
    """
    try:
        from pytest_bdd.scenario import scenario_wrapper_template_registry
    except ImportError:  # pragma: no cover - pytest-bdd is a dependency
        return None
    func = getattr(item, "function", None)
    if func is None:
        return None
    try:
        return scenario_wrapper_template_registry.get(func)
    except TypeError:
        return None


def template_tags(template: Any, example_index: int | None) -> set[str]:
    """A scenario's tags as Cucumber sees them (a pickle's tags): the Feature's, the Rule's,
    the scenario's own, and those of the Examples table its row comes from."""
    tags = set(template.tags) | set(template.feature.tags)
    if template.rule is not None:
        tags |= set(template.rule.tags)
    if example_index is not None:
        # Same flattening as pytest-bdd's collect_example_parametrizations.
        flat = [ex for ex in template.examples for _ in ex.examples]
        if 0 <= example_index < len(flat):
            tags |= set(flat[example_index].tags or ())
    return tags


def item_tags(item: pytest.Item) -> set[str] | None:
    """The Cucumber tags of a collected scenario run (without "@"); None for a plain test."""
    template = _template_of(item)
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    params = dict(callspec.params) if callspec is not None else {}
    index = _example_index(item, params[EXAMPLE_PARAM]) if EXAMPLE_PARAM in params else None
    return template_tags(template, index)


def _example_index(item: pytest.Item, example: Any) -> int | None:
    """Which row of the outline's Examples (flattened over all tables) this is.

    ``callspec.indices`` cannot tell: pytest renumbers direct parameters by
    call once the driver fixture multiplies them. pytest-bdd's parametrize
    mark holds the very dict that became the parameter, so identity finds the
    row, even among identical rows.
    """
    for mark in item.iter_markers("parametrize"):
        if not mark.args or mark.args[0] != EXAMPLE_PARAM:
            continue
        values = [getattr(p, "values", (p,))[0] for p in mark.args[1]]
        for i, value in enumerate(values):
            if value is example:
                return i
        for i, value in enumerate(values):
            if value == example:
                return i
    return None


def _relative_uri(path: str, rootpath: Path) -> str:
    try:
        return Path(os.path.relpath(path, rootpath)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()


def _step_definition(step_func: Any) -> dict[str, Any] | None:
    """Where a step is implemented and its pattern, for the Cucumber formats."""
    try:
        code = step_func.__code__
        info: dict[str, Any] = {
            "function": getattr(step_func, "__qualname__", getattr(step_func, "__name__", "?")),
            "file": code.co_filename,
            "line": code.co_firstlineno,
            "pattern": _step_pattern(step_func),
        }
        return info
    except AttributeError:
        return None


# Weak keys: an id() could be reused by another function in a later
# in-process session (pytester), a weak key cannot.
_PATTERNS: "weakref.WeakKeyDictionary[Any, str]" = weakref.WeakKeyDictionary()


def _step_pattern(step_func: Any) -> str:
    """The text pattern of a step definition (pytest-bdd keeps it privately)."""
    key = step_func
    if key not in _PATTERNS:
        pattern = ""
        try:
            from pytest_bdd.steps import step_function_context_registry

            for context in list(step_function_context_registry.values()):
                if context.step_func is step_func:
                    pattern = str(context.parser.name)
                    break
        except Exception:  # private API: a report must not break a run
            pattern = ""
        _PATTERNS[key] = pattern or getattr(step_func, "__name__", "")
    return _PATTERNS[key]


# "<... object at 0x7f2d77fac990>": an address differs on every run and tells a reader nothing.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _error_text(exc: BaseException) -> str:
    text = _ADDRESS.sub("", str(exc))
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class ScenarioRecord:
    """What one test item (scenario x driver x example) did."""

    def __init__(self, item: pytest.Item) -> None:
        self.item = item
        self.started_mono = clock.monotonic_ns()
        self.current: int | None = None  # index of the running step
        self.last: int | None = None  # index of the last step that started
        self.data: dict[str, Any] = {
            "nodeid": item.nodeid,
            "uri": None,
            "feature_name": "",
            "scenario_line": 0,
            "scenario_name": item.name,
            "keyword": "Scenario",
            "example_index": None,
            "example": {},
            "driver": None,
            "tags": [],
            "status": "passed",
            "error": None,
            "skip_reason": None,
            "hooks": [],
            "attachments": [],
            "links": [],  # files of evidence beside the reports (``link``)
            "started_ns": clock.wall_ns(),
            "duration_ns": 0,
            "steps": [],
        }
        callspec = getattr(item, "callspec", None)
        params = dict(callspec.params) if callspec is not None else {}
        driver = item.config.hook.pytest_twofa_driver(item=item)  # the suite says (hooks.py)
        self.data["driver"] = None if driver is None else str(driver)
        example = params.get(EXAMPLE_PARAM) or {}
        self.data["example"] = {str(k): str(v) for k, v in dict(example).items()}
        if EXAMPLE_PARAM in params:
            self.data["example_index"] = _example_index(item, params[EXAMPLE_PARAM])
        template = _template_of(item)
        if template is not None:
            self._fill_from_template(template, example)

    def _fill_from_template(self, template: Any, example: dict[str, Any]) -> None:
        feature = template.feature
        scenario = template.render(example)
        tags = template_tags(template, self.data["example_index"])
        self.data.update(
            uri=_relative_uri(feature.filename, self.item.config.rootpath),
            feature_name=feature.name,
            scenario_line=template.line_number,
            scenario_name=scenario.name,
            keyword=template.keyword,
            tags=sorted(tags),
        )
        self.data["steps"] = [self._new_step(step) for step in scenario.steps]

    @staticmethod
    def _new_step(step: Any) -> dict[str, Any]:
        return {
            "line": step.line_number,
            "keyword": step.keyword,
            "text": step.name,
            "status": "skipped",  # not run, until it runs
            "duration_ns": 0,
            "started_ns": None,
            "error": None,
            "error_type": None,
            "definition": None,
            "attachments": [],
            "observed": [],  # what the people saw when it failed (``observe``)
        }

    def adopt_scenario(self, scenario: Any) -> None:
        """Fallback when the item had no template: take the rendered scenario."""
        if self.data["uri"] is None:
            feature = scenario.feature
            tags = set(scenario.tags) | set(feature.tags)
            self.data.update(
                uri=_relative_uri(feature.filename, self.item.config.rootpath),
                feature_name=feature.name,
                scenario_line=scenario.line_number,
                scenario_name=scenario.name,
                keyword=scenario.keyword,
                tags=sorted(tags),
            )
            self.data["steps"] = [self._new_step(step) for step in scenario.steps]

    # -- steps -----------------------------------------------------------
    def _index(self, scenario: Any, step: Any) -> int | None:
        for i, candidate in enumerate(scenario.steps):
            if candidate is step:
                return i
        for i, candidate in enumerate(self.data["steps"]):  # by line, as a fallback
            if candidate["line"] == step.line_number and candidate["status"] == "skipped":
                return i
        return None

    def step_started(self, scenario: Any, step: Any, step_func: Any) -> None:
        i = self._index(scenario, step)
        if i is None or i >= len(self.data["steps"]):
            return
        entry = self.data["steps"][i]
        entry["status"] = "running"
        entry["started_ns"] = clock.wall_ns()
        entry["_mono"] = clock.monotonic_ns()
        entry["definition"] = _step_definition(step_func)
        if entry["definition"] is not None:
            entry["definition"]["file"] = _relative_uri(entry["definition"]["file"], self.item.config.rootpath)
        self.current = self.last = i

    def step_finished(self, status: str, error: str | None = None, error_type: str | None = None) -> None:
        if self.current is None:
            return
        entry = self.data["steps"][self.current]
        entry["status"] = status
        entry["duration_ns"] = max(1, clock.monotonic_ns() - entry.pop("_mono", clock.monotonic_ns()))
        if error is not None:
            entry["error"] = error
        if error_type is not None:
            entry["error_type"] = error_type
        self.current = None

    def step_undefined(self, scenario: Any, step: Any, exc: BaseException) -> None:
        i = self._index(scenario, step)
        if i is None or i >= len(self.data["steps"]):
            return
        entry = self.data["steps"][i]
        entry["status"] = "undefined"
        entry["started_ns"] = clock.wall_ns()
        entry["error"] = _error_text(exc)
        entry["error_type"] = type(exc).__name__
        self.last = i

    # -- attachments -----------------------------------------------------
    def attach(self, data: bytes, media_type: str, name: str | None) -> None:
        attachment = {
            "media_type": media_type,
            "name": name,
            "data": base64.b64encode(data).decode("ascii"),
            "at_ns": clock.wall_ns(),
        }
        steps = self.data["steps"]
        index = self.current if self.current is not None else self.last
        if index is None and steps:
            index = 0  # attached during fixture setup, before any step
        if index is None:
            self.data["attachments"].append(attachment)
        else:
            steps[index]["attachments"].append(attachment)

    def observe(self, who: str, saw: str) -> None:
        steps = self.data["steps"]
        index = self.current if self.current is not None else self.last
        if index is not None and index < len(steps):
            steps[index]["observed"].append({"who": who, "saw": saw})

    # -- phases ------------------------------------------------------------
    def phase_reported(self, report: pytest.TestReport) -> None:
        """Fold one phase's outcome (setup, call, teardown) into the record."""
        if report.when == "call":
            if report.failed:
                text = _short_trace(report)
                failed_steps = [s for s in self.data["steps"] if s["status"] == "failed"]
                undefined = any(s["status"] == "undefined" for s in self.data["steps"])
                if self.current is not None:
                    # An error outside pytest-bdd's try block (e.g. a BaseException).
                    self.step_finished("failed", text)
                elif failed_steps:
                    # The step hook saw "Type: message"; the report has the traceback.
                    failed_steps[-1]["error"] = text
                elif not undefined:
                    # Failed outside any step: the test function body or an
                    # after-scenario hook. Shown as a failed "after" hook.
                    self._hook("after", "failed", text)
            elif report.skipped:
                reason = _skip_reason(report)
                if self.current is not None:
                    self.step_finished("skipped", reason)
                self.data["skip_reason"] = reason
        elif report.when == "setup":
            if report.failed:
                self._hook("before", "failed", report.longreprtext or "setup failed")
            elif report.skipped:
                self.data["skip_reason"] = _skip_reason(report)
        elif report.when == "teardown":
            if report.failed:
                self._hook("after", "failed", report.longreprtext or "teardown failed")

    def _hook(self, kind: str, status: str, error: str | None) -> None:
        self.data["hooks"].append({"kind": kind, "status": status, "error": error, "duration_ns": 1})

    def finish(self) -> dict[str, Any]:
        for entry in self.data["steps"]:
            entry.pop("_mono", None)
            if entry["status"] == "running":  # interrupted
                entry["status"] = "failed"
        statuses = {s["status"] for s in self.data["steps"]} | {h["status"] for h in self.data["hooks"]}
        if not self.data["steps"] and self.data["skip_reason"] is not None:
            statuses.add("skipped")
        if self.data["skip_reason"] is not None and "failed" not in statuses:
            statuses.add("skipped")
        self.data["status"] = worst(statuses, default="passed")  # a run with no step (nothing went wrong) passed
        errors = [s["error"] for s in self.data["steps"] if s["status"] in ("failed", "undefined") and s["error"]]
        errors += [h["error"] for h in self.data["hooks"] if h["error"]]
        self.data["error"] = errors[0] if errors else None
        self.data["duration_ns"] = max(1, clock.monotonic_ns() - self.started_mono)
        # record_property's pairs (the harness records the seed there; junit.xml has them too)
        self.data["properties"] = {str(k): str(v) for k, v in getattr(self.item, "user_properties", [])}
        return self.data


def _short_trace(report: pytest.TestReport) -> str:
    """The failing frame of the step's own code and the error, not pytest's.

    The full longrepr starts in pytest internals (call_fixture_func) and shows
    memory addresses, which differ between runs; a product owner reading the
    living doc needs the assertion that failed and where.
    """
    try:
        entry = report.longrepr.reprtraceback.reprentries[-1]
        lines = list(entry.lines)
        location = entry.reprfileloc
        if location is not None:
            lines.append(f"{location.path}:{location.lineno}: {location.message}")
        return _ADDRESS.sub("", "\n".join(lines).strip("\n") or report.longreprtext)
    except AttributeError:
        return report.longreprtext or "failed"


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        reason = str(longrepr[2])
        return reason[len("Skipped: ") :] if reason.startswith("Skipped: ") else reason
    return str(longrepr or "skipped")


def record_of(item: pytest.Item, create: bool = True) -> ScenarioRecord | None:
    record = item.stash.get(RECORD_KEY, None)
    if record is None and create:
        record = ScenarioRecord(item)
        item.stash[RECORD_KEY] = record
    return record


def not_run_record(item: pytest.Item) -> dict[str, Any] | None:
    """The record of a collected scenario run that did not happen; None for a plain test."""
    data = ScenarioRecord(item).data
    if data["uri"] is None:
        return None
    from twofa.shard import NOT_IN_SHARD_KEY

    reason = item.stash.get(NOT_APPLICABLE_KEY, None)
    elsewhere = item.stash.get(NOT_IN_SHARD_KEY, None)  # another shard runs it (twofa/shard.py)
    data.update(status="not applicable" if reason else "not run",
                skip_reason=reason or elsewhere or "not selected for this run", started_ns=None, duration_ns=0)
    return data


class Collector:
    """pytest and pytest-bdd hooks that fill the records (every process)."""

    def __init__(self) -> None:
        self.not_run: list[dict[str, Any]] = []

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.not_run += [record for item in items if (record := not_run_record(item)) is not None]

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        workeroutput = getattr(session.config, "workeroutput", None)
        if workeroutput is not None:  # an xdist worker: the controller collects nothing itself
            workeroutput[NOT_RUN_OUTPUT] = self.not_run

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        # Start the record (and the scenario's clock) before any fixture runs.
        record_of(item)

    def pytest_bdd_before_scenario(self, request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
        record = record_of(request.node)
        if record is not None:
            record.adopt_scenario(scenario)

    def pytest_bdd_before_step(self, request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, step_func: Any) -> None:
        record = record_of(request.node)
        if record is not None:
            record.step_started(scenario, step, step_func)

    def pytest_bdd_after_step(self, request: pytest.FixtureRequest, **_: Any) -> None:
        record = record_of(request.node)
        if record is not None:
            record.step_finished("passed")

    def pytest_bdd_step_error(self, request: pytest.FixtureRequest, exception: BaseException, **_: Any) -> None:
        record = record_of(request.node)
        if record is not None:
            record.step_finished("failed", _error_text(exception), type(exception).__name__)

    def pytest_bdd_step_func_lookup_error(self, request: pytest.FixtureRequest, scenario: Any, step: Any, exception: BaseException, **_: Any) -> None:
        record = record_of(request.node)
        if record is not None:
            record.step_undefined(scenario, step, exception)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        report = yield
        record = record_of(item, create=False)
        if record is None:
            return report
        record.phase_reported(report)
        if report.when == "teardown":
            data = record.finish()
            if data["uri"] is not None:  # a pytest-bdd scenario, not a plain test
                setattr(report, REPORT_ATTR, data)
            del item.stash[RECORD_KEY]
        return report
