"""The closed forms the studies are checked against, and the confidence interval of a share.

Small on purpose: a Wilson score interval is six lines, so scipy would not pay for itself.
"""

from __future__ import annotations

import math
import statistics

Z95 = statistics.NormalDist().inv_cdf(0.975)  # 1.96


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a share (95% by default); good near 0 and 1 too."""
    if trials <= 0:
        return 0.0, 1.0
    share = successes / trials
    denominator = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def chance_per_guess(digits: int, window: int) -> float:
    """One uniform guess against the codes of 2·window+1 time steps, each uniform over
    10^digits values (RFC 4226's truncation): 1 - (1 - 10^-d)^(2w+1), about (2w+1)/10^d."""
    return -math.expm1((2 * window + 1) * math.log1p(-(10.0 ** -digits)))


def chance_within(guesses: float, per_guess: float) -> float:
    """At least one success in ``guesses`` independent guesses: 1 - (1 - p)^n."""
    return -math.expm1(guesses * math.log1p(-per_guess)) if guesses > 0 else 0.0


def guesses_by(seconds: float, *, max_wrong: int, lock_seconds: float, seconds_per_guess: float,
               cap: int | None, unlock_after_seconds: float) -> float:
    """How many guesses the lock lets an attacker make in their first ``seconds``, in closed form.

    A round is ``max_wrong`` guesses ``seconds_per_guess`` apart, then the lock. With a cap, the
    ``cap``-th wrong code in a row holds the account until an administrator unlocks it
    ``unlock_after_seconds`` later (0: never), and the counts start again.
    """
    round_seconds = (max_wrong - 1) * seconds_per_guess + lock_seconds

    def uncapped(t: float) -> float:  # guesses made strictly before t
        rounds, rest = divmod(t, round_seconds)
        in_round = (math.ceil(rest / seconds_per_guess) if seconds_per_guess else max_wrong) if rest > 0 else 0
        return rounds * max_wrong + min(max_wrong, in_round)

    if not cap:
        return uncapped(seconds)
    locks_before_cap = (cap - 1) // max_wrong
    time_to_cap = locks_before_cap * round_seconds + (cap - 1 - locks_before_cap * max_wrong) * seconds_per_guess
    if not unlock_after_seconds:
        return min(cap, uncapped(seconds))
    cycle = time_to_cap + unlock_after_seconds
    cycles, rest = divmod(seconds, cycle)
    return cycles * cap + min(cap, uncapped(rest))
