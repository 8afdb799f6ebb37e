"""Controller side: turn the collected records into one "run" document.

The run document is what ``results.json`` holds. Every other report
(cucumber.json, messages.ndjson, living-doc.html, gate.json) is derived from
it alone, so ``rebuild_html`` can regenerate the living documentation without
rerunning anything, and a serial run and a ``-n N`` run produce the same files
once their records are sorted the same way.

Layout::

    {"schema": 1,
     "meta": {"started_ns", "finished_ns", "rootdir", "pytest_exitstatus", ...},
     "features": [{"uri", "source", "gherkinDocument", "pickles"}],
     "requirements": [{"id", "title", "statement", "source", "kind", "peer"}],
     "requirements_file": "spec/requirements.toml" | None,
     "results": [record, ...],   # see collecting.py, plus "pickle_id"
     "not_run": [record, ...],   # collected, deselected: "not run" or "not applicable"
     "coverage": [{"id", "status", "scenarios"}],   # see requirements.py
     "policy": {...}, "gate": {...}}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from gherkin.ast_builder import AstBuilder
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler
from gherkin.stream.id_generator import IdGenerator

from .requirements import load_requirements, requirement_status

SCHEMA_VERSION = 2
CRITICAL_TAG = "critical"


def sort_key(record: dict[str, Any]) -> tuple:
    """Feature file, line, driver, example: the order of every report."""
    example = record.get("example_index")
    return (
        record.get("uri") or "",
        record.get("scenario_line") or 0,
        record.get("driver") or "",
        -1 if example is None else example,
        record.get("nodeid") or "",
    )


def result_label(record: dict[str, Any]) -> str:
    """A short human name of one result: feature file:line name [driver]."""
    label = f"{record['uri']}:{record['scenario_line']} {record['scenario_name']}"
    if record.get("driver"):
        label += f" [{record['driver']}]"
    return label


# -- features ---------------------------------------------------------------
def parse_features(uris: Iterable[str], rootdir: Path) -> list[dict[str, Any]]:
    """Gherkin documents and pickles, in the shape of Cucumber Messages.

    gherkin-official (the parser pytest-bdd itself uses) produces exactly the
    ``gherkinDocument`` and ``pickle`` messages. One id generator for all
    documents, fed in sorted order, keeps ids unique and reproducible.
    """
    ids = IdGenerator()
    parser = Parser(AstBuilder(ids))
    compiler = Compiler(ids)
    features = []
    for uri in sorted(set(uris)):
        path = rootdir / uri
        try:
            source = path.read_text(encoding="utf-8")
        except OSError:
            continue
        document = parser.parse(source)
        document["uri"] = uri
        pickles = compiler.compile(document)
        features.append({"uri": uri, "source": source, "gherkinDocument": document, "pickles": pickles})
    return features


def scenario_nodes(document: dict[str, Any]) -> Iterable[dict[str, Any]]:
    feature = document.get("feature") or {}
    for child in feature.get("children", []):
        if "scenario" in child:
            yield child["scenario"]
        elif "rule" in child:
            for grandchild in child["rule"].get("children", []):
                if "scenario" in grandchild:
                    yield grandchild["scenario"]


def _step_nodes(document: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Every step of a document by line (backgrounds and rules included)."""
    steps: dict[int, dict[str, Any]] = {}

    def walk(children: list[dict[str, Any]]) -> None:
        for child in children:
            for kind in ("background", "scenario"):
                if kind in child:
                    for step in child[kind].get("steps", []):
                        steps[step["location"]["line"]] = step
            if "rule" in child:
                walk(child["rule"].get("children", []))

    walk((document.get("feature") or {}).get("children", []))
    return steps


def link_results(features: list[dict[str, Any]], results: list[dict[str, Any]]) -> None:
    """Give each result its pickle id and the keywords as written ("And ").

    pytest-bdd title-cases keywords and numbers outline rows by a flat index;
    the gherkin document has the real keywords, and its pickles come in the
    same flat order as pytest-bdd's example parametrization.
    """
    by_uri = {f["uri"]: f for f in features}
    for record in results:
        record["pickle_id"] = None
        record["scenario_title"] = record["scenario_name"]
        feature = by_uri.get(record["uri"])
        if feature is None:
            continue
        document = feature["gherkinDocument"]
        node = next((s for s in scenario_nodes(document) if s["location"]["line"] == record["scenario_line"]), None)
        if node is None:
            continue
        record["scenario_title"] = node["name"]  # an outline's name before <x> is filled in
        pickles = [p for p in feature["pickles"] if p["astNodeIds"][0] == node["id"]]
        index = record.get("example_index") or 0
        if 0 <= index < len(pickles):
            record["pickle_id"] = pickles[index]["id"]
        steps = _step_nodes(document)
        for step in record["steps"]:
            written = steps.get(step["line"])
            if written is not None:
                step["keyword"] = written["keyword"]


def build_run(
    records: Iterable[dict[str, Any]],
    rootdir: Path,
    requirements_path: Path | None,
    meta: dict[str, Any],
    not_run: Iterable[dict[str, Any]] = (),
) -> dict[str, Any]:
    """The run document. ``not_run`` are the runs that were collected but did not happen
    (deselected), each with ``status`` 'not run' or 'not applicable' and a ``reason``."""
    results = sorted(records, key=sort_key)
    skipped_runs = sorted(not_run, key=sort_key)
    features = parse_features((r["uri"] for r in [*results, *skipped_runs] if r.get("uri")), rootdir)
    link_results(features, results)
    link_results(features, skipped_runs)
    requirements_file = None
    if requirements_path is not None and requirements_path.is_file():
        try:
            requirements_file = requirements_path.resolve().relative_to(rootdir.resolve()).as_posix()
        except ValueError:
            requirements_file = str(requirements_path)
    requirements = load_requirements(requirements_path)
    return {
        "schema": SCHEMA_VERSION,
        "meta": meta,
        "features": features,
        "requirements": requirements,
        "requirements_file": requirements_file,
        "results": results,
        "not_run": skipped_runs,
        # The one status of each requirement that every report shows (requirements.py).
        "coverage": requirement_status(requirements, results, skipped_runs),
    }
