"""Rules of the reference app, broken by name at run time: no source text involved.

Each mutation replaces a constant or a function of ``sut`` (through pytest's MonkeyPatch,
which refuses a name that does not exist, so a renamed rule is reported, never silently
skipped). mutmut (bench/mutation_bench.py) mutates the source systematically; these named
ones stay useful because mutmut never touches module constants, and they are fast enough
for CI (tests/integration/test_the_suite_catches_broken_rules.py).

Run as a script, it tries each mutation in turn on the acceptance suite and prints which
scenario caught it (``.venv/bin/python bench/named_mutations.py [--driver api]``).

As a pytest plugin it breaks the rules named in ``TWOFA_MUTATIONS`` (comma-separated) for
the whole run, in every xdist worker too::

    PYTHONPATH=. TWOFA_MUTATIONS=lock-after-6,reset-keeps-sessions \\
        .venv/bin/twofa accept --driver domain -p bench.named_mutations
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import pytest

VARIABLE = "TWOFA_MUTATIONS"


@dataclasses.dataclass(frozen=True)
class Mutation:
    name: str
    breaks: str  # the rule it breaks, in the product's words
    apply: Callable[[pytest.MonkeyPatch], None]


def _constant(module: str, name: str, value) -> Callable[[pytest.MonkeyPatch], None]:
    def apply(patch: pytest.MonkeyPatch) -> None:
        patch.setattr(f"{module}.{name}", value)  # raising=True: the name must exist
    return apply


def _method(path: str, replacement: Callable) -> Callable[[pytest.MonkeyPatch], None]:
    def apply(patch: pytest.MonkeyPatch) -> None:
        patch.setattr(path, replacement)
    return apply


def _wrap(path: str, make: Callable[[Callable], Callable]) -> Callable[[pytest.MonkeyPatch], None]:
    """Replace a function by one made from the original (to change one argument, say)."""
    def apply(patch: pytest.MonkeyPatch) -> None:
        import importlib

        module_path, _, attribute = path.rpartition(".")
        try:
            owner = importlib.import_module(module_path)
        except ModuleNotFoundError:  # a class attribute: import its module, then the class
            module_name, _, class_name = module_path.rpartition(".")
            owner = getattr(importlib.import_module(module_name), class_name)
        patch.setattr(owner, attribute, make(getattr(owner, attribute)))
    return apply


def _clear_lock_only(person) -> None:
    person.locked_until = None


def _email_never_last_resort(original):
    def methods_offered_to(self, person):
        return original(dataclasses.replace(self, last_resort=frozenset()), person)
    return methods_offered_to


def _replay_allowed(original):
    def verdict(secret, code, now, last_step, policy=None):
        return original(secret, code, now, None, policy)
    return verdict


def _notice_subject_in_capitals(original):
    def notify(self, person, subject, body):
        return original(self, person, subject.upper(), body)
    return notify


def _held_lock_told_as_timed(original):
    def notify_lock(self, person, now):
        return original(self, dataclasses.replace(person, held=False), now)
    return notify_lock


def _both(*applies: Callable[[pytest.MonkeyPatch], None]) -> Callable[[pytest.MonkeyPatch], None]:
    """A rule the app guards twice (in the domain, and atomically in SQL) is broken in both."""
    def apply(patch: pytest.MonkeyPatch) -> None:
        for one in applies:
            one(patch)
    return apply


MUTATIONS = {m.name: m for m in [
    Mutation("lock-after-6", "six wrong codes before the lock, not five",
             _constant("sut.domain.lockout", "MAX_WRONG_CODES", 6)),
    Mutation("lock-10-minutes", "the lock lasts 10 minutes, not 15",
             _constant("sut.domain.lockout", "LOCK_FOR", dt.timedelta(minutes=10))),
    Mutation("wrong-codes-not-counted", "wrong codes are never counted",
             _method("sut.domain.lockout.record_wrong_code", lambda person, now, policy=None: False)),
    Mutation("right-code-keeps-count", "a right code does not clear the count of wrong ones",
             _method("sut.domain.lockout.record_success", _clear_lock_only)),
    Mutation("drift-2-steps", "codes two time steps away are accepted",
             _constant("sut.domain.totp", "DRIFT_STEPS", 2)),
    Mutation("no-drift", "no clock drift is allowed at all",
             _constant("sut.domain.totp", "DRIFT_STEPS", 0)),
    Mutation("replay-accepted", "an authenticator code is accepted twice",
             _both(_wrap("sut.domain.totp.verdict", _replay_allowed),
                   _method("sut.adapters.sqlite_store.Repository.advance_totp_step", lambda self, person_id, step: True))),
    Mutation("codes-live-11-minutes", "email and SMS codes live 11 minutes, not 10",
             _constant("sut.domain.codes", "LIFETIME", dt.timedelta(minutes=11))),
    Mutation("resend-at-once", "a new code can be asked for at once",
             _constant("sut.domain.codes", "RESEND_AFTER", dt.timedelta(0))),
    Mutation("sends-not-capped", "codes can be sent without limit",
             _constant("sut.domain.codes", "SENDS_PER_WINDOW", 10_000)),
    Mutation("enforcement-ignored", "enforcing two-factor authentication changes nothing",
             _method("sut.domain.settings.SecuritySettings.is_enforced_for", lambda self, person: False)),
    Mutation("allowed-for-everyone", "two-factor authentication is allowed whatever the settings",
             _method("sut.domain.settings.SecuritySettings.is_allowed_for", lambda self, person: True)),
    Mutation("contradictions-accepted", "contradictory security settings are saved",
             _method("sut.domain.settings.SecuritySettings.validate", lambda self: self)),
    Mutation("email-not-last-resort", "email is offered even when another method is allowed",
             _wrap("sut.domain.settings.SecuritySettings.methods_offered_to", _email_never_last_resort)),
    Mutation("reset-keeps-sessions", "an administrator's reset leaves the person signed in",
             _method("sut.adapters.sqlite_store.Repository.end_sessions_of", lambda self, person_id, keep=None: None)),
    Mutation("password-reset-signs-in", "a password reset signs the person in without the second step",
             _method("sut.service_layer.login.Login.continue_after_reset",
                     lambda self, repo, person, client=None: self._sign_in(repo, person, client))),
    Mutation("reset-links-live-61-minutes", "password reset links work 61 minutes, not 60",
             _constant("sut.domain.password_reset", "LINK_LIFETIME", dt.timedelta(minutes=61))),
    Mutation("device-vouches-for-anybody", "a remembered device spares anybody the second step",
             _method("sut.domain.devices.RememberedDevice.vouches_for", lambda self, person_id, now: now < self.expires_at)),
    Mutation("devices-never-forgotten", "a reset, a new factor or a new password leaves remembered devices",
             _method("sut.adapters.sqlite_store.Repository.forget_remembered_devices", lambda self, person_id: None)),
    Mutation("notice-subjects-in-capitals", "the emails telling of a change have their subjects in capitals",
             _wrap("sut.service_layer.factors.Factors.notify", _notice_subject_in_capitals)),
    Mutation("held-lock-told-as-timed", "the email telling of a lock held for an administrator says it lasts minutes",
             _wrap("sut.service_layer.factors.Factors._notify_lock", _held_lock_told_as_timed)),
]}


def parse(names: str) -> list[Mutation]:
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in MUTATIONS]
    if unknown:
        raise pytest.UsageError(f"{VARIABLE}: unknown mutation(s) {', '.join(unknown)}; known: {', '.join(MUTATIONS)}")
    return [MUTATIONS[n] for n in wanted]


def pytest_configure(config: pytest.Config) -> None:
    mutations = parse(os.environ.get(VARIABLE, ""))
    if not mutations:
        return
    patch = pytest.MonkeyPatch()
    for mutation in mutations:
        mutation.apply(patch)
    config.add_cleanup(patch.undo)


ROOT = Path(__file__).resolve().parent.parent


def try_mutation(name: str, drivers: list[str]) -> tuple[str, bool, str]:
    """Run the acceptance suite with one rule broken: (name, caught, the first failed scenario)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), **{VARIABLE: name})
    command = [sys.executable, "-m", "pytest", "tests/acceptance", "-x", "-q", "-p", "no:cacheprovider",
               "-p", "no:hypothesispytest", "-p", "bench.named_mutations", "-W", "ignore::pytest.PytestAssertRewriteWarning",
               *[f"--driver={d}" for d in drivers]]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{name}: pytest exited {done.returncode}\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    failed = next((line[len("FAILED "):] for line in done.stdout.splitlines() if line.startswith("FAILED ")), "")
    return name, done.returncode == 1, failed


def try_all(drivers: list[str], workers: int = 2) -> list[tuple[str, bool, str]]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda name: try_mutation(name, drivers), MUTATIONS))


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description="break each named rule of the app in turn; each must fail a scenario")
    parser.add_argument("--driver", action="append", default=None)
    drivers = parser.parse_args().driver or ["domain"]
    results = try_all(drivers)
    width = max(len(MUTATIONS[n].breaks) for n, _, _ in results)
    for name, caught, failed in results:
        print(f"{MUTATIONS[name].breaks:<{width}}  {'caught by ' + failed.split(' - ')[0] if caught else 'SURVIVED'}")
    survivors = [n for n, caught, _ in results if not caught]
    print(f"\n{len(results) - len(survivors)} of {len(results)} named mutations caught ({', '.join(drivers)})")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
