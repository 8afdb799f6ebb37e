"""Logging in, the second step, codes and the lock."""

import datetime as dt

from steps.clock import needs_a_controllable_clock
from steps.drivers.base import CODE_REQUIRED, SIGNED_IN
from steps.dsl import messages, questions
from steps.dsl.tasks import signing_in
from steps.methods import AUTHENTICATOR, EMAIL

from ._grammar import given, then, when


@given(r"{WHO} logs in with their password")
@when(r"{WHO} logs in with their password")
def logs_in(stage, who):
    signing_in.log_in(stage.actor(who))


@when(r"{WHO} logs in again with their password on another device")
def logs_in_on_another_device(stage, who):
    signing_in.log_in_on_another_device(stage.actor(who))


@when(r"{WHO} logs in with a wrong password")
def logs_in_with_wrong_password(stage, who):
    signing_in.log_in_with_wrong_password(stage.actor(who))


@when(r"{WHO} logs in with a wrong password (?P<n>\d+) times")
def wrong_password_times(stage, who, n):
    signing_in.log_in_with_wrong_password(stage.actor(who), times=n)


@when(r"someone logs in as a person who has no account")
def unknown_person_logs_in(stage):
    signing_in.log_in(stage.stranger())


@when(r"{WHO} logs in with their password and {CODE_SOURCE}")
def logs_in_with_code(stage, who, source):
    signing_in.log_in_with_code(stage.actor(who), source)


@given(r"{WHO} has logged in with {CODE_SOURCE}")
def has_logged_in(stage, who, source):
    signing_in.sign_in(stage.actor(who), source)


@given(r"{WHO} reads the code from their authenticator app")
def reads_code(stage, who):
    signing_in.keep_code(stage.actor(who), AUTHENTICATOR)


@when(r"{WHO} keeps the code sent by email")
def keeps_email_code(stage, who):
    signing_in.keep_code(stage.actor(who), EMAIL)


@when(r"{WHO} enters (?:that code|the code kept earlier)(?: on the other device)?")
def enters_kept_code(stage, who):
    signing_in.enter_kept_code(stage.actor(who))


@when(r"{WHO} enters {CODE_SOURCE}")
def enters_code(stage, who, source):
    signing_in.enter_code(stage.actor(who), source)


@given(r"{WHO} enters (?P<n>\d+) wrong codes(?: on the other device)?")
@when(r"{WHO} enters (?P<n>\d+) wrong codes(?: on the other device)?")
def enters_wrong_codes(stage, who, n):
    signing_in.enter_wrong_codes(stage.actor(who), n)


@when(r'{WHO} enters "(?P<text>[^"]*)" as the code')
def enters_text_as_code(stage, who, text):
    signing_in.enter_text_as_code(stage.actor(who), text)


@when(r"someone else logs in with (?P<whose>the agent)'s password and (?P<which>that same code|the code read earlier)")
def someone_else_uses_code(stage, whose, which):
    victim = stage.actor(whose)
    code = victim.last_code if which == "that same code" else victim.kept_code
    signing_in.log_in_as_with_code(stage.stranger(), victim, code)


@when(r"someone else logs in with (?P<whose>the agent)'s password")
def someone_else_logs_in(stage, whose):
    victim = stage.actor(whose)
    signing_in.log_in_as(stage.stranger(), victim)  # "they" is someone, from here on


@when(r"someone else tries (?P<whose>the agent)'s password and that same code (?P<n>\d+) times")
def someone_replays(stage, whose, n):
    victim = stage.actor(whose)
    signing_in.log_in_as_with_code(stage.stranger(), victim, victim.last_code, times=n)


@when(r"{WHO} asks for a new code")
def asks_for_new_code(stage, who):
    signing_in.ask_for_new_code(stage.actor(who))


@when(r"{WHO} asks for a new code (?P<n>\d+) times, 30 seconds apart")
def asks_repeatedly(stage, scenario_clock, who, n):
    signing_in.ask_for_new_codes(stage.actor(who), scenario_clock, times=n, seconds_apart=30)


@given(r"{WHO} signs out")
@when(r"{WHO} signs out")
def signs_out(stage, who):
    signing_in.sign_out(stage.actor(who))


@when(r"the application restarts")
def application_restarts(system):
    system.restart()


@when(r"{WHO} enters {CODE_SOURCE} twice, as a double click does")
def enters_code_twice(stage, who, source):
    signing_in.enter_code_twice(stage.actor(who), source)


# --- what happened before the scenario --------------------------------------------------
@given(r"{WHO} has entered (?P<n>\d+) wrong codes in a row, waiting out each lock")
@needs_a_controllable_clock
def has_entered_wrong_codes_in_a_row(stage, system, who, n):
    system.wrong_codes_in_a_row(stage.actor(who), n)


@given(r"someone tried a wrong password for (?P<whose>the agent)'s account every (?P<every>minute|\d+ seconds) "
       r"for the last (?P<n>\d+) minutes(?P<spread>, each time from another network)?")
@needs_a_controllable_clock
def stranger_tried_regularly(stage, system, whose, every, n, spread):
    every = dt.timedelta(minutes=1) if every == "minute" else dt.timedelta(seconds=int(every.split()[0]))
    system.wrong_passwords_for(stage.actor(whose), stage.stranger(), every, dt.timedelta(minutes=n),
                               from_many_networks=bool(spread))


@given(r"someone has just tried wrong passwords for (?P<n>\d+) different accounts")
def stranger_sprayed(stage, system, n):
    system.wrong_passwords_for_accounts(stage.stranger(), n)


# --- what the person sees ---------------------------------------------------------------
@then(r"{WHO} is signed in")
def is_signed_in(stage, who):
    actor = stage.actor(who)
    assert actor.outcome and actor.outcome.state == SIGNED_IN, f"{actor!r} is not signed in; they saw: {actor.outcome}"
    assert questions.can_reach_home(actor), f"{actor!r} was told they are signed in but cannot reach their home page."


@then(r"{WHO} is not signed in")
def is_not_signed_in(stage, who):
    actor = stage.actor(who)
    assert not (actor.outcome and actor.outcome.state == SIGNED_IN), f"{actor!r} is signed in: {actor.outcome}"
    assert not questions.can_reach_home(actor), f"{actor!r} can reach their home page."


@then(r"{WHO} cannot reach their home page")
def cannot_reach_home(stage, who):
    assert not questions.can_reach_home(stage.actor(who)), f"{stage.last!r} can reach their home page."


@then(r"{WHO} is asked for {CODE_SOURCE}")
def asked_for_code(stage, who, source):
    outcome = stage.actor(who).outcome
    assert outcome.state == CODE_REQUIRED and outcome.method == source.key, f"Expected to be asked for {source}: {outcome}"


@then(r"the code is refused")
def code_refused(stage):
    messages.assert_told(stage.last, "code-refused")


@then(r'(?:{WHO} is|they are) told "(?P<text>[^"]+)"')
def told_exactly(stage, text, who=None):
    messages.assert_told_words(stage.actor(who) if who else stage.last, text)


@then(r"{WHO} is told to wait (?P<seconds>\d+) seconds before asking for another code")
def told_to_wait(stage, who, seconds):
    messages.assert_told(stage.actor(who), "wait-before-new-code", seconds=str(seconds))


@then(r"{WHO} is told that too many codes were sent, and to try again in (?P<wait>\d+ minutes?)")
def told_too_many_codes(stage, who, wait):
    messages.assert_told(stage.actor(who), "too-many-codes", wait=wait)


@then(r"{WHO} is told the second step is locked for 15 minutes")
def told_locked(stage, who):
    messages.assert_told(stage.actor(who), "locked-15-minutes")


@then(r"{WHO} is told the second step is locked, and to try again in (?P<wait>\d+ minutes?)")
def told_locked_for(stage, who, wait):
    messages.assert_told(stage.actor(who), "locked-for-a-while", wait=wait)


@then(r"{WHO} is told the second step is locked until an administrator unlocks it")
def told_held(stage, who):
    messages.assert_told(stage.actor(who), "locked-until-unlocked")


@then(r"{WHO} receives (?P<which>a|another) sign-in code by {METHOD}(?: on their mobile)?")
def receives_code(stage, who, which, words):
    questions.assert_codes_received(stage.actor(who), words, "sign-in code", {"a": 1, "another": 2}[which])


@then(r"{WHO} has received no sign-in code by {METHOD} but the first")
def received_only_first_code(stage, who, words):
    questions.assert_codes_received(stage.actor(who), words, "sign-in code", 1)


@then(r"{WHO} receives an email saying their two-factor sign-in is locked (?P<how_long>for \d+ minutes|until an administrator unlocks it)")
def receives_lock_notice(stage, who, how_long):
    messages.assert_notified(stage.actor(who), "notice-locked", how_long=how_long)


@then(r"{WHO} receives an email saying their two-factor sign-in was unlocked")
def receives_unlock_notice(stage, who):
    messages.assert_notified(stage.actor(who), "notice-unlocked")
