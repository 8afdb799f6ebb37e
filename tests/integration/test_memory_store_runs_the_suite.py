"""The in-memory store is complete: every scenario of the domain driver passes with it in place
of SQLite, so a simulation (or any fast run) can use it. A plugin swaps the store that
``sut.bootstrap`` builds; one store per database path, so a restart of the app finds its data
as it would in the file. A plugin that counts the stores it made proves the swap happened."""

from __future__ import annotations

import os
import subprocess
import sys

from twofa.spec import ROOT

PLUGIN = '''
import pathlib

import sut.bootstrap
from sut.adapters.memory_store import MemoryStore

MADE = pathlib.Path(__file__).with_name("stores_made")
_stores = {}


class _KeptAcrossRestarts(MemoryStore):
    def close(self):
        pass


def _store(path):
    if str(path) not in _stores:
        _stores[str(path)] = _KeptAcrossRestarts()
        MADE.write_text(str(len(_stores)))
    return _stores[str(path)]


sut.bootstrap.SqliteStore = _store
'''


def test_every_domain_scenario_passes_on_the_in_memory_store(tmp_path):
    (tmp_path / "memory_store_everywhere.py").write_text(PLUGIN, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]))
    done = subprocess.run([sys.executable, "-m", "pytest", "tests/acceptance", "--driver=domain", "-q",
                           "-p", "memory_store_everywhere", "-p", "no:twofa_reports", "-p", "no:cacheprovider"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert int((tmp_path / "stores_made").read_text()) > 50, "the in-memory store was not used"
    assert " passed" in done.stdout and " failed" not in done.stdout
