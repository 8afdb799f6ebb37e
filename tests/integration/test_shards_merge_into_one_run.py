"""A run spread over machines reports as one: ``twofa accept --shard I/N`` on each, then
``twofa report --merge``. The merged folder must compare the same as a single run's
(bench/compare_reports.py: the same but for timings and the run's identity), every run
must land in exactly one shard, and a merge with a shard missing must not read as proven.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from bench.compare_reports import compare_dirs
from twofa.reporting.merge import MergeError, merge
from twofa.spec import ROOT

# Its tests share a module fixture that runs the suite: one xdist worker makes it once (twofa test).
pytestmark = pytest.mark.xdist_group("shards")

# A few scenarios of two capabilities, through the in-process driver: seconds, not minutes.
SELECTION = "wrong_codes or sms"


def _accept(reports, *options):
    done = subprocess.run([sys.executable, "-m", "twofa.cli", "accept", f"--reports={reports}", "--driver", "domain",
                           "-k", SELECTION, "-q", *options],
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: the gate of a -k selection proves little
    return json.loads((reports / "results.json").read_text(encoding="utf-8"))


# Session scope: on an xdist worker the group's tests may be interleaved with other modules,
# and a module fixture is torn down and made again each time its module is re-entered.
@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("shards")
    single = _accept(base / "single")
    # The durations the single run wrote balance the shards, as on CI after a whole run.
    durations = base / "single" / "durations.json"
    shards = [_accept(base / f"shard-{i}", "--shard", f"{i}/2", "--shard-durations", str(durations)) for i in (1, 2)]
    return base, single, shards


def _ran(run):
    return {record["nodeid"] for record in run["results"]}


def test_every_run_lands_in_exactly_one_shard(runs):
    _, single, (first, second) = runs
    assert len(_ran(single)) >= 6
    assert _ran(first) and _ran(second)
    assert not _ran(first) & _ran(second)
    assert _ran(first) | _ran(second) == _ran(single)
    assert {r["skip_reason"] for r in first["not_run"] if r["nodeid"] in _ran(second)} == {"in shard 2/2"}


def test_the_merged_shards_report_what_a_single_run_reports(runs):
    base, single, _ = runs
    merged = merge([base / "shard-1", base / "shard-2"], base / "merged", ROOT)
    out = io.StringIO()
    assert compare_dirs(base / "single", base / "merged", out=out) == 0, out.getvalue()
    assert merged["meta"]["shards"] == {"count": 2, "merged": ["1/2", "2/2"], "missing": []}
    for name in ("living-doc.html", "cucumber.json", "messages.ndjson", "gate.json", "junit.xml", "allure-results"):
        assert (base / "merged" / name).exists(), name
    assert merged["gate"]["runs_per_driver"] == single["gate"]["runs_per_driver"]


def test_a_missing_shard_is_not_proven(runs):
    base, single, (first, second) = runs
    merged = merge([base / "shard-1"], base / "half", ROOT)
    assert merged["gate"]["passed"] is False
    completed = next(rule for rule in merged["gate"]["rules"] if rule["rule"] == "run_completed")
    assert completed == {**completed, "held": False,
                         "reason": "shard 2/2 missing from the merge: their scenarios did not run"}
    assert _ran(merged) == _ran(first)
    assert {r["nodeid"] for r in merged["not_run"] if r["skip_reason"] == "in shard 2/2"} == _ran(second)
    # No requirement that only shard 2 proves reads as proven.
    only_second = {c["id"] for c in single["coverage"] if c["status"] == "proven"} - {
        c["id"] for c in first["coverage"] if c["status"] == "proven"}
    assert only_second
    statuses = {c["id"]: c["status"] for c in merged["coverage"] if c["id"] in only_second}
    assert set(statuses.values()) <= {"not proven", "partly proven"}, statuses


def test_shards_of_other_runs_do_not_merge(runs):
    base, _, _ = runs
    with pytest.raises(MergeError, match="shard 1/2 is given twice"):
        merge([base / "shard-1", base / "shard-1"], base / "twice", ROOT)
    with pytest.raises(MergeError, match="holds a whole run, not a shard's"):
        merge([base / "single", base / "shard-1"], base / "mixed", ROOT)
    with pytest.raises(MergeError, match="is one of the shards"):
        merge([base / "shard-1", base / "shard-2"], base / "shard-1", ROOT)
