"""The server-rendered pages, in the words of the HaloPSA guide, one blueprint per area:
``login`` (the password and the second step), ``setup`` (the set-up a login is held at),
``account`` (one's own two-factor authentication), ``admin`` (configuration). ``guards``
holds the decorators that decide who reaches a page; ``flow`` what the cookie holds between steps.

The cookie (Flask's signed session, HttpOnly, SameSite=Lax) holds the use-case token:
``token`` once signed in, or ``attempt`` (with ``stage`` "code" or "setup") between the
password step and the end of the login. Every protected page resolves ``token`` through
the use cases on every request; an attempt alone reaches nothing protected.
"""

from __future__ import annotations

from flask import Flask, g

from sut.domain import methods

from . import account, admin, login, password_reset, setup
from .flow import state

BLUEPRINTS = (login.pages, setup.pages, account.pages, admin.pages, password_reset.pages)


def register(web: Flask) -> None:
    for blueprint in BLUEPRINTS:
        web.register_blueprint(blueprint)

    @web.context_processor
    def inject():
        return {"identity": g.get("identity"), "all_methods": methods.ALL, "demo_outbox": state().demo is not None}
