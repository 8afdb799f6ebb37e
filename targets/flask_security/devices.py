"""What both of the Flask-Security target's devices (api and ui) answer the same way: the
actions the product has no page or route for, and the one configuration switch an operator
flips where an administrator would click."""

from __future__ import annotations

from steps.drivers.base import DONE, Outcome
from targets.flask_security.world import set_two_factor_required


class ProductHasNoSuchThing(AssertionError):
    """The product has no page or route for this; its scenarios should be declared not applicable."""


class WithoutAdministration:
    """Mixed into a device that keeps the scenario's world in ``self._world``."""

    def prove_current_factor(self, code):
        raise ProductHasNoSuchThing("Flask-Security never asks for the current method's code before a change")

    def confirm_turn_off(self, code):
        raise ProductHasNoSuchThing("Flask-Security turns two-factor off without a code")

    def change_security_settings(self, **changes):
        """"Enforce for all agents" is the product's SECURITY_TWO_FACTOR_REQUIRED, one switch for
        everybody in the app's configuration: the operator flips it where an administrator would
        click (the product reads it at each sign-in). Nothing else can be changed."""
        if set(changes) != {"enforce_for_agents"}:
            raise ProductHasNoSuchThing(f"Flask-Security has no setting for {', '.join(changes)}")
        set_two_factor_required(self._world.app, changes["enforce_for_agents"])
        return Outcome(DONE)

    def _no_administration(self, *args, **kwargs):
        raise ProductHasNoSuchThing("Flask-Security has no administrator pages or routes")

    security_settings = reset_two_factor = confirm_password = _no_administration
    unlock_second_step = lock_state = audit_trail = _no_administration
