"""Setting up two-factor authentication on one's own account, and turning it off."""


import contextlib

from pytest_bdd import then, when

from steps.drivers.base import CODE_REQUIRED, DONE, ENROLMENT_STARTED, REFUSED, SETUP_REQUIRED, SIGNED_IN

from ._grammar import handle, method, step


ELSEWHERE = r"(?P<elsewhere> on the other device)?"


def _where(actor, elsewhere):
    """The person's other device for a step that says "on the other device", else their own."""
    return actor.on_other_device() if elsewhere else contextlib.nullcontext(actor)


@when(step(r"{WHO} enables two-factor authentication (?:by|with) (?P<words>email|SMS|an authenticator app)(?: to their mobile)?" + ELSEWHERE))
def enables(cast, who, words, elsewhere):
    actor = cast[handle(who)]
    with _where(actor, elsewhere):
        outcome = actor.enable(method(words))
    assert outcome.state == ENROLMENT_STARTED, f"Set-up did not start: {outcome}"


@when(step(r"{WHO} changes two-factor authentication to (?P<words>email|SMS|an authenticator app) with their password" + ELSEWHERE))
def changes_method(cast, who, words, elsewhere):
    actor = cast[handle(who)]
    with _where(actor, elsewhere):
        actor.enable(method(words))


@when(step(r"{WHO} proves it with (?:{CODE_SOURCE}|(?P<wrong>a wrong code))" + ELSEWHERE))
def proves_current(cast, who, source=None, wrong=None, elsewhere=None):
    actor = cast[handle(who)]
    with _where(actor, elsewhere):
        code = actor.wrong_codes(1)[0] if wrong else actor.code_by(method(source))
        actor.prove_current_method(code)


@when(step(r"{WHO} tries to enable two-factor authentication by (?P<words>email|SMS)(?P<wrong> with a wrong password)?"
            r"(?: (?P<n>\d+) times)?"))
def tries_to_enable(cast, who, words, wrong, n):
    actor = cast[handle(who)]
    for _ in range(int(n or 1)):
        actor.enable(method(words), password=actor.identity.password + "x" if wrong else "own")


@when(step(r"{WHO} scans the QR code with their authenticator app"))
def scans_qr(cast, who):
    cast[handle(who)].add_to_authenticator("scan")


@when(step(r"{WHO} types the key into their authenticator app"))
def types_key(cast, who):
    cast[handle(who)].add_to_authenticator("type")


@when(step(r"{WHO} confirms with {CODE_SOURCE}" + ELSEWHERE))
def confirms(cast, who, source, elsewhere):
    actor = cast[handle(who)]
    with _where(actor, elsewhere):
        actor.confirm_setup(actor.code_by(method(source)))


@when(step(r"{WHO} confirms with a wrong code"))
def confirms_wrong(cast, who):
    actor = cast[handle(who)]
    actor.confirm_setup(actor.wrong_codes(1)[0])


@when(step(r"{WHO} does not confirm it"))
def does_not_confirm(cast, who):
    actor = cast[handle(who)]
    assert actor.outcome.state == ENROLMENT_STARTED  # and walks away from the set-up


@when(step(r"{WHO} sets up (?P<words>an authenticator app|email codes) and confirms (?:it|them)"))
def sets_up_and_confirms(cast, who, words):
    cast[handle(who)].set_up_and_confirm(method(words))


@when(step(r"{WHO} turns off two-factor authentication with their password and {CODE_SOURCE}"))
def turns_off(cast, who, source):
    actor = cast[handle(who)]
    outcome = actor.turn_off(actor.identity.password, method(source))
    assert outcome.state == DONE, f"Two-factor authentication was not turned off: {outcome}"


@when(step(r"{WHO} tries to turn off two-factor authentication with their password and a wrong code"))
def tries_turn_off_wrong_code(cast, who):
    actor = cast[handle(who)]
    actor.turn_off(actor.identity.password, "wrong")


@when(step(r"{WHO} tries to turn off two-factor authentication"))
def tries_turn_off(cast, who):
    actor = cast[handle(who)]
    actor.turn_off(actor.identity.password, None)


# --- what the person sees ---------------------------------------------------------------
@then(step(r"two-factor authentication by (?P<words>email|SMS|authenticator app) is on for {WHO}"))
def is_on(cast, who, words):
    actor = cast[handle(who)]
    actor.ensure_signed_in()
    status = actor.device.two_factor_status()
    assert status.enabled and status.method == method(words), f"Expected {words} to be on: {status}"


@then(step(r"two-factor authentication is (?:still )?off for {WHO}"))
def is_off(cast, who):
    actor = cast[handle(who)]
    actor.ensure_signed_in()
    status = actor.device.two_factor_status()
    assert not status.enabled, f"Two-factor authentication is on: {status}"


@then(step(r"the next time {WHO} logs in they are (?:asked for {CODE_SOURCE}|(?P<alone>signed in with the password alone))"))
def next_login(cast, who, source=None, alone=None):
    actor = cast[handle(who)]
    actor.sign_out()
    outcome = actor.log_in()
    if alone:
        assert outcome.state == SIGNED_IN, f"Expected the password alone to sign in: {outcome}"
    else:
        assert outcome.state == CODE_REQUIRED and outcome.method == method(source), f"Expected {source}: {outcome}"


@then(step(r"{WHO} is told their password is not correct"))
def told_wrong_password(cast, who):
    outcome = cast[handle(who)].outcome
    assert outcome.state == REFUSED and "password is not correct" in outcome.message, outcome


@then(step(r"{WHO} is asked to set up two-factor authentication(?: before going on)?"))
def asked_to_set_up(cast, who):
    outcome = cast[handle(who)].outcome
    assert outcome.state == SETUP_REQUIRED, f"Expected to be asked to set up two-factor authentication: {outcome}"


@then(step(r"{WHO} is offered (?P<offer>.+)"))
def offered(cast, who, offer):
    actor = cast[handle(who)]
    expected = {
        "only an authenticator app": {"authenticator"},
        "only email": {"email"},
        "SMS codes and an authenticator app, but not email": {"sms", "authenticator"},
        "email codes and an authenticator app": {"email", "authenticator"},
    }[offer]
    if actor.outcome and actor.outcome.state == SETUP_REQUIRED:
        offered_now = set(actor.outcome.methods_offered)
    else:
        actor.ensure_signed_in()
        offered_now = set(actor.device.two_factor_status().methods_offered)
    assert offered_now == expected, f"{actor!r} is offered {sorted(offered_now)}, expected {sorted(expected)}"


@then(step(r"{WHO} is told (?P<what>two-factor authentication is not allowed for them|email is not allowed|their administrator requires two-factor authentication|only an administrator can do this)"))
def told_not_allowed(cast, who, what):
    outcome = cast[handle(who)].outcome
    words = {
        "two-factor authentication is not allowed for them": "not allowed for your account",
        "email is not allowed": "email is not allowed",
        "their administrator requires two-factor authentication": "administrator requires two-factor",
        "only an administrator can do this": "only an administrator",
    }[what]
    assert outcome.state == REFUSED and words in outcome.message.lower(), f"Expected to be told {what!r}: {outcome}"


@then(step(r"{WHO} receives an email saying two-factor authentication (?P<what>is on|is off|was reset)"))
def receives_notice(cast, who, what):
    actor = cast[handle(who)]
    subject = {"is on": "is on", "is off": "is off", "was reset": "was reset"}[what]
    notices = actor.mailbox.messages(f"two-factor authentication {subject}")
    assert notices, f"No email saying two-factor authentication {what} reached {actor.identity.email}."


@then(step(r"the QR code names the product and {WHO}'s email address"))
def qr_names_account(cast, who):
    actor = cast[handle(who)]
    actor.add_to_authenticator("scan")
    account = actor.authenticator.account
    issuer = account.get("issuer", "")
    assert issuer and account["label"] == f"{issuer}:{actor.identity.email}", f"The QR code's account is {account}"


@then(step(r"the QR code asks for 6-digit codes that change every 30 seconds"))
def qr_parameters(cast):
    account = cast.last.authenticator.account
    assert account.get("digits", "6") == "6" and account.get("period", "30") == "30", account
    assert account.get("algorithm", "SHA1").upper() == "SHA1", account
    secret = account["secret"]
    assert "=" not in secret and len(secret) * 5 >= 160, f"The secret is not 160 bits of unpadded base32: {secret!r}"
