"""`twofa accept --target flask-security`, end to end on a few scenarios: what does not apply is
reported as such with its reason, and the gate holds only while the known deviations are true."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from twofa.spec import ROOT

# Its tests share a module fixture that runs the suite: one xdist worker makes it once (twofa test).
pytestmark = pytest.mark.xdist_group("conformance-run")

KNOWN = ROOT / "spec" / "deviations" / "flask-security.toml"
# TOTP-2 fails on Flask-Security (codes are replayable); APP-2 holds; RESET-1 does not apply.
TAGS = "@req-TOTP-2 or @req-APP-2 or @req-RESET-1"


def accept(reports: Path, deviations: Path | None = None) -> tuple[int, dict]:
    args = [sys.executable, "-m", "twofa.cli", "accept", "--target", "flask-security", "--driver", "api",
            "--tags", TAGS, "--reports", str(reports), "-q"]
    if deviations is not None:
        args.append(f"--twofa-deviations={deviations}")
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    return done.returncode, json.loads((reports / "results.json").read_text())


def without(text: str, scenario: str) -> str:
    """The deviations file with the entries of one scenario taken out."""
    entries = text.split("[[deviation]]")
    return "[[deviation]]".join(e for e in entries if f'scenario = "{scenario}"' not in e)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    return accept(tmp_path_factory.mktemp("known"))


def test_the_known_deviations_hold_so_the_run_is_green(recorded):
    code, run = recorded
    rule = next(r for r in run["gate"]["rules"] if r["rule"] == "known_deviations")
    assert (code, run["gate"]["passed"], rule["held"]) == (0, True, True), rule
    failed = {r["scenario_title"] for r in run["results"] if r["status"] == "failed"}
    assert "A code that was used once is refused the second time" in failed  # the finding is still reported


def test_scenarios_needing_what_the_product_lacks_are_not_applicable_with_the_reason(recorded):
    _, run = recorded
    reset = [r for r in run["not_run"] if "req-RESET-1" in r["tags"]]
    assert reset and {r["status"] for r in reset} == {"not applicable"}
    assert all(r["skip_reason"].startswith("flask-security has no administrator pages") for r in reset), reset
    coverage = {c["id"]: c["status"] for c in run["coverage"]}
    assert (coverage["RESET-1"], coverage["APP-2"], coverage["TOTP-2"]) == ("not applicable", "proven", "broken")


def test_a_new_deviation_fails_the_run(tmp_path):
    fewer = tmp_path / "fewer.toml"
    fewer.write_text(without(KNOWN.read_text(), "A code that was used once is refused the second time"))
    code, run = accept(tmp_path / "reports", fewer)
    rule = next(r for r in run["gate"]["rules"] if r["rule"] == "known_deviations")
    assert code == 1 and not rule["held"]
    assert rule["scenarios"] == ["new deviation: authenticator_app.feature: A code that was used once is refused the second time on api"]


def test_a_known_deviation_that_disappeared_fails_the_run(tmp_path):
    more = tmp_path / "more.toml"
    more.write_text(KNOWN.read_text() + '\n[[deviation]]\nfeature = "authenticator_app.feature"\n'
                    'scenario = "Setting up the app by typing the key instead of scanning"\nrequirement = "APP-2"\n'
                    'did = "typed the key"\nexpected = "Then the agent is signed in"\nanswered = "an imagined refusal"\n')
    code, run = accept(tmp_path / "reports", more)
    rule = next(r for r in run["gate"]["rules"] if r["rule"] == "known_deviations")
    assert code == 1 and rule["scenarios"] == [
        "known deviation no longer seen (the scenario passes): authenticator_app.feature: "
        "Setting up the app by typing the key instead of scanning [APP-2]"]
