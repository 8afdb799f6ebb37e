"""Benchmark of the api and ui drivers: prints figures and ratios, asserts nothing.

    .venv/bin/python bench/ui_bench.py [--rounds N]

1. median time of an api scenario and of a ui scenario (whole suite per driver, setup to
   teardown, on a clock freezegun does not stop);
2. "Enabling two-factor authentication by email" through the ui driver, against a plain
   Playwright script doing the same clicks and typing in the same browser, against the
   same in-process app, with no harness around it (no pytest-bdd, no DSL, no trace, no
   frozen clock): their ratio is what the harness costs on top of the browser.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import re
import statistics
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

from bench.domain_bench import ms  # noqa: E402
from bench.timing_plugin import ScenarioTimer  # noqa: E402
from twofa.reporting.clock import monotonic_ns  # noqa: E402

SCENARIO = "test_enabling_twofactor_authentication_by_email"


def run_pytest(driver: str, *args: str) -> dict[str, int]:
    import pytest

    timer = ScenarioTimer(not_first=SCENARIO)
    code = pytest.main(["tests/acceptance", f"--driver={driver}", "-q", "-p", "no:cacheprovider", "--no-header",
                        "-p", "no:twofa_reports", "-p", "no:hypothesispytest", *args], plugins=[timer])
    if code != 0:
        raise SystemExit(f"the {driver} suite failed (exit {code}); its figures would mean nothing")
    return timer.durations_ns


def plain_script(browser, base_url: str, app, smtp, n: int) -> None:
    """The scenario's clicks and typing, written as a plain Playwright script."""
    email, password = f"plain{n}@bench.example", "a password of sixteen"
    app.admin.register_person(email, "Plain Script", "agent", password)
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Home").wait_for()
    page.goto(base_url + "/account/two-factor")
    page.get_by_role("button", name="Enable").click()
    page.get_by_role("radio", name="Email", exact=True).check()
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Confirm two-factor authentication").wait_for()
    code = re.search(r"\b(\d{6})\b", smtp.inbox(email)[-1].body).group(1)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Two-Factor Authentication").wait_for()
    page.goto(base_url + "/account/two-factor")
    assert " on" in page.locator("#two-factor-status").inner_text()
    page.get_by_role("button", name=re.compile("profile", re.I)).click()
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("heading", name="Log in").wait_for()
    page.goto(base_url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Enter the code").wait_for()
    context.close()


def time_plain(rounds: int) -> list[int]:
    from playwright.sync_api import sync_playwright

    from steps.drivers.ui import launch
    from sut import bootstrap
    from sut.adapters.local_smtp import LocalSmtpServer
    from sut.adapters.passwords import FAST
    from sut.config import Config
    from sut.entrypoints.web import create_web_app
    from sut.entrypoints.web.server import BackgroundServer

    samples = []
    with LocalSmtpServer() as smtp, tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        app = bootstrap.build(Config(database=pathlib.Path(folder) / "plain.sqlite3", smtp_port=smtp.port, password_cost=FAST))
        browser = launch(playwright)
        with BackgroundServer(create_web_app(app)) as server:
            plain_script(browser, server.base_url, app, smtp, -1)  # warm-up, not timed
            for n in range(rounds):
                started = monotonic_ns()
                plain_script(browser, server.base_url, app, smtp, n)
                samples.append(monotonic_ns() - started)
        browser.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    rounds = parser.parse_args().rounds

    api = run_pytest("api")
    ui = run_pytest("ui")
    harnessed = [d for nodeid, d in ui.items() if SCENARIO in nodeid]
    for _ in range(max(1, rounds // 2)):
        harnessed += [d for nodeid, d in run_pytest("ui", "-k", "enabling").items() if SCENARIO in nodeid]
    plain = time_plain(rounds)

    print()
    print("api and ui driver benchmark (figures, not a test)")
    print(f"  median api scenario                  {ms(statistics.median(api.values()))}   ({len(api)} scenarios)")
    print(f"  median ui scenario                   {ms(statistics.median(ui.values()))}   ({len(ui)} scenarios)")
    print(f"  '{SCENARIO[5:]}' through the ui driver (median of {len(harnessed)})  {ms(statistics.median(harnessed))}")
    print(f"  the same clicks as a plain Playwright script (median of {len(plain)})  {ms(statistics.median(plain))}")
    print(f"  ratio ui scenario / plain script     {statistics.median(harnessed) / statistics.median(plain):.2f}x   (aim: at most 1.3x)")


if __name__ == "__main__":
    main()
