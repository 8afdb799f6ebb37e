"""What a target is: the one place of the harness that knows a product.

The features, the DSL (``steps/dsl``) and the step definitions speak of people, codes and
settings; a target turns that into one product. It says

* which drivers reach the product (``drivers``: name -> "module:Class"), each built for a
  scenario by ``for_scenario(request, world)``;
* how to start the product for a scenario and arrange its world (``world(...)``: people, their
  two-factor set-up, settings, what happened before the scenario), where its email goes (the
  harness's SMTP server) and its texts (``world.sms``, with ``messages(number)``);
* how to serve it over HTTP for the api and ui drivers (``web_harness(...)``);
* what it cannot run (``lacks``): each missing capability with the tag expression of the
  scenarios that need it and the reason. Those scenarios are reported "not applicable to
  this target", with the reason; never skipped silently, never counted as passed;
* how its messages read (``messages``: a message id of spec/messages.toml -> the product's
  words for the same thing), where they differ from the reference app's.

A world has the shape of ``targets.reference.system.SystemUnderTest``: ``sms``, ``register``,
``give_two_factor``, ``change_settings``, ``restart``, ``on_restart``, ``close`` and the
arrangements of the past (``wrong_codes_in_a_row``, ``wrong_passwords_for``, ...).
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any, Protocol


@dataclasses.dataclass(frozen=True)
class Lack:
    """A capability the target does not have, the scenarios that need it, and why."""

    capability: str
    tags: str  # a Cucumber tag expression of the scenarios that need the capability
    reason: str

    def matcher(self):
        from cucumber_tag_expressions import parse

        return parse(self.tags)


class Target(Protocol):
    name: str
    drivers: dict[str, str]  # driver name -> "module:Class", in the order runs are reported
    lacks: tuple[Lack, ...]
    messages: dict[str, str]
    # What the features' emails and texts are about ("code", "sign-in code") in the product's
    # words: {"mail": {topic: words of the subject}, "texts": {topic: words of the text}}.
    topics: dict[str, dict[str, str]]
    deviations: str | None  # its known deviations (spec/deviations/<name>.toml): a run is then a conformance run
    clock_packages: tuple[str, ...]  # the product's packages that read the time (freezegun must not skip them)
    # A product that keeps its own time (at a URL, in another process): the harness freezes
    # nothing and the scenarios whose steps move time are not applicable (steps/clock.py).
    real_time: bool
    can_run_in_real_time: bool  # `--real-time` may run an in-process target so (to see what a URL run keeps)

    # ``in_process``: the scenario's driver calls the product in this process (``Driver.in_process``),
    # so the world may hand its mail straight to ``smtp.deliver`` instead of over SMTP.
    def world(self, clock, smtp, folder, in_process: bool = False) -> Any: ...
    def web_harness(self, folder, smtp) -> Any: ...  # .serve(world) -> base URL; .stop()
    def mobile_number(self, number: str) -> str: ...  # a number the product accepts, from Faker's


def load_class(spec: str):
    module, name = spec.split(":")
    return getattr(importlib.import_module(module), name)
