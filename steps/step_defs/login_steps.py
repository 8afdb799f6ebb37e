"""Logging in, the second step, codes and the lock."""

import datetime as dt

from pytest_bdd import given, then, when

from steps.drivers.base import CODE_REQUIRED, REFUSED, SIGNED_IN

from ._grammar import handle, method, step


@given(step(r"{WHO} logs in with their password"))
@when(step(r"{WHO} logs in with their password"))
def logs_in(cast, who):
    cast[handle(who)].log_in()


@when(step(r"{WHO} logs in again with their password on another device"))
def logs_in_on_another_device(cast, who):
    actor = cast[handle(who)]
    actor.use_new_device()
    actor.log_in()


@when(step(r"{WHO} logs in with a wrong password"))
def logs_in_with_wrong_password(cast, who):
    actor = cast[handle(who)]
    actor.log_in(password=actor.identity.password + "x")


@when(step(r"someone logs in as a person who has no account"))
def unknown_person_logs_in(cast):
    stranger = cast.stranger()
    stranger.log_in()


@when(step(r"{WHO} logs in with their password and {CODE_SOURCE}"))
def logs_in_with_code(cast, who, source):
    actor = cast[handle(who)]
    if actor.log_in().state == CODE_REQUIRED:
        actor.enter_code(actor.code_by(method(source)))


@given(step(r"{WHO} has logged in with (?P<source>a code from their authenticator app|the code sent by email)"))
def has_logged_in(cast, who, source):
    cast[handle(who)].log_in_fully(method(source))


@given(step(r"{WHO} reads the code from their authenticator app"))
def reads_code(cast, who):
    actor = cast[handle(who)]
    actor.kept_code = actor.authenticator.code()


@when(step(r"{WHO} keeps the code sent by email"))
def keeps_email_code(cast, who):
    actor = cast[handle(who)]
    actor.kept_code = actor.mailbox.latest_code()


@when(step(r"{WHO} enters (?:that code|the code kept earlier)(?: on the other device)?"))
def enters_kept_code(cast, who):
    actor = cast[handle(who)]
    actor.enter_code(actor.kept_code)


@when(step(r"{WHO} enters {CODE_SOURCE}"))
def enters_code(cast, who, source):
    actor = cast[handle(who)]
    actor.enter_code(actor.code_by(method(source)))


@given(step(r"{WHO} enters (?P<n>\d+) wrong codes(?: on the other device)?"))
@when(step(r"{WHO} enters (?P<n>\d+) wrong codes(?: on the other device)?"))
def enters_wrong_codes(cast, who, n):
    actor = cast[handle(who)]
    for code in actor.wrong_codes(int(n)):
        outcome = actor.enter_code(code)
        assert outcome.state == REFUSED, f"A wrong code was not refused: {outcome}"


@when(step(r'{WHO} enters "(?P<text>[^"]*)" as the code'))
def enters_text_as_code(cast, who, text):
    cast[handle(who)].enter_code(text)


@when(step(r"someone else logs in with (?P<whose>the agent)'s password and (?P<which>that same code|the code read earlier)"))
def someone_else_uses_code(cast, whose, which):
    victim = cast[handle(whose)]
    code = victim.last_code if which == "that same code" else victim.kept_code
    stranger = cast.stranger()
    outcome = stranger.device.log_in(victim.identity.email, victim.identity.password)
    assert outcome.state == CODE_REQUIRED, f"Expected the code step: {outcome}"
    stranger.enter_code(code)


@when(step(r"{WHO} asks for a new code"))
def asks_for_new_code(cast, who):
    actor = cast[handle(who)]
    actor.saw(actor.device.ask_for_new_code())


@when(step(r"{WHO} asks for a new code (?P<n>\d+) times, 30 seconds apart"))
def asks_repeatedly(cast, scenario_clock, who, n):
    actor = cast[handle(who)]
    for _ in range(int(n)):
        scenario_clock.advance(30)
        outcome = actor.saw(actor.device.ask_for_new_code())
        assert outcome.state == CODE_REQUIRED, f"A new code was refused too early: {outcome}"


@given(step(r"{WHO} signs out"))
@when(step(r"{WHO} signs out"))
def signs_out(cast, who):
    cast[handle(who)].sign_out()


@when(step(r"the application restarts"))
def application_restarts(system):
    system.restart()


# --- what the person sees ---------------------------------------------------------------
@then(step(r"{WHO} is signed in"))
def is_signed_in(cast, who):
    actor = cast[handle(who)]
    assert actor.outcome and actor.outcome.state == SIGNED_IN, f"{actor!r} is not signed in; they saw: {actor.outcome}"
    assert actor.device.can_reach_home(), f"{actor!r} was told they are signed in but cannot reach their home page."


@then(step(r"{WHO} is not signed in"))
def is_not_signed_in(cast, who):
    actor = cast[handle(who)]
    assert not (actor.outcome and actor.outcome.state == SIGNED_IN), f"{actor!r} is signed in: {actor.outcome}"
    assert not actor.device.can_reach_home(), f"{actor!r} can reach their home page."


@then(step(r"{WHO} cannot reach their home page"))
def cannot_reach_home(cast, who):
    actor = cast[handle(who)]
    assert not actor.device.can_reach_home(), f"{actor!r} can reach their home page."


@then(step(r"{WHO} is asked for {CODE_SOURCE}"))
def asked_for_code(cast, who, source):
    outcome = cast[handle(who)].outcome
    assert outcome.state == CODE_REQUIRED and outcome.method == method(source), f"Expected to be asked for {source}: {outcome}"


@then(step(r"the code is refused"))
def code_refused(cast):
    outcome = cast.last.outcome
    assert outcome.state == REFUSED, f"The code was not refused: {outcome}"
    assert "code" in outcome.message.lower(), f"The refusal does not speak of the code: {outcome.message!r}"


@then(step(r'(?:{WHO} is|they are) told "(?P<text>[^"]+)"'))
def told_exactly(cast, text, who=None):
    actor = cast[handle(who)] if who else cast.last
    # The page may say more (the settings page adds "Nothing was saved."); the words must be there.
    assert text.strip() in actor.outcome.message, f"{actor!r} was told {actor.outcome.message!r}, not {text!r}"


@then(step(r"{WHO} is told to wait before asking for another code"))
def told_to_wait(cast, who):
    _told(cast, who, "seconds", "another")


@then(step(r"{WHO} is told that too many codes were sent"))
def told_too_many_codes(cast, who):
    _told(cast, who, "too many codes")


@then(step(r"{WHO} is told the second step is locked for 15 minutes"))
def told_locked(cast, who):
    _told(cast, who, "locked", "15 minutes")


@then(step(r"{WHO} receives (?P<which>a|another) sign-in code by (?P<channel>email|SMS)(?: on their mobile)?"))
def receives_code(cast, who, which, channel):
    actor = cast[handle(who)]
    if channel == "email":
        codes = [m for m in actor.mailbox.messages("sign-in code")]
    else:
        codes = [t for t in actor.phone.texts() if "sign-in code" in t]
    expected = 1 if which == "a" else 2
    assert len(codes) == expected, f"Expected {expected} sign-in code(s) by {channel} for {actor!r}, got {len(codes)}."


def _told(cast, who, *words):
    outcome = cast[handle(who)].outcome
    assert outcome.state == REFUSED, f"Expected a refusal, got {outcome}"
    for word in words:
        assert word in outcome.message.lower(), f"{word!r} is not in the message {outcome.message!r}"


# --- the overall cap on wrong codes, replays and double clicks -----------------------------
@given(step(r"{WHO} has entered (?P<n>\d+) wrong codes in a row, waiting out each lock"))
def has_entered_wrong_codes_in_a_row(cast, system, who, n):
    system.wrong_codes_in_a_row(cast[handle(who)], int(n))


@then(step(r"{WHO} is told the second step is locked until an administrator unlocks it"))
def told_held(cast, who):
    outcome = cast[handle(who)].outcome
    expected = "Too many wrong codes. Two-factor sign-in is locked for this account until an administrator unlocks it."
    assert outcome.state == REFUSED and outcome.message == expected, f"Expected {expected!r}: {outcome}"


@then(step(r"{WHO} receives an email saying their two-factor sign-in (?P<what>is locked|was unlocked)"))
def receives_lock_notice(cast, who, what):
    actor = cast[handle(who)]
    notices = actor.mailbox.messages(f"two-factor sign-in {what}")
    assert notices, f"No email saying two-factor sign-in {what} reached {actor.identity.email}."


@when(step(r"{WHO} enters {CODE_SOURCE} twice, as a double click does"))
def enters_code_twice(cast, who, source):
    actor = cast[handle(who)]
    code = actor.code_by(method(source))
    actor.last_code = code
    actor.saw(actor.device.enter_code_twice(code))


@when(step(r"someone else tries (?P<whose>the agent)'s password and that same code (?P<n>\d+) times"))
def someone_replays(cast, whose, n):
    victim = cast[handle(whose)]
    stranger = cast.stranger()
    outcome = stranger.device.log_in(victim.identity.email, victim.identity.password)
    assert outcome.state == CODE_REQUIRED, f"Expected the code step: {outcome}"
    for _ in range(int(n)):
        stranger.enter_code(victim.last_code)


# --- throttling the password step -------------------------------------------------------
@when(step(r"{WHO} logs in with a wrong password (?P<n>\d+) times"))
def wrong_password_times(cast, who, n):
    actor = cast[handle(who)]
    for _ in range(int(n)):
        outcome = actor.log_in(password=actor.identity.password + "x")
        assert outcome.state == REFUSED, f"A wrong password was not refused: {outcome}"


@given(step(r"someone tried a wrong password for (?P<whose>the agent)'s account every (?P<every>minute|\d+ seconds) "
            r"for the last (?P<n>\d+) minutes(?P<spread>, each time from another network)?"))
def stranger_tried_regularly(cast, system, whose, every, n, spread):
    victim, stranger = cast[handle(whose)], cast.stranger()
    every = dt.timedelta(minutes=1) if every == "minute" else dt.timedelta(seconds=int(every.split()[0]))
    tries = int(dt.timedelta(minutes=int(n)) / every)
    clients = [_network(i) for i in range(tries)] if spread else [_client(stranger)] * tries
    system.wrong_passwords_from(clients, victim.identity.email, every=every)


@given(step(r"someone has just tried wrong passwords for (?P<n>\d+) different accounts"))
def stranger_sprayed(cast, system, n):
    stranger = cast.stranger()
    system.wrong_passwords(_client(stranger), [f"nobody.{i}@accounts.invalid" for i in range(int(n))])


def _network(i: int):
    """The i-th of many networks a distributed guesser uses (TEST-NET-2 and -3, RFC 5737)."""
    from sut.domain.clients import Client

    return Client(f"{('198.51.100', '203.0.113')[i // 250]}.{i % 250 + 1}", "a guessing script")


def _client(actor):
    from sut.domain.clients import Client

    return Client(actor.device.address, actor.device.user_agent)
