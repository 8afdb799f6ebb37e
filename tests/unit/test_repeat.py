"""twofa accept --repeat: a scenario whose verdict changes between runs is reported."""

from twofa.cli import _drop_values
from twofa.repeat import changes


def test_only_scenarios_whose_verdict_changed_are_reported():
    runs = [{"a[domain]": "passed", "b[ui]": "failed", "c[api]": "passed"},
            {"a[domain]": "passed", "b[ui]": "failed", "c[api]": "failed"},
            {"a[domain]": "passed", "b[ui]": "failed"}]
    assert changes(runs) == [{"scenario": "c[api]", "statuses": ["passed", "failed", "absent"]}]


def test_no_change_no_report():
    assert changes([{"a": "passed"}, {"a": "passed"}]) == []


def test_each_run_gets_the_arguments_without_repeat_and_reports():
    argv = ["--repeat", "10", "--driver", "ui", "--reports=out", "-k", "lock", "--repeat=3"]
    assert _drop_values(argv, ("--repeat", "--reports")) == ["--driver", "ui", "-k", "lock"]
