"""Study 1: online guessing of the second step by an attacker who has the password.

Three parts, all against the real rules (``reference_rules``):
1. The attacker model checked where success is frequent: authenticator codes shortened to
   ``validation_digits`` in the app's own check, many victims, the share guessed within n
   guesses against the closed form 1 - (1 - p)^n, with Wilson 95% intervals.
2. The guess rate each policy allows, measured: the attacker guesses as fast as the app
   lets them for ``simulated_days`` of simulated time, waiting out each lock as the app's
   message says, and an administrator unlocks a held account after a while.
3. The 6-digit chance against time: the validated model, fed with the measured guess
   counts (a direct Monte Carlo estimate would need millions of guesses per point).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from . import charts, stats
from . import reference_rules as rules
from .study import QUIET, Figure, StudyResult

DAY = 86400.0


@dataclasses.dataclass
class Attack:
    guesses: int = 0
    successes: int = 0
    first_success_at_guess: int | None = None
    guesses_by_day: list[int] = dataclasses.field(default_factory=list)  # cumulative, at the end of each day
    held: int = 0
    locks: int = 0


def attack(app: rules.ReferenceApp, victim: str, rng: random.Random, *, max_guesses: int | None = None,
           days: float | None = None, seconds_per_guess: float = 1.0, unlock_after_hours: float = 0.0,
           stop_at_success: bool = True, on_guess=None) -> Attack:
    """Guess the victim's code as fast as the app allows: uniform random codes of the policy's length."""
    digits = app.policy.digits
    start = app.clock.now()
    end = start + dt.timedelta(days=days) if days is not None else None
    next_day = start + dt.timedelta(days=1)
    log = Attack()
    _, token = app.begin_login(victim)
    while (max_guesses is None or log.guesses < max_guesses) and (end is None or app.clock.now() < end):
        outcome = app.submit_code(token, f"{rng.randrange(10 ** digits):0{digits}d}")
        if outcome.kind == rules.EXPIRED:  # the login attempt lived its 15 minutes: the password again
            _, token = app.begin_login(victim)
            continue
        log.guesses += 1
        if on_guess:
            on_guess()
        if outcome.kind == rules.SIGNED_IN:
            log.successes += 1
            log.first_success_at_guess = log.first_success_at_guess or log.guesses
            if stop_at_success:
                break
            app.sign_out(outcome.session)
            app.clock.advance(seconds_per_guess)
            _, token = app.begin_login(victim)
        elif outcome.kind == rules.WRONG:
            app.clock.advance(seconds_per_guess)
        elif outcome.kind == rules.LOCKED:
            log.locks += 1
            app.clock.advance(outcome.wait.total_seconds())  # as the message says
            _, token = app.begin_login(victim)
        elif outcome.kind == rules.HELD:
            log.held += 1
            if not unlock_after_hours:
                break  # held for good: no administrator lifts it
            app.clock.advance(unlock_after_hours * 3600)
            app.unlock(victim)
            _, token = app.begin_login(victim)
        else:
            raise RuntimeError(f"unexpected answer to a guess: {outcome.kind}")
        while app.clock.now() >= next_day and (end is None or next_day <= end):
            log.guesses_by_day.append(log.guesses)  # every guess so far was made before this midnight
            next_day += dt.timedelta(days=1)
    if end is not None:
        while next_day <= end:
            log.guesses_by_day.append(log.guesses)
            next_day += dt.timedelta(days=1)
    return log


def _policy(table: dict) -> rules.Policy:
    return rules.Policy(table["name"], table["digits"], table["window"], table["max_wrong_codes"],
                        table["lock_minutes"], table["cap"] or None)


def _victim(app: rules.ReferenceApp, number: int) -> str:
    email = f"victim{number}@tenant.example"
    app.register(email)
    app.set_up(email, "authenticator")
    app.clock.advance(5 * rules.STEP_SECONDS)  # past the window of the set-up's code (used, so a replay)
    return email


def validate(params: dict, seed: int, progress=QUIET) -> tuple[list[dict], dict]:
    """Part 1: the share of victims guessed within n guesses, real rules with short codes."""
    today = rules.today()
    results, speed = [], {}
    for window in params["validation_windows"]:
        policy = rules.Policy(f"{params['validation_digits']} digits ±{window}", params["validation_digits"], window,
                              today.max_wrong_codes, today.lock_minutes, None)
        rng = random.Random(f"{seed}/guessing/validation/{window}")
        advance = progress.task(f"guessing: validate {policy.name}", params["validation_trials"])
        with rules.seeded_randomness(rng), rules.ReferenceApp(policy) as app:
            first_success = []
            for trial in range(params["validation_trials"]):
                victim = _victim(app, trial)
                log = attack(app, victim, rng, max_guesses=params["validation_guesses"])
                first_success.append(log.first_success_at_guess)
                advance(1)
            speed[policy.name] = app.speed()
        per_guess = stats.chance_per_guess(policy.digits, window)
        trials = len(first_success)
        points = []
        for n in _checkpoints(params["validation_guesses"]):
            hit = sum(1 for s in first_success if s is not None and s <= n)
            low, high = stats.wilson(hit, trials)
            points.append({"guesses": n, "succeeded": hit, "trials": trials, "share": hit / trials,
                           "ci95": [low, high], "closed_form": stats.chance_within(n, per_guess)})
        results.append({"policy": dataclasses.asdict(policy), "chance_per_guess": per_guess, "points": points,
                        "first_success_at_guess": first_success,
                        "within_interval": sum(p["ci95"][0] <= p["closed_form"] <= p["ci95"][1] for p in points),
                        "checkpoints": len(points)})
    return results, speed


def _checkpoints(budget: int) -> list[int]:
    marks = sorted({max(1, round(budget * k / 12)) for k in range(1, 13)})
    return marks


def measure(params: dict, seed: int, progress=QUIET) -> tuple[list[dict], dict]:
    """Part 2: each policy's guesses by day, measured against the real rules."""
    measured, speed = [], {}
    for index, table in enumerate(params["policies"]):
        policy = _policy(table)
        rng = random.Random(f"{seed}/guessing/rate/{index}")
        expected = stats.guesses_by(params["simulated_days"] * DAY, **_lock_args(policy, params))
        advance = progress.task(f"guessing: attack under {policy.name}", int(expected) + 1)
        with rules.seeded_randomness(rng), rules.ReferenceApp(policy) as app:
            victim = _victim(app, 0)
            log = attack(app, victim, rng, days=params["simulated_days"], seconds_per_guess=params["seconds_per_guess"],
                         unlock_after_hours=params["admin_unlocks_after_hours"], stop_at_success=False, on_guess=advance)
            speed[policy.name] = app.speed()
        measured.append({"policy": dataclasses.asdict(policy), "log": dataclasses.asdict(log)})
    return measured, speed


def _lock_args(policy: rules.Policy, params: dict) -> dict:
    return {"max_wrong": policy.max_wrong_codes, "lock_seconds": policy.lock_minutes * 60,
            "seconds_per_guess": params["seconds_per_guess"], "cap": policy.cap,
            "unlock_after_seconds": params["admin_unlocks_after_hours"] * 3600}


def run(params: dict, seed: int, progress=QUIET) -> StudyResult:
    validation, validation_speed = validate(params, seed, progress)
    measured, rate_speed = measure(params, seed, progress)
    days_simulated, horizon = params["simulated_days"], params["horizon_days"]
    curves = []
    for entry in measured:
        policy = rules.Policy(**entry["policy"])
        per_guess = stats.chance_per_guess(policy.digits, policy.window)
        by_day = entry["log"]["guesses_by_day"]
        rate = by_day[-1] / days_simulated
        analytic_rate = stats.guesses_by(days_simulated * DAY, **_lock_args(policy, params)) / days_simulated
        days = list(range(0, horizon + 1))
        analytic = [stats.guesses_by(d * DAY, **_lock_args(policy, params)) if d else 0 for d in days]
        simulated = [0] + [by_day[d - 1] if d <= days_simulated else by_day[-1] + rate * (d - days_simulated)
                           for d in days[1:]]
        guesses = entry["log"]["guesses"]
        successes = entry["log"]["successes"]
        curves.append({
            "policy": entry["policy"], "description": policy.describe(), "chance_per_guess": per_guess,
            "guesses_per_day_measured": rate, "guesses_per_day_closed_form": analytic_rate,
            "days": days, "guesses_closed_form": analytic, "guesses_measured": simulated,
            "chance_closed_form": [stats.chance_within(n, per_guess) for n in analytic],
            "chance_from_measured_rate": [stats.chance_within(n, per_guess) for n in simulated],
            "direct_monte_carlo": {"guesses": guesses, "successes": successes,
                                   "per_guess_ci95": list(stats.wilson(successes, guesses))},
            "locks": entry["log"]["locks"], "held": entry["log"]["held"],
        })
    data = {"study": "guessing", "seed": seed, "params": params, "rules": rules.rules_version(),
            "validation": validation, "policies": curves}
    return StudyResult(
        study="guessing",
        title="Online guessing of the second step",
        question=("An attacker has the password and guesses authenticator codes as fast as the app allows. "
                  "How likely are they to get in, day after day, under today's policy and the alternatives?"),
        headline=_headline(curves, validation, horizon),
        assumptions=_assumptions(params),
        data=data,
        figures=[_validation_chart(validation), _rate_chart(curves, days_simulated), _chance_chart(curves, days_simulated)],
        tables=[_table(curves, horizon)],
        timing={"validation": validation_speed, "attack": rate_speed},
    )


def _headline(curves, validation, horizon) -> list[str]:
    lines = []
    for c in curves:
        lines.append(f"{c['policy']['name']}: {c['guesses_per_day_measured']:.0f} guesses a day measured "
                     f"(closed form {c['guesses_per_day_closed_form']:.0f}), {c['chance_per_guess']:.2g} per guess "
                     f"({c['chance_per_guess'] * 1e6:.1f} in a million), "
                     f"success within a day {c['chance_from_measured_rate'][1]:.2g}, "
                     f"within {horizon} days {c['chance_from_measured_rate'][horizon]:.2g}")
    for v in validation:
        lines.append(f"model check ({v['policy']['name']}, {v['points'][0]['trials']} victims): closed form inside "
                     f"the 95% interval at {v['within_interval']} of {v['checkpoints']} points")
    return lines


def _assumptions(params) -> list[str]:
    return [
        "The attacker knows the password (phished or reused) and guesses authenticator codes uniformly at random, "
        f"one every {params['seconds_per_guess']:g} s, waits out each lock exactly as the app's message says, "
        "and signs in with the password again whenever the login attempt expires (15 minutes).",
        "Each code of a time step is uniform over 10^digits values and independent of the others (RFC 4226's "
        "dynamic truncation of HMAC-SHA1): a guess succeeds with p = 1 - (1 - 10^-d)^(2w+1) for a window of ±w steps.",
        f"Shorter codes run through the app's own check (pyotp truncates them the same way) to validate the model "
        f"where success is frequent: {params['validation_digits']} digits, windows "
        f"{', '.join('±' + str(w) for w in params['validation_windows'])}, {params['validation_trials']} victims of "
        f"at most {params['validation_guesses']} guesses each, lock as today's, no overall cap. Not shorter than 2 "
        "digits: with 1 digit the window's codes often coincide and guesses within one step are correlated, which "
        "the independent-guess form ignores (harmless at 2 digits and beyond, a 1% effect at 1 digit).",
        f"The guess rate is measured, not assumed: the attacker runs against the real rules for "
        f"{params['simulated_days']} simulated days per policy; beyond that the chart extends the measured rate "
        f"linearly to {params['horizon_days']} days (the rules repeat with a period of at most a few days).",
        f"When the overall cap holds the account, an administrator unlocks it {params['admin_unlocks_after_hours']:g} "
        "hours later (0: never) and the attacker resumes; nobody changes the password meanwhile, although the app "
        "emails the person at every lock.",
        "The victim never signs in during the attack (a right code would start the counts again).",
        "The 6-digit curves come from the validated model with the measured guess counts: a direct Monte Carlo "
        "estimate at 6 digits sees almost no successes (its interval is in the table, for the record).",
    ]


def _validation_chart(validation) -> Figure:
    figure, axes = charts.new("guesses made against one victim (count)", "share of victims guessed (probability)",
                              "The attacker model, checked where success is frequent")
    for colour, v in zip(charts.COLOURS, validation):
        name = v["policy"]["name"]
        xs = [p["guesses"] for p in v["points"]]
        axes.plot(range(0, xs[-1] + 1), [stats.chance_within(n, v["chance_per_guess"]) for n in range(0, xs[-1] + 1)],
                  color=colour, label=f"{name}: closed form 1-(1-p)^n, p={v['chance_per_guess']:.3g}")
        shares = [p["share"] for p in v["points"]]
        errors = charts.error_bars(shares, [p["ci95"] for p in v["points"]])
        axes.errorbar(xs, shares, yerr=errors, fmt="o", color=colour, capsize=3,
                      label=f"{name}: real rules, {v['points'][0]['trials']} victims (95% CI)")
    axes.set_ylim(0, 1)
    charts.legend(axes)
    return Figure("The attacker model against the real rules (short codes)", charts.svg(figure),
                  "Lines: the closed form. Points: the share of victims the attacker got into within n guesses, running "
                  "the app's real check with codes shortened by configuration; bars: Wilson 95% intervals.")


def _rate_chart(curves, days_simulated) -> Figure:
    figure, axes = charts.new("simulated time (days)", "guesses made (count, cumulative)",
                              "Guesses the lock lets through", height=4.6 + 0.35 * len(curves))
    for colour, c in zip(charts.COLOURS, curves):
        days = c["days"][: days_simulated + 1]
        axes.plot(days, c["guesses_closed_form"][: days_simulated + 1], color=colour,
                  label=f"{c['policy']['name']} ({c['description']}): closed form")
        axes.plot(days[1:], c["guesses_measured"][1: days_simulated + 1], "o", color=colour, markersize=4,
                  label=f"{c['policy']['name']}: measured against the real rules")
    charts.legend(axes, 1)  # the policies' descriptions are long
    return Figure("Guess rate, measured", charts.svg(figure),
                  "Points: guesses the attacker made against the real rules, counted at the end of each simulated day. "
                  "Lines: the closed form of the lock's arithmetic. Policies with the same lock share their line: the window "
                  "changes the chance of each guess, not how many guesses get through.")


def _chance_chart(curves, days_simulated) -> Figure:
    figure, axes = charts.new("time since the attack began (days)", "attacker's chance of success (probability, log scale)",
                              "6-digit codes: the attacker's chance against time", height=4.6 + 0.35 * len(curves))
    for colour, c in zip(charts.COLOURS, curves):
        days = c["days"]
        axes.plot(days[1:], c["chance_closed_form"][1:], color=colour,
                  label=f"{c['policy']['name']} ({c['description']}): closed form")
        marks = [d for d in (1, 2, 3, 5, 7, 10, 14, 21, 30, 60, 90, 180, 270, 365) if d < len(days)]
        measured = [d for d in marks if d <= days_simulated]
        extended = [d for d in marks if d > days_simulated]
        axes.plot(measured, [c["chance_from_measured_rate"][d] for d in measured], "o", color=colour, markersize=5,
                  label=f"{c['policy']['name']}: validated model × measured guesses")
        if extended:
            axes.plot(extended, [c["chance_from_measured_rate"][d] for d in extended], "o", color=colour,
                      markerfacecolor="none", markersize=5)
    axes.set_yscale("log")
    charts.legend(axes, 1)
    return Figure("The 6-digit curve, from the validated model", charts.svg(figure),
                  "Lines: 1-(1-p)^n(t) with the closed-form guess count n(t). Filled points: the same model with the "
                  f"guess counts measured against the real rules (first {days_simulated} days); hollow points: the "
                  "measured rate extended. Not a direct Monte Carlo estimate: at 6 digits successes are too rare to count.")


def _table(curves, horizon) -> tuple[str, list[str], list[list[str]]]:
    header = ["policy", "rules", "guesses a day (measured / closed form)", "chance per guess",
              "within 1 day", "within 30 days", f"within {horizon} days",
              "direct Monte Carlo at 6 digits: successes / guesses (95% CI per guess)"]
    rows = []
    for c in curves:
        mc = c["direct_monte_carlo"]
        low, high = mc["per_guess_ci95"]
        chance = c["chance_from_measured_rate"]
        rows.append([c["policy"]["name"], c["description"],
                     f"{c['guesses_per_day_measured']:.1f} / {c['guesses_per_day_closed_form']:.1f}",
                     f"{c['chance_per_guess']:.3g}", f"{chance[1]:.3g}",
                     f"{chance[min(30, horizon)]:.3g}", f"{chance[horizon]:.3g}",
                     f"{mc['successes']} / {mc['guesses']} ({low:.2g} to {high:.2g})"])
    return "Policies compared", header, rows
