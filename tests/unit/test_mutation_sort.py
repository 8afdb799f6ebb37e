"""bench/mutation_bench.py sorts what survived by what would kill it. A message mutant counts
against the Then steps only where a scenario shows that message; the sort must not blame them
for messages of situations no feature reaches."""

from bench.mutation_equivalents import MESSAGE_SHOWN, MESSAGE_UNSHOWN, OTHER, kind_of_gap

SHOWN = 'text = "Too many codes were sent to this account. Try again in {minutes} minutes."\nsubject = "two-factor authentication is on"'


def test_a_mutated_message_a_scenario_shows_is_a_weak_then_step():
    line = 'self._notify(person, "two-factor authentication is on",  ->  self._notify(person, "XXtwo-factor authentication is onXX",'
    assert kind_of_gap(line, SHOWN) == MESSAGE_SHOWN


def test_an_f_string_is_matched_by_its_words_before_the_first_placeholder():
    line = ('raise RateLimited(f"Too many codes were sent to this account. Try again in {minutes} minute{\'s\' if m}.")  ->  '
            'raise RateLimited(f"Too many codes were sent to this account. Try again in {minutes} minute{\'XXsXX\' if m}.")')
    assert kind_of_gap(line, SHOWN) == MESSAGE_SHOWN


def test_a_mutated_message_no_scenario_shows_is_a_missing_situation():
    line = 'raise NotFound("No such person.")  ->  raise NotFound("XXNo such person.XX")'
    assert kind_of_gap(line, SHOWN) == MESSAGE_UNSHOWN


def test_a_changed_rule_is_not_a_message():
    line = "return now < self.expires_at  ->  return now <= self.expires_at"
    assert kind_of_gap(line, SHOWN) == OTHER


def test_a_function_the_module_calls_at_import_is_told_apart():
    """settings_form builds its table of fields at import: mutmut cannot switch those mutants on."""
    from bench.mutation_bench import made_at_import

    assert made_at_import("sut.service_layer.settings_form.x__member__mutmut_3")
    assert not made_at_import("sut.service_layer.settings_form.x_changed__mutmut_1")  # called by a use case
    assert not made_at_import("sut.service_layer.login.xǁLoginǁbegin__mutmut_12")  # a method
