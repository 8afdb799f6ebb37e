"""A requirement only the browser proves is 'not applicable' to a run without the browser, not
'not covered'; anything else without a scenario still is."""

from twofa.reporting.gate import DEFAULT_POLICY, evaluate
from twofa.reporting.model import requirement_coverage


def run_with(not_applicable):
    return {
        "requirements": [{"id": "UI-1"}, {"id": "X-1"}],
        "results": [],
        "not_applicable": not_applicable,
    }


def test_a_browser_only_requirement_is_not_applicable_without_the_browser():
    coverage = {c["id"]: c["status"] for c in requirement_coverage([{"id": "UI-1"}, {"id": "X-1"}], [], {"UI-1": "ui only"})}
    assert coverage == {"UI-1": "not applicable", "X-1": "not covered"}


def test_the_gate_still_refuses_the_requirement_nobody_proves():
    verdict = evaluate(run_with({"UI-1": "ui only"}), dict(DEFAULT_POLICY))
    rule = next(r for r in verdict["rules"] if r["rule"] == "every_requirement_needs_passing_scenario")
    assert not rule["held"] and rule["requirements"] == ["X-1"]
