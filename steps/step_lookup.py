"""A cache of pytest-bdd's step-definition lookup, worth about 2 ms per domain scenario.

For every step of every scenario pytest-bdd 9 walks every fixture name pytest knows, asks
pytest which definitions are visible to the test, and tries each step definition's pattern
on the step's text (``pytest_bdd.scenario.find_fixturedefs_for_step``). The answer depends
only on the step (its type and text), on where the test sits (the fixtures visible to its
parent: module, class) and on the set of fixtures registered, so it is cached under those.
A new fixture definition (a plugin registering one late) changes the count and so the key.

``find_fixturedefs_for_step`` is pytest-bdd's private API: when a version lacks it, the
cache is not installed and pytest-bdd looks steps up as it always does (``install`` says
which happened).
"""

from __future__ import annotations

import weakref
from typing import Any


def install() -> bool:
    """Wrap pytest-bdd's lookup with the cache; False (and no change) if it cannot."""
    try:
        from pytest_bdd import scenario as bdd_scenario
    except ImportError:
        return False
    original = getattr(bdd_scenario, "find_fixturedefs_for_step", None)
    if original is None or getattr(original, "twofa_cached", False):
        return original is not None
    # One cache per pytest session (its fixture manager), so in-process runs (pytester) never share one.
    caches: "weakref.WeakKeyDictionary[Any, dict[tuple, list[Any]]]" = weakref.WeakKeyDictionary()

    def find_fixturedefs_for_step(step, fixturemanager, node):
        parent = getattr(node, "parent", None)
        known = len(getattr(fixturemanager, "_arg2fixturedefs", ()))
        key = (step.type, step.name, parent.nodeid if parent is not None else node.nodeid, known)
        cache = caches.setdefault(fixturemanager, {})
        found = cache.get(key)
        if found is None:
            found = cache[key] = list(original(step, fixturemanager, node))
        return iter(found)

    find_fixturedefs_for_step.twofa_cached = True  # type: ignore[attr-defined]
    bdd_scenario.find_fixturedefs_for_step = find_fixturedefs_for_step
    return True
