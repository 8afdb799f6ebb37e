"""The acceptance suite is not hollow: each rule of the app, broken on purpose in a scratch
copy, makes a scenario fail (bench/mutation_smoke.py has the list of mutations)."""

from bench.mutation_smoke import run


def test_every_mutation_of_the_rules_is_caught_by_the_domain_scenarios(capsys):
    survivors = run(["domain"])
    report = capsys.readouterr().out
    assert survivors == 0, report
