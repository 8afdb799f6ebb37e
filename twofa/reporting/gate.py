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

from . import deviations
from .document import Coverage, Rule, RunDocument, Verdict
from .model import CRITICAL_TAG, result_label
from .requirements import (ACCEPTABLE, BROKEN, NOT_APPLICABLE, PROVEN, broken_by, explain, requirement_ids, requirement_status,
                           scenario_outcomes)

DEFAULT_POLICY: dict[str, Any] = {
    # Every result (each driver, each example) of a @critical scenario passed.
    "critical_must_pass": True,
    # A step without a definition means the spec says more than the suite checks.
    "allow_undefined_steps": False,
    # A requirement whose scenario failed on any driver blocks the release, whatever
    # else the policy allows (requirements.py: "broken").
    "allow_broken_requirements": False,
    # Each requirement of spec/requirements.toml is proven: every scenario tagged
    # @req-<ID> passed on every driver that applies (or none applies to this run).
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


def _rule(name: str, setting: Any, held: bool, reason: str, scenarios: list[str] | None = None, requirements: list[str] | None = None) -> Rule:
    return {
        "rule": name,
        "setting": setting,
        "held": held,
        "reason": reason,
        "scenarios": scenarios or [],
        "requirements": requirements or [],
    }


# pytest's exit statuses that mean the run itself broke: interrupted, internal error,
# usage error, nothing collected. A run that stopped early proves nothing.
_BROKEN_RUN = {2: "the run was interrupted (a collection error, Ctrl-C or -x)", 3: "pytest had an internal error",
               4: "pytest was used wrongly", 5: "no test was collected"}


def run_completed(run: RunDocument, coverage: list[Coverage], policy: dict[str, Any]) -> Rule:
    """Not a policy: a verdict over a run that did not finish, or ran nothing, would be a guess."""
    status = (run.get("meta") or {}).get("pytest_exitstatus", 0)
    if status in _BROKEN_RUN:
        return _rule("run_completed", True, False, f"{_BROKEN_RUN[status]} (pytest exit status {status})")
    if not run["results"]:
        return _rule("run_completed", True, False, "no scenario ran")
    missing = ((run.get("meta") or {}).get("shards") or {}).get("missing") or []
    if missing:  # merged from shards (merge.py): the missing ones' scenarios did not run
        return _rule("run_completed", True, False, f"shard{'s' if len(missing) > 1 else ''} {', '.join(missing)} missing "
                     "from the merge: their scenarios did not run")
    return _rule("run_completed", True, True, f"{len(run['results'])} runs finished")


def critical_must_pass(run: RunDocument, coverage: list[Coverage], policy: dict[str, Any]) -> Rule:
    critical = [r for r in run["results"] if CRITICAL_TAG in r["tags"]]
    bad = [result_label(r) + f": {r['status']}" for r in critical if r["status"] != "passed"]
    if not policy["critical_must_pass"]:
        return _rule("critical_must_pass", False, True, "not enforced")
    reason = f"{len(bad)} of {len(critical)} critical runs did not pass" if bad else f"all {len(critical)} critical runs passed"
    return _rule("critical_must_pass", True, not bad, reason, scenarios=bad)


def allow_undefined_steps(run: RunDocument, coverage: list[Coverage], policy: dict[str, Any]) -> Rule:
    undefined = [result_label(r) + f": line {s['line']} {s['keyword'].strip()} {s['text']}"
                 for r in run["results"] for s in r["steps"] if s["status"] == "undefined"]
    if policy["allow_undefined_steps"]:
        return _rule("allow_undefined_steps", True, True, f"allowed ({len(undefined)} undefined)")
    reason = f"{len(undefined)} undefined steps" if undefined else "no undefined step"
    return _rule("allow_undefined_steps", False, not undefined, reason, scenarios=undefined)


def allow_broken_requirements(run: RunDocument, coverage: list[Coverage], policy: dict[str, Any]) -> Rule:
    broken = [c for c in coverage if c["status"] == BROKEN]
    lines = [f"{c['id']}: {line}" for c in broken for line in broken_by(c)]
    if policy["allow_broken_requirements"]:
        return _rule("allow_broken_requirements", True, True, f"allowed ({len(broken)} broken)")
    reason = (f"{len(broken)} broken requirement{'s' if len(broken) != 1 else ''}: " + ", ".join(c["id"] for c in broken)
              if broken else "no requirement has a failed scenario")
    return _rule("allow_broken_requirements", False, not broken, reason, scenarios=lines, requirements=[c["id"] for c in broken])


def every_requirement_needs_passing_scenario(run: RunDocument, coverage: list[Coverage], policy: dict[str, Any]) -> Rule:
    name = "every_requirement_needs_passing_scenario"
    if not policy[name]:
        return _rule(name, False, True, "not enforced")
    if not run.get("requirements"):
        return _rule(name, True, True, "no requirements catalogue (or it is empty): nothing to prove")
    unproven = [c for c in coverage if c["status"] not in ACCEPTABLE]
    details = [f"{c['id']}: {c['status']}" for c in unproven]
    shown = ", ".join(details[:10]) + (f" and {len(details) - 10} more" if len(details) > 10 else "")
    reason = (f"{len(unproven)} of {len(coverage)} requirements not proven: " + shown if unproven
              else f"all {len(coverage)} requirements proven (every scenario passed on every driver that applies)")
    return _rule(name, True, not unproven, reason, scenarios=[f"{c['id']} {c['status']}: {explain(c)}" for c in unproven],
                 requirements=[c["id"] for c in unproven])


def allow_unknown_requirement_tags(run: RunDocument, coverage: list[Coverage], policy: dict[str, Any]) -> Rule:
    name = "allow_unknown_requirement_tags"
    requirements = run.get("requirements", [])
    if policy[name]:
        return _rule(name, True, True, "allowed")
    if not requirements:
        return _rule(name, False, True, "no requirements catalogue: tags not checked")
    known = {r["id"] for r in requirements}
    unknown: dict[str, list[str]] = {}
    for scenario in scenario_outcomes(run["results"]).values():
        for requirement_id in requirement_ids(scenario["tags"]):
            if requirement_id not in known:
                unknown.setdefault(requirement_id, []).append(f"{scenario['key']} {scenario['name']}")
    reason = ("tags name requirements missing from the catalogue: " + ", ".join(sorted(unknown)) if unknown
              else "every @req- tag names a catalogued requirement")
    return _rule(name, False, not unknown, reason, scenarios=sorted({s for v in unknown.values() for s in v}),
                 requirements=sorted(unknown))


def _at_most(key: str, status: str):
    """The rule that at most ``policy[key]`` runs have ``status`` (-1: no bound)."""
    def rule(run: RunDocument, coverage: list[Coverage], policy: dict[str, Any]) -> Rule:
        limit = policy[key]
        hits = [result_label(r) for r in run["results"] if r["status"] == status]
        if limit < 0:
            return _rule(key, limit, True, f"no bound ({len(hits)} {status})")
        held = len(hits) <= limit
        reason = f"{len(hits)} {status} run{'s' if len(hits) != 1 else ''}, at most {limit} allowed"
        return _rule(key, limit, held, reason, scenarios=[] if held else hits)
    rule.__name__ = key
    return rule


# The gate's rules, in the order gate.json lists them; each is judged on the run alone.
# (Undefined results are judged by their own rule, not by max_failed.)
RULES = (run_completed, critical_must_pass, allow_undefined_steps, allow_broken_requirements,
         every_requirement_needs_passing_scenario, allow_unknown_requirement_tags,
         _at_most("max_skipped", "skipped"), _at_most("max_failed", "failed"))


def known_deviations(run: RunDocument, coverage: list[Coverage], policy: dict[str, Any]) -> Rule:
    """A conformance run's rule: the failures are exactly the target's known deviations."""
    recorded = run["deviations"]
    judged = deviations.judge(run["results"], recorded["entries"])
    problems = [f"new deviation: {label}" for label in judged["new"]] + \
               [f"known deviation no longer seen (the scenario passes): {label}" for label in judged["gone"]]
    if problems:
        reason = (f"{len(judged['new'])} new deviation{'s' if len(judged['new']) != 1 else ''}, "
                  f"{len(judged['gone'])} known deviation{'s' if len(judged['gone']) != 1 else ''} gone "
                  f"(known: {recorded['file']})")
    else:
        reason = f"the failures are exactly {len(judged['known'])} of the {len(recorded['entries'])} known deviations in {recorded['file']}"
    return _rule("known_deviations", recorded["file"], not problems, reason, scenarios=problems)


# A conformance run (against a target with a known-deviations file) is judged on whether its
# failures are the known ones; the release rules about failures do not apply to another product.
CONFORMANCE_RULES = (run_completed, allow_undefined_steps, allow_unknown_requirement_tags,
                     _at_most("max_skipped", "skipped"), known_deviations)


def evaluate(run: RunDocument, policy: dict[str, Any]) -> Verdict:
    """The verdict: passed, and for each rule whether it held and why not."""
    coverage = run.get("coverage")
    if coverage is None:  # a run document written before coverage was stored
        coverage = requirement_status(run.get("requirements", []), run["results"], run.get("not_run", []))
    rules = [rule(run, coverage, policy) for rule in (CONFORMANCE_RULES if run.get("deviations") else RULES)]
    passed = all(rule["held"] for rule in rules)
    return {
        "verdict": "pass" if passed else "fail",
        "passed": passed,
        "policy": dict(policy),
        "rules": rules,
        "requirements": coverage,
    }


def verdict_sentence(run: dict[str, Any], coverage: list[dict[str, Any]]) -> str:
    """Why the gate said what it said, biggest reason first; nothing said twice."""
    gate = run.get("gate") or {}
    if gate.get("passed") and run.get("deviations"):
        return f"Conforms as recorded: the failures are exactly the known deviations in {run['deviations']['file']}."
    if gate.get("passed"):
        return "Release: every requirement proven, every critical scenario passed, every rule of the gate holds."
    rules = {r["rule"]: r for r in gate.get("rules", []) if not r["held"]}
    reasons = [r["reason"] for name, r in rules.items() if name == "run_completed"]
    broken = [c for c in coverage if c["status"] == BROKEN]
    if broken:
        reasons.append(f"{len(broken)} requirement{'s' if len(broken) != 1 else ''} broken")
    critical = failed_critical(run)
    if critical:
        reasons.append(f"{len(critical)} critical scenario{'s' if len(critical) != 1 else ''} did not pass")
    unproven = [c for c in coverage if c["status"] not in (BROKEN, PROVEN, NOT_APPLICABLE)]
    if unproven and "every_requirement_needs_passing_scenario" in rules:
        reasons.append(f"{len(unproven)} requirement{'s' if len(unproven) != 1 else ''} not fully proven")
    explained = {"run_completed", "allow_broken_requirements", "critical_must_pass", "every_requirement_needs_passing_scenario"}
    if broken:
        explained.add("max_failed")  # the failed runs are what broke them
    reasons += [r["reason"] for name, r in rules.items() if name not in explained]
    return "Do not release: " + "; ".join(reasons) + "."


def failed_critical(run: dict[str, Any]) -> list[dict[str, Any]]:
    """Critical scenarios (as written) with a run that did not pass, and on which drivers."""
    found: dict[str, dict[str, Any]] = {}
    for record in run["results"]:
        if CRITICAL_TAG in record["tags"] and record["status"] != "passed":
            key = f"{record['uri']}:{record['scenario_line']}"
            entry = found.setdefault(key, {"key": key, "name": record.get("scenario_title") or record["scenario_name"], "drivers": []})
            if (record.get("driver") or "-") not in entry["drivers"]:
                entry["drivers"].append(record.get("driver") or "-")
    return list(found.values())
