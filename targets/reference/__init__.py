"""The reference app (``sut/``) as a target: the product the features were written with.

It has every capability the features need, its messages are spec/messages.toml's, and its
drivers are the harness's own (steps/drivers/: domain, api, ui), which know its use cases,
its JSON API and its pages.
"""

from __future__ import annotations

import pathlib
import shutil


class ReferenceTarget:
    name = "reference"
    drivers = {
        "domain": "steps.drivers.domain:DomainDriver",
        "api": "steps.drivers.api:ApiDriver",
        "ui": "steps.drivers.ui:UiDriver",
    }
    lacks = ()
    messages: dict[str, str] = {}
    topics: dict[str, dict[str, str]] = {}  # the features were written in its words
    deviations = None  # the features were written with it: every failure is a defect
    clock_packages = ()  # sut is on the clock path already (steps/clock.py)
    real_time = False
    can_run_in_real_time = False  # its world sets people up an hour in the past, on the scenario's clock

    def __init__(self):
        self._worlds = 0
        self._empty_databases: dict[pathlib.Path, pathlib.Path] = {}

    def world(self, clock, smtp, folder: pathlib.Path, in_process: bool = False):
        from targets.reference.system import SystemUnderTest

        self._worlds += 1
        database = folder / f"scenario-{self._worlds - 1}.sqlite3"
        # A copy of an empty database made once: creating the schema on a new file cost more
        # than a tenth of a domain scenario. The app still runs its own CREATE ... IF NOT EXISTS
        # and migrations on it, as on any database it opens.
        shutil.copy(self._empty_database(folder), database)
        return SystemUnderTest(database, folder / "app.key", smtp, clock, in_process=in_process)

    def _empty_database(self, folder: pathlib.Path) -> pathlib.Path:
        """The app's database before anything happened, created by the app's own store."""
        made = self._empty_databases.get(folder)
        if made is None:
            from sut.adapters.sqlite_store import SqliteStore

            made = folder / "empty.sqlite3"
            SqliteStore(made).close()
            self._empty_databases[folder] = made
        return made

    def web_harness(self, folder: pathlib.Path, smtp):
        """The web app in a background thread, started once, for the api and ui drivers."""
        from targets.reference.system import SystemUnderTest
        from targets.reference.web import WebHarness

        placeholder = SystemUnderTest(folder / "placeholder.sqlite3", folder / "app.key", smtp, clock=None)
        return WebHarness(placeholder.app, on_stop=placeholder.close)

    def mobile_number(self, number: str) -> str:
        return number


TARGET = ReferenceTarget
