"""The administrator's "Configuration > Advanced Settings > Security", and what follows from it.

Held as sets: the roles two-factor is allowed for and enforced for, the methods allowed, and
the methods that are a last resort (HaloPSA's 2faemailallowedifnoothermethods: offered only
to a person who can use no other allowed method). HaloPSA's field names (alluse2fa,
force_agent_2fa, ...) are read and written at the edges only (``sut.service_layer.settings_form``).
Defaults are recorded in spec/requirements.toml (SET-1).

The grace period (GitLab's "two-factor grace period", GitHub's deadline) gives a person to whom
enforcement applies some days to set a method up: it starts at their first sign-in under
enforcement (``Person.grace_started_at``), and until it ends they are reminded at each sign-in
and may skip. 0 days, the default, is the seed's enforcement: set-up at the next sign-in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from . import methods
from .errors import InvalidSettings
from .methods import Method
from .people import Person, Role


MAX_GRACE_DAYS = 90  # a quarter: beyond it, enforcement is not what the administrator means
GRACE_DAYS_REFUSED = f"The days to set up two-factor authentication are a whole number from 0 to {MAX_GRACE_DAYS}."


@dataclasses.dataclass(frozen=True)
class SecuritySettings:
    allowed_for: frozenset[Role] = frozenset({Role.AGENT})
    enforced_for: frozenset[Role] = frozenset()
    allowed_methods: frozenset[Method] = frozenset(methods.ALL)
    last_resort: frozenset[Method] = frozenset()
    grace_days: int = 0
    # HaloPSA's sso_bypass_2fa: a person an identity provider vouches for is signed in without
    # their second factor. Off: they are asked for it as after a password (issue 10 item 5).
    sso_skips_second_factor: bool = False

    def validate(self) -> "SecuritySettings":
        """Refuse settings that contradict each other, saying which and why."""
        problems = [f"Two-factor cannot be enforced for {role.value}s while it is not allowed for {role.value}s."
                    for role in Role if role in self.enforced_for and role not in self.allowed_for]
        if self.allowed_for and not self.allowed_methods:
            problems.append(f"Allow at least one method ({methods.in_words(methods.ALL)}) while two-factor is allowed.")
        if type(self.grace_days) is not int or not 0 <= self.grace_days <= MAX_GRACE_DAYS:
            problems.append(GRACE_DAYS_REFUSED)
        if problems:
            raise InvalidSettings(" ".join(problems))
        return self

    def is_allowed_for(self, person: Person) -> bool:
        return person.role in self.allowed_for

    def is_enforced_for(self, person: Person) -> bool:
        return person.role in self.enforced_for

    def methods_offered_to(self, person: Person) -> list[Method]:
        """The methods this person may set up, the authenticator app first (SMS is never the default)."""
        if not self.is_allowed_for(person):
            return []
        offered = methods.offer_order(self.allowed_methods)
        # A last resort gives way to any other allowed method: an authenticator can be
        # installed by anyone, SMS set up by anyone who types a number.
        others = [m for m in offered if m not in self.last_resort]
        return others or offered

    def grace_ends(self, person: Person) -> dt.datetime | None:
        """When the person's grace period ends; None while it has not started (or there is none)."""
        if not self.grace_days or person.grace_started_at is None:
            return None
        return person.grace_started_at + dt.timedelta(days=self.grace_days)

    def in_grace(self, person: Person, now: dt.datetime) -> bool:
        """Enforcement applies to a person without a method who may still skip the set-up: their
        grace period has not started (it starts at their next sign-in) or has not ended."""
        if not (self.grace_days and person.method is None and self.is_enforced_for(person)):
            return False
        ends = self.grace_ends(person)
        return ends is None or now < ends

    def must_set_up(self, person: Person, now: dt.datetime) -> bool:
        """True when the person must set up a method before reaching anything."""
        if person.method is None:
            return self.is_enforced_for(person) and not self.in_grace(person, now)
        # The person's method is no longer allowed: never drop it silently; a new one is needed.
        return self.is_allowed_for(person) and person.method not in self.methods_offered_to(person)


def in_words(moment: dt.datetime) -> str:
    """A deadline as a person reads it: "9 March 2026, 09:00 UTC"."""
    moment = moment.astimezone(dt.timezone.utc)
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def setup_reminder(ends: dt.datetime) -> str:
    return f"You must set up two-factor authentication by {in_words(ends)}. Until then you may skip it."
