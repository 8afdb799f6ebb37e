"""bench/compare_reports.py: what it forgives between two runs, and what it does not."""

import json
import xml.etree.ElementTree as ET

from bench import compare_reports as cr


def diffs(a, b, **kwargs):
    return list(cr.differences(a, b, **kwargs))


def junit(cases: str, *, time="1.234", stamp="2026-01-01T10:00:00", host="vm", failures=0) -> dict:
    text = (
        f'<testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="{failures}" skipped="0" '
        f'tests="2" time="{time}" timestamp="{stamp}" hostname="{host}">{cases}</testsuite></testsuites>'
    )
    return cr.normalise_junit(ET.fromstring(text))


CASE_A = '<testcase classname="t.s" name="test_a[domain]" time="{t}" />'
CASE_B = '<testcase classname="t.s" name="test_b[api]" time="{t}" />'


def test_json_timings_and_instants_are_dropped_at_any_depth():
    serial = {"meta": {"started_ns": 1, "finished_ns": 2, "python": "3.11"},
              "results": [{"status": "passed", "duration_ns": 10, "steps": [{"started_ns": 5, "duration_ns": 3}]}]}
    parallel = {"meta": {"started_ns": 7, "finished_ns": 9, "python": "3.11"},
                "results": [{"status": "passed", "duration_ns": 99, "steps": [{"started_ns": 8, "duration_ns": 4}]}]}
    assert diffs(cr.normalise_results(serial), cr.normalise_results(parallel)) == []


def test_cucumber_json_step_duration_is_forgiven_but_a_changed_status_is_reported():
    def feature(status, duration):
        return [{"name": "Reset", "elements": [{"name": "A reset [api]", "steps": [
            {"name": "an administrator", "result": {"status": status, "duration": duration}}]}]}]

    assert diffs(cr.normalise_json(feature("passed", 100)), cr.normalise_json(feature("passed", 250))) == []
    found = diffs(cr.normalise_json(feature("passed", 100)), cr.normalise_json(feature("failed", 100)))
    assert len(found) == 1
    assert "result.status: 'passed' != 'failed'" in found[0]
    assert "'A reset [api]'" in found[0]  # the path names the scenario, not only its index


def test_messages_timestamps_and_durations_are_forgiven_but_not_ids_or_order():
    def run(t, status="PASSED", ids=("case-1", "case-2")):
        return [{"testRunStarted": {"id": "run-1", "timestamp": {"seconds": t, "nanos": 5}}}] + [
            {"testStepFinished": {"testCaseStartedId": i, "testStepResult": {"status": status, "duration": {"seconds": 0, "nanos": t}},
                                  "timestamp": {"seconds": t, "nanos": 0}}} for i in ids]

    assert diffs(cr.normalise_messages(run(1)), cr.normalise_messages(run(2))) == []
    assert diffs(cr.normalise_messages(run(1)), cr.normalise_messages(run(1, status="FAILED")))
    # The writer numbers ids in its sorted order: other ids (or another order) are a real difference.
    assert diffs(cr.normalise_messages(run(1)), cr.normalise_messages(run(1, ids=("case-2", "case-1"))))


def test_a_missing_ndjson_line_is_reported_once_not_as_a_shift_of_every_later_line():
    a = [{"n": i} for i in range(20)]
    b = a[:5] + a[6:]
    found = diffs(a, b, item=lambda i: f"line {i + 1} ")
    assert found == ["(whole file): 20 items in A, 19 in B", 'line 6 {n}: only in A ({"n": 5})']


def test_junit_time_timestamp_and_hostname_are_forgiven_and_case_order_is_free():
    serial = junit(CASE_A.format(t="0.1") + CASE_B.format(t="0.2"))
    parallel = junit(CASE_B.format(t="0.9") + CASE_A.format(t="0.3"), time="9.9", stamp="2026-02-02T00:00:00", host="ci-7")
    assert diffs(serial, parallel) == []


def test_junit_failure_is_reported_with_the_test_name():
    passing = junit(CASE_A.format(t="0.1") + CASE_B.format(t="0.2"))
    failing = junit(CASE_A.format(t="0.1") + '<testcase classname="t.s" name="test_b[api]" time="0.2">'
                    '<failure message="boom">trace</failure></testcase>', failures=1)
    found = diffs(passing, failing)
    assert any("failures: '0' != '1'" in d for d in found)
    assert any("t.s::test_b[api]" in d and "only in B" in d and "boom" in d for d in found)


def test_junit_missing_test_case_is_reported():
    both = junit(CASE_A.format(t="0.1") + CASE_B.format(t="0.2"))
    one = junit(CASE_A.format(t="0.1"))
    assert any("t.s::test_b[api]: only in A" in d for d in diffs(both, one))


def test_worker_names_temp_dirs_addresses_and_ports_are_forgiven_in_text():
    serial = "at <Db object at 0x7f00aa11bb22> in /tmp/pytest-of-root/pytest-3/test_x0/db, http://127.0.0.1:41234/login"
    parallel = "at <Db object at 0x7f99cc33dd44> in /tmp/pytest-of-root/pytest-8/popen-gw1/test_x0/db, http://127.0.0.1:38001/login"
    assert cr.normalise_text(serial) == cr.normalise_text(parallel)
    assert cr.normalise_text("[gw0] PASSED") == cr.normalise_text("[gw1] PASSED")
    # Numbers that are not addresses or ports stay: a code or a count is content.
    assert cr.normalise_text("code 123456 refused, 3 attempts") == "code 123456 refused, 3 attempts"


def test_compare_dirs_prints_per_file_verdicts_and_exit_status(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, status, seconds in ((a, "passed", 1), (b, "passed", 2)):
        folder.mkdir()
        (folder / "results.json").write_text(json.dumps({"results": [{"nodeid": "t::x", "status": status, "duration_ns": seconds}]}))
        (folder / "gate.json").write_text(json.dumps({"passed": True}))
    assert cr.compare_dirs(a, b) == 0
    out = capsys.readouterr().out
    assert "results.json     same" in out and "gate.json        same" in out
    assert "junit.xml        absent from both" in out

    (b / "results.json").write_text(json.dumps({"results": [{"nodeid": "t::x", "status": "failed", "duration_ns": 2}]}))
    (b / "cucumber.json").write_text("[]")
    assert cr.compare_dirs(a, b) == 1
    out = capsys.readouterr().out
    assert "results[0]{'t::x'}.status: 'passed' != 'failed'" in out
    assert "cucumber.json    DIFFERENT\n    missing from A" in out


def test_nothing_to_compare_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert cr.main([str(tmp_path / "a"), str(tmp_path / "b")]) == 2
    assert cr.main([str(tmp_path / "a"), str(tmp_path / "nowhere")]) == 2


def test_screenshot_pixels_are_not_compared_but_their_presence_is():
    from bench.compare_reports import normalise_json

    a = {"attachments": [{"media_type": "image/jpeg", "name": "screen", "data": "AAAA"}]}
    b = {"attachments": [{"media_type": "image/jpeg", "name": "screen", "data": "BBBB"}]}
    assert normalise_json(a) == normalise_json(b)
    assert normalise_json(a) != normalise_json({"attachments": []})
    text = {"attachments": [{"media_type": "text/plain", "data": "AAAA"}]}
    assert normalise_json(text) != normalise_json({"attachments": [{"media_type": "text/plain", "data": "BBBB"}]})


def test_the_runs_identity_is_forgiven_but_not_the_verdict():
    def gate(run_id, started, verdict):
        return {"verdict": verdict, "run": {"run_id": run_id, "started": started, "finished": started, "drivers": ["domain"]}}

    serial, parallel = gate("aaa", "2026-01-01 10:00:00 UTC", "pass"), gate("bbb", "2026-01-01 10:01:00 UTC", "pass")
    assert diffs(cr.normalise_json(cr.without_run_identity(serial)), cr.normalise_json(cr.without_run_identity(parallel))) == []
    assert diffs(cr.normalise_results({"meta": {"run_id": "aaa"}, "gate": serial}),
                 cr.normalise_results({"meta": {"run_id": "bbb"}, "gate": parallel})) == []
    failed = gate("bbb", "2026-01-01 10:01:00 UTC", "fail")
    assert diffs(cr.normalise_json(cr.without_run_identity(serial)), cr.normalise_json(cr.without_run_identity(failed)))
