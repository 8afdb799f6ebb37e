"""The requirements catalogue (spec/requirements.toml) and its trace to the scenarios."""

from __future__ import annotations

import dataclasses
import pathlib
import re
import tomllib

from twofa import gherkin

ROOT = pathlib.Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "spec" / "requirements.toml"
FEATURES = ROOT / "features"
KINDS = {"seed", "rfc", "asvs", "nist", "owasp", "assumption"}
REQ_TAG = re.compile(r"^req-(?P<id>[A-Z]+-\d+)$")


@dataclasses.dataclass(frozen=True)
class Requirement:
    id: str
    title: str
    statement: str
    source: str
    kind: str
    peer: str = ""
    # Tests below the features (pytest node ids) that prove it; only [[tested_requirement]].
    proven_by: tuple[str, ...] = ()


def load_requirements(path: pathlib.Path = CATALOGUE) -> list[Requirement]:
    """The requirements that scenarios prove (the release gate's catalogue)."""
    return _load(path, "requirement")


def load_tested_requirements(path: pathlib.Path = CATALOGUE) -> list[Requirement]:
    """The requirements only tests below the features can show, each with its ``proven_by``."""
    return _load(path, "tested_requirement")


FIELDS = tuple(f.name for f in dataclasses.fields(Requirement))


def _load(path: pathlib.Path, table: str) -> list[Requirement]:
    """The entries of one table; a missing field is empty (the catalogue's test says which must
    not be), an unknown one is a ValueError naming it (a typo must not go unnoticed)."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    requirements = []
    for entry in data.get(table, []):
        unknown = sorted(set(entry) - set(FIELDS))
        if unknown:
            raise ValueError(f"{path.name}: [[{table}]] {entry.get('id', '?')} has unknown field(s) {', '.join(unknown)}; "
                             f"known: {', '.join(FIELDS)}")
        values = {name: str(entry.get(name) or "") for name in FIELDS if name != "proven_by"}
        requirements.append(Requirement(**values, proven_by=tuple(entry.get("proven_by", ()))))
    return requirements


def missing_tests(node_ids: tuple[str, ...], root: pathlib.Path = ROOT) -> list[str]:
    """The node ids ("path::test_name") that name no test function in that file."""
    import ast

    missing = []
    for node_id in node_ids:
        path, _, name = node_id.partition("::")
        file = root / path
        if not name or not file.is_file():
            missing.append(node_id)
            continue
        tree = ast.parse(file.read_text(encoding="utf-8"))
        names = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        if name not in names or not name.startswith("test"):
            missing.append(node_id)
    return missing


@dataclasses.dataclass(frozen=True)
class ScenarioRef:
    feature: str
    name: str
    line: int
    requirement_ids: tuple[str, ...]
    tags: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.feature}:{self.line} {self.name!r}"


@dataclasses.dataclass(frozen=True)
class Trace:
    requirements: list[Requirement]
    scenarios: list[ScenarioRef]

    def scenarios_proving(self, requirement_id: str) -> list[ScenarioRef]:
        return [s for s in self.scenarios if requirement_id in s.requirement_ids]

    @property
    def unproved(self) -> list[str]:
        return [r.id for r in self.requirements if not self.scenarios_proving(r.id)]

    @property
    def unknown(self) -> list[tuple[str, str]]:
        known = {r.id for r in self.requirements}
        return [(rid, s.where) for s in self.scenarios for rid in s.requirement_ids if rid not in known]

    @property
    def untagged(self) -> list[str]:
        return [s.where for s in self.scenarios if not s.requirement_ids]


def read_scenarios(features: pathlib.Path = FEATURES) -> list[ScenarioRef]:
    """The scenarios of every feature file with the requirement ids their tags name.

    Read through ``twofa/gherkin.py``; a feature file that does not parse is reported with
    its name and the parser's message.
    """
    found = []
    for path in sorted(features.glob("*.feature")):
        document = gherkin.parse_file(path)
        for scenario in gherkin.scenarios(document):
            tags = gherkin.feature_tags(document) + gherkin.scenario_tags(scenario)
            ids = tuple(m["id"] for t in tags if (m := REQ_TAG.match(t.lstrip("@"))))
            found.append(ScenarioRef(path.name, scenario["name"], scenario["location"]["line"], ids,
                                     tuple(t.lstrip("@") for t in tags)))
    return found


def trace(features: pathlib.Path = FEATURES, catalogue: pathlib.Path = CATALOGUE) -> Trace:
    return Trace(load_requirements(catalogue), read_scenarios(features))
