"""The harness's own language: the methods it knows, the messages it compares, the step lookup cache."""

import pathlib
import re
import types

import pytest

from steps import methods, step_lookup
from steps.dsl import messages

STEPS = pathlib.Path(__file__).resolve().parents[2] / "steps"


def test_every_wording_of_a_method_names_that_method():
    for method in methods.METHODS:
        for words in method.words:
            assert methods.by_words(words.upper()) is method
        assert methods.by_key(method.key) is method and methods.by_label(method.label) is method


def test_an_unknown_wording_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match=r"Unknown method wording 'carrier pigeon'; known: .*authenticator app"):
        methods.by_words("carrier pigeon")


def test_a_code_page_is_read_as_the_method_it_speaks_of():
    assert methods.named_on_screen("Open your authenticator app and enter the code it shows.") is methods.AUTHENTICATOR
    assert methods.named_on_screen("We sent a code by SMS to +44 7700 900123.") is methods.SMS
    assert methods.named_on_screen("We sent a code to j***@example.com.") is methods.EMAIL


def test_allowing_only_some_methods_disallows_the_others():
    assert methods.only(methods.SMS) == {"email_allowed": False, "sms_allowed": True, "authenticator_allowed": False}


def test_every_message_a_step_names_is_in_the_catalogue():
    named = {m.group(1) for path in STEPS.rglob("*.py")
             for m in re.finditer(r"""(?:assert_(?:told|notified)\([^,]+,\s*|messages\.text\()"([a-z0-9-]+)\"""", path.read_text())}
    named |= {m.group(1) for module in ("enrolment_steps", "recovery_steps")
              for m in re.finditer(r'": "([a-z0-9-]+)"[,}]', (STEPS / "step_defs" / f"{module}.py").read_text())}
    assert named, "the steps name no message: the pattern above is out of date"
    assert named <= set(messages.catalogue()), f"not in spec/messages.toml: {sorted(named - set(messages.catalogue()))}"


def test_a_message_is_compared_whole():
    refused = messages.text("code-refused")
    assert messages.is_message(refused, "code-refused")
    assert not messages.is_message(refused + " Nothing was saved.", "code-refused")
    assert not messages.is_message(refused[:-1], "code-refused")


def test_the_varying_part_of_a_message_matches_any_value_unless_the_step_gives_one():
    shown = "A code was sent moments ago. You can ask for another in 30 seconds."
    assert messages.is_message(shown, "wait-before-new-code")
    assert messages.is_message(shown, "wait-before-new-code", seconds="30")
    assert not messages.is_message(shown, "wait-before-new-code", seconds="60")


def test_the_page_form_of_a_message_is_only_for_a_driver_that_shows_pages():
    page = "Email is not allowed for two-factor authentication by your administrator."
    assert messages.is_message(page, "email-not-allowed", shows_pages=True)
    assert not messages.is_message(page, "email-not-allowed", shows_pages=False)


class _Inbox:
    """The harness's SMTP server as a mailbox reads it: what arrived, by address."""

    def __init__(self):
        self.received = []

    def inbox(self, address):
        return list(self.received)


def _person_with_mail():
    from steps.dsl.abilities import Mailbox

    inbox = _Inbox()
    return types.SimpleNamespace(mailbox=Mailbox(inbox, "sam@example.com")), inbox.received


def _email(subject: str, body: str):
    from sut.adapters.local_smtp import ReceivedEmail

    return ReceivedEmail(to=("sam@example.com",), subject=subject, body=body)


OFF_SUBJECT = "HaloPSA: two-factor authentication is off"
OFF_BODY = "Two-factor authentication was turned off for your account.\r\n\r\nIf this was not you, contact your administrator at once.\r\n"


def test_a_notice_is_its_whole_subject_and_body_line_breaks_aside():
    person, received = _person_with_mail()
    received.append(_email(OFF_SUBJECT, OFF_BODY))
    messages.assert_notified(person, "notice-two-factor-off")


@pytest.mark.parametrize("subject, body", [
    (OFF_SUBJECT.upper(), OFF_BODY),
    ("Fwd: " + OFF_SUBJECT, OFF_BODY),
    (OFF_SUBJECT, OFF_BODY.replace("turned off", "TURNED OFF")),
    (OFF_SUBJECT, OFF_BODY.replace("\r\n\r\nIf this was not you, contact your administrator at once.", "")),
])
def test_a_notice_with_other_words_is_not_the_notice_and_the_failure_shows_what_arrived(subject, body):
    person, received = _person_with_mail()
    received.append(_email(subject, body))
    with pytest.raises(AssertionError, match="received 0 emails, not one") as failure:
        messages.assert_notified(person, "notice-two-factor-off")
    assert repr(subject) in str(failure.value) and "administrator" in str(failure.value)


def test_only_a_notice_that_came_after_the_action_began_counts_and_only_once():
    person, received = _person_with_mail()
    received.append(_email(OFF_SUBJECT, OFF_BODY))
    person.mailbox.mark()
    with pytest.raises(AssertionError, match="received 0 emails"):
        messages.assert_notified(person, "notice-two-factor-off")
    received.extend([_email(OFF_SUBJECT, OFF_BODY), _email(OFF_SUBJECT, OFF_BODY)])
    with pytest.raises(AssertionError, match="received 2 emails, not one"):
        messages.assert_notified(person, "notice-two-factor-off")


def test_a_notice_s_varying_part_is_the_value_the_step_knows():
    person, received = _person_with_mail()
    body = ("Too many wrong codes were entered for your account, so two-factor sign-in is locked for 15 minutes. "
            "Someone may know your password: change it.\n\nIf this was not you, contact your administrator at once.\n")
    received.append(_email("HaloPSA: two-factor sign-in is locked", body))
    messages.assert_notified(person, "notice-locked", how_long="for 15 minutes")
    with pytest.raises(AssertionError):
        messages.assert_notified(person, "notice-locked", how_long="until an administrator unlocks it")


def test_a_message_shown_on_screen_is_no_notice():
    person, _ = _person_with_mail()
    with pytest.raises(KeyError, match="no notice"):
        messages.assert_notified(person, "code-refused")


def test_an_unknown_message_id_names_the_known_ones():
    with pytest.raises(KeyError, match="code-refused"):
        messages.text("no-such-message")


def test_the_step_lookup_cache_installs_once_on_this_pytest_bdd():
    import importlib

    assert step_lookup.install() and step_lookup.install()
    assert getattr(importlib.import_module("pytest_bdd.scenario").find_fixturedefs_for_step, "twofa_cached", False)


def test_every_step_of_every_feature_has_exactly_one_definition():
    """pytest-bdd runs one of several matching definitions without a word: a pattern
    widened by a method's words must not swallow another step."""
    import importlib

    from pytest_bdd.steps import step_function_context_registry

    from twofa import gherkin
    from twofa.spec import FEATURES

    for module in ("people_steps", "time_steps", "login_steps", "enrolment_steps", "admin_steps", "session_steps", "ui_steps"):
        importlib.import_module(f"steps.step_defs.{module}")
    definitions = list(step_function_context_registry.values())
    kinds = {"Context": "given", "Action": "when", "Outcome": "then"}
    problems, checked = [], 0
    for path in sorted(FEATURES.glob("*.feature")):
        reader = gherkin.Reader()
        for pickle in reader.pickles(reader.parse(path.read_text(encoding="utf-8"), path.name)):
            for step in pickle["steps"]:
                checked += 1
                matching = {d.step_func.__qualname__ for d in definitions
                            if d.type == kinds[step["type"]] and d.parser.is_matching(step["text"])}
                if len(matching) != 1:
                    problems.append(f"{path.name}: {step['text']!r} -> {sorted(matching) or 'no definition'}")
    assert checked > 300, f"only {checked} steps read: the features were not found"
    assert not problems, "\n".join(sorted(set(problems)))
