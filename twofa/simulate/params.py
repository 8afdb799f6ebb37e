"""The studies' parameters: the defaults, and a TOML file that changes any of them.

A parameter file has one table per study (``[guessing]``, ``[drift]``, ``[cost]``); any key
left out keeps its default. An unknown key, a value of the wrong type or out of range, or a
file that cannot be read is refused with a message that names the key: a typo must never
silently run the defaults (``ParamsError``; the command exits with 2).
"""

from __future__ import annotations

import copy
import pathlib
import tomllib

TODAY_POLICY = {"name": "today", "digits": 6, "window": 1, "max_wrong_codes": 5, "lock_minutes": 15.0, "cap": 100}

DEFAULTS: dict[str, dict] = {
    "guessing": {
        # The policies compared: today's, and the alternatives (cap 0: no overall cap).
        "policies": [
            TODAY_POLICY,
            {"name": "lock only, no cap of 100", "digits": 6, "window": 1, "max_wrong_codes": 5, "lock_minutes": 15.0, "cap": 0},
            {"name": "window ±2 steps, no cap", "digits": 6, "window": 2, "max_wrong_codes": 5, "lock_minutes": 15.0, "cap": 0},
            {"name": "lock after 3 (Authelia), no cap", "digits": 6, "window": 1, "max_wrong_codes": 3, "lock_minutes": 15.0, "cap": 0},
        ],
        "simulated_days": 7,  # the attacker runs against the real rules this long, per policy
        "horizon_days": 365,  # the chart's reach: beyond simulated_days the measured rate is extended
        "seconds_per_guess": 1.0,  # the attacker's speed between two guesses
        "admin_unlocks_after_hours": 24.0,  # a held account is unlocked this long after (0: never)
        # The model's check where success is frequent: short codes, configured in the real rules.
        "validation_digits": 2,
        "validation_windows": [0, 1],
        "validation_trials": 200,  # victims per configuration
        "validation_guesses": 60,  # guesses per victim at most
    },
    "drift": {
        "windows": [0, 1, 2],
        "phones": 600,  # logins of the population, per window
        "synced_sd_seconds": 2.0,  # most phones take network time: a few seconds off
        "unsynced_share": 0.1,  # some do not ...
        "unsynced_sd_seconds": 45.0,  # ... and drift further
        "typing_median_seconds": 7.0,  # from reading the code to the server's check (log-normal)
        "typing_sigma": 0.5,
        "curve_offsets_seconds": [-120, -90, -75, -60, -45, -30, -15, 0, 15, 30, 45, 60, 75, 90, 120],
        "logins_per_offset": 80,  # per window and offset, for the chart's points
    },
    "cost": {
        "agents": 40,
        "users": 300,
        "days": 30,
        "allow_for_users": True,
        "enforce_for_agents": True,
        "enforce_for_users": False,
        "enforcement_starts_day": 7,  # the administrator switches enforcement on that morning
        "share_set_up_before": 0.3,  # of the people allowed two-factor, set up before the month
        "method_mix": {"authenticator": 0.6, "email": 0.25, "sms": 0.15},
        "agent_login_chance_per_workday": 0.9,
        "agent_extra_logins_per_workday": 0.5,  # Poisson mean, after the first
        "user_logins_per_month": 2.0,  # Poisson
        "typo_rate": 0.05,  # a code typed wrong, then typed again right
        "confused_share": 0.002,  # logins where the person types codes of another account until locked
        "sms_cost": 0.05,  # per text
        "currency": "EUR",
        "lost_phones_per_person_year": 0.1,
        "grace_period_days": 0,  # not modelled by the study yet: only 0 runs (see docs/simulation.md)
    },
}

STUDIES = tuple(DEFAULTS)
POLICY_KEYS = {"name": str, "digits": int, "window": int, "max_wrong_codes": int, "lock_minutes": float, "cap": int}
RANGES = {
    "digits": (1, 10), "window": (0, 10), "max_wrong_codes": (1, 1000), "lock_minutes": (0.0, 10080.0), "cap": (0, 100000),
    "simulated_days": (1, 366), "horizon_days": (1, 3660), "seconds_per_guess": (0.0, 3600.0),
    "admin_unlocks_after_hours": (0.0, 8760.0), "validation_digits": (1, 6), "validation_trials": (1, 100000),
    "validation_guesses": (1, 100000), "windows": (0, 10), "validation_windows": (0, 10), "phones": (1, 1000000),
    "synced_sd_seconds": (0.0, 3600.0), "unsynced_share": (0.0, 1.0), "unsynced_sd_seconds": (0.0, 86400.0),
    "typing_median_seconds": (0.1, 600.0), "typing_sigma": (0.0, 3.0), "curve_offsets_seconds": (-3600, 3600),
    "logins_per_offset": (1, 100000), "agents": (0, 100000), "users": (0, 1000000), "days": (1, 366),
    "enforcement_starts_day": (0, 366), "share_set_up_before": (0.0, 1.0), "agent_login_chance_per_workday": (0.0, 1.0),
    "agent_extra_logins_per_workday": (0.0, 50.0), "user_logins_per_month": (0.0, 1000.0), "typo_rate": (0.0, 0.99),
    "confused_share": (0.0, 1.0), "sms_cost": (0.0, 1000.0), "lost_phones_per_person_year": (0.0, 100.0),
    "grace_period_days": (0, 0),
}
RANGE_NOTES = {"grace_period_days": "the study does not model the days to set up yet (the rules have them since "
                                    "issue 10: enforcement_grace_days), so only 0 runs (docs/simulation.md)"}


class ParamsError(Exception):
    """A parameter file the studies cannot run: the message says which key and why."""


def load(path: str | pathlib.Path | None) -> dict[str, dict]:
    """The defaults, changed by the file at ``path`` (None: the defaults alone)."""
    params = copy.deepcopy(DEFAULTS)
    if path is None:
        return params
    path = pathlib.Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParamsError(f"{path}: no such parameter file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ParamsError(f"{path}: cannot be read ({error})") from None
    try:
        given = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ParamsError(f"{path}: not valid TOML ({error})") from None
    for study, table in given.items():
        if study not in DEFAULTS:
            raise ParamsError(f"{path}: unknown table [{study}]; the studies are {', '.join(STUDIES)}")
        if not isinstance(table, dict):
            raise ParamsError(f"{path}: {study} must be a table ([{study}])")
        for key, value in table.items():
            params[study][key] = _checked(path, f"{study}.{key}", key, value, DEFAULTS[study].get(key, _UNKNOWN))
    return params


_UNKNOWN = object()


def _checked(path, where: str, key: str, value, default):
    if default is _UNKNOWN:
        study = where.partition(".")[0]
        raise ParamsError(f"{path}: unknown key {where}; known keys of [{study}]: {', '.join(sorted(DEFAULTS[study]))}")
    if key == "policies":
        return _policies(path, value)
    if key == "method_mix":
        return _mix(path, where, value, default)
    if isinstance(default, list):
        if not isinstance(value, list) or not value:
            raise ParamsError(f"{path}: {where} must be a non-empty list, like {default!r}")
        return [_scalar(path, f"{where}[{i}]", key, item, default[0]) for i, item in enumerate(value)]
    return _scalar(path, where, key, value, default)


def _scalar(path, where: str, key: str, value, default):
    kind = type(default)
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        names = {bool: "true or false", float: "a number", int: "a whole number", str: "a text"}
        raise ParamsError(f"{path}: {where} must be {names.get(kind, kind.__name__)}, not {value!r}")
    if key in RANGES and kind is not bool and kind is not str:
        low, high = RANGES[key]
        if not low <= value <= high:
            note = RANGE_NOTES.get(key, f"between {low} and {high}")
            raise ParamsError(f"{path}: {where} = {value!r} is out of range: {note}")
    return value


def _policies(path, value) -> list[dict]:
    if not isinstance(value, list) or not value or not all(isinstance(p, dict) for p in value):
        raise ParamsError(f"{path}: guessing.policies must be an array of tables ([[guessing.policies]])")
    policies = []
    for i, table in enumerate(value):
        where = f"guessing.policies[{i}]"
        unknown = set(table) - set(POLICY_KEYS)
        if unknown:
            raise ParamsError(f"{path}: unknown key {where}.{sorted(unknown)[0]}; a policy has {', '.join(POLICY_KEYS)}")
        missing = [k for k in POLICY_KEYS if k not in table]
        if missing:
            raise ParamsError(f"{path}: {where} lacks {', '.join(missing)}")
        policy = {k: _scalar(path, f"{where}.{k}", k, table[k], TODAY_POLICY[k]) for k in POLICY_KEYS}
        if not policy["lock_minutes"].is_integer() or policy["lock_minutes"] < 1:
            raise ParamsError(f"{path}: {where}.lock_minutes = {table['lock_minutes']!r}: a lock lasts whole minutes, "
                              "at least 1 (the app tells the wait in whole minutes)")
        policies.append(policy)
    names = [p["name"] for p in policies]
    if len(set(names)) != len(names):
        raise ParamsError(f"{path}: guessing.policies: two policies have the same name")
    return policies


def _mix(path, where: str, value, default) -> dict[str, float]:
    if not isinstance(value, dict):
        raise ParamsError(f"{path}: {where} must be a table like {default!r}")
    unknown = set(value) - set(default)
    if unknown:
        raise ParamsError(f"{path}: unknown method {where}.{sorted(unknown)[0]}; the methods are {', '.join(default)}")
    mix = {m: _scalar(path, f"{where}.{m}", "share_set_up_before", value.get(m, 0.0), 0.0) for m in default}
    if sum(mix.values()) <= 0:
        raise ParamsError(f"{path}: {where} needs at least one method with a share above 0")
    total = sum(mix.values())
    return {m: share / total for m, share in mix.items()}
