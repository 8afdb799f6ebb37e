"""Cucumber Messages (NDJSON): the current Cucumber protocol.

Read by the official ``@cucumber/html-formatter`` (and any tool built on
``@cucumber/query``). One JSON envelope per line, in the order a Cucumber run
emits them: meta; per feature source, gherkinDocument, pickles; step
definitions and hooks; testRunStarted; every testCase; then per test case
testCaseStarted, testStepStarted/attachment/testStepFinished per step,
testCaseFinished; finally testRunFinished.

The gherkinDocument and pickles come straight from gherkin-official (see
model.parse_features). Cucumber has no notion of our drivers, so each pickle
is emitted once per driver that ran it, with the driver as a tag and a name
suffix: several pickles sharing AST nodes is how Cucumber already represents
Scenario Outline rows, so readers handle it.

Ids are counters assigned in the sorted order of the run, so a serial and a
parallel run give the same ids.
"""

from __future__ import annotations

import copy
import json
import platform
import sys
from typing import Any, Iterator

# The messages schema this file follows (checked with @cucumber/messages 34
# and @cucumber/html-formatter 24).
PROTOCOL_VERSION = "34.2.1"
IMPLEMENTATION = {"name": "twofa-reporting", "version": "1"}

_STATUS = {"passed": "PASSED", "failed": "FAILED", "skipped": "SKIPPED", "undefined": "UNDEFINED"}


def _timestamp(ns: int | None) -> dict[str, int]:
    ns = int(ns or 0)
    return {"seconds": ns // 1_000_000_000, "nanos": ns % 1_000_000_000}


_duration = _timestamp  # same {seconds, nanos} shape


def _result(status: str, duration_ns: int, error: str | None, error_type: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {"status": _STATUS.get(status, "UNKNOWN"), "duration": _duration(duration_ns)}
    if error:
        result["message"] = error
        if status == "failed":
            result["exception"] = {"type": error_type or "Error", "message": error}
    return result


def envelopes(run: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The run's messages in the protocol's order: meta, sources and pickles, step definitions,
    hooks, the run's start, the test cases, their executions, the run's end."""
    meta = run.get("meta", {})
    yield _meta(meta)
    cases = _cases(run)
    yield from _documents(run, cases)
    definitions: dict[tuple, str] = {}
    yield from _step_definitions(cases, definitions)
    hook_ids: dict[str, str] = {}
    yield from _hooks(cases, hook_ids)
    run_id = "run-1"
    yield {"testRunStarted": {"id": run_id, "timestamp": _timestamp(meta.get("started_ns"))}}
    plans: list[tuple[dict[str, Any], dict[str, Any], list]] = []
    yield from _test_cases(cases, definitions, hook_ids, run_id, plans)
    for n, (record, case, steps) in enumerate(plans, start=1):
        yield from _execution(n, record, case, steps, meta)
    success = not any(r["status"] in ("failed", "undefined") for r in run["results"])
    yield {"testRunFinished": {"success": success, "timestamp": _timestamp(meta.get("finished_ns")), "testRunStartedId": run_id}}


def _meta(meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "meta": {
            "protocolVersion": PROTOCOL_VERSION,
            "implementation": IMPLEMENTATION,
            "runtime": {"name": "python", "version": meta.get("python", platform.python_version())},
            "os": {"name": meta.get("os", sys.platform)},
            "cpu": {"name": meta.get("cpu", platform.machine() or "unknown")},
        }
    }


def _cases(run: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Per result: its own pickle (a copy per driver) with fresh ids."""
    pickles_by_id = {p["id"]: p for f in run["features"] for p in f["pickles"]}
    cases = []
    for n, record in enumerate((r for r in run["results"] if r.get("pickle_id") in pickles_by_id), start=1):
        pickle = copy.deepcopy(pickles_by_id[record["pickle_id"]])
        pickle["id"] = f"pickle-{n}"
        for k, step in enumerate(pickle["steps"], start=1):
            step["id"] = f"pickle-{n}-step-{k}"
        if record.get("driver"):
            pickle["name"] = f"{pickle['name']} [{record['driver']}]"
            # A driver tag has no AST node; it points at the scenario's.
            pickle["tags"] = list(pickle["tags"]) + [{"name": f"@driver-{record['driver']}", "astNodeId": pickle["astNodeIds"][0]}]
        cases.append((record, pickle))
    return cases


def _documents(run: dict[str, Any], cases: list) -> Iterator[dict[str, Any]]:
    by_uri: dict[str, list[dict[str, Any]]] = {}
    for record, pickle in cases:
        by_uri.setdefault(record["uri"], []).append(pickle)
    for feature in run["features"]:
        yield {"source": {"uri": feature["uri"], "data": feature["source"], "mediaType": "text/x.cucumber.gherkin+plain"}}
        yield {"gherkinDocument": feature["gherkinDocument"]}
        for pickle in by_uri.get(feature["uri"], []):
            yield {"pickle": pickle}


def _definition_key(definition: dict[str, Any]) -> tuple:
    return (definition["file"], definition["line"], definition.get("pattern") or definition["function"])


def _step_definitions(cases: list, definitions: dict[tuple, str]) -> Iterator[dict[str, Any]]:
    """One per implementing function seen running; ``definitions`` gets each one's id."""
    for record, _ in cases:
        for step in record["steps"]:
            if step.get("definition"):
                definitions.setdefault(_definition_key(step["definition"]), "")
    for n, key in enumerate(sorted(definitions), start=1):
        definitions[key] = f"stepdef-{n}"
        file, line, pattern = key
        yield {
            "stepDefinition": {
                "id": definitions[key],
                "pattern": {"source": pattern, "type": "CUCUMBER_EXPRESSION"},
                "sourceReference": {"uri": file, "location": {"line": line}},
            }
        }


def _hooks(cases: list, hook_ids: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Fixture setup/teardown failures become hook steps, like Cucumber's Before/After."""
    for kind in sorted({h["kind"] for record, _ in cases for h in record.get("hooks", [])}):
        hook_ids[kind] = f"hook-{kind}"
        yield {
            "hook": {
                "id": hook_ids[kind],
                "name": f"pytest fixtures ({'setup' if kind == 'before' else 'teardown'})",
                "sourceReference": {},
                "type": "BEFORE_TEST_CASE" if kind == "before" else "AFTER_TEST_CASE",
            }
        }


def _test_cases(cases: list, definitions: dict[tuple, str], hook_ids: dict[str, str], run_id: str,
                plans: list) -> Iterator[dict[str, Any]]:
    """One test case per result: its before hooks, its steps, its after hooks; ``plans`` keeps them for the execution."""
    for n, (record, pickle) in enumerate(cases, start=1):
        hooks = record.get("hooks", [])
        steps = [({"id": f"case-{n}-before-{k}", "hookId": hook_ids["before"]}, hook, "hook")
                 for k, hook in enumerate(h for h in hooks if h["kind"] == "before")]
        for k, (step, pickle_step) in enumerate(zip(record["steps"], pickle["steps"]), start=1):
            d = step.get("definition")
            ids = [definitions[_definition_key(d)]] if d else []
            test_step = {
                "id": f"case-{n}-step-{k}",
                "pickleStepId": pickle_step["id"],
                "stepDefinitionIds": ids,
                "stepMatchArgumentsLists": [{"stepMatchArguments": []} for _ in ids],
            }
            steps.append((test_step, step, "step"))
        steps += [({"id": f"case-{n}-after-{k}", "hookId": hook_ids["after"]}, hook, "hook")
                  for k, hook in enumerate(h for h in hooks if h["kind"] == "after")]
        case = {"id": f"case-{n}", "pickleId": pickle["id"], "testSteps": [s[0] for s in steps], "testRunStartedId": run_id}
        plans.append((record, case, steps))
        yield {"testCase": case}


def _execution(n: int, record: dict[str, Any], case: dict[str, Any], steps: list, meta: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A test case run: started, each step started, its attachments, finished; the case finished."""
    started_id = f"case-{n}-attempt-0"
    start = record.get("started_ns") or meta.get("started_ns") or 0
    yield {"testCaseStarted": {"id": started_id, "testCaseId": case["id"], "attempt": 0, "timestamp": _timestamp(start)}}
    cursor = start
    for test_step, source, kind in steps:
        step_start = source.get("started_ns") or cursor
        yield {"testStepStarted": {"testCaseStartedId": started_id, "testStepId": test_step["id"], "timestamp": _timestamp(step_start)}}
        for attachment in source.get("attachments", []) if kind == "step" else []:
            yield {"attachment": _attachment(attachment, started_id, test_step["id"], step_start)}
        duration = int(source.get("duration_ns") or 0)
        cursor = step_start + duration
        yield {
            "testStepFinished": {
                "testCaseStartedId": started_id,
                "testStepId": test_step["id"],
                "testStepResult": _result(source["status"], duration, source.get("error"), source.get("error_type")),
                "timestamp": _timestamp(cursor),
            }
        }
    end = max(cursor, start + int(record.get("duration_ns") or 0))
    yield {"testCaseFinished": {"testCaseStartedId": started_id, "timestamp": _timestamp(end), "willBeRetried": False}}


def _attachment(attachment: dict[str, Any], started_id: str, step_id: str, step_start: int) -> dict[str, Any]:
    message = {
        "testCaseStartedId": started_id,
        "testStepId": step_id,
        "body": attachment["data"],
        "contentEncoding": "BASE64",
        "mediaType": attachment["media_type"],
        "timestamp": _timestamp(attachment.get("at_ns") or step_start),
    }
    if attachment.get("name"):
        message["fileName"] = attachment["name"]
    return message


def dumps(run: dict[str, Any]) -> str:
    return "".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n" for e in envelopes(run))
