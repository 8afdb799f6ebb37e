"""The administrator's security settings and the lost-phone reset, done through the product."""

from pytest_bdd import then, when

from steps.drivers.base import DONE

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


def _admin(cast):
    admin = cast["administrator"]
    admin.ensure_signed_in()
    return admin


def _change(cast, changes):
    admin = _admin(cast)
    outcome = admin.saw(admin.device.change_security_settings(**changes))
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
def tries_contradiction(cast, what):
    admin = _admin(cast)
    cast.notes["settings before"] = admin.device.security_settings()
    admin.saw(admin.device.change_security_settings(**CONTRADICTIONS[what]))


@when(step(r"the administrator resets (?P<whose>the agent)'s two-factor authentication"))
def resets(cast, whose):
    admin = _admin(cast)
    outcome = admin.saw(admin.device.reset_two_factor(cast[handle(whose)].identity.email))
    assert outcome.state == DONE, f"The reset did not happen: {outcome}"


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
