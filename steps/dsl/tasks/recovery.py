"""Recovery codes: the person's saved sheet, used in place of a code, made anew."""

from __future__ import annotations

from steps.drivers.base import CODE_REQUIRED, Outcome
from steps.dsl.actors import Actor
from steps.methods import RECOVERY_CODE, SecondFactor

from .signing_in import log_in_with_code


def spent_code(actor: Actor, replaced: bool) -> str:
    """A code the person has on paper that no longer works: crossed off, or of a replaced set."""
    sheet = actor.recovery_sheet
    if replaced:
        return sheet.from_replaced_set()
    assert sheet.crossed_off, "The person has used no recovery code yet."
    return sheet.crossed_off[-1]


def wrong_codes(actor: Actor, count: int) -> list[str]:
    """Codes of the right form that are on no sheet of the person: each hexadecimal digit shifted."""
    assert actor.recovery_sheet.current, "The person has no recovery codes saved."
    base = actor.recovery_sheet.current[0].replace("-", "")
    known = {c.replace("-", "") for s in (actor.recovery_sheet.current, *actor.recovery_sheet.replaced) for c in s}
    shifted = ("".join(f"{(int(ch, 16) + n) % 16:x}" for ch in base) for n in range(1, 16))
    return [c for c in shifted if c not in known][:count]


def sign_in_with_recovery_code(actor: Actor) -> Outcome:
    return log_in_with_code(actor, RECOVERY_CODE)


def make_new_codes(actor: Actor, source: SecondFactor | None) -> Outcome:
    """The password, then a code of the current method (``None``: a wrong code)."""
    outcome = actor.saw(actor.device.new_recovery_codes(actor.identity.password))
    if outcome.state != CODE_REQUIRED:
        return outcome
    code = actor.wrong_codes(1)[0] if source is None else actor.code_by(source)
    actor.last_code = code
    return actor.saw(actor.device.confirm_new_recovery_codes(code))
