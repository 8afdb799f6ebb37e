"""Click paths, for scenarios tagged @ui-only: they speak of what is on screen."""

from pytest_bdd import then, when

from ._grammar import handle, step


@when(step(r"{WHO} clicks their profile picture in the top right"))
def clicks_profile_picture(cast, who):
    cast[handle(who)].device.click_profile_picture()


@when(step(r'{WHO} clicks "(?P<name>[^"]+)"'))
def clicks(cast, who, name):
    cast[handle(who)].device.click(name)


@then(step(r'{WHO} sees (?P<heading>the heading )?"(?P<text>[^"]+)"'))
def sees(cast, who, text, heading=None):
    device = cast[handle(who)].device
    assert device.sees(text, heading=bool(heading)), f"{text!r} is not on the screen."
