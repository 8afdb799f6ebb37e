"""`twofa accept` spreads over one worker per core unless something says otherwise."""

import pytest

from twofa import cli


@pytest.fixture
def accept(monkeypatch, tmp_path):
    """`twofa accept` on a machine of 2 cores outside any xdist run, reporting into a temporary
    folder; returns the pytest arguments it would run with."""
    monkeypatch.setattr(cli.os, "cpu_count", lambda: 2)
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)

    def run(*argv):
        seen = []
        monkeypatch.setattr(cli, "_pytest", lambda args: seen.append(args) or 0)
        assert cli.accept([*argv, "--reports", str(tmp_path / "reports")]) == 0
        return seen[0]
    return run


def _workers(args):
    return args[args.index("-n") + 1] if "-n" in args else None


@pytest.mark.parametrize("argv, workers", [
    ([], "auto"),
    (["--workers", "0"], None),
    (["--workers", "3"], "3"),
    (["--pdb"], None),  # a debugger needs the run in this process
    (["-n", "1"], "1"),  # the pytest arguments said it themselves
    (["-p", "no:xdist"], None),
])
def test_the_workers_of_a_run(accept, argv, workers):
    assert _workers(accept(*argv)) == workers


def test_one_core_runs_in_this_process(accept, monkeypatch):
    monkeypatch.setattr(cli.os, "cpu_count", lambda: 1)
    assert _workers(accept()) is None


def test_inside_a_worker_of_another_parallel_run_the_suite_runs_in_its_process(accept, monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    assert _workers(accept()) is None
