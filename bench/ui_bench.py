"""Benchmark of the api and ui drivers: prints figures and ratios, asserts nothing.

    .venv/bin/python bench/ui_bench.py [--baseline DIR] [--rounds N] [-k EXPR] [--plain] [--trace-modes]

1. the median api and ui scenario (the whole suite per driver, setup to teardown), as wall
   time and as the CPU time of the whole process tree (Python, Playwright's node, Chromium:
   bench/probe/scenario_probe.py), and the ui driver's total against the api driver's for the same
   scenarios (those both run: the @ui-only click paths left out);
2. with ``--baseline DIR``: the same for another checkout of the project (the one before a
   change, with its own .venv), run alternately with this one, so that both columns saw the
   same load and their ratio means something on a shared machine;
3. with ``--plain``: "Enabling two-factor authentication by email" through the ui driver,
   against a plain Playwright script doing the same clicks and typing in the same browser,
   against the same in-process app, with no harness around it (no pytest-bdd, no DSL, no
   trace, no frozen clock): their ratio is what the harness costs on top of the browser;
4. with ``--trace-modes``: this checkout's ui suite also with ``--browser-trace=on`` (every
   scenario records a Playwright trace) and ``off``, alternately with the default (``rerun``:
   none records unless one fails, steps/browser_trace.py): what recording traces costs.

Each suite runs in a subprocess (``python -m pytest``), so a round costs a start-up too; the
start-up is not in any scenario's time. The first scenario of a run also pays the session's
one-off set-up (the browser's launch) and is left out of the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

from bench.domain_bench import ms  # noqa: E402
from twofa.reporting.clock import monotonic_ns  # noqa: E402

SCENARIO = "test_enabling_twofactor_authentication_by_email"


class SuiteFailed(RuntimeError):
    pass


def run_suite(checkout: pathlib.Path, driver: str, extra: list[str], env: dict[str, str] | None = None) -> dict:
    """One driver's suite in ``checkout``, each scenario timed by bench/probe/scenario_probe.py."""
    python = checkout / ".venv" / "bin" / "python"
    with tempfile.TemporaryDirectory(prefix="twofa-ui-bench-") as folder:
        out = pathlib.Path(folder) / "times.json"
        command = [str(python), "-m", "pytest", "tests/acceptance", f"--driver={driver}", "-q", "-p", "no:cacheprovider",
                   "--no-header", "-p", "no:twofa_reports", "-p", "no:hypothesispytest", "-p", "scenario_probe", *extra]
        probe_env = dict(os.environ, **(env or {}), TWOFA_BENCH_OUT=str(out), TWOFA_BENCH_NOT_FIRST=SCENARIO,
                         PYTHONPATH=os.pathsep.join([str(ROOT / "bench" / "probe"), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
        done = subprocess.run(command, cwd=checkout, env=probe_env, capture_output=True, text=True)
        if done.returncode != 0 or not out.exists():
            raise SuiteFailed(f"the {driver} suite of {checkout} failed (exit {done.returncode}); its figures would mean "
                              f"nothing:\n{done.stdout[-1500:]}{done.stderr[-1500:]}")
        times = json.loads(out.read_text(encoding="utf-8"))
    first = times["first"]
    return {nodeid: t for nodeid, t in times["tests"].items() if nodeid != first}


def _scenario(nodeid: str) -> str:
    return re.sub(r"\[(api|ui|domain)(-|\])", r"[\2", nodeid)


def figures(api: dict, ui: dict) -> dict[str, float | None]:
    shared = sorted(set(map(_scenario, api)) & set(map(_scenario, ui)))
    by_name_api = {_scenario(n): t for n, t in api.items()}
    by_name_ui = {_scenario(n): t for n, t in ui.items()}

    def median(times: dict, what: str):
        values = [t[what] for t in times.values() if t[what] is not None]
        return statistics.median(values) if values else None

    def total(times: dict, what: str):
        values = [times[n][what] for n in shared]
        return None if any(v is None for v in values) else sum(values)

    ui_wall, api_wall = total(by_name_ui, "wall"), total(by_name_api, "wall")
    ui_cpu, api_cpu = total(by_name_ui, "cpu"), total(by_name_api, "cpu")
    return {
        "api scenarios": len(api), "ui scenarios": len(ui), "on both drivers": len(shared),
        "median api scenario, wall": median(api, "wall"), "median ui scenario, wall": median(ui, "wall"),
        "median api scenario, CPU": median(api, "cpu"), "median ui scenario, CPU": median(ui, "cpu"),
        "ui / api, same scenarios, wall": ui_wall / api_wall if api_wall else None,
        "ui / api, same scenarios, CPU": ui_cpu / api_cpu if api_cpu and ui_cpu is not None else None,
    }


def _cell(name: str, value) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:.2f}x" if "/" in name else f"{value * 1000:.0f} ms"


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


def _load() -> str:
    try:
        return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "load unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=pathlib.Path, metavar="DIR",
                        help="another checkout of the project (with its .venv) to run alternately with this one")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each suite (alternating); medians over all (default 1)")
    parser.add_argument("-k", dest="keyword", help="only the scenarios matching this pytest -k expression")
    parser.add_argument("--plain", action="store_true", help="also time the ui scenario against a plain Playwright script")
    parser.add_argument("--plain-rounds", type=int, default=8)
    parser.add_argument("--trace-modes", action="store_true",
                        help="also this checkout's ui suite with --browser-trace=on and =off: what recording traces costs")
    args = parser.parse_args()
    extra = ["-k", args.keyword] if args.keyword else []

    checkouts = {"this checkout": (ROOT, [])}  # name: (checkout, its ui suite's own arguments)
    if args.baseline:
        if not (args.baseline / ".venv" / "bin" / "python").exists():
            parser.error(f"--baseline {args.baseline}: no .venv/bin/python there (run `make setup` in it)")
        checkouts = {"baseline": (args.baseline.resolve(), []), "this checkout": (ROOT, [])}
    if args.trace_modes:
        checkouts.update({f"trace {mode}": (ROOT, [f"--browser-trace={mode}"]) for mode in ("on", "off")})
    runs: dict[str, dict[str, dict]] = {name: {"api": {}, "ui": {}} for name in checkouts}
    print(f"{len(checkouts)} checkout(s) x api, ui x {args.rounds} round(s); {_load()} at the start", flush=True)
    for round_ in range(args.rounds):
        for name, (checkout, ui_args) in checkouts.items():
            for driver in ("api", "ui"):
                if driver == "api" and ui_args:  # a trace mode changes the browser's runs only
                    continue
                times = run_suite(checkout, driver, extra + (ui_args if driver == "ui" else []))
                for nodeid, t in times.items():  # medians over the rounds: each scenario's median of its runs
                    runs[name][driver].setdefault(nodeid, []).append(t)
                print(f"  round {round_ + 1}: {name} {driver}: {len(times)} scenarios; {_load()}", flush=True)

    def per_scenario(samples: dict[str, list[dict]]) -> dict[str, dict]:
        return {n: {what: (statistics.median([t[what] for t in ts]) if all(t[what] is not None for t in ts) else None)
                    for what in ("wall", "cpu")} for n, ts in samples.items()}

    table = {name: figures(per_scenario(r["api"] or runs["this checkout"]["api"]), per_scenario(r["ui"])) for name, r in runs.items()}
    print()
    print(f"api and ui driver benchmark (figures, not a test); {_load()} at the end")
    names = list(table)
    print(f"  {'':34s}" + "".join(f"{n:>16s}" for n in names) + ("   this / baseline" if args.baseline else ""))
    for row in table[names[0]]:
        cells = [table[n][row] for n in names]
        line = f"  {row:34s}" + "".join(f"{_cell(row, c):>16s}" for c in cells)
        if args.baseline and all(isinstance(c, float) and c for c in cells[:2]):
            line += f"   {cells[1] / cells[0]:.2f}x"
        print(line)
    print("  aims: median ui scenario at most 0.6 s; ui at most 3x api for the same scenarios")

    if args.plain:
        harnessed = [t["wall"] for n, ts in runs["this checkout"]["ui"].items() if SCENARIO in n for t in ts]
        plain = time_plain(args.plain_rounds)
        if harnessed:
            h, p = statistics.median(harnessed), statistics.median(plain) / 1e9
            print(f"  '{SCENARIO[5:]}' through the ui driver (median of {len(harnessed)})  {h * 1000:.0f} ms")
            print(f"  the same clicks as a plain Playwright script (median of {len(plain)})  {ms(statistics.median(plain))}")
            print(f"  ratio ui scenario / plain script     {h / p:.2f}x   (aim: at most 1.3x)")


if __name__ == "__main__":
    try:
        main()
    except SuiteFailed as error:
        sys.exit(str(error))
