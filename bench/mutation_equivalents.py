"""Which surviving mutants cannot be seen from outside the app, and why.

A mutant counts as equivalent here only when no person or client of the product could
notice it through any screen, API answer, email or SMS: then no scenario can kill it, and
the mutation score leaves it out. Each rule matches the mutated line (as ``mutmut show``
prints it) rather than a mutant's number, which changes whenever the source does. Every
survivor no rule explains is a gap in the features, listed as such by mutation_bench.py.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

RULES = [
    (re.compile(r"repo\.audit\("),
     "the audit log is written but shown by no screen, API answer or message, so no scenario can read it "
     "(an audit requirement, security.md #25, is not in spec/)"),
    (re.compile(r"_dummy_hash\(\)"),
     "the check against a dummy hash only spends the time a real check would (an unknown account answers as "
     "slowly as a wrong password); its result is thrown away"),
    (re.compile(r'str\((email|password) or ""\)\s+->\s+.*str\(\1 or "XXXX"\)'),
     "an empty email or password and 'XXXX' both match no account and no password"),
    (re.compile(r"token_urlsafe\(32\)\s+->\s+.*token_urlsafe\((33|None)\)"),
     "a session token of 33 random bytes (or the library's default, 32) is as unguessable, and nobody sees its length"),
    (re.compile(r"step <= last_step\s+->\s+.*step < last_step"
                r"|^last = None if challenge\.purpose == \"enrol\" else person\.totp_last_step\s+->"),
     "replay is refused twice, by this early check and by the atomic compare-and-set in SQL "
     "(Repository.advance_totp_step); weakening the early check alone changes nothing a person sees"),
    (re.compile(r"if now - at < WINDOW\)\s+->\s+.*now - at <= WINDOW\)"
                r"|forget_reset_requests_before\(since\)\s+->\s+.*forget_reset_requests_before\(None\)"),
     "the reset limits' hour is kept twice, by the query (requests after since) and by this filter: the edge "
     "(features/password_reset.feature, 'ends an hour after') holds while either does; forgetting nothing "
     "leaves old rows that neither counts"),
]

# Survivors that are gaps, sorted by what the features would need to kill them.
_MESSAGE_MUTATION = re.compile(r"\"XX|\bXX|'XX|\(None\)|[A-Z]{4,} [A-Z]{3,}|\"[a-z][^\"]*\.\"\)?\s*$")
_STRING = re.compile(r'"([^"]{8,})"')
MESSAGE_SHOWN = "message wording: a scenario shows this message, but its Then step reads only part of it"
MESSAGE_UNSHOWN = "message wording: no scenario shows this message (the situation is not in the features)"
OTHER = "a rule the features do not pin down"
AT_IMPORT = ("runs only while its module is imported, before mutmut switches a mutant on: no suite can kill it here "
             "(bench/named_mutations.py breaks such values by name)")


def kind_of_gap(changed_line: str, shown: str | None = None) -> str:
    """A message mutant is a weak Then step only where a scenario shows that message: its words are in
    the message catalogue the Then steps quote (spec/messages.toml) or in a feature. Elsewhere the
    features never reach the situation, and no stricter Then step would kill it."""
    original, _, mutated = changed_line.partition("->")
    if not _MESSAGE_MUTATION.search(mutated or original):
        return OTHER
    shown = _shown_text() if shown is None else shown
    # An f-string's words up to its first placeholder: "Try again in {minutes} minute{'s' ...}".
    words = [s.split("{", 1)[0].strip() for s in _STRING.findall(original)]
    return MESSAGE_SHOWN if any(len(w) >= 8 and w in shown for w in words) else MESSAGE_UNSHOWN


def _shown_text() -> str:
    global _SHOWN
    if _SHOWN is None:
        root = Path(__file__).resolve().parent.parent
        _SHOWN = "\n".join(p.read_text(encoding="utf-8")
                           for p in [root / "spec" / "messages.toml", *sorted((root / "features").rglob("*.feature"))])
    return _SHOWN


_SHOWN: str | None = None


@functools.cache
def called_at_import(module: str) -> frozenset[str]:
    """The module's functions that its own top level calls (a table of fields built once, at
    import): mutmut 3 switches a mutant on when the function is called in a test, too late for
    these, so their mutants survive whatever the features say."""
    path = Path(__file__).resolve().parent.parent.joinpath(*module.split(".")).with_suffix(".py")
    if not path.is_file():
        return frozenset()
    called: set[str] = set()

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue  # a body run later, when called
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Name):
                called.add(child.func.id)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return frozenset(called)


def explain(name: str, changed_line: str) -> str | None:
    """Why this mutant is equivalent, or None when it is a gap in the features."""
    for pattern, reason in RULES:
        if pattern.search(changed_line):
            return reason
    return None
