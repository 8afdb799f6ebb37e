"""Does the acceptance suite notice when a rule of the app is broken? A small mutation test.

    .venv/bin/python bench/mutation_smoke.py [--driver domain]

Each mutation breaks one rule of the reference app (in a scratch copy of the project; the
working tree is never touched) and runs the acceptance suite against it. A mutation the
suite does not notice (a "survivor") is a rule the features do not really specify. Prints
a table; exit status 1 if any mutation survived.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
COPY = ("sut", "steps", "twofa", "features", "spec", "tests/acceptance", "tests/__init__.py", "conftest.py", "pyproject.toml")

# (what is broken, [(file, text, replacement), ...]). Where the app guards a rule twice (in
# the domain and again atomically in SQL), a mutation breaks both, or it breaks nothing.
MUTATIONS = [
    ("a replayed authenticator code is accepted", [
        ("sut/domain/totp.py", "if last_step is not None and step <= last_step:", "if False:"),
        ("sut/adapters/sqlite_store.py", "(totp_last_step IS NULL OR totp_last_step < ?)", "(? IS NOT NULL)")]),
    ("codes two time steps away are accepted", [("sut/domain/totp.py", "DRIFT_STEPS = 1", "DRIFT_STEPS = 2")]),
    ("no drift allowed at all", [("sut/domain/totp.py", "DRIFT_STEPS = 1", "DRIFT_STEPS = 0")]),
    ("email/SMS codes live 11 minutes", [("sut/domain/codes.py", "minutes=10)", "minutes=11)")]),
    ("a resend does not void the older code", [
        ("sut/adapters/sqlite_store.py", '(ASVS 5 6.6.2).\n        self.db.execute("UPDATE codes SET void = 1 WHERE challenge_id = ?", (challenge_id,))', "(ASVS 5 6.6.2).\n        pass"),
        ("sut/adapters/sqlite_store.py", "AND used = 0 AND void = 0 ORDER BY id DESC LIMIT 1", "AND used = 0 AND void = 0 ORDER BY id ASC LIMIT 1")]),
    ("a code is not bound to its sign-in", [
        ("sut/adapters/sqlite_store.py", '"SELECT * FROM codes WHERE challenge_id = ? AND used = 0 AND void = 0 ORDER BY id DESC LIMIT 1"',
         '"SELECT * FROM codes WHERE person_id = (SELECT person_id FROM challenges WHERE id = ?) AND used = 0 AND void = 0 ORDER BY id ASC LIMIT 1"')]),
    ("six wrong codes before the lock", [("sut/domain/lockout.py", "MAX_WRONG_CODES = 5", "MAX_WRONG_CODES = 6")]),
    ("the lock lasts 10 minutes, not 15", [("sut/domain/lockout.py", "LOCK_FOR = dt.timedelta(minutes=15)", "LOCK_FOR = dt.timedelta(minutes=10)")]),
    ("a right code does not clear the count", [
        ("sut/domain/lockout.py", "def record_success(person: Person) -> None:\n    unlock(person)",
         "def record_success(person: Person) -> None:\n    person.locked_until = None")]),
    ("resends are not rate-limited", [("sut/domain/codes.py", "RESEND_AFTER = dt.timedelta(seconds=30)", "RESEND_AFTER = dt.timedelta(seconds=0)")]),
    ("enforcement is ignored", [("sut/domain/settings.py", "            return self.is_enforced_for(person)", "            return False")]),
    ("a disallowed method is kept silently", [
        ("sut/domain/settings.py",
         "        return self.is_allowed_for(person) and person.method not in self.methods_offered_to(person)",
         "        return False")]),
    ("contradictory settings are accepted", [("sut/domain/settings.py", "        if problems:\n", "        if False:\n")]),
    ("email is never a last resort", [("sut/domain/settings.py", "if self.email_only_if_no_other and", "if False and")]),
    ("users may use 2FA without being allowed", [
        ("sut/domain/settings.py", "return self.allow_for_agents if person.role is Role.AGENT else self.allow_for_users", "return True")]),
    ("an admin reset leaves sessions alive", [("sut/service_layer/administration.py",
      "            repo.end_sessions_of(person.id, keep=token_digest(session_token) if person.id == admin.id else None)\n", "")]),
    ("turning off ignores enforcement", [
        ("sut/service_layer/enrolment.py",
         "            if repo.settings().is_enforced_for(person):\n                raise NotAllowed(\"Your administrator requires two-factor authentication, so it cannot be turned off.\")\n            disable_token",
         "            disable_token")]),
    ("enabling does not ask for the password", [
        ("sut/service_layer/enrolment.py",
         "if principal.attempt is None and not self._check_password(principal.person.password_hash, password):", "if False:")]),
    ("a method is on before its first code", [
        ("sut/service_layer/enrolment.py", "\n        self._send_code(repo, person, challenge, method, destination, \"set-up\", client)",
         "\n        person.method = method\n        repo.save_person(person)\n        self._send_code(repo, person, challenge, method, destination, \"set-up\", client)")]),
    ("a wrong password and an unknown account answer differently", [
        ("sut/service_layer/login.py", "                failure = InvalidCredentials()\n            else:",
         "                failure = InvalidCredentials() if person else InvalidCredentials(\"No such account.\")\n            else:")]),
]


def run(drivers: list[str]) -> int:
    results = []
    with tempfile.TemporaryDirectory(prefix="twofa-mutants-") as scratch:
        for what, edits in MUTATIONS:
            copy = pathlib.Path(scratch) / "project"
            shutil.rmtree(copy, ignore_errors=True)
            for item in COPY:
                source, target = ROOT / item, copy / item
                target.parent.mkdir(parents=True, exist_ok=True)
                (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
            missing = [old for relative, old, _ in edits if old not in (copy / relative).read_text()]
            if missing:
                results.append((what, "NOT APPLIED (the code moved: update the mutation)"))
                continue
            for relative, old, new in edits:
                path = copy / relative
                path.write_text(path.read_text().replace(old, new, 1))
            env = dict(os.environ, PYTHONPATH=str(copy), PYTHONDONTWRITEBYTECODE="1")
            args = [sys.executable, "-m", "pytest", "tests/acceptance", "-x", "-q", "-p", "no:cacheprovider",
                    "-p", "no:hypothesispytest", *[f"--driver={d}" for d in drivers]]
            done = subprocess.run(args, cwd=copy, env=env, capture_output=True, text=True)
            caught = done.returncode != 0
            failed = next((line for line in done.stdout.splitlines() if line.startswith("FAILED")), "")
            results.append((what, f"caught  {failed[7:100]}" if caught else "SURVIVED"))
    width = max(len(w) for w, _ in results)
    for what, verdict in results:
        print(f"{what:<{width}}  {verdict}")
    survivors = [w for w, v in results if not v.startswith("caught")]
    print(f"\n{len(results) - len(survivors)} of {len(results)} mutations caught")
    return 1 if survivors else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="mutation smoke test of the acceptance suite")
    parser.add_argument("--driver", action="append", default=None)
    sys.exit(run(parser.parse_args().driver or ["domain"]))
