"""How long a session lasts, and how fresh the password must be for an administrator's change.

ASVS 4.0.3 3.3.2 (level 2): re-authentication at least every 12 hours, or after 30 minutes
of inactivity. Both are configurable (``sut.config.Config``); these are the defaults.
ASVS 4.0.3 3.7.1 asks for re-authentication before sensitive changes without saying how
recent; 15 minutes is chosen (GitHub's "sudo mode" keeps 2 hours, which is long for the
settings that decide everyone's sign-in; it matches the lock and the set-up lifetimes here).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

IDLE_TIMEOUT = dt.timedelta(minutes=30)
LIFETIME = dt.timedelta(hours=12)
# Activity is written down at most this often: a session check stays a read.
ACTIVITY_GRANULARITY = dt.timedelta(minutes=1)
PASSWORD_FRESH_FOR = dt.timedelta(minutes=15)
# How long a remembered device skips the second step (REMEMBER-2): django-two-factor-auth's
# TWO_FACTOR_REMEMBER_COOKIE_AGE is likewise the deployment's; Microsoft Entra defaults to 90 days.
REMEMBER_DEVICE_FOR = dt.timedelta(days=30)


@dataclasses.dataclass(frozen=True)
class SessionPolicy:
    idle_timeout: dt.timedelta = IDLE_TIMEOUT
    lifetime: dt.timedelta = LIFETIME
    password_fresh_for: dt.timedelta = PASSWORD_FRESH_FOR
    remember_device_for: dt.timedelta = REMEMBER_DEVICE_FOR


@dataclasses.dataclass(frozen=True)
class Session:
    id: str  # the digest of the token the person holds
    person_id: int
    created_at: dt.datetime
    last_seen: dt.datetime
    password_at: dt.datetime  # when the password was last entered in this session


def is_expired(session: Session, now: dt.datetime, policy: SessionPolicy) -> bool:
    return now >= session.created_at + policy.lifetime or now >= session.last_seen + policy.idle_timeout


def needs_activity_recorded(session: Session, now: dt.datetime) -> bool:
    return now - session.last_seen >= ACTIVITY_GRANULARITY


def password_is_fresh(session: Session, now: dt.datetime, policy: SessionPolicy) -> bool:
    return now - session.password_at < policy.password_fresh_for
