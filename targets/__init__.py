"""Products behind the acceptance harness other than the reference app in ``sut``.

Each subpackage holds one product, built as its own documentation intends, plus the few
helpers a target adapter needs to arrange the world (people, settings, where mail and texts
go). Nothing here is written to pass the features: where a product lacks a behaviour, the
behaviour is missing and docs/targets.md records it as a finding.
"""

from __future__ import annotations

# name -> "module:Class" of its target adapter; ``twofa accept --target NAME`` chooses one.
TARGETS = {
    "reference": "targets.reference:ReferenceTarget",
    "flask-security": "targets.flask_security.target:FlaskSecurityTarget",
}
DEFAULT_TARGET = "reference"


def load_target(name: str):
    """The target adapter called ``name`` (a clear error naming the known ones otherwise)."""
    from targets.target import load_class

    if name not in TARGETS:
        raise ValueError(f"Unknown target {name!r}; known: {', '.join(TARGETS)}")
    return load_class(TARGETS[name])()
