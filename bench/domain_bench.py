"""Benchmark of the domain driver: prints figures and ratios, asserts nothing.

    .venv/bin/python bench/domain_bench.py [--rounds N]

1. median time of a domain-driver scenario (the whole suite, setup to teardown);
2. the time of a scenario's clock (start + stop: the freeze moved back to the start) with
   the suite loaded, its share of the median scenario, and what a freeze of its own costs;
3. one scenario ("A code is sent at the moment of logging in and lets the agent in")
   run through pytest-bdd, against the same DSL calls made directly with the same
   world (clock, app, SMTP, actors) and no pytest around them: their ratio is the
   harness's overhead.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

from bench.timing_plugin import ScenarioTimer  # noqa: E402
from twofa.reporting.clock import monotonic_ns  # noqa: E402

SCENARIO = "test_a_code_is_sent_at_the_moment_of_logging_in_and_lets_the_agent_in"


def run_pytest(args: list[str]) -> dict[str, int]:
    import pytest

    timer = ScenarioTimer(not_first=SCENARIO)
    code = pytest.main(["tests/acceptance", "--driver=domain", "-q", "-p", "no:cacheprovider", "--no-header",
                        "-p", "no:twofa_reports", *args], plugins=[timer])
    if code not in (0,):
        raise SystemExit(f"the suite failed (exit {code}); benchmark figures would mean nothing")
    return timer.durations_ns


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


def time_direct(rounds: int) -> list[int]:
    from faker import Faker

    from steps.clock import ScenarioClock
    from steps.drivers.domain import DomainDriver
    from steps.dsl.stage import Stage
    from targets.reference.system import SystemUnderTest
    from sut.adapters.local_smtp import LocalSmtpServer

    faker = Faker("en_GB")
    samples = []
    with LocalSmtpServer() as smtp, tempfile.TemporaryDirectory(dir="/dev/shm" if os.path.isdir("/dev/shm") else None) as d:
        for i in range(rounds):
            started = monotonic_ns()
            faker.seed_instance(i)
            faker.unique.clear()
            smtp.clear()
            clock = ScenarioClock().start()
            system = SystemUnderTest(pathlib.Path(d) / f"direct-{i}.sqlite3", pathlib.Path(d) / "app.key", smtp, clock)
            direct_scenario({"stage": Stage(faker, DomainDriver(system), system, smtp), "system": system})
            system.close()
            clock.stop()
            samples.append(monotonic_ns() - started)
    return samples


def time_freezes(rounds: int, fresh: bool) -> list[int]:
    """A scenario's clock, start and stop: ``fresh``, a freeze of its own (as each scenario
    had before issue 11), else the running freeze moved back to the start (steps/clock.py)."""
    from steps.clock import ScenarioClock, thaw

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds

    suite = run_pytest([])
    median_scenario = statistics.median(suite.values())
    freezes, fresh_freezes = time_freezes(rounds, fresh=False), time_freezes(rounds, fresh=True)
    # The scenario timed inside whole runs: alone, it would also carry the session's
    # one-off set-up (the SMTP server, Faker's locale), which the direct calls do not.
    one = [d for nodeid, d in suite.items() if SCENARIO in nodeid]
    for _ in range(4):
        one += [d for nodeid, d in run_pytest([]).items() if SCENARIO in nodeid]
    direct = time_direct(rounds)

    freeze, fresh_freeze = statistics.median(freezes), statistics.median(fresh_freezes)
    through_bdd, direct_median = statistics.median(one), statistics.median(direct)
    print()
    print("domain driver benchmark (figures, not a test)")
    print(f"  scenarios timed                      {len(suite)}")
    print(f"  median domain scenario               {ms(median_scenario)}   (aim: under 10 ms)")
    print(f"  p90 domain scenario                  {ms(statistics.quantiles(suite.values(), n=10)[-1])}")
    print(f"  a scenario's clock (start+stop)      {ms(freeze)}   (the freeze kept, moved back to the start)")
    print(f"  share of the median scenario         {freeze / median_scenario:.0%}")
    print(f"  a freeze of its own (start+stop)     {ms(fresh_freeze)}   (what each scenario paid before)")
    print(f"  '{SCENARIO[5:]}'")
    print(f"    through pytest-bdd (median of {len(one)}) {ms(through_bdd)}")
    print(f"    same DSL calls, direct (median of {len(direct)}) {ms(direct_median)}")
    print(f"    ratio pytest-bdd / direct          {through_bdd / direct_median:.2f}x   (aim: under 1.5x)")


if __name__ == "__main__":
    main()
