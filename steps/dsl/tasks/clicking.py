"""Click paths, for the scenarios tagged @ui-only: only the browser can follow them."""

from __future__ import annotations

from steps.dsl.actors import Actor


def click_profile_picture(actor: Actor) -> None:
    actor.device.click_profile_picture()


def click(actor: Actor, name: str) -> None:
    actor.device.click(name)
