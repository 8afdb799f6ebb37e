"""Click paths, for scenarios tagged @ui-only: they speak of what is on screen."""

from steps.dsl import questions
from steps.dsl.tasks import clicking

from ._grammar import then, when


@when(r"{WHO} clicks their profile picture in the top right")
def clicks_profile_picture(stage, who):
    clicking.click_profile_picture(stage.actor(who))


@when(r'{WHO} clicks "(?P<name>[^"]+)"')
def clicks(stage, who, name):
    clicking.click(stage.actor(who), name)


@then(r'{WHO} sees (?P<heading>the heading )?"(?P<text>[^"]+)"')
def sees(stage, who, text, heading=None):
    assert questions.sees(stage.actor(who), text, heading=bool(heading)), f"{text!r} is not on the screen."
