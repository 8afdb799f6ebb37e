from hypothesis import settings

# A gate must not flake: Hypothesis draws the same examples on every run (derandomize),
# keeps no example database between runs, and has no deadline on a busy 2-core machine.
settings.register_profile("deterministic", derandomize=True, database=None, deadline=None, max_examples=200)
settings.load_profile("deterministic")
