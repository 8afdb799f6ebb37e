"""The one rule behind every report: a requirement is only as proven as its weakest scenario.

Each case is a set of runs (scenario x driver) of the scenarios tagged with one requirement;
the rule must name the status, and for a broken requirement the scenarios and drivers.
"""

import pytest

from twofa.reporting.gate import DEFAULT_POLICY, evaluate
from twofa.reporting.requirements import broken_by, requirement_status


def run(line, driver, status, tags=("req-R-1",)):
    """One run as a report record (a result, or a deselected run for the not-run statuses)."""
    return {"uri": "features/x.feature", "scenario_line": line, "scenario_name": f"scenario {line}",
            "driver": driver, "status": status, "tags": list(tags), "example_index": None, "steps": []}


CASES = {
    "every run passed": ([run(1, "domain", "passed"), run(1, "ui", "passed"), run(2, "api", "passed")], [], "proven"),
    "one run failed, others passed": ([run(1, "domain", "passed"), run(1, "ui", "failed"), run(2, "api", "passed")], [], "broken"),
    "an undefined step": ([run(1, "domain", "passed"), run(2, "domain", "undefined")], [], "broken"),
    "a failure beside a skip": ([run(1, "domain", "skipped"), run(2, "domain", "failed")], [], "broken"),
    "passed and skipped": ([run(1, "domain", "passed"), run(2, "domain", "skipped")], [], "partly proven"),
    "passed and not selected": ([run(1, "domain", "passed")], [run(2, "domain", "not run")], "partly proven"),
    "passed, the rest not applicable": ([run(1, "domain", "passed")], [run(2, "domain", "not applicable")], "proven"),
    "only skipped": ([run(1, "domain", "skipped")], [], "not proven"),
    "only not selected": ([], [run(1, "domain", "not run")], "not proven"),
    "only not applicable": ([], [run(1, "domain", "not applicable")], "not applicable"),
    "no scenario": ([run(1, "domain", "passed", tags=("req-OTHER",))], [], "not covered"),
}


@pytest.mark.parametrize("results, not_run, expected", CASES.values(), ids=CASES.keys())
def test_the_status_of_a_requirement(results, not_run, expected):
    [entry] = requirement_status([{"id": "R-1", "title": "t"}], results, not_run)
    assert entry["status"] == expected


def test_a_broken_requirement_names_its_failed_scenarios_and_drivers():
    results = [run(1, "domain", "passed"), run(1, "api", "failed"), run(1, "ui", "failed"), run(2, "domain", "passed")]
    [entry] = requirement_status([{"id": "R-1", "title": "t"}], results)
    assert broken_by(entry) == ["features/x.feature:1 scenario 1: failed on api, ui"]
    assert [s["failed_on"] for s in entry["scenarios"]] == [["api", "ui"], []]


@pytest.mark.parametrize("policy_change", [{}, {"every_requirement_needs_passing_scenario": False, "max_failed": -1,
                                                "critical_must_pass": False}])
def test_the_gate_blocks_on_a_broken_requirement_even_when_failures_are_tolerated(policy_change):
    results = [run(1, "domain", "passed"), run(2, "domain", "failed")]
    requirements = [{"id": "R-1", "title": "t"}]
    verdict = evaluate({"requirements": requirements, "results": results,
                        "coverage": requirement_status(requirements, results)}, {**DEFAULT_POLICY, **policy_change})
    rule = next(r for r in verdict["rules"] if r["rule"] == "allow_broken_requirements")
    assert verdict["passed"] is False and not rule["held"] and rule["requirements"] == ["R-1"]


def test_the_gate_refuses_a_requirement_nobody_proves_but_not_one_that_does_not_apply():
    requirements = [{"id": "UI-1", "title": "t"}, {"id": "X-1", "title": "t"}]
    not_run = [run(1, "domain", "not applicable", tags=("req-UI-1",))]
    verdict = evaluate({"requirements": requirements, "results": [], "not_run": not_run}, dict(DEFAULT_POLICY))
    rule = next(r for r in verdict["rules"] if r["rule"] == "every_requirement_needs_passing_scenario")
    assert not rule["held"] and rule["requirements"] == ["X-1"]
    assert {c["id"]: c["status"] for c in verdict["requirements"]} == {"UI-1": "not applicable", "X-1": "not covered"}


@pytest.mark.parametrize("exitstatus, results, reason", [
    (2, [run(1, "domain", "passed")], "the run was interrupted (a collection error, Ctrl-C or -x) (pytest exit status 2)"),
    (5, [], "no test was collected (pytest exit status 5)"),
    (0, [], "no scenario ran"),
])
def test_a_run_that_broke_off_or_ran_nothing_never_passes_the_gate(exitstatus, results, reason):
    verdict = evaluate({"requirements": [], "results": results, "meta": {"pytest_exitstatus": exitstatus}}, dict(DEFAULT_POLICY))
    rule = verdict["rules"][0]
    assert verdict["passed"] is False and rule["rule"] == "run_completed" and rule["reason"] == reason
