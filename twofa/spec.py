"""The requirements catalogue (spec/requirements.toml) and its trace to the scenarios."""

from __future__ import annotations

import dataclasses
import pathlib
import re
import tomllib

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


def load_requirements(path: pathlib.Path = CATALOGUE) -> list[Requirement]:
    with open(path, "rb") as f:
        data = tomllib.load(f)
    return [Requirement(**entry) for entry in data.get("requirement", [])]
