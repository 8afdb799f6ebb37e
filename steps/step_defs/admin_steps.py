"""The administrator's security settings and the lost-phone reset, done through the product."""

from pytest_bdd import parsers, then, when

from steps.drivers.base import DONE, REFUSED

from ._grammar import handle, step

ENFORCE = {
    "all agents": {"enforce_for_agents": True},
    "all users": {"enforce_for_users": True},
    "all agents and users": {"enforce_for_agents": True, "enforce_for_users": True},
}
CHANGES = {
    "allows two-factor authentication for users": {"allow_for_users": True},
    "stops enforcing two-factor authentication for all agents": {"enforce_for_agents": False},
    "allows only authenticator apps": {"email_allowed": False, "sms_allowed": False, "authenticator_allowed": True},
    "allows email only when no other method is available": {"email_only_if_no_other": True},
    "disallows SMS codes and authenticator apps": {"sms_allowed": False, "authenticator_allowed": False},
    "disallows SMS codes": {"sms_allowed": False},
}
CONTRADICTIONS = {
    "enforce two-factor authentication for all users while not allowing it": {"allow_for_users": False, "enforce_for_users": True},
    "disallow every method while two-factor authentication is allowed": {"email_allowed": False, "sms_allowed": False, "authenticator_allowed": False},
}
ATTEMPTS = {**CONTRADICTIONS, "allow two-factor authentication for users": {"allow_for_users": True}}
PASSWORD_AGAIN = "For your security, enter your password again to continue."


def _admin(cast):
    admin = cast["administrator"]
    admin.ensure_signed_in()
    return admin


def _as_admin(cast, action):
    """An administrator's change, as they would make it: asked for the password again
    (their last entry of it is too old), they enter it and make the change again."""
    admin = _admin(cast)
    outcome = admin.saw(action(admin.device))
    if outcome.state == REFUSED and outcome.message == PASSWORD_AGAIN:
        assert admin.device.confirm_password(admin.identity.password).state == DONE
        outcome = admin.saw(action(admin.device))
    return outcome


def _change(cast, changes):
    outcome = _as_admin(cast, lambda device: device.change_security_settings(**changes))
    assert outcome.state == DONE, f"The settings were not saved: {outcome}"


@when(step(r"the administrator enforces two-factor authentication for (?P<whom>all agents and users|all agents|all users)"))
def enforces(cast, whom):
    _change(cast, ENFORCE[whom])


@when(step(r"the administrator (?P<change>" + "|".join(CHANGES) + ")"))
def changes_settings(cast, change):
    _change(cast, CHANGES[change])


@when(step(r"the administrator looks at the security settings"))
def looks_at_settings(cast):
    settings = _admin(cast).device.security_settings()
    assert set(settings) >= {"allow_for_agents", "enforce_for_agents"}, f"Not the security settings: {settings}"


@when(step(r"the administrator tries to (?P<what>.+)"))
def tries_change(cast, what):
    admin = _admin(cast)
    cast.notes["settings before"] = admin.device.security_settings()
    admin.saw(admin.device.change_security_settings(**ATTEMPTS[what]))


@when(step(r"the administrator resets (?P<whose>the agent)'s two-factor authentication"))
def resets(cast, whose):
    email = cast[handle(whose)].identity.email
    outcome = _as_admin(cast, lambda device: device.reset_two_factor(email))
    assert outcome.state == DONE, f"The reset did not happen: {outcome}"


@when(step(r"the administrator unlocks (?P<whose>the agent)'s second step"))
def unlocks(cast, whose):
    email = cast[handle(whose)].identity.email
    outcome = _as_admin(cast, lambda device: device.unlock_second_step(email))
    assert outcome.state == DONE, f"The unlock did not happen: {outcome}"


@then(step(r"the administrator sees that (?P<whose>the agent)'s second step is (?P<state>locked until unlocked|locked|not locked)"))
def sees_lock_state(cast, whose, state):
    shown = _admin(cast).device.lock_state(cast[handle(whose)].identity.email)
    expected = {"locked": "Locked", "locked until unlocked": "Locked until unlocked", "not locked": "No"}[state]
    assert shown == expected, f"The administrator sees {shown!r}, expected {expected!r}."


@then(step(r"the administrator is asked for their password again"))
def asked_for_password(cast):
    outcome = cast["administrator"].outcome
    assert outcome.state == REFUSED and outcome.message == PASSWORD_AGAIN, f"Expected {PASSWORD_AGAIN!r}: {outcome}"


@when(step(r"the administrator enters their password again"))
def enters_password_again(cast):
    admin = _admin(cast)
    outcome = admin.saw(admin.device.confirm_password(admin.identity.password))
    assert outcome.state == DONE, f"The password was not taken: {outcome}"


@when(step(r"the administrator reads the audit trail of (?P<whose>the agent)"))
def reads_audit_trail(cast, whose):
    cast.notes["audit trail"] = _admin(cast).device.audit_trail(cast[handle(whose)].identity.email)


@then(parsers.re(r"the audit trail reads, newest first:$"))
def audit_trail_reads(cast, datatable):
    header, *rows = datatable
    lines = cast.notes["audit trail"]
    expected = []
    for row in rows:
        entry = dict(zip(header, row))
        device = _device_named(cast, entry["from"])
        expected.append((entry["what"], device.address, device.user_agent))
    seen = [(line.what, line.address, line.user_agent) for line in lines[:len(expected)]]
    assert seen == expected, f"The audit trail begins {seen}, expected {expected}"


def _device_named(cast, words):
    """"the agent's device", "the agent's other device", "someone's device"."""
    if words == "someone's device":
        return cast.stranger().device
    who, _, which = words.partition("'s ")
    actor = cast[handle(who)]
    return actor.other_device if which == "other device" else actor.device


@when(step(r"{WHO} tries to reset (?P<whose>the agent)'s two-factor authentication"))
def tries_reset(cast, who, whose):
    actor = cast[handle(who)]
    actor.ensure_signed_in()
    actor.saw(actor.device.reset_two_factor(cast[handle(whose)].identity.email))


@then(step(r"the security settings are unchanged"))
def settings_unchanged(cast):
    assert _admin(cast).device.security_settings() == cast.notes["settings before"]


@then(step(r"two-factor authentication is (?P<negation>not )?allowed for (?P<whom>agents|users)"))
def allowed_for(cast, negation, whom):
    settings = _admin(cast).device.security_settings()
    assert settings[f"allow_for_{whom}"] is (not negation), settings


@then(step(r"two-factor authentication is not enforced for anybody"))
def enforced_for_nobody(cast):
    settings = _admin(cast).device.security_settings()
    assert not settings["enforce_for_agents"] and not settings["enforce_for_users"], settings


@then(step(r"email codes, SMS codes and authenticator apps are allowed"))
def all_methods_allowed(cast):
    settings = _admin(cast).device.security_settings()
    assert settings["email_allowed"] and settings["sms_allowed"] and settings["authenticator_allowed"], settings
    assert not settings["email_only_if_no_other"], settings
