"""Single sign-on: a person signs in through the identity provider the site trusts, and what
becomes of their second factor (HaloPSA's sso_bypass_2fa); assertions the site must refuse."""

import datetime as dt

from sut.adapters.identity_provider import TestIdentityProvider

from steps.drivers.base import SIGNED_IN
from steps.dsl import questions

from ._grammar import then, when

NOT_TRUSTED = "an assertion from an identity provider this site does not trust"
EXPIRED = "an assertion that has expired"
ANOTHER_SITE = "an assertion for another site"
USED_BEFORE = "the agent's assertion used before"


def _assertion(system, email: str, which: str | None = None) -> str:
    provider, now = system.identity_provider, dt.datetime.now(dt.timezone.utc)
    if which == NOT_TRUSTED:  # the same name, another key: a forgery
        return TestIdentityProvider(issuer=provider.issuer).sign_in(email, now)
    if which == EXPIRED:
        return provider.sign_in(email, now - provider.lifetime - dt.timedelta(minutes=1))
    if which == ANOTHER_SITE:
        return provider.sign_in(email, now, audience="another-site.example")
    return provider.sign_in(email, now)


@when(r"{WHO} signs in through the identity provider")
def signs_in_through_provider(stage, system, who):
    actor = stage.actor(who)
    actor.assertion = _assertion(system, actor.identity.email)
    actor.saw(actor.device.sign_in_through_identity_provider(actor.assertion))


@when(r"someone signs in as (?P<whose>the agent) with (?P<which>" + "|".join([NOT_TRUSTED, EXPIRED, ANOTHER_SITE, USED_BEFORE]) + ")")
def someone_signs_in_with(stage, system, whose, which):
    victim = stage.actor(whose)
    assertion = victim.assertion if which == USED_BEFORE else _assertion(system, victim.identity.email, which)
    stranger = stage.stranger()
    stranger.saw(stranger.device.sign_in_through_identity_provider(assertion))


@when(r"someone signs in through the identity provider as a person who has no account")
def someone_without_account(stage, system):
    stranger = stage.stranger()
    stranger.saw(stranger.device.sign_in_through_identity_provider(_assertion(system, "nobody@accounts.invalid")))


@then(r"someone is not signed in")
def stranger_not_signed_in(stage):
    stranger = stage.stranger()
    assert not (stranger.outcome and stranger.outcome.state == SIGNED_IN), f"{stranger!r} is signed in: {stranger.outcome}"
    assert not questions.can_reach_home(stranger), f"{stranger!r} can reach a home page."
