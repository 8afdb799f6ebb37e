"""Pytest wiring of the acceptance harness: drivers per run, one clock, one seed, one cast.

Every scenario is parametrized by the drivers chosen for the run (``--driver``, default
all three); a scenario tagged ``@ui-only`` is deselected on the others, as not applicable.
"""

from __future__ import annotations

import itertools
import os
import pathlib
import re
import tempfile
import zlib

import pytest

from steps import step_lookup
from steps.clock import ScenarioClock
from steps.drivers import DRIVERS
from steps.dsl.actors import Cast
from steps.system import SystemUnderTest
from sut.adapters.local_smtp import LocalSmtpServer

from twofa.reporting.identity import SEED_VARIABLE


def pytest_addoption(parser):
    group = parser.getgroup("twofa", "two-factor acceptance suite")
    group.addoption("--driver", action="append", choices=DRIVERS, dest="twofa_drivers",
                    help="run the scenarios through this driver (repeatable; default: all of %s)" % ", ".join(DRIVERS))


def selected_drivers(config) -> list[str]:
    chosen = config.getoption("twofa_drivers", None) or list(DRIVERS)
    return [d for d in DRIVERS if d in chosen]


def pytest_configure(config):
    step_lookup.install()  # pytest-bdd's step lookup, cached (a no-op if its private API moved)
    config.addinivalue_line("markers", "driver_name: the driver a scenario runs through")
    # A feature file that is not valid Gherkin stops the run at once, naming the file and
    # the line, instead of a parser traceback from inside the collection.
    from twofa.spec import load_requirements, read_scenarios

    try:
        read_scenarios()
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    # Scenario tags become markers; the requirement tags are registered from the catalogue.
    for requirement in load_requirements():
        config.addinivalue_line("markers", f"req-{requirement.id}: proves {requirement.id}, {requirement.title}")


def pytest_generate_tests(metafunc):
    # Only the scenario functions pytest-bdd generates take "_pytest_bdd_example".
    if "_pytest_bdd_example" in metafunc.fixturenames and "driver_name" in metafunc.fixturenames:
        metafunc.parametrize("driver_name", selected_drivers(metafunc.config), indirect=True)


def pytest_collection_modifyitems(config, items):
    keep, drop = [], []
    for item in items:
        driver = getattr(item, "callspec", None) and item.callspec.params.get("driver_name")
        if driver and driver != "ui" and item.get_closest_marker("ui-only"):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        from twofa.reporting import not_applicable

        for item in drop:  # the reports count these as not applicable, not as left out
            not_applicable(item, "a click path: only the browser (ui driver) can follow it")
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True)
def driver_name(request):
    name = getattr(request, "param", None)
    request.node.stash[_DRIVER_KEY] = name
    return name


_DRIVER_KEY = pytest.StashKey[str]()
_FAILED_KEY = pytest.StashKey[bool]()


# --- one seed per scenario --------------------------------------------------------------
def scenario_seed_for(nodeid: str) -> int:
    if os.environ.get(SEED_VARIABLE):
        return int(os.environ[SEED_VARIABLE])
    return zlib.crc32(nodeid.encode())


@pytest.fixture(scope="session")
def _session_faker():
    from faker import Faker

    return Faker("en_GB")


@pytest.fixture
def faker(request, _session_faker):
    """Faker, seeded from the scenario's id, so a failure reproduces with TWOFA_SEED=<seed>."""
    seed = scenario_seed_for(request.node.nodeid)
    request.node.stash[_SEED_KEY] = seed
    request.node.user_properties.append(("seed", seed))  # for the reports' rerun command
    _session_faker.seed_instance(seed)
    _session_faker.unique.clear()
    return _session_faker


_SEED_KEY = pytest.StashKey[int]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        item.stash[_FAILED_KEY] = True
    seed = item.stash.get(_SEED_KEY, None)
    if seed is not None and report.failed:
        report.sections.append(("scenario seed", f"Faker seed {seed}: rerun with {SEED_VARIABLE}={seed} to get the same people."))


# --- the world of a scenario ------------------------------------------------------------
@pytest.fixture(scope="session")
def smtp_server():
    with LocalSmtpServer() as server:
        yield server


@pytest.fixture(scope="session")
def _workdir():
    with tempfile.TemporaryDirectory(prefix="twofa-accept-", dir=_fast_tmp()) as folder:
        yield pathlib.Path(folder)


def _fast_tmp() -> str | None:
    shm = pathlib.Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


_databases = itertools.count()


@pytest.fixture
def scenario_clock():
    clock = ScenarioClock().start()
    yield clock
    clock.stop()


@pytest.fixture
def system(scenario_clock, smtp_server, _workdir):
    smtp_server.clear()
    sut = SystemUnderTest(_workdir / f"scenario-{next(_databases)}.sqlite3", _workdir / "app.key", smtp_server, scenario_clock)
    yield sut
    sut.close()


@pytest.fixture(scope="session")
def web_harness(_workdir, smtp_server):
    """The web app in a background thread, started once, for the api and ui drivers."""
    from steps.system import SystemUnderTest
    from steps.web import WebHarness

    placeholder = SystemUnderTest(_workdir / "placeholder.sqlite3", _workdir / "app.key", smtp_server, clock=None)
    harness = WebHarness(placeholder.app)
    yield harness
    harness.stop()
    placeholder.close()


@pytest.fixture
def driver(request, driver_name, system):
    if driver_name == "domain":
        from steps.drivers.domain import DomainDriver

        made = DomainDriver(system)
    elif driver_name == "api":
        from steps.drivers.api import ApiDriver

        made = ApiDriver(request.getfixturevalue("web_harness").serve(system))
    elif driver_name == "ui":
        from steps.drivers.ui import UiDriver

        evidence = pathlib.Path(request.config.getoption("twofa_reports", None) or "reports") / "ui-failures"
        made = UiDriver(request.getfixturevalue("browser"), request.getfixturevalue("web_harness").serve(system), evidence)
    else:
        raise pytest.UsageError(f"Unknown driver {driver_name!r}")
    yield made
    if driver_name == "ui":
        owners = _device_owners(request)
        traces = made.close(failed=request.node.stash.get(_FAILED_KEY, False), name=_safe_name(request.node.name))
        _link_traces(request, [(owners.get(made.devices.index(d), "a device"), path) for d, path in traces])
    else:
        made.close()


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run; each device gets a fresh context."""
    from playwright.sync_api import sync_playwright

    from steps.drivers.ui import BrowserMissing, launch

    playwright = sync_playwright().start()
    try:
        chromium = launch(playwright)
    except BrowserMissing as error:
        playwright.stop()
        pytest.exit(str(error), returncode=4)
    yield chromium
    chromium.close()
    playwright.stop()


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name)[:150]


# --- evidence for the reports: the screen after each step of a browser scenario -----------
def pytest_bdd_after_step(request, feature, scenario, step, step_func, step_func_args):
    _attach_screens(request, only_touched=True, step=step)


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception):
    _attach_screens(request, only_touched=False, step=step)
    _observe_people(request)


def _observe_people(request):
    """What each person last saw, for the failure's "saw" in the reports: the outcome and,
    in a browser, the screen's heading and alert."""
    cast = request.node.stash.get(_CAST_KEY, None)
    if cast is None:  # the failure came before anyone was cast; nothing was seen
        return
    from twofa.reporting import observe

    for actor in cast.actors.values():
        seen = []
        if actor.outcome is not None:
            seen.append(f"{actor.outcome.state}" + (f": “{actor.outcome.message}”" if actor.outcome.message else ""))
        screen = getattr(actor.opened_device, "screen", None)
        if screen and (screen.get("heading") or screen.get("alert")):
            seen.append(f"the screen “{screen.get('heading', '')}”" + (f", alert “{screen['alert']}”" if screen.get("alert") else ""))
        if seen:
            observe(request, _person(actor), "; ".join(seen))


def _attach_screens(request, only_touched, step=None):
    if request.node.stash.get(_DRIVER_KEY, None) != "ui" or "driver" not in request.fixturenames:
        return
    if not request.config.getoption("twofa_reports", None):  # no report to put them in
        return
    from twofa.reporting import attach

    try:
        shots = request.getfixturevalue("driver").screenshots(only_touched=only_touched)
    except Exception:  # a dead page cannot be photographed; the failure says why
        return
    owners = _device_owners(request)
    after = f" after “{step.keyword} {step.name}”" if step is not None else ""
    for index, image in shots:
        who = owners.get(index, f"device {index + 1}")
        attach(request, image, media_type="image/jpeg", name=f"{who}'s screen{after}")


def _device_owners(request) -> dict[int, str]:
    """Device number -> the person holding it (the agent, Lydia Davies)."""
    cast = request.node.stash.get(_CAST_KEY, None)
    devices = getattr(cast.driver, "devices", None) if cast is not None else None
    if not devices:
        return {}
    actors = cast.actors.values()
    owners = {}
    for actor in actors:
        for index, device in enumerate(devices):
            if device in actor.devices_used:
                several = len(actor.devices_used) > 1
                owners[index] = _person(actor) + (f", device {actor.devices_used.index(device) + 1}" if several else "")
    return owners


def _link_traces(request, traces):
    """Each failed browser scenario links its Playwright traces from the reports."""
    from twofa.reporting import link

    for who, path in traces:
        link(request, path, f"Playwright trace of {who}'s browser")


def _person(actor) -> str:
    return f"the {actor.handle} ({actor.identity.name})"


@pytest.fixture
def cast(request, faker, driver, system, smtp_server):
    made = Cast(faker, driver, system, smtp_server)
    request.node.stash[_CAST_KEY] = made  # the reports name who held which device, even at teardown
    return made


_CAST_KEY = pytest.StashKey[Cast]()
