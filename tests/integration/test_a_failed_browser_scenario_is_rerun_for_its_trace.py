"""A failed browser scenario is run once more, recording a Playwright trace; the first run is the verdict.

By default (``twofa accept --trace rerun``) no scenario records a trace (it costs a browser
scenario 30-40 % more CPU); one that fails is rerun at once, recording, and its reports link
that rerun's trace. The rerun changes nothing else: the same records, counts, junit.xml and
gate as a run that traced every scenario (``--trace on``), one result per scenario, and a
failure that does not come back on the rerun is still a failure, reported as "did not fail again".
A scenario that failed before it opened a browser has nothing to trace and is not rerun.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

from twofa.spec import ROOT

BROKEN = "five_wrong_codes_lock"  # fails while the lock needs six wrong codes (bench/named_mutations.py)
PASSING = "enabling_twofactor_authentication_by_email"
NO_BROWSER = "an_agent_without_twofactor_authentication_logs_in_with_the_password_alone"


def accept(reports, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PYTHONPATH=str(ROOT), **env)
    command = [sys.executable, "-m", "twofa.cli", "accept", f"--reports={reports}", "--driver=ui",
               "-W", "ignore::pytest.PytestAssertRewriteWarning", *args]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)


def results(reports) -> dict[str, dict]:
    records = json.loads((reports / "results.json").read_text())["results"]
    by_id = {r["nodeid"]: r for r in records}
    assert len(by_id) == len(records), "a scenario has more than one result"
    return by_id


def verdict_of(record: dict) -> dict:
    """What a run decided and showed about a scenario, without its times and trace files."""
    return {"status": record["status"], "error": record["error"], "properties": record["properties"], "hooks": record["hooks"],
            "steps": [{"text": s["text"], "status": s["status"], "error": s["error"], "observed": s["observed"],
                       "attachments": [(a["media_type"], a["name"]) for a in s["attachments"]]} for s in record["steps"]]}


def junit_cases(reports) -> dict[str, str]:
    cases = ET.parse(reports / "junit.xml").getroot().iter("testcase")
    return {c.get("name"): next((child.tag for child in c if child.tag in ("failure", "error", "skipped")), "passed") for c in cases}


def assert_a_playwright_trace(path) -> None:
    """A trace zip Playwright's trace viewer opens: its events, the actions of the scenario with
    each one's end, and the DOM snapshots it shows them on."""
    assert zipfile.is_zipfile(path), path
    with zipfile.ZipFile(path) as trace:
        assert {"trace.trace", "trace.network"} <= set(trace.namelist())
        events = [json.loads(line) for line in trace.read("trace.trace").decode().splitlines()]
    assert events[0]["type"] == "context-options" and events[0]["browserName"] == "chromium"
    begun = {e["callId"]: e["method"] for e in events if e["type"] == "before"}
    ended = {e["callId"] for e in events if e["type"] == "after"}
    assert {"goto", "fill", "click"} <= set(begun.values()) and set(begun) == ended
    assert any(e["type"] == "frame-snapshot" for e in events)


def test_a_rerun_for_a_trace_never_changes_the_verdict(tmp_path):
    chosen = ["-k", f"{BROKEN} or {PASSING}"]
    rerun = accept(tmp_path / "rerun", *chosen, "--workers=2", "-p", "bench.named_mutations", TWOFA_MUTATIONS="lock-after-6")
    traced = accept(tmp_path / "on", *chosen, "--trace=on", "-p", "bench.named_mutations", TWOFA_MUTATIONS="lock-after-6")
    assert rerun.returncode == traced.returncode == 1, rerun.stdout[-3000:] + traced.stdout[-3000:]

    first, every = results(tmp_path / "rerun"), results(tmp_path / "on")
    assert sorted(first) == sorted(every) and len(first) == 2
    assert {n: verdict_of(r) for n, r in first.items()} == {n: verdict_of(r) for n, r in every.items()}
    assert junit_cases(tmp_path / "rerun") == junit_cases(tmp_path / "on")
    gates = [json.loads((tmp_path / d / "gate.json").read_text()) for d in ("rerun", "on")]
    assert [g["verdict"] for g in gates] == ["fail", "fail"] and gates[0]["rules"] == gates[1]["rules"]
    assert gates[0]["runs_per_driver"] == gates[1]["runs_per_driver"] == {"ui": {"passed": 1, "failed": 1, "skipped": 0, "undefined": 0}}
    assert [g["run"]["browser_trace"] for g in gates] == ["rerun", "on"]

    [broken] = [r for r in first.values() if BROKEN in r["nodeid"]]
    [passing] = [r for r in first.values() if PASSING in r["nodeid"]]
    assert broken["status"] == "failed" and passing["status"] == "passed"
    [step] = [s for s in broken["steps"] if s["status"] == "failed"]
    assert broken["evidence_rerun"] == {"why": "with a trace", "failed_again": True,
                                        "failed_at": f"{step['keyword'].strip()} {step['text']}"}
    assert "evidence_rerun" not in passing and passing["links"] == []  # a passing scenario is neither traced nor rerun
    [trace] = broken["links"]
    assert trace == every[broken["nodeid"]]["links"][0]  # the same link a traced run gives
    assert_a_playwright_trace(tmp_path / "rerun" / trace["path"])
    assert "note:     ui: failed again when rerun with a trace" in rerun.stdout
    assert re.search(r"=+ 1 failed, 1 passed(, \d+ deselected)? in ", rerun.stdout)  # xdist counts no deselected


def test_a_failure_that_does_not_come_back_is_still_a_failure_and_says_so(tmp_path):
    done = accept(tmp_path, "-k", f"{PASSING} or {NO_BROWSER}", "-p", "tests.integration.fail_first_run",
                  TWOFA_FAIL_FIRST_RUN=PASSING, TWOFA_FAIL_FIRST_STEP=NO_BROWSER)
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    by_name = {("flaky" if PASSING in n else "early"): r for n, r in results(tmp_path).items()}
    early = by_name.pop("early")  # failed before it opened a browser: nothing to trace, not rerun
    assert early["status"] == "failed" and early["steps"][0]["status"] == "failed"
    assert "evidence_rerun" not in early and early["links"] == []
    record = by_name.pop("flaky")
    assert record["status"] == "failed"
    [step] = [s for s in record["steps"] if s["status"] == "failed"]
    assert step is record["steps"][-1] and "failed on purpose, on the first run only" in step["error"]
    assert record["evidence_rerun"] == {"why": "with a trace", "failed_again": False, "failed_at": None}
    [trace] = record["links"]
    assert_a_playwright_trace(tmp_path / trace["path"])  # the rerun's, which passed

    note = "did not fail again when rerun with a trace: the failure comes and goes (flaky); the first run's failure stands"
    assert f"note:     ui: {note}" in done.stdout and re.search(r"=+ 2 failed, \d+ deselected in ", done.stdout)
    assert list(junit_cases(tmp_path).values()) == ["failure", "failure"]
    gate = json.loads((tmp_path / "gate.json").read_text())
    assert gate["verdict"] == "fail" and gate["runs_per_driver"]["ui"]["failed"] == 2
    page = (tmp_path / "living-doc.html").read_text(encoding="utf-8")
    shown = [html.unescape(s) for s in re.findall(r'<p class="rerun-note"><span class="lbl">Rerun</span> (.*?)</p>', page)]
    assert shown == [f"{note} <span class=\"muted\">(ui)</span>", note]  # on the first screen and in the scenario's evidence
    allure = {r["name"]: r for r in (json.loads(p.read_text()) for p in (tmp_path / "allure-results").glob("*-result.json"))}
    assert allure[record["scenario_name"]]["status"] == "failed" and allure[record["scenario_name"]]["statusDetails"]["flaky"] is True
    assert "flaky" not in allure[early["scenario_name"]]["statusDetails"]
