"""The slices of ``--shard I/N`` (twofa/shard.py): a partition, even without durations,
balanced with them, the same on every machine."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from twofa.shard import parse_shard, read_durations, split


@dataclass(frozen=True)
class Item:  # what the algorithm reads of a pytest item: its node id and its name
    nodeid: str

    def __str__(self):
        return f"<Function {self.nodeid.split('::')[-1]}>"


ITEMS = [Item(f"tests/acceptance/test_scenarios.py::test_{n:02d}[domain]") for n in range(10)]


def _slices(count, durations):
    return [[item.nodeid for item in group.selected] for group in split(list(ITEMS), count, durations)]


def test_without_durations_the_slices_are_even_and_the_same_every_time():
    slices = _slices(4, {})
    assert sorted(len(s) for s in slices) == [2, 2, 3, 3]
    assert sorted(n for s in slices for n in s) == [item.nodeid for item in ITEMS]  # each run exactly once
    assert _slices(4, {}) == slices


def test_the_longest_runs_are_shared_out_first():
    durations = {item.nodeid: 1.0 for item in ITEMS} | {ITEMS[3].nodeid: 9.0}
    slices = _slices(2, durations)
    alone = next(s for s in slices if ITEMS[3].nodeid in s)
    assert alone == [ITEMS[3].nodeid]  # 9 s on one runner, the nine 1 s runs on the other
    assert sorted(n for s in slices for n in s) == [item.nodeid for item in ITEMS]


@pytest.mark.parametrize("text, message", [
    ("2", "--shard takes I/N, the I-th of N slices (e.g. 2/4), not '2'"),
    ("0/4", "--shard 0/4: I must be between 1 and N, and N at least 1"),
    ("5/4", "--shard 5/4: I must be between 1 and N, and N at least 1"),
])
def test_a_wrong_shard_is_named(text, message):
    with pytest.raises(ValueError) as error:
        parse_shard(text)
    assert str(error.value) == message
    assert parse_shard(" 2/4 ") == (2, 4)


def test_an_unreadable_durations_file_stops_the_shard(tmp_path):
    path = tmp_path / "durations.json"
    assert read_durations(path) == {}  # none yet: an even split
    path.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(pytest.UsageError, match="is not JSON"):
        read_durations(path)
    path.write_text(json.dumps({"a": "slow"}), encoding="utf-8")
    with pytest.raises(pytest.UsageError, match=r"is not \{node id: seconds\}"):
        read_durations(path)
