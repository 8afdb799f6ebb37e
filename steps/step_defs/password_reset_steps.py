"""A forgotten password: the emailed link, the new password, and the second step after it."""

from steps.drivers.base import CODE_REQUIRED, DONE, REFUSED
from steps.dsl import messages, questions
from steps.dsl.tasks import password_reset

from ._grammar import given, then, when

NO_ACCOUNT = "someone asks for a link to reset the password of an address that has no account"


@given(r"{WHO} asks for a link to reset their password(?: (?P<n>\d+) times)?")
@when(r"{WHO} asks for a link to reset their password(?: (?P<n>\d+) times)?")
def asks_for_link(stage, who, n):
    password_reset.ask_for_link(stage.actor(who), times=n or 1)


@when(NO_ACCOUNT + r"(?: (?P<n>\d+) times)?")
def stranger_asks_for_link(stage, n):
    stranger = stage.stranger()  # their own address, which no account uses
    password_reset.ask_for_link(stranger, times=n or 1)


@when(r"{WHO} chooses a new password with (?P<which>the link sent by email|the first link sent)")
def chooses_new_password(stage, who, which):
    password_reset.choose_new_password(stage.actor(who), "newest" if which == "the link sent by email" else "first")


@when(r"{WHO} chooses another new password with the same link")
def chooses_again(stage, who):
    actor = stage.actor(who)
    password_reset.choose_new_password(actor, "used", password=actor.identity.password + "-again")


@when(r'{WHO} chooses a new password of (?P<n>\d+) characters with the link sent by email')
def chooses_password_of_length(stage, who, n):
    password_reset.choose_new_password(stage.actor(who), password=password_reset.password_of_length(n))


@when(r"(?:{WHO} chooses|they choose) a new password with a link made of their (?P<held>sign-in|set-up)'s token")
def chooses_with_forged_link(stage, held, who=None):
    password_reset.choose_new_password_with_forged_link(stage.actor(who) if who else stage.last, held)


@when(r"someone asks for a link to reset (?P<whose>the agent)'s password")
def stranger_asks_for_someones_link(stage, whose):
    password_reset.ask_for_link(stage.stranger(), email=stage.actor(whose).identity.email)


@given(r"(?P<n>\d+) links to reset a password have just been asked for (?P<addresses>the agent's address|other addresses) "
       r"from (?P<where>the agent's network|other networks)")
def links_just_asked(stage, system, n, addresses, where):
    system.reset_links_asked(stage.actor("agent"), n, for_their_address=addresses == "the agent's address",
                             from_their_network=where == "the agent's network")


@given(r"{WHO} has reset their password with the link sent by email")
def has_reset(stage, who):
    actor = stage.actor(who)
    password_reset.ask_for_link(actor)
    outcome = password_reset.choose_new_password(actor)
    assert outcome.state == CODE_REQUIRED, f"The reset did not lead to the code step: {outcome}"


@when(r"{WHO} logs in with their old password")
def logs_in_with_old_password(stage, who):
    password_reset.log_in_with_old_password(stage.actor(who))


@then(r"(?:{WHO} is|they are) told that a link was sent if an account uses the address")
def told_link_sent(stage, who=None):
    actor = stage.actor(who) if who else stage.last
    outcome = actor.outcome
    expected = messages.text("reset-link-sent")
    assert outcome is not None and outcome.state == DONE and messages.is_message(outcome.message, "reset-link-sent"), \
        f"{actor!r} expected to be told {expected!r}, saw: {outcome}"


@then(r"(?:{WHO} is|they are) told to wait before asking for another link")
def told_to_wait_for_link(stage, who=None):
    messages.assert_told(stage.actor(who) if who else stage.last, "reset-links-limited")


@then(r"the exact wait given to programs is (?P<n>\d+) seconds?")
def exact_wait_given(stage, n):
    """An API client reads the wait to the second (Retry-After); a page tells the minutes only,
    so in a browser this step is left to the message of the Then step before it."""
    actor = stage.last
    assert actor.outcome is not None and actor.outcome.state == REFUSED, f"{actor!r} was not refused: {actor.outcome}"
    if not actor.shows_pages:
        assert actor.outcome.retry_after == n, \
            f"{actor!r} was told to wait {actor.outcome.retry_after} seconds, not {n}."


@then(r"no email reaches that address")
def no_email(stage):
    stranger = stage.stranger()
    received = questions.emails_about(stranger, "")
    assert not received, f"{stranger.identity.email}, which no account uses, received: {[m.subject for m in received]}"


@then(r"{WHO} receives an email saying their password was changed")
def receives_password_changed(stage, who):
    messages.assert_notified(stage.actor(who), "notice-password-changed")
