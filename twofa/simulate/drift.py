"""Study 2: phones whose clocks are off, people who type slowly: honest logins refused, per window.

Each simulated login goes through the app: the password, then the code the phone shows at
its own (offset) time, submitted after the person's typing delay, at the scenario clock.
The window (accepted steps either side) is configured in the real rules, once per window.

Closed form: the phone reads step floor((t+o)/30), the server checks at floor((t+d)/30);
with a uniform moment t the difference is m = floor(x) or m+1 (with probability frac(x)),
x = (d - o)/30, and the code passes when |difference| <= w. Averaged over the typing delay
(and, for the population, the offsets) by quadrature on their quantiles.
"""

from __future__ import annotations

import math
import random
import statistics

import numpy as np

from . import charts, stats
from . import reference_rules as rules
from .study import QUIET, Figure, StudyResult

ACCOUNTS = 40  # logins rotate over them, so no account logs in twice within its window (a replay)
QUADRATURE = 400


def _delay(rng: random.Random, params: dict) -> float:
    return params["typing_median_seconds"] * math.exp(params["typing_sigma"] * rng.gauss(0.0, 1.0))


def _offset(rng: random.Random, params: dict) -> float:
    sd = params["unsynced_sd_seconds"] if rng.random() < params["unsynced_share"] else params["synced_sd_seconds"]
    return rng.gauss(0.0, sd)


def _quantiles(n: int) -> np.ndarray:
    normal = statistics.NormalDist()
    return np.array([normal.inv_cdf((i + 0.5) / n) for i in range(n)])


def accepted_share(x: np.ndarray, window: int) -> np.ndarray:
    """The chance a code passes when the server checks x steps after the phone's moment."""
    m = np.floor(x)
    f = x - m
    return (1 - f) * (np.abs(m) <= window) + f * (np.abs(m + 1) <= window)


def refused_closed_form(offsets: np.ndarray, window: int, params: dict) -> np.ndarray:
    """Share refused at each phone offset (seconds), over the typing delay's distribution."""
    delays = params["typing_median_seconds"] * np.exp(params["typing_sigma"] * _quantiles(QUADRATURE))
    x = (delays[None, :] - np.asarray(offsets, dtype=float)[:, None]) / rules.STEP_SECONDS
    return 1 - accepted_share(x, window).mean(axis=1)


def population_closed_form(window: int, params: dict) -> float:
    z = _quantiles(QUADRATURE)
    synced, unsynced = params["synced_sd_seconds"] * z, params["unsynced_sd_seconds"] * z
    share = params["unsynced_share"]
    return float((1 - share) * refused_closed_form(synced, window, params).mean()
                 + share * refused_closed_form(unsynced, window, params).mean())


class Logins:
    """Honest logins against one app configured with one window."""

    def __init__(self, app: rules.ReferenceApp, rng: random.Random):
        self.app, self.rng = app, rng
        self.accounts = []
        for n in range(ACCOUNTS):
            email = f"person{n}@tenant.example"
            app.register(email)
            app.set_up(email, "authenticator")
            self.accounts.append(email)
        self.turn = 0

    def one(self, offset: float, delay: float) -> bool:
        """A login whose phone is ``offset`` s off, typed in ``delay`` s: True when the code passed."""
        app = self.app
        email = self.accounts[self.turn % ACCOUNTS]
        self.turn += 1
        app.clock.advance(60 + 60 * self.rng.random())  # the next login comes a minute or two later
        _, token = app.begin_login(email)
        phone = rules.Phone(app.secret_of(email), app.policy.digits, offset)
        code = phone.code(app.clock.now())
        app.clock.advance(delay)
        outcome = app.submit_code(token, code)
        if outcome.kind == rules.SIGNED_IN:
            app.sign_out(outcome.session)
            return True
        app.sign_out(token)
        # Each login is its own trial: the refusals of one must not lock the next person out.
        app.unlock(email)
        return False


def run(params: dict, seed: int, progress=QUIET) -> StudyResult:
    population_rng = random.Random(f"{seed}/drift/population")
    phones = [(_offset(population_rng, params), _delay(population_rng, params)) for _ in range(params["phones"])]
    curve_rng = random.Random(f"{seed}/drift/curve")
    curve_delays = {o: [_delay(curve_rng, params) for _ in range(params["logins_per_offset"])]
                    for o in params["curve_offsets_seconds"]}
    today_window = rules.today().window
    results, timing = [], {}
    for window in params["windows"]:
        policy = rules.Policy(f"±{window}", rules.today().digits, window, rules.today().max_wrong_codes,
                              rules.today().lock_minutes, rules.today().cap)
        rng = random.Random(f"{seed}/drift/window/{window}")
        total = len(phones) + sum(len(d) for d in curve_delays.values())
        advance = progress.task(f"drift: window ±{window} step{'s' if window != 1 else ''}", total)
        with rules.seeded_randomness(rng), rules.ReferenceApp(policy) as app:
            logins = Logins(app, rng)
            refused = 0
            for offset, delay in phones:
                refused += not logins.one(offset, delay)
                advance(1)
            curve = []
            for offset, delays in curve_delays.items():
                refused_here = 0
                for delay in delays:
                    refused_here += not logins.one(offset, delay)
                    advance(1)
                low, high = stats.wilson(refused_here, len(delays))
                curve.append({"offset_seconds": offset, "logins": len(delays), "refused": refused_here,
                              "share_refused": refused_here / len(delays), "ci95": [low, high],
                              "closed_form": float(refused_closed_form(np.array([offset]), window, params)[0])})
            timing[f"±{window}"] = app.speed()
        low, high = stats.wilson(refused, len(phones))
        results.append({"window": window, "today": window == today_window,
                        "population": {"logins": len(phones), "refused": refused, "share_refused": refused / len(phones),
                                       "ci95": [low, high], "closed_form": population_closed_form(window, params)},
                        "chance_per_guess": stats.chance_per_guess(rules.today().digits, window), "curve": curve})
    data = {"study": "drift", "seed": seed, "params": params, "rules": rules.rules_version(), "windows": results,
            "population_sample": [{"offset_seconds": o, "typing_seconds": d} for o, d in phones]}
    return StudyResult(
        study="drift", title="Clock drift and slow typing: honest logins refused",
        question=("Phones whose clocks are off and people who take a few seconds to type: how many honest logins does "
                  "each window (accepted time steps either side of now) refuse? The chart to choose the window."),
        headline=[_line(r) for r in results],
        assumptions=_assumptions(params),
        data=data, figures=[_curve_chart(results, params), _population_chart(results)],
        tables=[_table(results)], timing={"logins": timing})


def _name(window: int, today: bool) -> str:
    return f"±{window} step{'s' if window != 1 else ''}" + (" (today)" if today else "")


def _line(r) -> str:
    p = r["population"]
    return (f"window {_name(r['window'], r['today'])}: {100 * p['share_refused']:.2f}% of honest logins refused "
            f"(95% CI {100 * p['ci95'][0]:.2f} to {100 * p['ci95'][1]:.2f}%; closed form {100 * p['closed_form']:.2f}%), "
            f"attacker's chance per guess {r['chance_per_guess']:.0e}")


def _assumptions(params) -> list[str]:
    share = params["unsynced_share"]
    return [
        f"Phone clock offsets: {100 * (1 - share):g}% of phones take network time, off by a normal error of "
        f"{params['synced_sd_seconds']:g} s (sd); {100 * share:g}% drift, with a normal error of "
        f"{params['unsynced_sd_seconds']:g} s (sd). Positive: the phone is ahead.",
        f"Typing: from reading the code to the server's check takes a log-normal time, median "
        f"{params['typing_median_seconds']:g} s, sigma {params['typing_sigma']:g} (half of people between "
        f"{params['typing_median_seconds'] * math.exp(-0.674 * params['typing_sigma']):.1f} and "
        f"{params['typing_median_seconds'] * math.exp(0.674 * params['typing_sigma']):.1f} s).",
        "The moment a person reads the code is uniform within the 30-second step (logins arrive a minute or two "
        "apart at random).",
        "Only the first code typed counts: a refused person would usually succeed with the next code, which this "
        "study does not count. Each refused login is unlocked at once, so that refusals never lock the next login.",
        f"{params['phones']} logins of the population per window, the same phones for every window (common random "
        f"numbers, so the windows differ by the rule alone); {params['logins_per_offset']} logins per offset for the "
        "curve.",
        "The closed form is averaged over the delay (and offset) distributions by quadrature on "
        f"{QUADRATURE} quantiles: exact up to that discretisation.",
    ]


def _curve_chart(results, params) -> Figure:
    figure, axes = charts.new("phone clock offset (seconds; positive = phone ahead)", "honest logins refused (share)",
                              f"Refused logins against clock offset (typing median {params['typing_median_seconds']:g} s)")
    grid = np.arange(min(params["curve_offsets_seconds"]) - 15, max(params["curve_offsets_seconds"]) + 16, 1.0)
    for colour, r in zip(charts.COLOURS, results):
        name = _name(r["window"], r["today"])
        axes.plot(grid, refused_closed_form(grid, r["window"], params), color=colour, label=f"window {name}: closed form")
        xs = [c["offset_seconds"] for c in r["curve"]]
        ys = [c["share_refused"] for c in r["curve"]]
        errors = charts.error_bars(ys, [c["ci95"] for c in r["curve"]])
        axes.errorbar(xs, ys, yerr=errors, fmt="o", color=colour, capsize=3, markersize=4,
                      label=f"window {name}: real rules (95% CI)")
    axes.set_ylim(-0.02, 1.02)
    charts.legend(axes)
    return Figure("Refused logins against the phone's clock offset", charts.svg(figure),
                  "Points: logins through the app at a controlled clock, with Wilson 95% intervals; lines: the closed "
                  "form. The curve is shifted right because typing takes time: a phone a few seconds ahead is better "
                  "than one exactly on time.")


def _population_chart(results) -> Figure:
    figure, axes = charts.new("window of accepted time steps", "honest logins refused (percent)",
                              "The population: honest logins refused per window")
    names = [_name(r["window"], r["today"]) for r in results]
    shares = [100 * r["population"]["share_refused"] for r in results]
    errors = charts.error_bars(shares, [[100 * b for b in r["population"]["ci95"]] for r in results])
    axes.bar(names, shares, yerr=errors, capsize=4, color=charts.COLOURS[0], alpha=0.75,
             label="simulated through the real rules (95% CI)")
    axes.plot(names, [100 * r["population"]["closed_form"] for r in results], "D", color=charts.COLOURS[1],
              label="closed form")
    charts.legend(axes)
    return Figure("Honest logins refused in the population", charts.svg(figure),
                  "Bars: the population's logins through the app; diamonds: the closed form over the same distributions.")


def _table(results):
    header = ["window", "honest logins refused (simulated)", "95% CI", "closed form", "attacker's chance per guess"]
    rows = [[_name(r["window"], r["today"]), f"{r['population']['refused']} of {r['population']['logins']} "
             f"({100 * r['population']['share_refused']:.2f}%)",
             f"{100 * r['population']['ci95'][0]:.2f} to {100 * r['population']['ci95'][1]:.2f}%",
             f"{100 * r['population']['closed_form']:.2f}%", f"{r['chance_per_guess']:.1e}"] for r in results]
    return "Windows compared (the security side: each step of window adds a code an attacker may hit)", header, rows
