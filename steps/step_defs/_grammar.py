"""The grammar the steps share, parsed once: who acts, which method, how many.

A step's pattern is a regular expression in which ``{WHO}``, ``{METHOD}`` and
``{CODE_SOURCE}`` stand for the shared groups; the last two take every wording of every
method of ``steps/methods.py``, so that a new method's words need no step changed. The groups are converted before a step function sees them (pytest-bdd
converters), so that a step function gets what it works with:

    who, whose   "the agent", "the other agent"  ->  "agent", "other agent" (the stage's names)
    words,       "SMS", "an authenticator app",
    source       "the code sent by email"        ->  the method (steps/methods.py)
    n            "5"                             ->  5

``given``, ``when`` and ``then`` here are pytest-bdd's, with this grammar.
"""

from __future__ import annotations

import re

import pytest_bdd
from pytest_bdd import parsers

from steps import methods
from steps.methods import by_words

WHO = r"(?P<who>the (?:other agent|agent|user|administrator))"
METHOD = f"(?P<words>{methods.NAMES})"
CODE_SOURCE = f"(?P<source>{methods.CODES})"


def name_of(who: str) -> str:
    """"the agent" -> "agent": the name the stage knows a person by."""
    return re.sub(r"^the ", "", who)


def _unless_absent(convert):
    """An optional group that did not match stays None."""
    return lambda text: None if text is None else convert(text)


CONVERTERS = {name: _unless_absent(convert) for name, convert in
              {"who": name_of, "whose": name_of, "words": by_words, "source": by_words, "n": int}.items()}


def pattern(text: str) -> parsers.re:
    return parsers.re(text.replace("{WHO}", WHO).replace("{METHOD}", METHOD).replace("{CODE_SOURCE}", CODE_SOURCE) + "$")


def given(text: str, target_fixture: str | None = None):
    return pytest_bdd.given(pattern(text), converters=CONVERTERS, target_fixture=target_fixture)


def when(text: str, target_fixture: str | None = None):
    return pytest_bdd.when(pattern(text), converters=CONVERTERS, target_fixture=target_fixture)


def then(text: str):
    return pytest_bdd.then(pattern(text), converters=CONVERTERS)
