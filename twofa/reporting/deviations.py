"""Known deviations: what a product other than the reference app is known to do differently.

A run against a target (``twofa accept --target NAME``) is a conformance run: a scenario that
applies and fails is a finding about that product. Its findings, once looked at, are written
down in ``spec/deviations/<target>.toml``, each with the requirement it breaks and its
evidence (what the person did, what the product answered). The gate then asks a different
question of that run: are the failures *exactly* the known deviations? A new failure (the
product changed, or the harness broke) fails the run, and so does a known deviation whose
scenario now passes (the product was fixed: the file must say so), so that CI stays green only
while the record is true.

File format (TOML), one table per deviation::

    [[deviation]]
    feature = "authenticator_app.feature"          # the feature file's name
    scenario = "A code that was used once is refused the second time"   # its title
    example = { into = "29", drift = "31" }        # optional: the Examples row(s) it is about
    drivers = ["api"]                              # optional: only through these drivers
    requirement = "TOTP-2"                         # the requirement it breaks
    did = "..."                                    # what the person did
    expected = "..."                               # the step that failed
    answered = "..."                               # what the product answered
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

REQUIRED = ("feature", "scenario", "requirement", "did", "expected", "answered")
OPTIONAL = ("example", "drivers")


class DeviationsError(ValueError):
    """The known-deviations file cannot be read or an entry is malformed."""


def load(path: Path) -> list[dict[str, Any]]:
    try:
        with Path(path).open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise DeviationsError(f"No known-deviations file at {path}") from None
    except tomllib.TOMLDecodeError as error:
        raise DeviationsError(f"{path}: {error}") from None
    unknown_tables = set(data) - {"deviation"}
    if unknown_tables:
        raise DeviationsError(f"{path}: unknown table(s) {', '.join(sorted(unknown_tables))}; each entry is a [[deviation]]")
    entries = data.get("deviation", [])
    for number, entry in enumerate(entries, 1):
        missing = [k for k in REQUIRED if not isinstance(entry.get(k), str) or not entry[k].strip()]
        unknown = sorted(set(entry) - set(REQUIRED) - set(OPTIONAL))
        if missing or unknown:
            problems = ([f"needs {', '.join(missing)}"] if missing else []) + ([f"unknown field(s) {', '.join(unknown)}"] if unknown else [])
            raise DeviationsError(f"{path}: deviation {number} ({entry.get('scenario', '?')}): {'; '.join(problems)}")
    return entries


def matches(deviation: dict[str, Any], result: dict[str, Any]) -> bool:
    """Whether a run (a result of results.json) is the scenario the deviation is about."""
    if Path(result["uri"]).name != deviation["feature"]:
        return False
    if (result.get("scenario_title") or result["scenario_name"]) != deviation["scenario"]:
        return False
    if deviation.get("drivers") and result.get("driver") not in deviation["drivers"]:
        return False
    example = result.get("example") or {}
    return all(str(example.get(k)) == str(v) for k, v in (deviation.get("example") or {}).items())


def label(deviation: dict[str, Any]) -> str:
    row = deviation.get("example")
    rows = f" ({', '.join(f'{k}={v}' for k, v in row.items())})" if row else ""
    return f"{deviation['feature']}: {deviation['scenario']}{rows} [{deviation['requirement']}]"


def judge(results: list[dict[str, Any]], deviations: list[dict[str, Any]]) -> dict[str, list[str]]:
    """new: failed runs no deviation explains; gone: deviations whose runs all passed;
    known: deviations still seen failing. A deviation none of whose runs ran is neither."""
    new, known, gone = [], [], []
    for result in results:
        if result["status"] == "failed" and not any(matches(d, result) for d in deviations):
            new.append(_result_label(result))
    for deviation in deviations:
        runs = [r for r in results if matches(deviation, r)]
        if any(r["status"] == "failed" for r in runs):
            known.append(label(deviation))
        elif runs and all(r["status"] == "passed" for r in runs):
            gone.append(label(deviation))
    return {"new": new, "known": known, "gone": gone}


def _result_label(result: dict[str, Any]) -> str:
    row = result.get("example") or {}
    rows = f" ({', '.join(f'{k}={v}' for k, v in row.items())})" if row else ""
    return (f"{Path(result['uri']).name}: {result.get('scenario_title') or result['scenario_name']}{rows}"
            f" on {result.get('driver') or '-'}")


def record(results: list[dict[str, Any]], requirement_ids, known: list[dict[str, Any]] | None = None) -> str:
    """A known-deviations file for every failed run, its evidence taken from the run: a start
    for a person to read, check and keep (``twofa deviations``). With ``known`` (the target's
    recorded deviations), only the failures none of them explains: what to add to the file.
    A scenario that failed on some of the run's drivers and passed on others is recorded for
    those drivers only (``drivers = [...]``), so that it still has to pass on the others."""
    lines = ["# Known deviations: the findings of a conformance run, each looked at and kept (twofa/reporting/deviations.py).",
             "# Drafted by `twofa deviations` from the run's failures: read each one before keeping it.", ""]
    def key_of(result):
        return (result["uri"], result.get("scenario_title") or result["scenario_name"], str(result.get("example")))

    ran_on: dict[tuple, set] = {}
    failed_on: dict[tuple, set] = {}
    for result in results:
        ran_on.setdefault(key_of(result), set()).add(result.get("driver") or "-")
        if result["status"] == "failed":
            failed_on.setdefault(key_of(result), set()).add(result.get("driver") or "-")
    seen = set()
    for result in sorted(results, key=lambda r: (r["uri"], r["scenario_line"], str(r.get("example")))):
        if result["status"] != "failed":
            continue
        if known and any(matches(d, result) for d in known):
            continue
        key = key_of(result)
        if key in seen:  # the same scenario on another driver: one entry for all
            continue
        seen.add(key)
        steps = result["steps"]
        failed = next((i for i, s in enumerate(steps) if s["status"] == "failed"), len(steps) - 1)
        did = "; ".join(f"{s['keyword'].strip()} {s['text']}" for s in steps[:failed])
        step = steps[failed] if steps else {"keyword": "", "text": ""}
        saw = [f"{o['who']}: {o['saw']}" for o in step.get("observed") or []]
        error = next((line[1:].strip() for line in (result.get("error") or "").splitlines() if line.startswith("E ") and line[1:].strip()), "")
        requirements = requirement_ids(result["tags"])
        lines += ["[[deviation]]",
                  f"feature = {_quote(Path(result['uri']).name)}",
                  f"scenario = {_quote(result.get('scenario_title') or result['scenario_name'])}"]
        if result.get("example"):
            lines.append("example = { " + ", ".join(f"{k} = {_quote(str(v))}" for k, v in result["example"].items()) + " }")
        if failed_on[key] != ran_on[key]:
            lines.append("drivers = [" + ", ".join(_quote(d) for d in sorted(failed_on[key])) + "]")
        lines += [f"requirement = {_quote(', '.join(requirements))}",
                  f"did = {_quote(did)}",
                  f"expected = {_quote(step['keyword'].strip() + ' ' + step['text'])}",
                  f"answered = {_quote('; '.join([*saw, error] if error and not saw_says(saw, error) else saw) or error)}", ""]
    return "\n".join(lines)


def saw_says(saw: list[str], error: str) -> bool:
    """Whether what the people saw already tells the error (an assertion quoting the outcome)."""
    return any(part and part in error for part in saw)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
