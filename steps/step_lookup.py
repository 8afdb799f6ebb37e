"""A cache of pytest-bdd's step-definition lookup.

For every step of every scenario pytest-bdd 9 walks every fixture name pytest knows, asks
pytest which definitions are visible to the test, and tries each step definition's pattern
on the step's text (``pytest_bdd.scenario.find_fixturedefs_for_step``). Most steps' texts
are met once (they name a person, a method, a number), so a cache of whole answers alone
misses two times in three; the costly part is the walk, and its answer (the step
definitions visible to a test) depends only on where the test sits (the fixtures visible to
its parent: module, class) and on the fixture names registered. So two caches, both under
those: the visible step definitions of each type, and each step's matches among them (tried
in the same order as pytest-bdd tries them, so the same definitions come back in the same order).
A new fixture name (a plugin registering a step late) changes the key.

pytest-bdd also reads each step function's signature on every step (``inspect.signature``,
twice: its parameters and its required arguments); a function's signature does not change,
so it is read once.

Having found the definitions of a step, pytest-bdd registers them for the test under a
fixture name of the step's text and asks pytest for that fixture's value, which is the step
definition's context (the function, its parser): pytest's fixture set-up and tear-down, for
a function that returns a constant, cost a tenth of a domain scenario. The same choice is
made here without them: the definitions ordered as pytest-bdd orders them (by their place in
the tree), the last one wins, as pytest resolves the injected fixture.

``find_fixturedefs_for_step`` and its helpers are pytest-bdd's private API: when a version
lacks them, nothing is installed and pytest-bdd looks steps up as it always does
(``install`` says which happened). bench/domain_bench.py measures what it saves.
"""

from __future__ import annotations

import functools
import inspect
import weakref
from typing import Any


def install() -> bool:
    """Wrap pytest-bdd's lookup with the caches; False (and no change) if it cannot."""
    import importlib

    try:  # the module: ``from pytest_bdd import scenario`` is its function of that name
        bdd_scenario = importlib.import_module("pytest_bdd.scenario")
    except ImportError:
        return False
    original = getattr(bdd_scenario, "find_fixturedefs_for_step", None)
    if original is None or getattr(original, "twofa_cached", False):
        return original is not None
    names, visible_defs = _walkers(bdd_scenario)
    # One cache per pytest session (its fixture manager), so in-process runs (pytester) never share one.
    caches: "weakref.WeakKeyDictionary[Any, dict[tuple, list[Any]]]" = weakref.WeakKeyDictionary()

    def find_fixturedefs_for_step(step, fixturemanager, node):
        parent = getattr(node, "parent", None)
        where = (parent.nodeid if parent is not None else node.nodeid, names(fixturemanager))
        cache = caches.setdefault(fixturemanager, {})
        key = (step.type, step.name, where)
        found = cache.get(key)
        if found is None:
            if visible_defs is None:
                found = list(original(step, fixturemanager, node))
            else:
                # The visible definitions of the step's type (or of any type), with their matchers.
                visible = cache.get((where, step.type))
                if visible is None:
                    every = cache.get(where)
                    if every is None:
                        every = cache[where] = list(visible_defs(fixturemanager, node))
                    visible = cache[(where, step.type)] = [(fixturedef, context.parser.is_matching) for fixturedef, context
                                                           in every if context.type is None or context.type == step.type]
                found = [fixturedef for fixturedef, matches in visible if matches(step.name)]
            cache[key] = found
        return iter(found)

    find_fixturedefs_for_step.twofa_cached = True  # type: ignore[attr-defined]
    bdd_scenario.find_fixturedefs_for_step = find_fixturedefs_for_step
    if getattr(bdd_scenario, "signature", None) is inspect.signature:
        bdd_scenario.signature = functools.lru_cache(maxsize=None)(inspect.signature)
    required_args = getattr(bdd_scenario, "get_required_args", None)
    if required_args is not None:
        once = functools.lru_cache(maxsize=None)(lambda func: tuple(required_args(func)))
        bdd_scenario.get_required_args = lambda func: list(once(func))
    _choose_without_fixture(bdd_scenario)
    return True


def _choose_without_fixture(bdd_scenario) -> None:
    """``get_step_function`` without a fixture per step, where pytest-bdd has the pieces it uses."""
    original = getattr(bdd_scenario, "get_step_function", None)
    parents = getattr(bdd_scenario, "iterparentnodeids", None)
    registry = getattr(bdd_scenario, "step_function_context_registry", None)
    if original is None or parents is None or registry is None:
        return

    def get_step_function(request, step):
        found = sorted(bdd_scenario.find_fixturedefs_for_step(step=step, fixturemanager=request._fixturemanager,
                                                              node=request.node),
                       key=lambda fixturedef: list(parents(fixturedef.baseid)))  # stable, as pytest-bdd sorts
        if not found:
            return None
        context = registry.get(found[-1].func)
        return context if context is not None else original(request, step)

    bdd_scenario.get_step_function = get_step_function


def _walkers(bdd_scenario):
    """(how many fixture names are registered, the step definitions visible to a node): from
    pytest-bdd's own helpers, as its lookup walks them; None for the second where it lacks them."""
    get_fixture_names = getattr(bdd_scenario, "get_fixture_names", None)
    getfixturedefs = getattr(bdd_scenario, "getfixturedefs", None)
    registry = getattr(bdd_scenario, "step_function_context_registry", None)

    def names(fixturemanager) -> int:
        registries = [getattr(fixturemanager, attribute, None)
                      for attribute in ("_arg2node2fixturedefs", "_arg2nodeid2fixturedefs", "_arg2fixturedefs")]
        return sum(len(r) for r in registries if r is not None)

    if get_fixture_names is None or getfixturedefs is None or registry is None:
        return names, None

    def visible_defs(fixturemanager, node):
        for fixturename in get_fixture_names(fixturemanager=fixturemanager):
            for fixturedef in getfixturedefs(fixturemanager, fixturename, node) or []:
                context = registry.get(fixturedef.func)
                if context is not None:
                    yield fixturedef, context

    return names, visible_defs
