"""The administrator's "Configuration > Advanced Settings > Security", and what follows from it.

Field names follow HaloPSA's public API (alluse2fa, ualluse2fa, force_agent_2fa, ...), read
as plain English. Defaults are recorded in spec/requirements.toml (SET-1).
"""

from __future__ import annotations

import dataclasses

from .errors import InvalidSettings
from .methods import Method
from .people import Person, Role


@dataclasses.dataclass(frozen=True)
class SecuritySettings:
    allow_for_agents: bool = True
    allow_for_users: bool = False
    enforce_for_agents: bool = False
    enforce_for_users: bool = False
    email_allowed: bool = True
    sms_allowed: bool = True
    authenticator_allowed: bool = True
    # HaloPSA's 2faemailallowedifnoothermethods: email is a last resort, offered only to a
    # person who can use no other allowed method.
    email_only_if_no_other: bool = False

    def validate(self) -> "SecuritySettings":
        """Refuse settings that contradict each other, saying which and why."""
        problems = []
        if self.enforce_for_agents and not self.allow_for_agents:
            problems.append("Two-factor cannot be enforced for agents while it is not allowed for agents.")
        if self.enforce_for_users and not self.allow_for_users:
            problems.append("Two-factor cannot be enforced for users while it is not allowed for users.")
        if (self.allow_for_agents or self.allow_for_users) and not self.allowed_methods():
            problems.append("Allow at least one method (email, SMS or authenticator app) while two-factor is allowed.")
        if problems:
            raise InvalidSettings(" ".join(problems))
        return self

    def allowed_methods(self) -> list[Method]:
        flags = {
            Method.AUTHENTICATOR: self.authenticator_allowed,
            Method.EMAIL: self.email_allowed,
            Method.SMS: self.sms_allowed,
        }
        return [m for m, on in flags.items() if on]

    def is_allowed_for(self, person: Person) -> bool:
        return self.allow_for_agents if person.role is Role.AGENT else self.allow_for_users

    def is_enforced_for(self, person: Person) -> bool:
        return self.enforce_for_agents if person.role is Role.AGENT else self.enforce_for_users

    def methods_offered_to(self, person: Person) -> list[Method]:
        """The methods this person may set up, the authenticator app first (SMS is never the default)."""
        if not self.is_allowed_for(person):
            return []
        offered = self.allowed_methods()
        if self.email_only_if_no_other and Method.EMAIL in offered:
            # An authenticator can be installed by anyone; SMS can be set up by anyone who
            # types a number. Either one, when allowed, makes email unavailable.
            if any(m is not Method.EMAIL for m in offered):
                offered.remove(Method.EMAIL)
        return offered

    def must_set_up(self, person: Person) -> bool:
        """True when the person must set up a method before reaching anything."""
        if person.method is None:
            return self.is_enforced_for(person)
        # The person's method is no longer allowed: never drop it silently; a new one is needed.
        return self.is_allowed_for(person) and person.method not in self.methods_offered_to(person)

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in dataclasses.fields(cls)]

    def as_dict(self) -> dict[str, bool]:
        return dataclasses.asdict(self)

    def changed(self, **changes: bool) -> "SecuritySettings":
        unknown = set(changes) - set(self.field_names())
        if unknown:
            raise InvalidSettings(f"Unknown security setting(s): {', '.join(sorted(unknown))}.")
        not_bool = [k for k, v in changes.items() if not isinstance(v, bool)]
        if not_bool:
            raise InvalidSettings(f"Security settings are on or off: {', '.join(sorted(not_bool))} must be true or false.")
        return dataclasses.replace(self, **changes).validate()
