"""The audit trail: what happened to whom, when, from where (ASVS 4.0.3 7.1.3, 7.1.4; ASVS 5 16.3.1).

Each event has a stable name (stored, and in the API) and a label for the administrator's page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

LABELS = {
    "login_failed": "Wrong password",
    "login_throttled": "Sign-in refused: too many failed sign-ins",
    "code_required": "Password accepted, code asked for",
    "code_sent": "Code sent",
    "wrong_code": "Wrong code",
    "code_replayed": "Code used before (replay)",
    "code_resubmitted": "Same code sent twice (ignored)",
    "refused_while_locked": "Code refused: second step locked",
    "locked": "Second step locked for 15 minutes",
    "held": "Second step locked until an administrator unlocks it",
    "unlocked": "Second step unlocked by an administrator",
    "second_factor_passed": "Code accepted",
    "recovery_code_used": "Recovery code used",
    "recovery_codes_regenerated": "New recovery codes made",
    "setup_required": "Set-up required",
    "setup_reminded": "Signed in during the grace period, reminded to set up",
    "signed_in": "Signed in",
    "sso_accepted": "Identity provider's sign-in accepted",
    "sso_refused": "Identity provider's sign-in refused",
    "sso_replayed": "Identity provider's sign-in used before (replay)",
    "signed_out": "Signed out",
    "sign_in_cancelled": "Sign-in cancelled",
    "two_factor_enabled": "Two-factor authentication turned on",
    "two_factor_disabled": "Two-factor authentication turned off",
    "two_factor_reset": "Two-factor authentication reset by an administrator",
    "settings_changed": "Security settings changed",
    "password_confirmed": "Password entered again",
    "password_refused": "Wrong password entered again",
    "password_reset_asked": "Password reset link sent",
    "password_reset": "Password changed with a reset link; signed out everywhere",
}


@dataclasses.dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    person_id: int | None
    person_email: str | None
    event: str
    detail: str
    address: str
    user_agent: str

    @property
    def label(self) -> str:
        return LABELS.get(self.event, self.event.replace("_", " ").capitalize())
