"""The administrator's security settings and the lost-phone reset, done through the product."""

import re

from steps.dsl import messages
from steps.dsl.tasks import administering
from steps.methods import AUTHENTICATOR, METHODS, SMS, only

from ._grammar import then, when

ENFORCE = {
    "all agents": {"enforce_for_agents": True},
    "all users": {"enforce_for_users": True},
    "all agents and users": {"enforce_for_agents": True, "enforce_for_users": True},
}
CHANGES = {
    "allows two-factor authentication for users": {"allow_for_users": True},
    "stops enforcing two-factor authentication for all agents": {"enforce_for_agents": False},
    "allows only authenticator apps": only(AUTHENTICATOR),
    "allows email only when no other method is available": {"email_only_if_no_other": True},
    "disallows SMS codes and authenticator apps": {SMS.setting: False, AUTHENTICATOR.setting: False},
    "disallows SMS codes": {SMS.setting: False},
    "lets people who sign in through the identity provider skip two-factor authentication": {"sso_bypass_2fa": True},
}
CONTRADICTIONS = {
    "enforce two-factor authentication for all users while not allowing it": {"allow_for_users": False, "enforce_for_users": True},
    "disallow every method while two-factor authentication is allowed": only(),
}
ATTEMPTS = {**CONTRADICTIONS, "allow two-factor authentication for users": {"allow_for_users": True}}
LOCK_STATES = {"locked": "Locked", "locked until unlocked": "Locked until unlocked", "not locked": "No"}


@when(r"the administrator enforces two-factor authentication for (?P<whom>all agents and users|all agents|all users)")
def enforces(stage, whom):
    administering.change_settings(stage.actor("administrator"), ENFORCE[whom])


@when(r"the administrator (?P<change>" + "|".join(CHANGES) + ")")
def changes_settings(stage, change):
    administering.change_settings(stage.actor("administrator"), CHANGES[change])


@when(r"the administrator gives (?P<n>\d+) days? to set up two-factor authentication")
def gives_days(stage, n):
    administering.change_settings(stage.actor("administrator"), {"enforcement_grace_days": n})


@when(r"the administrator looks at the security settings")
def looks_at_settings(stage):
    administering.look_at_settings(stage.actor("administrator"))


GIVE_DAYS = re.compile(r"give (?P<days>-?\d+) days to set up two-factor authentication")


@when(r"the administrator tries to (?P<what>.+)", target_fixture="settings_before")
def tries_change(stage, what):
    days = GIVE_DAYS.fullmatch(what)
    changes = {"enforcement_grace_days": int(days["days"])} if days else ATTEMPTS[what]
    return administering.try_to_change_settings(stage.actor("administrator"), changes)


@when(r"the administrator resets (?P<whose>the agent)'s two-factor authentication")
def resets(stage, whose):
    administering.reset_two_factor(stage.actor("administrator"), stage.actor(whose))


@when(r"the administrator unlocks (?P<whose>the agent)'s second step")
def unlocks(stage, whose):
    administering.unlock_second_step(stage.actor("administrator"), stage.actor(whose))


@when(r"the administrator enters their password again")
def enters_password_again(stage):
    administering.enter_password_again(stage.actor("administrator"))


@when(r"the administrator reads the audit trail of (?P<whose>the agent)", target_fixture="audit_trail")
def reads_audit_trail(stage, whose):
    return administering.audit_trail(stage.actor("administrator"), stage.actor(whose))


@when(r"{WHO} tries to reset (?P<whose>the agent)'s two-factor authentication")
def tries_reset(stage, who, whose):
    administering.try_to_reset_two_factor(stage.actor(who), stage.actor(whose))


# --- what the administrator sees ---------------------------------------------------------
@then(r"the administrator sees that (?P<whose>the agent)'s second step is (?P<state>locked until unlocked|locked|not locked)")
def sees_lock_state(stage, whose, state):
    shown = administering.lock_state(stage.actor("administrator"), stage.actor(whose))
    assert shown == LOCK_STATES[state], f"The administrator sees {shown!r}, expected {LOCK_STATES[state]!r}."


@then(r"the administrator is asked for their password again")
def asked_for_password(stage):
    messages.assert_told(stage.actor("administrator"), "password-again")


@then(r"the audit trail reads, newest first:")
def audit_trail_reads(stage, audit_trail, datatable):
    header, *rows = datatable
    expected = [(entry["what"], device.address, device.user_agent)
                for entry in (dict(zip(header, row)) for row in rows)
                for device in [_device_named(stage, entry["from"])]]
    seen = [(line.what, line.address, line.user_agent) for line in audit_trail[:len(expected)]]
    assert seen == expected, f"The audit trail begins {seen}, expected {expected}"


def _device_named(stage, words):
    """"the agent's device", "the agent's other device", "someone's device"."""
    who, _, which = words.partition("'s ")
    actor = stage.actor(who.removeprefix("the "))
    return actor.other_device if which == "other device" else actor.device


@then(r"the security settings are unchanged")
def settings_unchanged(stage, settings_before):
    assert administering.settings(stage.actor("administrator")) == settings_before


@then(r"two-factor authentication is (?P<negation>not )?allowed for (?P<whom>agents|users)")
def allowed_for(stage, negation, whom):
    settings = administering.settings(stage.actor("administrator"))
    assert settings[f"allow_for_{whom}"] is (not negation), settings


@then(r"two-factor authentication is not enforced for anybody")
def enforced_for_nobody(stage):
    settings = administering.settings(stage.actor("administrator"))
    assert not settings["enforce_for_agents"] and not settings["enforce_for_users"], settings


@then(r"people have (?P<n>\d+) days to set up two-factor authentication once it is enforced")
def days_to_set_up(stage, n):
    settings = administering.settings(stage.actor("administrator"))
    assert settings["enforcement_grace_days"] == n, settings


@then(r"email codes, SMS codes and authenticator apps are allowed")
def all_methods_allowed(stage):
    settings = administering.settings(stage.actor("administrator"))
    assert all(settings[m.setting] for m in METHODS) and not settings["email_only_if_no_other"], settings
