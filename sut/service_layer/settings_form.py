"""The security settings as HaloPSA names them (its API's alluse2fa, force_agent_2fa, ...,
read as plain English) and as the administrator's form labels them: the one place those names
live. The pages, the JSON API and the use cases' callers speak them; the domain holds sets
(``sut.domain.settings``). A new method brings its own field, ``<method>_allowed``.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from sut.domain import methods
from sut.domain.errors import InvalidSettings
from sut.domain.methods import Method
from sut.domain.people import Role
from sut.domain.settings import GRACE_DAYS_REFUSED, SecuritySettings


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    label: str
    read: Callable[[SecuritySettings], bool | int]
    write: Callable[[SecuritySettings, bool | int], SecuritySettings]
    kind: str = "on_off"  # a checkbox; "days": a whole number of days


def _with(settings: SecuritySettings, attribute: str, member, on: bool) -> SecuritySettings:
    members = getattr(settings, attribute)
    return dataclasses.replace(settings, **{attribute: members | {member} if on else members - {member}})


def _member(attribute: str, member, name: str, label: str) -> Field:
    """A checkbox that says whether ``member`` is in the set ``attribute`` of the settings."""
    return Field(name, label, lambda s: member in getattr(s, attribute), lambda s, on: _with(s, attribute, member, on))


def _method_allowed(method: Method) -> Field:
    return _member("allowed_methods", method, f"{method.value}_allowed", method.allow_label)


FIELDS: tuple[Field, ...] = (
    _member("allowed_for", Role.AGENT, "allow_for_agents", "Allow two-factor authentication for agents"),
    _member("allowed_for", Role.USER, "allow_for_users", "Allow two-factor authentication for users"),
    _member("enforced_for", Role.AGENT, "enforce_for_agents", "Enforce two-factor authentication for all agents"),
    _member("enforced_for", Role.USER, "enforce_for_users", "Enforce two-factor authentication for all users"),
    *(_method_allowed(m) for m in methods.ALL),
    # HaloPSA's 2faemailallowedifnoothermethods
    _member("last_resort", methods.EMAIL, "email_only_if_no_other", "Allow email only when no other method is available"),
    Field("sso_bypass_2fa", "People who sign in through single sign-on skip two-factor authentication",
          lambda s: s.sso_skips_second_factor, lambda s, on: dataclasses.replace(s, sso_skips_second_factor=on)),
    # GitLab's two_factor_grace_period (in hours there), GitHub's deadline: 0 is the seed's enforcement.
    Field("enforcement_grace_days", "Days to set up two-factor authentication once enforced",
          lambda s: s.grace_days, lambda s, days: dataclasses.replace(s, grace_days=days), kind="days"),
)
NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
_BY_NAME = {f.name: f for f in FIELDS}


@dataclasses.dataclass(frozen=True)
class SettingsForm:
    """The settings as the form and the API show them: each field on or off, or its number."""

    values: dict[str, bool | int]

    @classmethod
    def of(cls, settings: SecuritySettings) -> "SettingsForm":
        return cls({f.name: f.read(settings) for f in FIELDS})

    def as_dict(self) -> dict[str, bool | int]:
        return dict(self.values)

    def __getattr__(self, name: str) -> bool:
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None


def changed(settings: SecuritySettings, changes: dict[str, bool | int]) -> SecuritySettings:
    """The settings with these fields changed, validated whole; unknown names and non-booleans refused."""
    unknown = set(changes) - set(NAMES)
    if unknown:
        raise InvalidSettings(f"Unknown security setting(s): {', '.join(sorted(unknown))}.")
    not_bool = [k for k, v in changes.items() if _BY_NAME[k].kind == "on_off" and not isinstance(v, bool)]
    if not_bool:
        raise InvalidSettings(f"Security settings are on or off: {', '.join(sorted(not_bool))} must be true or false.")
    if any(_BY_NAME[k].kind == "days" and type(v) is not int for k, v in changes.items()):
        raise InvalidSettings(GRACE_DAYS_REFUSED)
    for name, on in changes.items():
        settings = _BY_NAME[name].write(settings, on)
    return settings.validate()
