"""Benchmark of the domain driver: prints figures and ratios, asserts nothing.

    .venv/bin/python bench/domain_bench.py [--rounds N] [--runs N] [--baseline DIR [--pairs N]]

1. median time of a domain-driver scenario (the whole suite, setup to teardown);
2. the time of a scenario's clock (start + stop: the freeze moved back to the start) with
   the suite loaded, its share of the median scenario, and what a freeze of its own costs;
3. one scenario ("A code is sent at the moment of logging in and lets the agent in")
   run through pytest-bdd, against the same DSL calls made directly with the same
   world (clock, app, SMTP, actors) and no pytest around them: their ratio is the
   harness's overhead;
4. with ``--baseline DIR``: all of it for another checkout of the project too (the one before a
   change: ``git archive main | tar -x -C /tmp/main``; its .venv if it has one, else this one),
   each checkout in a subprocess, alternately, so that both columns saw the same load.

The suite runs ``--runs`` times (default 5); a scenario's figure is its median over the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

# The checkout measured: this one, or a baseline's (set by ``--baseline`` for its subprocess).
ROOT = pathlib.Path(os.environ.get("TWOFA_BENCH_CHECKOUT") or pathlib.Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

from bench.timing_plugin import ScenarioTimer  # noqa: E402
from twofa.reporting.clock import monotonic_ns  # noqa: E402

SCENARIO = "test_a_code_is_sent_at_the_moment_of_logging_in_and_lets_the_agent_in"


def run_pytest(args: list[str]) -> ScenarioTimer:
    import pytest

    timer = ScenarioTimer(not_first=SCENARIO)
    code = pytest.main(["tests/acceptance", "--driver=domain", "-q", "-p", "no:cacheprovider", "--no-header",
                        "-p", "no:twofa_reports", *args], plugins=[timer])
    if code not in (0,):
        raise SystemExit(f"the suite failed (exit {code}); benchmark figures would mean nothing")
    return timer


def direct_scenario(world) -> None:
    """The DSL calls of the scenario, as its steps make them."""
    from steps.drivers.base import SIGNED_IN
    from steps.dsl import questions
    from steps.dsl.tasks import signing_in
    from steps.methods import EMAIL

    stage = world["stage"]
    world["system"].give_two_factor(stage.add("agent"), EMAIL)
    agent = stage.actor("agent")
    signing_in.log_in(agent)
    assert len(questions.messages_about(agent, EMAIL, "sign-in code")) == 1
    signing_in.enter_code(agent, EMAIL)
    assert agent.outcome.state == SIGNED_IN and questions.can_reach_home(agent)


def time_direct(rounds: int) -> tuple[list[int], list[int]]:
    """The scenario's DSL calls, each round in a world made as the ``system`` fixture makes it for
    the domain driver (the reference target's, with the driver's channel), with no pytest around:
    each round's wall and CPU time. A first round, not timed, pays the imports."""
    from faker import Faker

    from steps.clock import ScenarioClock
    from steps.drivers.domain import DomainDriver
    from steps.dsl.stage import Stage
    from sut.adapters.local_smtp import LocalSmtpServer
    from targets.reference import ReferenceTarget

    faker = Faker("en_GB")
    target = ReferenceTarget()
    walls, cpus = [], []
    with LocalSmtpServer() as smtp, tempfile.TemporaryDirectory(dir="/dev/shm" if os.path.isdir("/dev/shm") else None) as d:
        for i in range(rounds + 1):
            wall, cpu = monotonic_ns(), time.process_time_ns()
            faker.seed_instance(i)
            faker.unique.clear()
            smtp.clear()
            clock = ScenarioClock().start()
            system = _world(target, clock, smtp, pathlib.Path(d), DomainDriver)
            direct_scenario({"stage": Stage(faker, DomainDriver(system), system, smtp), "system": system})
            system.close()
            clock.stop()
            if i:
                walls.append(monotonic_ns() - wall)
                cpus.append(time.process_time_ns() - cpu)
    return walls, cpus


def _world(target, clock, smtp, folder, driver):
    import inspect

    if "in_process" in inspect.signature(target.world).parameters:
        return target.world(clock, smtp, folder, in_process=driver.in_process)
    return target.world(clock, smtp, folder)  # a checkout before the in-process mail: every world used SMTP


def time_freezes(rounds: int, fresh: bool) -> list[int]:
    """A scenario's clock, start and stop: ``fresh``, a freeze of its own (as each scenario
    had before issue 11), else the running freeze moved back to the start (steps/clock.py)."""
    from steps import clock
    from steps.clock import ScenarioClock

    thaw = getattr(clock, "thaw", lambda: None)  # a checkout before the kept freeze: each start is a freeze of its own

    samples = []
    ScenarioClock().start().stop()
    for _ in range(rounds):
        if fresh:
            thaw()
        started = monotonic_ns()
        ScenarioClock().start().stop()
        if fresh:
            thaw()
        samples.append(monotonic_ns() - started)
    thaw()
    return samples


def ms(ns: float) -> str:
    return f"{ns / 1e6:.2f} ms"


def us(ns: float) -> str:
    return f"{ns / 1e3:.0f} us"


def measure(rounds: int, runs: int) -> dict[str, float]:
    """The figures of this checkout, in nanoseconds (and counts)."""
    walls: dict[str, list[int]] = {}
    cpus: dict[str, list[int]] = {}
    for _ in range(runs):
        timer = run_pytest([])
        for nodeid, took in timer.durations_ns.items():
            walls.setdefault(nodeid, []).append(took)
            cpus.setdefault(nodeid, []).append(timer.cpu_ns[nodeid])
    scenario = [statistics.median(ts) for ts in walls.values()]
    # The scenario timed inside whole runs: alone, it would also carry the session's
    # one-off set-up (the SMTP server, Faker's locale), which the direct calls do not.
    one = [t for nodeid, ts in walls.items() if SCENARIO in nodeid for t in ts]
    one_cpu = [t for nodeid, ts in cpus.items() if SCENARIO in nodeid for t in ts]
    freezes, fresh_freezes = time_freezes(rounds, fresh=False), time_freezes(rounds, fresh=True)
    direct, direct_cpu = time_direct(rounds)
    return {
        "scenarios": len(walls),
        "median": statistics.median(scenario),
        "median_cpu": statistics.median(statistics.median(ts) for ts in cpus.values()),
        "p90": statistics.quantiles(scenario, n=10)[-1],
        "freeze": statistics.median(freezes),
        "fresh_freeze": statistics.median(fresh_freezes),
        "bdd": statistics.median(one), "bdd_cpu": statistics.median(one_cpu), "bdd_n": len(one),
        "direct": statistics.median(direct), "direct_cpu": statistics.median(direct_cpu), "direct_n": len(direct),
    }


def report(f: dict[str, float]) -> None:
    print(f"  scenarios timed                      {f['scenarios']}")
    print(f"  median domain scenario               {ms(f['median'])}   (aim: under 10 ms)")
    print(f"  median domain scenario, CPU          {ms(f['median_cpu'])}   (this process: moves less with the machine's load)")
    print(f"  p90 domain scenario                  {ms(f['p90'])}")
    print(f"  a scenario's clock (start+stop)      {us(f['freeze'])}   (the freeze kept, moved back to the start)")
    print(f"  share of the median scenario         {f['freeze'] / f['median']:.1%}")
    print(f"  a freeze of its own (start+stop)     {ms(f['fresh_freeze'])}   (what each scenario paid before)")
    print(f"  '{SCENARIO[5:]}'")
    print(f"    through pytest-bdd (median of {f['bdd_n']}) {ms(f['bdd'])}   CPU {ms(f['bdd_cpu'])}")
    print(f"    same DSL calls, direct (median of {f['direct_n']}) {ms(f['direct'])}   CPU {ms(f['direct_cpu'])}")
    print(f"    ratio pytest-bdd / direct          {f['bdd'] / f['direct']:.2f}x   CPU "
          f"{f['bdd_cpu'] / f['direct_cpu']:.2f}x   (aim: under 1.5x)")


COMPARED = (("median domain scenario", "median"), ("median domain scenario, CPU", "median_cpu"), ("p90 domain scenario", "p90"),
            ("scenario through pytest-bdd", "bdd"), ("  CPU", "bdd_cpu"), ("same DSL calls, direct", "direct"),
            ("  CPU", "direct_cpu"))


def compare(baseline: pathlib.Path, pairs: int, rounds: int, runs: int) -> None:
    checkouts = {"baseline": baseline.resolve(), "this checkout": pathlib.Path(__file__).resolve().parent.parent}
    measured: dict[str, list[dict]] = {name: [] for name in checkouts}
    for pair in range(pairs):
        for name in (list(checkouts) if pair % 2 == 0 else list(reversed(checkouts))):
            checkout = checkouts[name]
            python = checkout / ".venv" / "bin" / "python"
            done = subprocess.run([str(python if python.exists() else sys.executable), __file__, "--json", "--rounds", str(rounds),
                                   "--runs", str(runs)], env=dict(os.environ, TWOFA_BENCH_CHECKOUT=str(checkout)),
                                  capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"{name} ({checkout}) failed (exit {done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
            measured[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"  pair {pair + 1}: {name} measured; {_load()}", flush=True)
    table = {name: {key: statistics.median(f[key] for f in fs) for key in fs[0]} for name, fs in measured.items()}
    print()
    print(f"domain driver benchmark, before and after (figures, not a test; medians of {pairs} alternate runs each); {_load()}")
    print(f"  {'':30s}{'baseline':>12s}{'this':>12s}   this / baseline")
    for label, key in COMPARED:
        before, after = table["baseline"][key], table["this checkout"][key]
        print(f"  {label:30s}{ms(before):>12s}{ms(after):>12s}   {after / before:.2f}x")
    for name, f in table.items():
        print(f"  {name}: ratio pytest-bdd / direct {f['bdd'] / f['direct']:.2f}x, CPU {f['bdd_cpu'] / f['direct_cpu']:.2f}x"
              "   (aim: under 1.5x)")


def _load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40, help="rounds of the direct calls and of the clock (default 40)")
    parser.add_argument("--runs", type=int, default=5, help="runs of the domain suite (default 5)")
    parser.add_argument("--baseline", type=pathlib.Path, metavar="DIR",
                        help="another checkout of the project, measured alternately with this one")
    parser.add_argument("--pairs", type=int, default=3, help="with --baseline: runs of each checkout (default 3)")
    parser.add_argument("--json", action="store_true", help="print the figures as one line of JSON (nanoseconds)")
    args = parser.parse_args()

    if args.baseline:
        if not (args.baseline / "bench" / "timing_plugin.py").exists():
            parser.error(f"--baseline {args.baseline}: not a checkout of this project with its benchmarks")
        compare(args.baseline, args.pairs, args.rounds, args.runs)
        return
    figures = measure(args.rounds, args.runs)
    if args.json:
        print(json.dumps(figures))
        return
    print()
    print(f"domain driver benchmark (figures, not a test); {_load()}")
    report(figures)


if __name__ == "__main__":
    main()
