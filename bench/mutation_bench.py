"""How much can the gate be trusted? Mutation testing of the app's rules with mutmut 3.

    .venv/bin/python bench/mutation_bench.py [--workers N] [--keep DIR]

mutmut mutates every function of ``sut/domain`` and ``sut/service_layer`` (configuration:
``[tool.mutmut]`` in pyproject.toml) and runs the acceptance suite through the domain driver
against each mutant, in a scratch copy of the project (the working tree is never touched).
A mutant the suite does not notice survived: either the change cannot be seen from outside
(an equivalent mutant) or the features do not specify that part of the rule. Prints the
score, the survivors grouped by function with the line each one changed, and the reason for
those that bench/mutation_equivalents.py explains; writes the full list to
``reports/mutation-survivors.txt``. Figures only: it never fails on the score.

mutmut never mutates module constants (MAX_WRONG_CODES, LIFETIME...); bench/named_mutations.py
breaks those by name, and CI runs them (tests/integration/test_the_suite_catches_broken_rules.py).
Nor can it switch on a mutant of a function that runs only while its module is imported (the
table of settings fields): those are sorted apart, not counted as gaps in the features.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.mutation_equivalents import AT_IMPORT, MESSAGE_SHOWN, called_at_import, explain, kind_of_gap  # noqa: E402  (the project's root, on a fresh clone)

# What mutmut needs beside the app: the harness, the features, the spec and the config.
COPY = ("sut", "steps", "twofa", "features", "spec", "tests/__init__.py", "tests/acceptance", "conftest.py",
        "pyproject.toml", "bench")
KILLED, SURVIVED, NO_TESTS = "killed", "survived", "no tests"


def scratch_copy(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.sqlite3*", "*.key")
    for item in COPY:
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(source, target / item, ignore=ignore)
        else:
            (target / item).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target / item)


def mutmut(folder: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=folder, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    if check and done.returncode != 0:
        sys.exit(f"mutmut {' '.join(args)} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done.stdout


def statuses(folder: Path) -> dict[str, str]:
    found = {}
    for line in mutmut(folder, "results", "--all", "true").splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            found[name] = status.strip()
    return found


def changed_line(folder: Path, name: str) -> str:
    """The mutated line as mutmut shows it: '-old' then '+new'."""
    diff = mutmut(folder, "show", name, check=False).splitlines()
    removed = [line[1:].strip() for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:].strip() for line in diff if line.startswith("+") and not line.startswith("+++")]
    return f"{' / '.join(removed) or '?'}  ->  {' / '.join(added) or '(removed)'}"


def made_at_import(name: str) -> bool:
    """sut.service_layer.settings_form.x__member__mutmut_3: a module function (mutmut prefixes "x_")
    that the module's own top level calls."""
    module, _, rest = name.rpartition(".x_")
    function = re.sub(r"__mutmut_\d+$", "", rest)
    return "ǁ" not in rest and function in called_at_import(module)


def function_of(name: str) -> str:
    """sut.service_layer.login.xǁLoginǁbegin__mutmut_12 -> sut.service_layer.login Login.begin"""
    module, _, rest = name.rpartition(".x")
    rest = re.sub(r"__mutmut_\d+$", "", rest).strip("_ǁ")
    return f"{module} {rest.replace('ǁ', '.')}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="mutants tried at once (default: one per core)")
    parser.add_argument("--keep", metavar="DIR", help="run in DIR and keep it (mutmut browse works there)")
    parser.add_argument("--out", default=str(ROOT / "reports" / "mutation-survivors.txt"))
    options = parser.parse_args()

    folder = Path(options.keep) if options.keep else Path(tempfile.mkdtemp(prefix="twofa-mutmut-"))
    if options.keep:
        shutil.rmtree(folder, ignore_errors=True)
    scratch_copy(folder)
    started = time.monotonic()
    mutmut(folder, "run", "--max-children", str(options.workers))
    seconds = time.monotonic() - started
    found = statuses(folder)

    counts: dict[str, int] = defaultdict(int)
    for status in found.values():
        counts[status] += 1
    total = len(found)
    killed = counts[KILLED] + counts.get("timeout", 0)
    not_killed = {n: s for n, s in found.items() if s in (SURVIVED, NO_TESTS)}
    with ThreadPoolExecutor(max_workers=options.workers) as pool:  # one `mutmut show` process each
        lines = dict(zip(sorted(not_killed), pool.map(lambda name: changed_line(folder, name), sorted(not_killed))))
    reasons = {name: explain(name, line) for name, line in lines.items()}
    equivalent = [n for n, r in reasons.items() if r]

    by_function: dict[str, list[str]] = defaultdict(list)
    for name in sorted(not_killed):
        by_function[function_of(name)].append(name)
    report = []
    for function, names in sorted(by_function.items()):
        report.append(f"{function}  ({len(names)})")
        for name in names:
            why = (f"   [equivalent: {reasons[name]}]" if reasons[name]
                   else "   [runs at import: mutmut cannot switch it on]" if made_at_import(name)
                   else "   [a shown message, read in part]"
                   if not_killed[name] == SURVIVED and kind_of_gap(lines[name]) == MESSAGE_SHOWN else "")
            report.append(f"    {not_killed[name]:<9} {name.rsplit('__mutmut_', 1)[-1]:>3}  {lines[name]}{why}")
    Path(options.out).parent.mkdir(parents=True, exist_ok=True)
    Path(options.out).write_text("\n".join(report) + "\n", encoding="utf-8")

    print("\n".join(report))
    print()
    print(f"mutants: {total} in sut/domain and sut/service_layer, tried in {seconds:.0f} s ({total / max(seconds, 1):.1f}/s)")
    print("  " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    print(f"mutation score: {killed} of {total} killed = {100 * killed / max(total, 1):.1f}%")
    print(f"  counting the {len(equivalent)} explained equivalent mutants as not mutants: "
          f"{killed} of {total - len(equivalent)} = {100 * killed / max(total - len(equivalent), 1):.1f}%")
    gaps: dict[str, int] = defaultdict(int)
    for name in not_killed:
        if not reasons[name]:
            gaps["not reached by the domain driver (mutmut: no tests)" if not_killed[name] == NO_TESTS
                 else AT_IMPORT if made_at_import(name) else kind_of_gap(lines[name])] += 1
    print("not killed, sorted by what would kill them (a rough sort, by the changed line):")
    for kind, n in sorted(gaps.items(), key=lambda item: -item[1]):
        print(f"  {n:>4}  {kind}")
    print(f"  {len(equivalent):>4}  equivalent: cannot be seen from outside (bench/mutation_equivalents.py says why)")
    print(f"survivors and untested mutants, one line each: {options.out}")
    if not options.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
