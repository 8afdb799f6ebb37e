"""Recovery codes: shown once, each used once in place of a code, made anew, voided."""

import re

from steps.drivers.base import CODE_REQUIRED, REFUSED, SIGNED_IN
from steps.dsl import messages
from steps.dsl.tasks import recovery, signing_in

from ._grammar import then, when

# As the page and the API show them: four groups of four hexadecimal characters (64 bits).
_SHOWN = re.compile(r"[0-9a-f]{4}(?:-[0-9a-f]{4}){3}")
RECOVERY_NOTICES = {"a recovery code was used": "notice-recovery-code-used",
                    "new recovery codes were made": "notice-new-recovery-codes"}


@then(r"{WHO} is shown (?P<n>\d+) different recovery codes of 16 letters and digits")
def shown_recovery_codes(stage, who, n):
    shown = stage.actor(who).outcome.recovery_codes
    assert len(shown) == n and len(set(shown)) == n, f"{n} different recovery codes were expected, shown: {shown}"
    malformed = [c for c in shown if not _SHOWN.fullmatch(c)]
    assert not malformed, f"Recovery codes not of 16 letters and digits in groups of four: {malformed}"


@when(r"{WHO} logs in with their password and (?P<which>the recovery code they used before|a recovery code from the set that was replaced)")
def logs_in_with_spent_code(stage, who, which):
    actor = stage.actor(who)
    outcome = signing_in.log_in(actor)
    assert outcome.state == CODE_REQUIRED, f"Expected the code step: {outcome}"
    actor.enter_code(recovery.spent_code(actor, replaced="replaced" in which))


@when(r"{WHO} proves it with the recovery code they used before")
def proves_with_used_code(stage, who):
    actor = stage.actor(who)
    actor.prove_current_method(recovery.spent_code(actor, replaced=False))


@when(r"{WHO} enters (?P<n>\d+) wrong recovery codes")
def enters_wrong_recovery_codes(stage, who, n):
    actor = stage.actor(who)
    for code in recovery.wrong_codes(actor, n):
        outcome = actor.enter_code(code)
        assert outcome.state == REFUSED, f"A wrong recovery code was not refused: {outcome}"


@when(r"{WHO} (?P<tries>makes|tries to make) new recovery codes with their password and (?:{CODE_SOURCE}|(?P<wrong>a wrong code))")
def makes_new_codes(stage, who, tries, source, wrong):
    outcome = recovery.make_new_codes(stage.actor(who), None if wrong else source)
    if tries == "makes":
        assert outcome.recovery_codes, f"No new recovery codes were shown: {outcome}"


@when(r"{WHO} signs in with a recovery code (?P<n>\d+) times")
def signs_in_with_recovery_codes(stage, who, n):
    actor = stage.actor(who)
    for _ in range(n):
        assert recovery.sign_in_with_recovery_code(actor).state == SIGNED_IN, f"Not signed in: {actor.outcome}"
        signing_in.sign_out(actor)


@then(r"{WHO} receives an email saying (?P<what>a recovery code was used|new recovery codes were made)")
def receives_recovery_notice(stage, who, what):
    messages.assert_notified(stage.actor(who), RECOVERY_NOTICES[what])


@then(r"{WHO} receives an email saying (?P<left>\d+ recovery codes?) (?:are|is) left")
def receives_few_left_notice(stage, who, left):
    messages.assert_notified(stage.actor(who), "notice-few-recovery-codes-left", left=left)
