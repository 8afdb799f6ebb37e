"""Cucumber JSON, the legacy format that CI tools still read.

Readers: Jenkins' cucumber-reports plugin, Xray's Cucumber import, the npm
``multiple-cucumber-html-reporter``. The shape follows cucumber-ruby/-js:
features with ``elements`` (scenarios) holding ``steps`` with a ``result``
whose ``duration`` is in nanoseconds.

Choices, and why:

* One element per scenario x driver (x example row). The driver is a tag
  ``@driver-<name>`` and a suffix of the element id and name, so the same
  scenario run through domain, api and ui is three visible rows.
* Background steps are inlined at the start of each element (as pytest-bdd runs
  them) rather than emitted as separate "background" elements, which some
  readers count as scenarios.
* A fixture failure before or after the steps is a ``before``/``after`` hook
  with status failed, so the element is not green with all steps skipped.
"""

from __future__ import annotations

import re
from typing import Any

from twofa import gherkin


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unnamed"


def _tag_lines(document: dict[str, Any]) -> dict[str, int]:
    """First line where each tag name is written, for the ``line`` fields."""
    lines: dict[str, int] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for tag in node.get("tags", []) or []:
                if isinstance(tag, dict) and "name" in tag and "location" in tag:
                    lines.setdefault(tag["name"], tag["location"]["line"])
            for value in node.values():
                if isinstance(value, (dict, list)):
                    visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(document)
    return lines


def _result(status: str, duration_ns: int, error: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {"status": status}
    # Nanoseconds, measured with a clock freezegun does not stop (clock.py);
    # a step that did not run took no time.
    result["duration"] = int(duration_ns)
    if error and status in ("failed", "undefined", "skipped"):
        result["error_message"] = error
    return result


def _element(record: dict[str, Any], feature_slug: str, tag_lines: dict[str, int], scenario_node: dict[str, Any] | None) -> dict[str, Any]:
    driver = record.get("driver")
    name = record["scenario_name"] + (f" [{driver}]" if driver else "")
    parts = [feature_slug, _slug(record.get("scenario_title") or record["scenario_name"])]
    if record.get("example_index") is not None:
        parts.append(f"example-{record['example_index'] + 1}")
    if driver:
        parts.append(f"driver-{_slug(driver)}")
    line = record["scenario_line"]
    tags = [{"name": "@" + t, "line": tag_lines.get("@" + t, line)} for t in record["tags"]]
    if driver:
        tags.append({"name": f"@driver-{driver}", "line": line})
    steps = []
    for step in record["steps"]:
        entry: dict[str, Any] = {
            "keyword": step["keyword"],
            "name": step["text"],
            "line": step["line"],
            "result": _result(step["status"], step["duration_ns"], step.get("error")),
        }
        definition = step.get("definition")
        if definition:
            entry["match"] = {"location": f"{definition['file']}:{definition['line']}"}
        elif step["status"] != "undefined":
            entry["match"] = {"location": f"{record['uri']}:{step['line']}"}
        else:
            entry["match"] = {}
        if step["attachments"]:
            entry["embeddings"] = [
                {"mime_type": a["media_type"], "data": a["data"], **({"name": a["name"]} if a.get("name") else {})}
                for a in step["attachments"]
            ]
        steps.append(entry)
    element: dict[str, Any] = {
        "id": ";".join(parts),
        "keyword": record.get("keyword") or "Scenario",
        "type": "scenario",
        "name": name,
        "description": (scenario_node or {}).get("description", "") or "",
        "line": line,
        "tags": tags,
        "steps": steps,
    }
    for kind in ("before", "after"):
        hooks = [h for h in record.get("hooks", []) if h["kind"] == kind]
        if hooks:
            element[kind] = [
                {"match": {"location": f"pytest {kind} the steps"}, "result": _result(h["status"], h["duration_ns"], h["error"])}
                for h in hooks
            ]
    return element


def build(run: dict[str, Any]) -> list[dict[str, Any]]:
    documents = {f["uri"]: f["gherkinDocument"] for f in run["features"]}
    features: dict[str, dict[str, Any]] = {}
    for record in run["results"]:  # already sorted
        uri = record["uri"]
        document = documents.get(uri, {})
        node = document.get("feature") or {}
        if uri not in features:
            name = node.get("name") or record.get("feature_name") or uri
            features[uri] = {
                "uri": uri,
                "id": _slug(name),
                "keyword": node.get("keyword", "Feature"),
                "name": name,
                "description": node.get("description", "") or "",
                "line": (node.get("location") or {}).get("line", 1),
                "tags": [{"name": t["name"], "line": t["location"]["line"]} for t in node.get("tags", [])],
                "elements": [],
                "_tag_lines": _tag_lines(document),
                "_scenarios": _scenario_index(document),
            }
        feature = features[uri]
        scenario_node = feature["_scenarios"].get(record["scenario_line"])
        feature["elements"].append(_element(record, feature["id"], feature["_tag_lines"], scenario_node))
    output = []
    for feature in features.values():
        feature.pop("_tag_lines")
        feature.pop("_scenarios")
        output.append(feature)
    return output


def _scenario_index(document: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {s["location"]["line"]: s for s in gherkin.scenarios(document)}
