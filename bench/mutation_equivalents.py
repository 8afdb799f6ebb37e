"""Which surviving mutants cannot be seen from outside the app, and why.

A mutant counts as equivalent here only when no person or client of the product could
notice it through any screen, API answer, email or SMS: then no scenario can kill it, and
the mutation score leaves it out. Each rule matches the mutated line (as ``mutmut show``
prints it) rather than a mutant's number, which changes whenever the source does. Every
survivor no rule explains is a gap in the features, listed as such by mutation_bench.py.
"""

from __future__ import annotations

import re

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
]


def explain(name: str, changed_line: str) -> str | None:
    """Why this mutant is equivalent, or None when it is a gap in the features."""
    for pattern, reason in RULES:
        if pattern.search(changed_line):
            return reason
    return None
