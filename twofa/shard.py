"""pytest plugin ``twofa_shard``: ``--twofa-shard I/N`` runs the I-th of N slices of the suite.

For CI systems that spread one run over many machines (``twofa accept --shard 2/4`` on the
second of four runners, then ``twofa report --merge`` over their reports). The slicing is
pytest-split's ``least_duration`` algorithm, called directly: the longest runs go first,
each to the slice with the least time so far, by the durations of the last run (a JSON file
``{node id: seconds}``, pytest-split's own format, that every whole run writes beside its
reports). A run missing from the file counts as the average of those present; with no file
every run counts the same, so the slices are even in number. The algorithm breaks ties by
the collection order, which is the same on every machine that has the same checkout, and
reads no clock: every shard given the same durations file computes the same partition, so
each scenario run lands in exactly one slice.

Why not pytest-split's own plugin (``--splits/--group``): its selection runs at the same
priority as the harness's own (not applicable runs, ``--tags``), and which of them runs
first depends on registration order; a hook wrapper here slices what is left after all of
them. Its ``--store-durations`` reads pytest's timer, which freezegun freezes inside a
scenario; the reports' own durations (a real monotonic clock) are written instead.

The runs of the other slices are deselected with the reason "in shard J/N": a report
merged from shards where one is missing shows them as not run, never as proven.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

SHARD_KEY = pytest.StashKey[tuple[int, int]]()
# Why a run was left out of this slice; read by the reports (collecting.not_run_record).
NOT_IN_SHARD_KEY = pytest.StashKey[str]()
# The slice's estimated seconds, for the line printed after collection.
_ESTIMATE_KEY = pytest.StashKey[float]()
DURATIONS = "durations.json"
_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(text: str) -> tuple[int, int]:
    """'2/4' -> (2, 4). Raises ValueError with a sentence a person can act on."""
    match = _SHARD.match(text or "")
    if not match:
        raise ValueError(f"--shard takes I/N, the I-th of N slices (e.g. 2/4), not {text!r}")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise ValueError(f"--shard {text}: I must be between 1 and N, and N at least 1")
    return index, count


def shard_label(shard: tuple[int, int]) -> str:
    return f"{shard[0]}/{shard[1]}"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("twofa")
    group.addoption("--twofa-shard", metavar="I/N", default=None,
                    help="run only the I-th of N slices of the collected scenario runs, balanced by --twofa-durations")
    group.addoption("--twofa-durations", metavar="PATH", default=None,
                    help=f"the last run's durations ({{node id: seconds}}, pytest-split's format; default reports/{DURATIONS})")


def pytest_configure(config: pytest.Config) -> None:
    text = config.getoption("twofa_shard", None)
    if text is None:
        return
    try:
        config.stash[SHARD_KEY] = parse_shard(text)
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None


def durations_path(config: pytest.Config) -> Path:
    chosen = config.getoption("twofa_durations", None)
    return Path(config.invocation_params.dir, chosen) if chosen else config.rootpath / "reports" / DURATIONS


def read_durations(path: Path) -> dict[str, float]:
    """The durations file; an absent one is no durations (an even split). A file that is there
    but unreadable is an error: shards that silently fell back to an even split while others
    read the file would overlap and leave gaps."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise pytest.UsageError(f"durations file {path} is not JSON ({error}); delete it or pass another with --shard-durations") from None
    if not isinstance(data, dict) or not all(isinstance(v, (int, float)) for v in data.values()):
        raise pytest.UsageError(f"durations file {path} is not {{node id: seconds}}; delete it or pass another with --shard-durations")
    return {str(k): float(v) for k, v in data.items()}


def split(items: list[pytest.Item], count: int, durations: dict[str, float]) -> list[Any]:
    """pytest-split's least_duration groups: (selected, deselected, estimated seconds) per slice."""
    from pytest_split.algorithms import Algorithms

    return Algorithms.least_duration.value(count, items, durations)


# A wrapper: after every other plugin (the harness's not applicable runs, --tags, -k) has
# chosen, so the slices share out only what will run.
@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]):
    result = yield
    shard = config.stash.get(SHARD_KEY, None)
    if shard is None:
        return result
    index, count = shard
    groups = split(items, count, read_durations(durations_path(config)))
    for number, group in enumerate(groups, start=1):
        if number != index:
            for item in group.selected:
                item.stash[NOT_IN_SHARD_KEY] = f"in shard {number}/{count}"
    mine = groups[index - 1]
    config.stash[_ESTIMATE_KEY] = mine.duration
    deselected = [item for item in items if NOT_IN_SHARD_KEY in item.stash]
    items[:] = mine.selected
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    return result


def pytest_report_collectionfinish(config: pytest.Config, items: list[pytest.Item]) -> str | None:
    shard = config.stash.get(SHARD_KEY, None)
    if shard is None or _ESTIMATE_KEY not in config.stash:  # an xdist controller does not collect
        return None
    path = durations_path(config)
    basis = f"durations from {path}" if path.is_file() else f"no durations file ({path}): an even split"
    return (f"shard {shard_label(shard)}: {len(items)} runs, about {config.stash.get(_ESTIMATE_KEY, 0.0):.1f} s "
            f"by the last run ({basis})")


def write_durations(results: list[dict[str, Any]], path: Path) -> None:
    """Update the durations file with these runs' times, keeping the entries of runs not in
    this run (a run with -k must not forget the rest of the suite's times)."""
    try:
        known = read_durations(path)
    except pytest.UsageError:
        known = {}  # an unreadable file is replaced by a good one
    for record in results:
        if record.get("nodeid") and record.get("duration_ns"):
            known[record["nodeid"]] = round(record["duration_ns"] / 1e9, 4)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(dict(sorted(known.items())), indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
