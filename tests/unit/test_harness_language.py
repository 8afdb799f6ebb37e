"""The harness's own language: the methods it knows, the messages it compares, the step lookup cache."""

import pathlib
import re

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
             for m in re.finditer(r"""(?:assert_told\([^,]+,\s*|messages\.text\()"([a-z0-9-]+)\"""", path.read_text())}
    named |= {m.group(1) for m in re.finditer(r'": "([a-z0-9-]+)",', (STEPS / "step_defs" / "enrolment_steps.py").read_text())}
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
