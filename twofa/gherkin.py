"""The one reader of the feature files: the official Gherkin parser (the one pytest-bdd uses).

Both the trace of requirements to scenarios (``twofa/spec.py``) and the reports
(``twofa/reporting/model.py``) read features through here, so a feature file is walked one
way: scenarios at the top of a feature and inside its rules, backgrounds' steps too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

from gherkin.ast_builder import AstBuilder
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler
from gherkin.stream.id_generator import IdGenerator


class Reader:
    """Parses documents and compiles their pickles with one id generator, so that the ids of
    several documents fed in the same order are unique and the same on every run."""

    def __init__(self) -> None:
        self._ids = IdGenerator()
        self._parser = Parser(AstBuilder(self._ids))
        self._compiler = Compiler(self._ids)

    def parse(self, source: str, uri: str | None = None) -> dict[str, Any]:
        document = self._parser.parse(source)
        if uri is not None:
            document["uri"] = uri
        return document

    def pickles(self, document: dict[str, Any]) -> list[dict[str, Any]]:
        return self._compiler.compile(document)


def parse_file(path: Path) -> dict[str, Any]:
    """A feature file's document; a file that is not Gherkin is a ValueError naming it."""
    try:
        return Reader().parse(path.read_text(encoding="utf-8"))
    except Exception as error:  # the parser raises several kinds; all mean "fix this file"
        raise ValueError(f"{path.name} is not valid Gherkin: {error}") from error


def scenarios(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every scenario (and outline) of a document, those inside rules too, in file order."""
    yield from _scenarios(document.get("feature") or {})


def _scenarios(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for child in node.get("children", []):
        if "scenario" in child:
            yield child["scenario"]
        elif "rule" in child:
            yield from _scenarios(child["rule"])


def feature_tags(document: dict[str, Any]) -> list[str]:
    return [t["name"] for t in (document.get("feature") or {}).get("tags", [])]


def scenario_tags(scenario: dict[str, Any]) -> list[str]:
    """The scenario's own tags and those of its Examples tables."""
    return [t["name"] for t in scenario.get("tags", [])] + [
        t["name"] for examples in scenario.get("examples", []) for t in examples.get("tags", [])]


def steps_by_line(document: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Every step of a document by its line: backgrounds', scenarios', inside rules too."""
    found: dict[int, dict[str, Any]] = {}

    def walk(children: Iterable[dict[str, Any]]) -> None:
        for child in children:
            for kind in ("background", "scenario"):
                if kind in child:
                    for step in child[kind].get("steps", []):
                        found[step["location"]["line"]] = step
            if "rule" in child:
                walk(child["rule"].get("children", []))

    walk((document.get("feature") or {}).get("children", []))
    return found
