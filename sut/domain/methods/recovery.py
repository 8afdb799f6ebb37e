"""Recovery codes (NIST SP 800-63B 5.1.2, look-up secrets): ten codes shown once when two-factor
authentication is set up, each usable once in place of a code, at the second step or to
replace one's factor. Not a method one chooses: a backup that comes with every method.

Each code is 16 hexadecimal characters from a CSPRNG (64 bits, NIST 63B 5.1.2.1's minimum,
as GitLab's 16 hex digits), shown in groups of four; only a keyed hash is kept (HMAC-SHA-256
with the app's key, like the emailed codes), so a stolen database reveals none.
"""

from __future__ import annotations

import re
import secrets

from ..errors import InvalidCode, MalformedCode
from .base import Kind, Method

COUNT = 10  # GitLab, GitHub (16), Keycloak (12), django-two-factor-auth (10)
FEW = 3  # the person is told when this many are left (GitLab warns on the last ones too)
_HEX_CHARS = 16
_CODE = re.compile(r"[0-9a-f]{16}")
USED = "That recovery code has already been used. Each recovery code works once: use another."
VOIDED = "That recovery code is from a set that was replaced. Use a code from your newest set."
MALFORMED = "A recovery code has 16 letters and digits, like 1a2b-3c4d-5e6f-7a8b. Check it and enter it again."


class RecoveryCode(Method):
    __slots__ = ()
    value = "recovery_code"
    label = "Recovery code"
    in_a_sentence = "recovery code"
    kind = Kind.LOOKUP_SECRET
    preference = 9  # never offered as one's method
    hint = "Use one of the recovery codes you saved when you set up two-factor authentication."
    allow_label = ""
    confirm_instruction = ""
    shown_by = "your saved recovery codes"

    @staticmethod
    def new_codes() -> list[str]:
        return [secrets.token_hex(_HEX_CHARS // 2) for _ in range(COUNT)]

    @staticmethod
    def shown(code: str) -> str:
        """'1a2b-3c4d-5e6f-7a8b': four groups, easier to copy by hand."""
        return "-".join(code[i:i + 4] for i in range(0, len(code), 4))

    @staticmethod
    def looks_like(typed: str) -> bool:
        """Typed text that is meant as a recovery code rather than a 6-digit one: longer than 8
        characters without spaces and dashes (a short slip such as '12ab56' is a mistyped code)."""
        return len(re.sub(r"[\s\-]", "", str(typed or ""))) > 8

    @staticmethod
    def normalise(typed: str) -> str:
        cleaned = re.sub(r"[\s\-]", "", str(typed or "")).lower()
        if not _CODE.fullmatch(cleaned):
            raise MalformedCode(MALFORMED)
        return cleaned

    def refusal(self, verdict):
        from ..challenges import Verdict

        if verdict is Verdict.REPLAYED:
            return InvalidCode(USED)
        if verdict is Verdict.VOIDED:
            return InvalidCode(VOIDED)
        return InvalidCode()


RECOVERY_CODE = RecoveryCode()
