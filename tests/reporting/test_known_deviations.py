"""A conformance run's gate: the failures must be exactly the known deviations, no more, no fewer."""

from __future__ import annotations

import pytest

from twofa.reporting import deviations
from twofa.reporting.gate import DEFAULT_POLICY, evaluate

REPLAY = {"feature": "authenticator_app.feature", "scenario": "A code that was used once is refused the second time",
          "requirement": "TOTP-2", "did": "the agent signed in with a code; someone typed it again",
          "expected": "Then the code is refused", "answered": "someone: signed in"}


def result(title, status, example=None, driver="api", uri="features/authenticator_app.feature"):
    return {"uri": uri, "scenario_name": title, "scenario_title": title, "scenario_line": 1, "example": example or {},
            "driver": driver, "status": status, "tags": ["req-TOTP-2"], "steps": []}


def run_of(*results, known=(REPLAY,)):
    return {"results": list(results), "requirements": [], "coverage": [], "not_run": [],
            "meta": {"pytest_exitstatus": 1}, "deviations": {"file": "spec/deviations/x.toml", "entries": list(known)}}


def rule(verdict, name="known_deviations"):
    return next(r for r in verdict["rules"] if r["rule"] == name)


def test_failures_that_are_exactly_the_known_deviations_pass_the_gate():
    verdict = evaluate(run_of(result(REPLAY["scenario"], "failed"), result("Another", "passed")), DEFAULT_POLICY)
    assert verdict["passed"], verdict
    assert rule(verdict)["reason"] == "the failures are exactly 1 of the 1 known deviations in spec/deviations/x.toml"


def test_a_new_deviation_fails_the_gate_and_is_named():
    verdict = evaluate(run_of(result(REPLAY["scenario"], "failed"), result("Codes are six digits", "failed")), DEFAULT_POLICY)
    assert not verdict["passed"]
    assert rule(verdict)["scenarios"] == ["new deviation: authenticator_app.feature: Codes are six digits on api"]


def test_a_known_deviation_that_disappeared_fails_the_gate_and_is_named():
    verdict = evaluate(run_of(result(REPLAY["scenario"], "passed")), DEFAULT_POLICY)
    assert not verdict["passed"]
    assert rule(verdict)["scenarios"] == [
        "known deviation no longer seen (the scenario passes): authenticator_app.feature: "
        "A code that was used once is refused the second time [TOTP-2]"]


def test_a_deviation_whose_scenario_did_not_run_is_neither_seen_nor_gone():
    verdict = evaluate(run_of(result("Another", "passed")), DEFAULT_POLICY)
    assert verdict["passed"]
    assert rule(verdict)["reason"] == "the failures are exactly 0 of the 1 known deviations in spec/deviations/x.toml"


def test_a_deviation_of_one_examples_row_does_not_explain_another_row():
    row = dict(REPLAY, example={"drift": "31"})
    verdict = evaluate(run_of(result(REPLAY["scenario"], "failed", {"drift": "31"}),
                              result(REPLAY["scenario"], "failed", {"drift": "60"}), known=(row,)), DEFAULT_POLICY)
    assert rule(verdict)["scenarios"] == ["new deviation: authenticator_app.feature: "
                                          "A code that was used once is refused the second time (drift=60) on api"]


def test_without_known_deviations_the_release_rules_judge_the_run():
    run = run_of(result(REPLAY["scenario"], "failed"))
    del run["deviations"]
    verdict = evaluate(run, DEFAULT_POLICY)
    assert not verdict["passed"] and "known_deviations" not in {r["rule"] for r in verdict["rules"]}
    assert not rule(verdict, "max_failed")["held"]


def test_a_deviation_without_its_evidence_is_refused_by_name(tmp_path):
    path = tmp_path / "d.toml"
    path.write_text('[[deviation]]\nfeature = "a.feature"\nscenario = "S"\nrequirement = "TOTP-2"\ndid = "x"\nexpected = "y"\n')
    with pytest.raises(deviations.DeviationsError, match=r"deviation 1 \(S\): needs answered"):
        deviations.load(path)


def test_a_misspelt_field_is_refused_by_name(tmp_path):
    path = tmp_path / "d.toml"
    fields = "".join(f'{k} = "{v}"\n' for k, v in REPLAY.items())
    path.write_text("[[deviation]]\n" + fields + 'driver = "api"\n')
    with pytest.raises(deviations.DeviationsError, match=r"unknown field\(s\) driver"):
        deviations.load(path)


def test_the_flask_security_file_is_well_formed_and_every_entry_names_a_catalogued_requirement():
    from twofa.spec import ROOT, load_requirements

    entries = deviations.load(ROOT / "spec" / "deviations" / "flask-security.toml")
    known = {r.id for r in load_requirements()}
    named = {i.strip() for e in entries for i in e["requirement"].split(",")}
    assert entries and named <= known, named - known


def _drafted(results, known=None):
    import tomllib

    text = deviations.record(results, lambda tags: ["TOTP-2"], known)
    return tomllib.loads(text).get("deviation", [])


def test_a_draft_names_the_drivers_when_a_scenario_failed_on_some_and_passed_on_others():
    drafted = _drafted([result("Codes are six digits", "failed", driver="ui"),
                        result("Codes are six digits", "passed", driver="api"),
                        result(REPLAY["scenario"], "failed", driver="ui"), result(REPLAY["scenario"], "failed", driver="api")])
    assert [(d["scenario"], d.get("drivers")) for d in drafted] == [("Codes are six digits", ["ui"]),
                                                                  (REPLAY["scenario"], None)]


def test_a_draft_of_new_deviations_leaves_out_what_the_known_ones_explain():
    drafted = _drafted([result(REPLAY["scenario"], "failed"), result("Codes are six digits", "failed")], known=[REPLAY])
    assert [d["scenario"] for d in drafted] == ["Codes are six digits"]
    # and what it drafts is a file the gate reads: the entry explains the failure next time
    entry = drafted[0]
    assert deviations.matches(entry, result("Codes are six digits", "failed"))
