"""The run document (``results.json``) as types: what every report is made from.

``collecting.py`` writes the records, ``model.build_run`` the document, ``gate.evaluate``
its verdict; the writers (cucumber.json, messages.ndjson, allure, the living doc, the
terminal summary) only read it. These TypedDicts say what each part holds, so that a new
report format knows what it can read without running a suite. They are JSON: a document
read back from results.json has the same shape.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class Attachment(TypedDict):
    media_type: str
    name: str | None
    data: str  # base64


class Observation(TypedDict):
    who: str  # "the agent (Lydia Davies)"
    saw: str  # what they last saw when the step failed


class StepRecord(TypedDict):
    line: int
    keyword: str  # as written ("And "), once linked to the document
    text: str
    status: str  # passed, failed, undefined, skipped
    duration_ns: int
    started_ns: int | None
    error: str | None
    error_type: str | None
    definition: dict[str, Any] | None  # function, file, line, pattern of the step definition
    attachments: list[Attachment]
    observed: list[Observation]


class HookRecord(TypedDict):
    kind: str  # setup, teardown
    status: str
    error: str | None
    duration_ns: int


class RunRecord(TypedDict, total=False):
    """One run: one scenario (one Examples row) through one driver."""

    nodeid: str
    uri: str | None  # the feature file, relative to the rootdir
    feature_name: str
    scenario_line: int
    scenario_name: str  # with the Examples row filled in
    scenario_title: str  # as written (an outline's name before <x> is filled in)
    keyword: str
    example_index: int | None
    example: dict[str, str]
    driver: str | None  # as the suite names it (hooks.pytest_twofa_driver)
    tags: list[str]
    status: str  # passed, failed, undefined, skipped; for runs that did not happen: not run, not applicable
    reason: str  # why a run did not happen
    error: str | None
    skip_reason: str | None
    hooks: list[HookRecord]
    attachments: list[Attachment]
    links: list[dict[str, str]]  # files of evidence beside the reports
    evidence_rerun: NotRequired[dict[str, Any]]  # a failed run's rerun for its trace: why, failed_again, failed_at
    started_ns: int
    duration_ns: int
    steps: list[StepRecord]
    properties: dict[str, str]  # record_property's pairs (the seed)
    pickle_id: str | None


class Feature(TypedDict):
    uri: str
    source: str
    gherkinDocument: dict[str, Any]  # Cucumber Messages' gherkinDocument
    pickles: list[dict[str, Any]]


class Requirement(TypedDict):
    id: str
    title: str
    statement: str
    source: str
    kind: str
    peer: str


class ScenarioCoverage(TypedDict):
    key: str  # feature file:line
    name: str
    status: str
    failed_on: list[str]
    passed_on: list[str]
    skipped_on: list[str]
    not_run_on: list[str]


class Coverage(TypedDict):
    """One requirement's status (requirements.py: broken, proven, partly proven, ...)."""

    id: str
    title: str
    status: str
    scenarios: list[ScenarioCoverage]


class Rule(TypedDict):
    """One rule of the gate (gate.RULES), judged."""

    rule: str
    setting: Any
    held: bool
    reason: str
    scenarios: list[str]
    requirements: list[str]


class Verdict(TypedDict):
    verdict: str  # pass, fail
    passed: bool
    policy: dict[str, Any]
    rules: list[Rule]
    requirements: list[Coverage]


class Gate(Verdict, total=False):
    run: dict[str, Any]  # the run's identity (identity.for_gate)
    runs_per_driver: dict[str, dict[str, int]]


class RunDocument(TypedDict, total=False):
    schema: int
    meta: dict[str, Any]  # started_ns, finished_ns, rootdir, pytest_exitstatus, run_id, commit, seed, tools...
    features: list[Feature]
    requirements: list[Requirement]
    requirements_file: str | None
    results: list[RunRecord]
    not_run: list[RunRecord]
    coverage: list[Coverage]
    policy: dict[str, Any]
    gate: Gate
