"""Single sign-on: a person signs in through the identity provider the site trusts, and what
becomes of their second factor (HaloPSA's sso_bypass_2fa); assertions the site must refuse."""

import datetime as dt

from sut.adapters.identity_provider import TestIdentityProvider

from steps.drivers.base import SIGNED_IN
from steps.dsl import messages, questions

from ._grammar import then, when

NOT_TRUSTED = "an assertion from an identity provider this site does not trust"
EXPIRED = "an assertion that has expired"
ANOTHER_SITE = "an assertion for another site"
USED_BEFORE = "the agent's assertion used before"


def _assertion(system, email: str, nonce: str, which: str | None = None) -> str:
    """What the identity provider signs for a sign-in started with ``nonce`` (or a forgery of it)."""
    provider, now = system.identity_provider, dt.datetime.now(dt.timezone.utc)
    if which == NOT_TRUSTED:  # the same name, another key: a forgery
        return TestIdentityProvider(issuer=provider.issuer).sign_in(email, now, nonce=nonce)
    if which == EXPIRED:
        return provider.sign_in(email, now - provider.lifetime - dt.timedelta(minutes=1), nonce=nonce)
    if which == ANOTHER_SITE:
        return provider.sign_in(email, now, audience="another-site.example", nonce=nonce)
    return provider.sign_in(email, now, nonce=nonce)


def _signed_in_at_provider(system, actor, email: str, which: str | None = None) -> str:
    """The actor starts a sign-in on this site from their device, which sends them to the identity
    provider with a nonce; the provider signs them in as ``email``: its assertion."""
    return _assertion(system, email, actor.device.start_sign_in_through_identity_provider(), which)


@when(r"{WHO} signs in through the identity provider")
def signs_in_through_provider(stage, system, who):
    actor = stage.actor(who)
    actor.assertion = _signed_in_at_provider(system, actor, actor.identity.email)
    actor.saw(actor.device.sign_in_through_identity_provider(actor.assertion))


@when(r"{WHO} starts signing in through the identity provider")
def starts_signing_in(stage, who):
    stage.actor(who).device.start_sign_in_through_identity_provider()  # and has yet to sign in there


@when(r"{WHO} signs in to their own account through the identity provider, and a page of theirs sends that "
      r"sign-in to (?P<whose>the agent)'s browser")
def own_sign_in_sent_to(stage, system, who, whose):
    """Login CSRF: a person's own fresh assertion, from a sign-in started on their own device,
    posted from a page they control by the browser of another person who visits it."""
    sender, victim = stage.actor(who), stage.actor(whose)
    assertion = _signed_in_at_provider(system, sender, sender.identity.email)
    victim.saw(victim.device.sign_in_through_identity_provider(assertion))


@when(r"someone signs in as (?P<whose>the agent) with (?P<which>" + "|".join([NOT_TRUSTED, EXPIRED, ANOTHER_SITE, USED_BEFORE]) + ")")
def someone_signs_in_with(stage, system, whose, which):
    victim, stranger = stage.actor(whose), stage.stranger()
    assertion = victim.assertion if which == USED_BEFORE else \
        _signed_in_at_provider(system, stranger, victim.identity.email, which)
    stranger.saw(stranger.device.sign_in_through_identity_provider(assertion))


@when(r"someone signs in through the identity provider as a person who has no account")
def someone_without_account(stage, system):
    stranger = stage.stranger()
    assertion = _signed_in_at_provider(system, stranger, "nobody@accounts.invalid")
    stranger.saw(stranger.device.sign_in_through_identity_provider(assertion))


@then(r"{WHO} is told the sign-in from the identity provider was not started here")
def told_not_started(stage, who):
    messages.assert_told(stage.actor(who), "sso-not-started")


@then(r"someone is not signed in")
def stranger_not_signed_in(stage):
    stranger = stage.stranger()
    assert not (stranger.outcome and stranger.outcome.state == SIGNED_IN), f"{stranger!r} is signed in: {stranger.outcome}"
    assert not questions.can_reach_home(stranger), f"{stranger!r} can reach a home page."
