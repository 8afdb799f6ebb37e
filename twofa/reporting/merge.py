"""``twofa report --merge DIR...``: join the reports of ``twofa accept --shard I/N`` runs.

Each shard's ``results.json`` holds every collected run: its own as results, the other
shards' as not run ("in shard J/N"). The merge takes each run's result from the shard that
ran it and rebuilds the run document, the gate and every report a single run writes
(``plugin.judge_and_write``), so the merged folder compares the same as a single run's but
for timings and the run's identity (``bench/compare_reports.py``). ``junit.xml``, which
pytest itself writes, is joined test case by test case; the shards' browser evidence
(``ui-failures/``) is copied beside it.

What makes a merge refuse (exit 2, nothing written): a folder without results.json or not
written by a shard, shards of different splits (N), of different commits or of different
selections (drivers, -k, --tags: the collected runs differ), of different targets or
known-deviations files, the same shard twice, or a run that two shards both ran. Shards of a
conformance run are judged together against the target's known deviations, as one run is. A shard that is missing is not an error to hide: its runs stay
"not run", so no requirement they prove reads as proven, and the gate's ``run_completed``
rule fails, naming the missing shards.
"""

from __future__ import annotations

import json
import shutil
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from .files import RESULTS
from .gate import load_policy
from .plugin import DEFAULT_REQUIREMENTS, judge_and_write

JUNIT = "junit.xml"
EVIDENCE = "ui-failures"
# pytest's exit statuses: the run broke (worst first), tests failed, nothing collected.
_BROKE = (3, 2, 4)


class MergeError(ValueError):
    """The folders cannot be merged into one run; the message says why."""


def _read_shard(folder: Path) -> dict[str, Any]:
    path = folder / RESULTS
    if not path.is_file():
        raise MergeError(f"{folder} has no {RESULTS}: did its `twofa accept --shard I/N` run finish?")
    try:
        run = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise MergeError(f"{path} is not JSON: {error}") from None
    shard = (run.get("meta") or {}).get("shard")
    if not shard:
        raise MergeError(f"{folder} holds a whole run, not a shard's: merge the folders of `twofa accept --shard I/N` runs")
    index, count = (int(part) for part in shard.split("/"))
    run["_shard"] = (index, count)
    return run


def _collected(run: dict[str, Any]) -> set[str]:
    return {r["nodeid"] for r in [*run["results"], *run.get("not_run", [])]}


def _check(shards: list[dict[str, Any]]) -> int:
    """The split's N, after checking the shards belong to one split of one run."""
    counts = {run["_shard"][1] for run in shards}
    if len(counts) > 1:
        raise MergeError(f"the shards come from different splits ({', '.join(run['meta']['shard'] for run in shards)})")
    seen: dict[int, str] = {}
    for run in shards:
        index = run["_shard"][0]
        if index in seen:
            raise MergeError(f"shard {run['meta']['shard']} is given twice")
        seen[index] = run["meta"]["shard"]
    targets = {run["meta"].get("target") or "reference" for run in shards}
    if len(targets) > 1:
        raise MergeError(f"the shards ran against different targets ({', '.join(sorted(targets))})")
    files = {(run.get("deviations") or {}).get("file") for run in shards}
    if len(files) > 1:
        raise MergeError("the shards were judged against different known-deviations files: "
                         + ", ".join(sorted(str(f) for f in files)))
    commits = {((run["meta"].get("commit") or {}).get("sha")) for run in shards}
    if len(commits) > 1:
        raise MergeError("the shards ran different commits: " + ", ".join(sorted(str(c)[:10] for c in commits)))
    first = shards[0]
    for run in shards[1:]:
        if _collected(run) != _collected(first):
            raise MergeError(f"shards {first['meta']['shard']} and {run['meta']['shard']} collected different scenario runs "
                             "(other drivers, -k or --tags?): run every shard with the same options")
    return counts.pop()


def _meta(shards: list[dict[str, Any]], count: int) -> dict[str, Any]:
    metas = [run["meta"] for run in shards]
    meta = {key: value for key, value in metas[0].items() if key != "shard"}
    statuses = [m.get("pytest_exitstatus", 0) for m in metas]
    broke = [s for s in _BROKE if s in statuses]
    present = {run["_shard"][0] for run in shards}
    meta.update(
        run_id=uuid.uuid4().hex[:12],
        started_ns=min(m.get("started_ns") or 0 for m in metas),
        finished_ns=max(m.get("finished_ns") or 0 for m in metas),
        # A shard that ran nothing (5) is no failure of the whole; one that broke is.
        pytest_exitstatus=broke[0] if broke else (1 if 1 in statuses else 0),
        shards={"count": count, "merged": [f"{i}/{count}" for i in sorted(present)],
                "missing": [f"{i}/{count}" for i in range(1, count + 1) if i not in present]},
    )
    return meta


def merge_junit(folders: list[Path], target: Path) -> None:
    """One <testsuite> with every shard's test cases and the counts added up, as pytest
    writes for a single run. Shards without a junit.xml add nothing."""
    suites = [ET.parse(folder / JUNIT).getroot().find("testsuite") for folder in folders if (folder / JUNIT).is_file()]
    suites = [suite for suite in suites if suite is not None]
    if not suites:
        return
    root = ET.Element("testsuites", {"name": "pytest tests"})
    merged = ET.SubElement(root, "testsuite", dict(suites[0].attrib))
    for key in ("errors", "failures", "skipped", "tests"):
        merged.set(key, str(sum(int(suite.get(key, "0")) for suite in suites)))
    merged.set("time", f"{sum(float(suite.get('time', '0')) for suite in suites):.3f}")
    for suite in suites:
        merged.extend(list(suite))
    tmp = target.with_name(target.name + ".tmp")
    ET.ElementTree(root).write(tmp, encoding="utf-8", xml_declaration=True)
    tmp.replace(target)


def merge(folders: list[Path], outdir: Path, rootdir: Path) -> dict[str, Any]:
    """Merge the shards' reports into ``outdir``; returns the merged run document."""
    from twofa.shard import DURATIONS, write_durations

    if not folders:
        raise MergeError("name the shards' report folders: twofa report --merge DIR [DIR ...]")
    if any(folder.resolve() == outdir.resolve() for folder in folders):
        raise MergeError(f"{outdir} is one of the shards: write the merged reports to another folder (--reports)")
    shards = sorted((_read_shard(folder) | {"_folder": folder} for folder in folders), key=lambda run: run["_shard"])
    count = _check(shards)
    results: dict[str, dict[str, Any]] = {}
    for run in shards:
        for record in run["results"]:
            if record["nodeid"] in results:
                raise MergeError(f"{record['nodeid']} ran in two shards: were they split by different durations files?")
            results[record["nodeid"]] = record
    not_run: dict[str, dict[str, Any]] = {}
    for run in shards:
        for record in run.get("not_run", []):
            if record["nodeid"] not in results:
                not_run.setdefault(record["nodeid"], record)
    requirements = shards[0].get("requirements_file") or DEFAULT_REQUIREMENTS
    policy = load_policy(rootdir / "pyproject.toml")
    outdir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(outdir / EVIDENCE, ignore_errors=True)
    for run in shards:  # evidence files, linked from the records by paths relative to the folder
        if (run["_folder"] / EVIDENCE).is_dir():
            shutil.copytree(run["_folder"] / EVIDENCE, outdir / EVIDENCE, dirs_exist_ok=True)
    # A conformance run's shards are judged together against the target's known deviations.
    deviations_file = (shards[0].get("deviations") or {}).get("file")
    run = judge_and_write(results.values(), not_run.values(), _meta(shards, count), rootdir, rootdir / requirements,
                          policy, outdir, deviations_file)
    merge_junit([run["_folder"] for run in shards], outdir / JUNIT)
    if not run["meta"]["shards"]["missing"]:  # the next split is balanced by the whole run's times
        write_durations(run["results"], outdir / DURATIONS)
    return run
