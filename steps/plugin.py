"""Pytest wiring of the acceptance harness: a target, drivers per run, one clock, one seed, one stage.

The run is against one target (``--target``, default the reference app; see targets/target.py),
which knows the product: its drivers, how to start it and arrange its world. Every scenario is
parametrized by the drivers chosen for the run (``--driver``, default all of the target's); a
scenario tagged ``@ui-only`` (a click path) is deselected, as not applicable, on the drivers
that show no pages (``Driver.shows_pages``), and so is a scenario that needs a capability the
target lacks (``Target.lacks``), with the target's reason.
"""

from __future__ import annotations

import os
import pathlib
import re
import tempfile
import zlib

import pytest

from steps import browser_trace, step_lookup
from steps.clock import ScenarioClock, WallClock, clock_steps, thaw as thaw_clock
from steps.drivers import DRIVERS
from steps.dsl import messages
from steps.dsl.stage import Stage
from sut.adapters.local_smtp import LocalSmtpServer
from targets import DEFAULT_TARGET, TARGETS, load_target
from targets.target import load_class

from twofa.reporting.identity import SEED_VARIABLE


def pytest_addoption(parser):
    group = parser.getgroup("twofa", "two-factor acceptance suite")
    group.addoption("--driver", action="append", choices=DRIVERS, dest="twofa_drivers",
                    help="run the scenarios through this driver (repeatable; default: all the target has)")
    group.addoption("--target", choices=tuple(TARGETS), default=DEFAULT_TARGET, dest="twofa_target",
                    help="the product the scenarios run against (default: %s)" % DEFAULT_TARGET)
    group.addoption("--real-time", action="store_true", dest="twofa_real_time",
                    help="run the target on the wall clock, as a product at a URL runs: the scenarios that move "
                         "time are not applicable (for a target that can run so: Target.can_run_in_real_time)")


def target_of(config):
    """The run's target adapter (targets/target.py), made once per run."""
    made = config.stash.get(_TARGET_KEY, None)
    if made is None:
        made = config.stash[_TARGET_KEY] = load_target(config.getoption("twofa_target", None) or DEFAULT_TARGET)
        if config.getoption("twofa_real_time", False) and not getattr(made, "real_time", False):
            if not getattr(made, "can_run_in_real_time", False):
                raise pytest.UsageError(f"--real-time: the {made.name} target cannot run on the wall clock "
                                        "(its world arranges the past by moving the scenario's clock)")
            made.real_time = True
    return made


_TARGET_KEY = pytest.StashKey[object]()


def selected_drivers(config) -> list[str]:
    target = target_of(config)
    chosen = config.getoption("twofa_drivers", None) or list(target.drivers)
    return [d for d in target.drivers if d in chosen]


def driver_class(config, name: str):
    return load_class(target_of(config).drivers[name])


def pytest_configure(config):
    step_lookup.install()  # pytest-bdd's step lookup, cached (a no-op if its private API moved)
    target = target_of(config)
    missing = [d for d in config.getoption("twofa_drivers", None) or () if d not in target.drivers]
    if missing:
        raise pytest.UsageError(f"The target {target.name} has no {', '.join(missing)} driver; "
                                f"its drivers: {', '.join(target.drivers)}")
    messages.use_product_words(target.messages)
    # A run against another product is a conformance run, judged on its known deviations.
    known = getattr(target, "deviations", None)
    if known and config.getoption("twofa_deviations", None) is None and hasattr(config.option, "twofa_deviations"):
        config.option.twofa_deviations = known
    config.addinivalue_line("markers", "driver_name: the driver a scenario runs through")
    # A feature file that is not valid Gherkin, or a catalogue entry with a field it does not
    # know, stops the run at once, naming the file, instead of a traceback from the collection.
    from twofa.spec import load_requirements, read_scenarios

    try:
        read_scenarios()
        requirements = load_requirements()
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    # Scenario tags become markers; the requirement tags are registered from the catalogue.
    for requirement in requirements:
        config.addinivalue_line("markers", f"req-{requirement.id}: proves {requirement.id}, {requirement.title}")


def pytest_generate_tests(metafunc):
    # Only the scenario functions pytest-bdd generates take "_pytest_bdd_example".
    if "_pytest_bdd_example" in metafunc.fixturenames and "driver_name" in metafunc.fixturenames:
        metafunc.parametrize("driver_name", selected_drivers(metafunc.config), indirect=True)


def driver_of(item) -> str | None:
    """The driver a collected scenario runs through (its ``driver_name`` parameter)."""
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("driver_name") if callspec is not None else None


@pytest.hookimpl(optionalhook=True)  # declared by the reporting plugin (twofa/reporting/hooks.py), if loaded
def pytest_twofa_driver(item):
    return driver_of(item)


def pytest_collection_modifyitems(config, items):
    from twofa.reporting import not_applicable

    target = target_of(config)
    lacks = [(lack, lack.matcher()) for lack in target.lacks]
    keep, drop = [], []
    for item in items:
        reason = _why_not_applicable(config, item, target, lacks)
        if reason:
            not_applicable(item, reason)  # the reports count these as not applicable, not as left out
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _why_not_applicable(config, item, target, lacks) -> str | None:
    driver = driver_of(item)
    if driver and not driver_class(config, driver).shows_pages and item.get_closest_marker("ui-only"):
        return "a click path: only the browser (ui driver) can follow it"
    if lacks:
        from twofa.reporting.collecting import item_tags

        tags = sorted("@" + tag for tag in item_tags(item) or ())
        for lack, matcher in lacks:
            if matcher.evaluate(tags):
                return f"{target.name} has no {lack.capability} ({lack.reason})"
    if getattr(target, "real_time", False) and (moving := _clock_steps_of(item)):
        return (f"{target.name} runs in real time and the scenario needs a clock the harness moves "
                f"(\u201c{moving[0]}\u201d)")
    return None


def _clock_steps_of(item) -> list[str]:
    from twofa.reporting.collecting import EXAMPLE_PARAM, _template_of

    template = _template_of(item)
    if template is None:
        return []
    callspec = getattr(item, "callspec", None)
    example = (callspec.params.get(EXAMPLE_PARAM) if callspec is not None else None) or {}
    return clock_steps(template.render(example))


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
    if report.when == "setup":  # each run of a scenario (a rerun for its trace too) starts unfailed
        item.stash[_FAILED_KEY] = False
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


@pytest.fixture
def scenario_clock(target):
    if getattr(target, "real_time", False):  # a product on the wall clock: nothing to freeze
        yield WallClock()
        return
    clock = ScenarioClock(product_packages=frozenset(getattr(target, "clock_packages", ()))).start()
    yield clock
    clock.stop()  # the freeze stays for the next scenario: starting one costs more than most scenarios


def pytest_runtest_setup(item):
    """A test that is not a scenario runs on real time (scenarios keep one freeze between them)."""
    if "_pytest_bdd_example" not in getattr(item, "fixturenames", ()):
        thaw_clock()


def pytest_sessionfinish(session):
    thaw_clock()


@pytest.fixture(scope="session")
def target(pytestconfig):
    return target_of(pytestconfig)


@pytest.fixture
def system(request, driver_name, target, scenario_clock, smtp_server, _workdir):
    """The product for this scenario, started and ready to be arranged (its target's world)."""
    smtp_server.clear()
    # A driver that calls the product in-process (the domain driver) reaches none of its
    # channels, so its world hands mail straight to the harness's mailbox, composed and read
    # as over SMTP: the round trips were nearly half such a scenario's time. The drivers of the
    # deployed app's channels (api, ui) keep real SMTP, and with them the SMTP adapter's
    # coverage; the fake adapters of cosmicpython's service-layer tests are the precedent.
    in_process = bool(driver_name) and getattr(driver_class(request.config, driver_name), "in_process", False)
    world = target.world(scenario_clock, smtp_server, _workdir, in_process=in_process)
    yield world
    world.close()


@pytest.fixture(scope="session")
def web_harness(target, _workdir, smtp_server):
    """The product's web app in a background thread, started once, for the api and ui drivers."""
    harness = target.web_harness(_workdir, smtp_server)
    yield harness
    harness.stop()


@pytest.fixture
def driver(request, driver_name, system):
    made = driver_class(request.config, driver_name).for_scenario(request, system)
    yield made
    owners = _device_owners(request)
    evidence = made.close(failed=request.node.stash.get(_FAILED_KEY, False), name=_safe_name(request.node.name))
    browser_trace.note_browsers(request.node, made)  # a failure with a browser open is rerun for its trace
    _link_traces(request, [(owners.get(made.devices.index(d), "a device"), path) for d, path in evidence])


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run; each device gets an emptied context (``browser_contexts``)."""
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


@pytest.fixture(scope="session")
def browser_contexts(browser, pytestconfig):
    """The browser's contexts, kept across scenarios: a device takes one emptied instead of a new one."""
    from steps.drivers.ui import BrowserContexts

    contexts = BrowserContexts(browser, chunks=browser_trace.mode(pytestconfig) == "on")  # every scenario traced
    yield contexts
    contexts.close()


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name)[:150]


def pytest_bdd_before_step(request, feature, scenario, step, step_func):
    """The stage learns where the scenario is: a When that follows a Given or a Then is an action."""
    stage = request.node.stash.get(_STAGE_KEY, None)
    if stage is not None:
        stage.step_begins(step.type)


# --- evidence for the reports: the screen after each step of a browser scenario -----------
def pytest_bdd_after_step(request, feature, scenario, step, step_func, step_func_args):
    _attach_screens(request, only_touched=True, step=step)


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception):
    _attach_screens(request, only_touched=False, step=step)
    _observe_people(request)


def _observe_people(request):
    """What each person last saw, for the failure's "saw" in the reports: the outcome and,
    in a browser, the screen's heading and alert."""
    stage = request.node.stash.get(_STAGE_KEY, None)
    if stage is None:  # the failure came before anyone was on the stage; nothing was seen
        return
    from twofa.reporting import observe

    for actor in stage.actors.values():
        seen = []
        if actor.outcome is not None:
            seen.append(f"{actor.outcome.state}" + (f": “{actor.outcome.message}”" if actor.outcome.message else ""))
        screen = getattr(actor.opened_device, "screen", None)
        if screen and (screen.get("heading") or screen.get("alert")):
            seen.append(f"the screen “{screen.get('heading', '')}”" + (f", alert “{screen['alert']}”" if screen.get("alert") else ""))
        if seen:
            observe(request, _person(actor), "; ".join(seen))


def _attach_screens(request, only_touched, step=None):
    name = request.node.stash.get(_DRIVER_KEY, None)
    if name is None or not driver_class(request.config, name).shows_pages or "driver" not in request.fixturenames:
        return
    if not request.config.getoption("twofa_reports", None):  # no report to put them in
        return
    if browser_trace.is_rerun(request.node):  # a rerun only makes a trace; its screens would go nowhere
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
    stage = request.node.stash.get(_STAGE_KEY, None)
    devices = getattr(stage.driver, "devices", None) if stage is not None else None
    if not devices:
        return {}
    actors = stage.actors.values()
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
def stage(request, target, faker, driver, system, smtp_server):
    made = Stage(faker, driver, system, smtp_server, target=target)
    request.node.stash[_STAGE_KEY] = made  # the reports name who held which device, even at teardown
    return made


_STAGE_KEY = pytest.StashKey[Stage]()
