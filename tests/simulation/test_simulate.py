"""`twofa simulate`: the studies agree with their closed forms, repeat exactly from a seed, follow
the real rules when a rule changes, and refuse a bad parameter file with exit code 2.

Every run here is small (seconds): the defaults are for people, these sizes for a test.
"""

from __future__ import annotations

import copy
import json
import random

import pytest

from twofa import cli
from twofa.simulate import cost, drift, guessing, page, params, stats
from twofa.simulate import reference_rules as rules

SEED = 7


def defaults(study: str, **changes) -> dict:
    table = copy.deepcopy(params.DEFAULTS[study])
    table.update(changes)
    return table


# ---- the closed forms ------------------------------------------------------------------

def test_closed_forms_give_the_figures_the_issue_quotes():
    per_day = stats.guesses_by(86400, max_wrong=5, lock_seconds=900, seconds_per_guess=0, cap=None, unlock_after_seconds=0)
    assert per_day == 480  # 96 rounds of 5 guesses a day when guessing takes no time
    assert stats.chance_per_guess(6, 1) == pytest.approx(3e-6, rel=1e-5)
    assert stats.chance_within(1, 0.25) == pytest.approx(0.25)
    low, high = stats.wilson(30, 100)
    assert low == pytest.approx(0.2189, abs=1e-4) and high == pytest.approx(0.3958, abs=1e-4)  # the textbook values


def test_the_measured_guess_rate_is_the_closed_form_of_the_lock():
    lock_only = {"name": "lock only", "digits": 6, "window": 1, "max_wrong_codes": 5, "lock_minutes": 15.0, "cap": 0}
    table = defaults("guessing", policies=[lock_only], simulated_days=2)
    measured, _ = guessing.measure(table, SEED)
    by_day = measured[0]["log"]["guesses_by_day"]
    expected = [stats.guesses_by(d * 86400, max_wrong=5, lock_seconds=900, seconds_per_guess=1.0, cap=None,
                                 unlock_after_seconds=0) for d in (1, 2)]
    assert by_day == pytest.approx(expected, abs=1)
    assert 470 <= by_day[0] <= 480  # "about 480 guesses a day"


def test_the_cap_holds_the_account_after_100_wrong_codes_in_a_row():
    table = defaults("guessing", policies=[params.TODAY_POLICY], simulated_days=1, admin_unlocks_after_hours=0.0)
    measured, _ = guessing.measure(table, SEED)
    log = measured[0]["log"]
    assert (log["guesses"], log["held"]) == (100, 1)


def test_the_share_of_victims_guessed_agrees_with_the_closed_form():
    table = defaults("guessing", validation_digits=2, validation_windows=[0, 1], validation_trials=100,
                     validation_guesses=30)
    validation, _ = guessing.validate(table, SEED)
    for result in validation:
        final = result["points"][-1]  # the share guessed within the whole budget
        low, high = final["ci95"]
        assert low <= final["closed_form"] <= high, result["policy"]["name"]
        assert result["chance_per_guess"] == pytest.approx(stats.chance_per_guess(2, result["policy"]["window"]))


def test_the_share_of_honest_logins_refused_agrees_with_the_closed_form():
    table = defaults("drift", windows=[0, 1], phones=160, curve_offsets_seconds=[0], logins_per_offset=1)
    result = drift.run(table, SEED)
    for window in result.data["windows"]:
        population = window["population"]
        low, high = population["ci95"]
        assert low <= population["closed_form"] <= high, window["window"]
    assert result.data["windows"][0]["population"]["share_refused"] > result.data["windows"][1]["population"]["share_refused"]


# ---- reproducible ----------------------------------------------------------------------

TINY_DRIFT = {"windows": [1], "phones": 40, "curve_offsets_seconds": [-45, 0, 45], "logins_per_offset": 4}


def test_the_same_seed_gives_byte_identical_data_and_another_seed_other_data():
    first = page.data_text(drift.run(defaults("drift", **TINY_DRIFT), SEED).data)
    again = page.data_text(drift.run(defaults("drift", **TINY_DRIFT), SEED).data)
    other = page.data_text(drift.run(defaults("drift", **TINY_DRIFT), SEED + 1).data)
    assert first == again
    assert first != other


def test_the_same_seed_gives_the_same_month():
    small = defaults("cost", agents=6, users=20, days=10, enforcement_starts_day=3)
    assert page.data_text(cost.run(small, SEED).data) == page.data_text(cost.run(small, SEED).data)


# ---- the real rules --------------------------------------------------------------------

def test_a_wider_window_refuses_fewer_honest_logins_of_the_same_phones():
    narrow = drift.run(defaults("drift", **{**TINY_DRIFT, "windows": [0]}), SEED).data["windows"][0]
    wide = drift.run(defaults("drift", **{**TINY_DRIFT, "windows": [1]}), SEED).data["windows"][0]
    assert narrow["population"]["refused"] > wide["population"]["refused"]


def test_the_studies_drive_the_apps_rules_not_a_copy_of_them(monkeypatch):
    """Break the app's lock (sut.domain.lockout): the attacker's guesses must change with it."""
    def one_hour_of_guessing() -> int:
        rng = random.Random(SEED)
        with rules.seeded_randomness(rng), rules.ReferenceApp() as app:
            app.register("victim@tenant.example")
            app.set_up("victim@tenant.example", "authenticator")
            return guessing.attack(app, "victim@tenant.example", rng, days=1 / 24, stop_at_success=False).guesses

    assert one_hour_of_guessing() == 20  # four rounds of 5 wrong codes and a 15-minute lock
    monkeypatch.setattr("sut.domain.lockout.record_wrong_code", lambda person, now, policy=None: None)
    assert one_hour_of_guessing() == 3600  # no lock: a guess a second


def test_enforcement_forces_people_into_set_up_and_without_it_nobody():
    small = defaults("cost", agents=8, users=10, days=8, enforcement_starts_day=2, share_set_up_before=0.25)
    enforced = cost.run(small, SEED).data["totals"]
    relaxed = cost.run({**small, "enforce_for_agents": False}, SEED).data["totals"]
    assert enforced["forced set-ups"] > 0
    assert relaxed["forced set-ups"] == 0
    assert enforced["forced set-ups"] <= 6  # the agents without a method: 8 - 2 set up before


def test_the_adapter_reads_todays_policy_from_the_app():
    from sut.domain import lockout, totp

    assert rules.today() == rules.Policy("today", totp.DIGITS, totp.DRIFT_STEPS, lockout.MAX_WRONG_CODES,
                                         lockout.LOCK_FOR.total_seconds() / 60, lockout.MAX_WRONG_CODES_IN_A_ROW)
    assert params.TODAY_POLICY == {k: v for k, v in vars(rules.today()).items()}


# ---- the command -----------------------------------------------------------------------

def test_the_command_writes_a_page_with_charts_and_its_data(tmp_path, capsys):
    file = tmp_path / "small.toml"
    file.write_text("[drift]\nwindows = [0, 1]\nphones = 20\ncurve_offsets_seconds = [0, 30]\nlogins_per_offset = 3\n")
    out = tmp_path / "out"
    assert cli.main(["simulate", "drift", "--params", str(file), "--out", str(out), "--seed", "3", "--no-progress"]) == 0
    printed = capsys.readouterr().out
    html = (out / "drift.html").read_text()
    data = json.loads((out / "drift.json").read_text())
    assert "window ±1 step (today):" in printed and str((out / "drift.html").resolve()) in printed
    assert html.count("<svg") == 2 and "Assumptions" in html and data["rules"]["rules_fingerprint"] in html
    assert data["seed"] == 3 and data["params"]["phones"] == 20


@pytest.mark.parametrize("content, message", [
    ("[drift]\nphone = 3\n", "unknown key drift.phone; known keys of [drift]:"),
    ("[drift]\nphones = \"many\"\n", "drift.phones must be a whole number, not 'many'"),
    ("[guessing]\nseconds_per_guess = true\n", "guessing.seconds_per_guess must be a number, not True"),
    ("[weather]\nsun = 1\n", "unknown table [weather]; the studies are guessing, drift, cost"),
    ("[cost]\ngrace_period_days = 14\n", "the study does not model the days to set up yet"),
    ("[[guessing.policies]]\nname = \"x\"\ndigits = 6\n", "guessing.policies[0] lacks window, max_wrong_codes"),
    ("[drift\n", "not valid TOML"),
    ("[[guessing.policies]]\nname = \"x\"\ndigits = 6\nwindow = 1\nmax_wrong_codes = 5\nlock_minutes = 2.5\ncap = 0\n",
     "guessing.policies[0].lock_minutes = 2.5: a lock lasts whole minutes"),
])
def test_a_bad_parameter_file_is_refused_with_exit_code_2(tmp_path, capsys, content, message):
    file = tmp_path / "bad.toml"
    file.write_text(content)
    assert cli.main(["simulate", "drift", "--params", str(file), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"twofa simulate: {file}: ") and message in error
    assert not (tmp_path / "out").exists()  # nothing ran, nothing written


def test_a_missing_parameter_file_is_refused_with_exit_code_2(tmp_path, capsys):
    missing = tmp_path / "nowhere.toml"
    assert cli.main(["simulate", "guessing", "--params", str(missing)]) == 2
    assert capsys.readouterr().err == f"twofa simulate: {missing}: no such parameter file\n"


def test_the_parameter_file_in_the_docs_is_one_the_studies_accept(tmp_path):
    import re

    from twofa.spec import ROOT

    text = (ROOT / "docs" / "simulation.md").read_text()
    example = tmp_path / "example.toml"
    example.write_text(re.search(r"```toml\n(.*?)```", text, re.S).group(1))
    loaded = params.load(example)
    assert [p["name"] for p in loaded["guessing"]["policies"]] == ["today", "lock after 10 for 30 minutes"]
    assert loaded["guessing"]["policies"][0] == params.TODAY_POLICY
    for study in ("drift", "cost"):  # every key the docs show for these is a real one, with its default
        assert set(loaded[study]) == set(params.DEFAULTS[study])
