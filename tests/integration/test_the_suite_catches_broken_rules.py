"""The acceptance suite is not hollow: each rule of the app, broken by name at run time
(bench/named_mutations.py: constants and functions, no source text), fails a scenario of the
domain driver. The full mutation test is a benchmark: bench/mutation_bench.py (mutmut)."""

import pytest

from bench.named_mutations import MUTATIONS, try_all

# Its tests share a fixture that runs the suite: one xdist worker makes it once (twofa test).
pytestmark = pytest.mark.xdist_group("named-mutations")


# Session scope: on an xdist worker the group's tests may be interleaved with other modules,
# and a module fixture is torn down and made again each time its module is re-entered.
@pytest.fixture(scope="session")
def results():
    return {name: (caught, failed) for name, caught, failed in try_all(["domain"])}


@pytest.mark.parametrize("name", MUTATIONS)
def test_a_broken_rule_fails_a_scenario(results, name):
    caught, failed = results[name]
    assert caught, f"Nothing failed when {MUTATIONS[name].breaks}"
