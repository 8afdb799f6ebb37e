"""Setting up two-factor authentication on one's own account, and turning it off."""

from steps.drivers.base import CODE_REQUIRED, SETUP_REQUIRED, SIGNED_IN
from steps.dsl import messages, questions
from steps.dsl.tasks import own_account, signing_in
from steps.methods import AUTHENTICATOR, EMAIL, SMS

from ._grammar import then, when

ELSEWHERE = r"(?P<elsewhere> on the other device)?"
OFFERS = {
    "only an authenticator app": {AUTHENTICATOR},
    "only email": {EMAIL},
    "SMS codes and an authenticator app, but not email": {SMS, AUTHENTICATOR},
    "email codes and an authenticator app": {EMAIL, AUTHENTICATOR},
}
NOTICES = {"is off": "notice-two-factor-off", "was reset": "notice-two-factor-reset"}


@when(r"{WHO} enables two-factor authentication (?:by|with) {METHOD}(?: to their mobile)?" + ELSEWHERE)
def enables(stage, who, words, elsewhere):
    own_account.enable(stage.actor(who), words, other_device=bool(elsewhere))


@when(r"{WHO} changes two-factor authentication to {METHOD} with their password" + ELSEWHERE)
def changes_method(stage, who, words, elsewhere):
    own_account.change_method(stage.actor(who), words, other_device=bool(elsewhere))


@when(r"{WHO} proves it with (?:{CODE_SOURCE}|(?P<wrong>a wrong code))" + ELSEWHERE)
def proves_current(stage, who, source=None, wrong=None, elsewhere=None):
    own_account.prove_current_method(stage.actor(who), source, other_device=bool(elsewhere))


@when(r"{WHO} tries to enable two-factor authentication by {METHOD}(?P<wrong> with a wrong password)?"
      r"(?: (?P<n>\d+) times)?")
def tries_to_enable(stage, who, words, wrong, n):
    own_account.try_to_enable(stage.actor(who), words, with_wrong_password=bool(wrong), times=n or 1)


@when(r"{WHO} scans the QR code with their authenticator app")
def scans_qr(stage, who):
    own_account.scan_qr_code(stage.actor(who))


@when(r"{WHO} types the key into their authenticator app")
def types_key(stage, who):
    own_account.type_key(stage.actor(who))


@when(r"{WHO} confirms with {CODE_SOURCE}" + ELSEWHERE)
def confirms(stage, who, source, elsewhere):
    own_account.confirm(stage.actor(who), source, other_device=bool(elsewhere))


@when(r"{WHO} confirms with a wrong code")
def confirms_wrong(stage, who):
    own_account.confirm(stage.actor(who), None)


@when(r"{WHO} confirms with the code kept earlier")
def confirms_with_kept_code(stage, who):
    own_account.confirm_with_kept_code(stage.actor(who))


@when(r"{WHO} proves it with the code kept earlier")
def proves_with_kept_code(stage, who):
    own_account.prove_with_kept_code(stage.actor(who))


@when(r"{WHO} asks for a new code (?:to finish the set-up|to prove it)")
def asks_for_new_setup_code(stage, who):
    own_account.ask_for_new_setup_code(stage.actor(who))


@then(r"{WHO} receives another set-up code by {METHOD}(?: on their mobile)?")
def receives_another_setup_code(stage, who, words):
    questions.assert_codes_received(stage.actor(who), words, "set-up code", 2)


@when(r"{WHO} does not confirm it")
def does_not_confirm(stage, who):
    own_account.walk_away_from_setup(stage.actor(who))


@when(r"{WHO} sets up {METHOD} and confirms (?:it|them)")
def sets_up_and_confirms(stage, who, words):
    own_account.set_up_and_confirm(stage.actor(who), words)


@when(r"{WHO} turns off two-factor authentication with their password and {CODE_SOURCE}")
def turns_off(stage, who, source):
    own_account.turn_off(stage.actor(who), source)


@when(r"{WHO} tries to turn off two-factor authentication with their password and a wrong code")
def tries_turn_off_wrong_code(stage, who):
    own_account.try_to_turn_off(stage.actor(who), with_wrong_code=True)


@when(r"{WHO} tries to turn off two-factor authentication")
def tries_turn_off(stage, who):
    own_account.try_to_turn_off(stage.actor(who))


# --- what the person sees ---------------------------------------------------------------
@then(r"two-factor authentication by {METHOD} is on for {WHO}")
def is_on(stage, who, words):
    in_use = questions.method_in_use(stage.actor(who))
    assert in_use == words, f"Expected {words} to be on for {stage.last!r}: {in_use or 'it is off'}"


@then(r"two-factor authentication is (?:still )?off for {WHO}")
def is_off(stage, who):
    in_use = questions.method_in_use(stage.actor(who))
    assert in_use is None, f"Two-factor authentication by {in_use} is on for {stage.last!r}"


@then(r"the next time {WHO} logs in they are (?:asked for {CODE_SOURCE}|(?P<alone>signed in with the password alone))")
def next_login(stage, who, source=None, alone=None):
    actor = stage.actor(who)
    signing_in.sign_out(actor)
    outcome = signing_in.log_in(actor)
    if alone:
        assert outcome.state == SIGNED_IN, f"Expected the password alone to sign in: {outcome}"
    else:
        assert outcome.state == CODE_REQUIRED and outcome.method == source.key, f"Expected {source}: {outcome}"


@then(r"{WHO} is told their password is not correct")
def told_wrong_password(stage, who):
    messages.assert_told(stage.actor(who), "wrong-password-at-setup")


@then(r"{WHO} is asked to set up two-factor authentication(?: before going on)?")
def asked_to_set_up(stage, who):
    outcome = stage.actor(who).outcome
    assert outcome.state == SETUP_REQUIRED, f"Expected to be asked to set up two-factor authentication: {outcome}"


@then(r"{WHO} is offered (?P<offer>.+)")
def offered(stage, who, offer):
    offered_now = questions.methods_offered(stage.actor(who))
    assert offered_now == OFFERS[offer], f"{stage.last!r} is offered {sorted(map(str, offered_now))}, expected {sorted(map(str, OFFERS[offer]))}"


@then(r"{WHO} is told (?P<what>two-factor authentication is not allowed for them|email is not allowed|their administrator requires two-factor authentication|only an administrator can do this)")
def told_not_allowed(stage, who, what):
    messages.assert_told(stage.actor(who), {
        "two-factor authentication is not allowed for them": "not-allowed-for-account",
        "email is not allowed": "email-not-allowed",
        "their administrator requires two-factor authentication": "enforced-cannot-turn-off",
        "only an administrator can do this": "only-administrator",
    }[what])


@then(r"{WHO} receives an email saying two-factor authentication by {METHOD} is on")
def receives_on_notice(stage, who, words):
    messages.assert_notified(stage.actor(who), "notice-two-factor-on", method=words.label)


@then(r"{WHO} receives an email saying two-factor authentication (?P<what>is off|was reset)")
def receives_notice(stage, who, what):
    messages.assert_notified(stage.actor(who), NOTICES[what])


@then(r"the QR code names the product and {WHO}'s email address")
def qr_names_account(stage, who):
    account = questions.authenticator_account(stage.actor(who), scan_first=True)
    issuer = account.get("issuer", "")
    assert issuer and account["label"] == f"{issuer}:{stage.last.identity.email}", f"The QR code's account is {account}"


@then(r"the QR code asks for 6-digit codes that change every 30 seconds")
def qr_parameters(stage):
    account = questions.authenticator_account(stage.last)
    assert account.get("digits", "6") == "6" and account.get("period", "30") == "30", account
    assert account.get("algorithm", "SHA1").upper() == "SHA1", account
    secret = account["secret"]
    assert "=" not in secret and len(secret) * 5 >= 160, f"The secret is not 160 bits of unpadded base32: {secret!r}"
