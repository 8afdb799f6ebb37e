"""The release gate: a policy, read from pyproject.toml, judged on a run.

pytest's own exit status only says whether tests failed. A release also
needs every requirement of the catalogue proven, no undefined steps, and the
critical scenarios green; a run can pass pytest and still fail those. The
verdict goes to gate.json and, when it fails, makes the pytest exit status
non-zero.

Policy: ``[tool.twofa.gate]`` in the rootdir's pyproject.toml. Keys and
defaults are in DEFAULT_POLICY; an unknown key or a value of the wrong type is
a usage error (a typo must not silently loosen the gate).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .model import CRITICAL_TAG, REQUIREMENT_TAG_PREFIX, requirement_coverage, result_label, scenario_outcomes

DEFAULT_POLICY: dict[str, Any] = {
    # Every result (each driver, each example) of a @critical scenario passed.
    "critical_must_pass": True,
    # A step without a definition means the spec says more than the suite checks.
    "allow_undefined_steps": False,
    # Each requirement of spec/requirements.toml has a scenario tagged
    # @req-<ID> that passed on every driver and example it ran on.
    "every_requirement_needs_passing_scenario": True,
    # A @req-<ID> tag must name a requirement of the catalogue (catches typos).
    "allow_unknown_requirement_tags": False,
    # Upper bounds on results (scenario x driver x example); -1 means no bound.
    "max_skipped": 0,
    "max_failed": 0,
}


class PolicyError(ValueError):
    """The [tool.twofa.gate] table is malformed."""


def load_policy(pyproject: Path) -> dict[str, Any]:
    policy = dict(DEFAULT_POLICY)
    if not pyproject.is_file():
        return policy
    try:
        with pyproject.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{pyproject}: {exc}") from exc
    table = data.get("tool", {}).get("twofa", {}).get("gate", {})
    if not isinstance(table, dict):
        raise PolicyError(f"{pyproject}: [tool.twofa.gate] must be a table")
    for key, value in table.items():
        if key not in DEFAULT_POLICY:
            known = ", ".join(sorted(DEFAULT_POLICY))
            raise PolicyError(f"{pyproject}: unknown key tool.twofa.gate.{key} (known: {known})")
        expected = type(DEFAULT_POLICY[key])
        if type(value) is not expected:  # bool is an int subclass: compare exactly
            raise PolicyError(f"{pyproject}: tool.twofa.gate.{key} must be {expected.__name__}, got {value!r}")
        policy[key] = value
    return policy


def _rule(name: str, setting: Any, held: bool, reason: str, scenarios: list[str] | None = None, requirements: list[str] | None = None) -> dict[str, Any]:
    return {
        "rule": name,
        "setting": setting,
        "held": held,
        "reason": reason,
        "scenarios": scenarios or [],
        "requirements": requirements or [],
    }


def evaluate(run: dict[str, Any], policy: dict[str, Any]) -> dict[str, Any]:
    """The verdict: passed, and for each rule whether it held and why not."""
    results = run["results"]
    rules = []

    # critical_must_pass
    critical = [r for r in results if CRITICAL_TAG in r["tags"]]
    bad = [result_label(r) + f": {r['status']}" for r in critical if r["status"] != "passed"]
    if policy["critical_must_pass"]:
        reason = f"{len(bad)} of {len(critical)} critical results did not pass" if bad else f"all {len(critical)} critical results passed"
        rules.append(_rule("critical_must_pass", True, not bad, reason, scenarios=bad))
    else:
        rules.append(_rule("critical_must_pass", False, True, "not enforced"))

    # allow_undefined_steps
    undefined = [
        result_label(r) + f": line {s['line']} {s['keyword'].strip()} {s['text']}"
        for r in results
        for s in r["steps"]
        if s["status"] == "undefined"
    ]
    if policy["allow_undefined_steps"]:
        rules.append(_rule("allow_undefined_steps", True, True, f"allowed ({len(undefined)} undefined)"))
    else:
        reason = f"{len(undefined)} undefined steps" if undefined else "no undefined step"
        rules.append(_rule("allow_undefined_steps", False, not undefined, reason, scenarios=undefined))

    # every_requirement_needs_passing_scenario
    requirements = run.get("requirements", [])
    coverage = requirement_coverage(requirements, results, run.get("not_applicable"))
    if not policy["every_requirement_needs_passing_scenario"]:
        rules.append(_rule("every_requirement_needs_passing_scenario", False, True, "not enforced"))
    elif not requirements:
        rules.append(_rule("every_requirement_needs_passing_scenario", True, True, "no requirements catalogue (or it is empty): nothing to prove"))
    else:
        unproven = [c for c in coverage if c["status"] not in ("proven", "not applicable")]
        ids = [c["id"] for c in unproven]
        details = [f"{c['id']}: {c['status']}" for c in unproven]
        shown = ", ".join(details[:10]) + (f" and {len(details) - 10} more" if len(details) > 10 else "")
        reason = (
            f"{len(unproven)} of {len(coverage)} requirements without a passing scenario: " + shown
            if unproven
            else f"all {len(coverage)} requirements have a passing scenario"
        )
        rules.append(_rule("every_requirement_needs_passing_scenario", True, not unproven, reason, requirements=ids))

    # allow_unknown_requirement_tags
    known = {r["id"] for r in requirements}
    unknown: dict[str, list[str]] = {}
    if requirements:
        for scenario in scenario_outcomes(results).values():
            for tag in scenario["tags"]:
                if tag.startswith(REQUIREMENT_TAG_PREFIX) and tag[len(REQUIREMENT_TAG_PREFIX) :] not in known:
                    unknown.setdefault(tag[len(REQUIREMENT_TAG_PREFIX) :], []).append(f"{scenario['key']} {scenario['name']}")
    if policy["allow_unknown_requirement_tags"]:
        rules.append(_rule("allow_unknown_requirement_tags", True, True, "allowed"))
    elif not requirements:
        rules.append(_rule("allow_unknown_requirement_tags", False, True, "no requirements catalogue: tags not checked"))
    else:
        reason = (
            "tags name requirements missing from the catalogue: " + ", ".join(sorted(unknown))
            if unknown
            else "every @req- tag names a catalogued requirement"
        )
        rules.append(
            _rule(
                "allow_unknown_requirement_tags",
                False,
                not unknown,
                reason,
                scenarios=sorted({s for v in unknown.values() for s in v}),
                requirements=sorted(unknown),
            )
        )

    # max_skipped / max_failed (undefined results are judged by their own rule)
    for key, status in (("max_skipped", "skipped"), ("max_failed", "failed")):
        limit = policy[key]
        hits = [result_label(r) for r in results if r["status"] == status]
        if limit < 0:
            rules.append(_rule(key, limit, True, f"no bound ({len(hits)} {status})"))
        else:
            held = len(hits) <= limit
            reason = f"{len(hits)} {status} results, at most {limit} allowed"
            rules.append(_rule(key, limit, held, reason, scenarios=[] if held else hits))

    passed = all(rule["held"] for rule in rules)
    return {
        "verdict": "pass" if passed else "fail",
        "passed": passed,
        "policy": dict(policy),
        "rules": rules,
        "requirements": coverage,
    }
