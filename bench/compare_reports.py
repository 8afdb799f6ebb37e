"""Compare two reports folders (e.g. a serial and a ``--workers N`` run) file by file.

    .venv/bin/python bench/compare_reports.py DIR_A DIR_B [--max-diffs N]

Files compared: junit.xml, cucumber.json, messages.ndjson, results.json, gate.json.
Before comparing, each file is normalised for what legitimately differs between two
runs of the same suite:

* durations, timestamps and wall-clock instants (``duration``, ``duration_ns``,
  ``started_ns``, ``finished_ns``, ``at_ns``, ``timestamp``; JUnit ``time``,
  ``timestamp``; the run's ``meta.started_ns`` / ``meta.finished_ns``);
* JUnit ``hostname``;
* the run's identity: ``meta.run_id`` and the gate's ``run.run_id``, ``run.started``, ``run.finished``;
  and how the run was spread over machines (``shard`` of one slice, ``shards`` of a merge of
  them, issue 11): a single run and four shards merged must compare the same;
* in free text (error messages, system-out): xdist worker names (``gw0``), pytest temp
  folders, memory addresses (``0x7f...``) and local TCP ports;
* the pixels of screenshots (attachments and embeddings whose media type is an image):
  a screen that shows a new authenticator key and its QR code differs on every run,
  serial or not, because the key comes from the OS's CSPRNG. That a screenshot is there,
  on which step, with which name and type, is still compared.

Order is NOT normalised where the writer sorts: the twofa writers (results.json,
cucumber.json, messages.ndjson, gate.json) sort by feature file, line, driver and example
and number the Cucumber Messages ids in that order, so a different order or id there is a
real difference. pytest's own junit.xml writes test cases in the order their reports reach
the controller, which under xdist is completion order; JUnit readers do not give that order
a meaning, so test cases are compared by (classname, name) regardless of order.

Prints per file "same" or its first differences (path: A value != B value). Exit status:
0 all the same, 1 some difference, 2 usage error (missing folder, nothing to compare).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable, Iterator

FILES = ("junit.xml", "cucumber.json", "messages.ndjson", "results.json", "gate.json")

# Keys whose values are timings or instants, in any of the JSON files.
TIME_KEYS = frozenset({"duration", "duration_ns", "started_ns", "finished_ns", "at_ns", "timestamp"})
# The run's identity (issue 8): a new id and the wall-clock start and end on every run, by design.
RUN_IDENTITY_KEYS = frozenset({"run_id", "started", "finished", "shard", "shards"})
# meta's own identity keys (its start and end are TIME_KEYS)
META_IDENTITY_KEYS = frozenset({"run_id", "shard", "shards"})
JUNIT_VOLATILE_ATTRS = frozenset({"time", "timestamp", "hostname"})

_TEXT_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"/[^\s'\"]*/pytest-of-[^/\s]+/pytest-\d+/(popen-gw\d+/)?"), "<tmp>/"),
    (re.compile(r"\[gw\d+\]"), "[<worker>]"),
    (re.compile(r"\bgw\d+\b"), "<worker>"),
    (re.compile(r"\b0x[0-9a-fA-F]{6,}\b"), "0x<addr>"),
    (re.compile(r"\b(127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1\]):\d+"), r"\1:<port>"),
]


def normalise_text(text: str) -> str:
    """Blank out run-specific bits of free text (worker names, temp dirs, addresses, ports)."""
    for pattern, replacement in _TEXT_RULES:
        text = pattern.sub(replacement, text)
    return text


IMAGE_TYPE_KEYS = ("media_type", "mediaType", "mime_type")
IMAGE_BODY_KEYS = frozenset({"data", "body"})


def _is_image(node: dict) -> bool:
    return any(str(node.get(k, "")).startswith("image/") for k in IMAGE_TYPE_KEYS)


def normalise_json(value: Any) -> Any:
    """Drop timing keys at any depth, blank image pixels, normalise strings; keep list order."""
    if isinstance(value, dict):
        image = _is_image(value)
        return {k: ("<image>" if image and k in IMAGE_BODY_KEYS else normalise_json(v))
                for k, v in value.items() if k not in TIME_KEYS}
    if isinstance(value, list):
        return [normalise_json(v) for v in value]
    if isinstance(value, str):
        return normalise_text(value)
    return value


def without_run_identity(run: Any) -> Any:
    """results.json's meta.{run_id, shard, shards}, and gate's run.{run_id, started, finished, shard, shards}:
    different on every run, or telling how it was spread over machines."""
    if isinstance(run, dict):
        run = dict(run)
        if isinstance(run.get("meta"), dict):
            run["meta"] = {k: v for k, v in run["meta"].items() if k not in META_IDENTITY_KEYS}
        if isinstance(run.get("gate"), dict):
            run["gate"] = without_run_identity(run["gate"])
        if isinstance(run.get("run"), dict):
            run["run"] = {k: v for k, v in run["run"].items() if k not in RUN_IDENTITY_KEYS}
    return run


def normalise_results(run: Any) -> Any:
    # meta's started_ns / finished_ns are TIME_KEYS; python/os/cpu/exit status are kept
    return normalise_json(without_run_identity(run))


def normalise_messages(envelopes: list[Any]) -> list[Any]:
    # Envelope order and ids are deterministic (sorted results, counter ids): kept as they are.
    return [normalise_json(e) for e in envelopes]


def _element(node: ET.Element) -> dict[str, Any]:
    out: dict[str, Any] = {k: normalise_text(v) for k, v in sorted(node.attrib.items()) if k not in JUNIT_VOLATILE_ATTRS}
    text = (node.text or "").strip()
    if text:
        out["#text"] = normalise_text(text)
    cases: dict[str, Any] = {}
    others: list[Any] = []
    for child in node:
        if child.tag == "testcase":
            key = f"{child.get('classname', '')}::{child.get('name', '')}"
            if key in cases:  # the same test reported twice (rerun plugins): keep both, in order
                n = 2
                while f"{key}#{n}" in cases:
                    n += 1
                key = f"{key}#{n}"
            cases[key] = _element(child)
        else:
            others.append({child.tag: _element(child)})
    if others:
        out["children"] = others
    if cases:
        out["testcases"] = dict(sorted(cases.items()))
    return out


def normalise_junit(root: ET.Element) -> dict[str, Any]:
    """JUnit XML as a dict: volatile attributes dropped, test cases keyed by classname::name."""
    return {root.tag: _element(root)}


# --- loading ----------------------------------------------------------------

def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def load_ndjson(path: Path) -> list[Any]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_junit(path: Path) -> ET.Element:
    return ET.parse(path).getroot()


NORMALISED: dict[str, Callable[[Path], Any]] = {
    "junit.xml": lambda p: normalise_junit(load_junit(p)),
    "cucumber.json": lambda p: normalise_json(load_json(p)),
    "messages.ndjson": lambda p: normalise_messages(load_ndjson(p)),
    "results.json": lambda p: normalise_results(load_json(p)),
    "gate.json": lambda p: normalise_json(without_run_identity(load_json(p))),
}


# --- differences ------------------------------------------------------------

def _label(item: Any) -> str:
    """A short hint naming a list element, so a path reads e.g. results[12]{api: Scenario name}."""
    if isinstance(item, dict):
        if len(item) == 1:  # a Cucumber Messages envelope
            return f"{{{next(iter(item))}}}"
        for key in ("nodeid", "name", "id", "key", "rule", "uri"):
            if isinstance(item.get(key), str):
                return f"{{{_short(item[key], 60)}}}"
    return ""


def _short(value: Any, width: int = 100) -> str:
    text = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= width else text[: width - 3] + "..."


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def differences(a: Any, b: Any, path: str = "", item: Callable[[int], str] | None = None) -> Iterator[str]:
    """Yield readable differences between two normalised documents, in document order.

    Lists are aligned first (difflib), so one missing or extra element is reported as
    such instead of as a shift of everything after it. ``item`` names list positions of
    the top level (default ``[i]``; ``line i+1`` for NDJSON).
    """
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a:
            sub = f"{path}.{key}" if path else str(key)
            if key not in b:
                yield f"{sub}: only in A ({_short(a[key])})"
            else:
                yield from differences(a[key], b[key], sub)
        for key in b:
            if key not in a:
                sub = f"{path}.{key}" if path else str(key)
                yield f"{sub}: only in B ({_short(b[key])})"
        return
    if isinstance(a, list) and isinstance(b, list):
        name = item or (lambda i: f"[{i}]")

        def where(i: int, element: Any) -> str:
            return f"{path}{name(i)}{_label(element)}".rstrip()
        if len(a) != len(b):
            yield f"{path or '(whole file)'}: {len(a)} items in A, {len(b)} in B"
        matcher = difflib.SequenceMatcher(None, [_canonical(x) for x in a], [_canonical(y) for y in b], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            paired = min(i2 - i1, j2 - j1)
            for k in range(paired):  # changed in place: say what changed inside
                yield from differences(a[i1 + k], b[j1 + k], where(i1 + k, a[i1 + k]))
            for i in range(i1 + paired, i2):
                yield f"{where(i, a[i])}: only in A ({_short(a[i])})"
            for j in range(j1 + paired, j2):
                yield f"{where(j, b[j])}: only in B, at B's position ({_short(b[j])})"
        return
    if a != b or type(a) is not type(b):
        yield f"{path or '(top)'}: {_short(a)} != {_short(b)}"


def compare_file(name: str, dir_a: Path, dir_b: Path, max_diffs: int = 5) -> tuple[str, list[str]]:
    """Return (verdict, lines): verdict is 'same', 'different' or 'absent' (missing from both)."""
    path_a, path_b = dir_a / name, dir_b / name
    if not path_a.exists() and not path_b.exists():
        return "absent", []
    if not path_a.exists() or not path_b.exists():
        return "different", [f"missing from {'A' if not path_a.exists() else 'B'}"]
    try:
        a, b = NORMALISED[name](path_a), NORMALISED[name](path_b)
    except (ValueError, ET.ParseError) as error:
        return "different", [f"cannot be read: {error}"]
    item = (lambda i: f"line {i + 1} ") if name.endswith(".ndjson") else None
    found = []
    for diff in differences(a, b, "", item):
        found.append(diff)
        if len(found) > max_diffs:
            break
    if not found:
        return "same", []
    if len(found) > max_diffs:
        found = found[:max_diffs] + ["... (more differences)"]
    return "different", found


def compare_dirs(dir_a: Path, dir_b: Path, max_diffs: int = 5, out=None) -> int:
    out = out or sys.stdout
    verdicts = []
    for name in FILES:
        verdict, lines = compare_file(name, dir_a, dir_b, max_diffs)
        verdicts.append(verdict)
        shown = {"same": "same", "different": "DIFFERENT", "absent": "absent from both (not compared)"}[verdict]
        print(f"{name:<16} {shown}", file=out)
        for line in lines:
            print(f"    {line}", file=out)
    if all(v == "absent" for v in verdicts):
        print("nothing to compare: no report file in either folder", file=out)
        return 2
    return 1 if "different" in verdicts else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare two twofa reports folders after normalising timings.")
    parser.add_argument("dir_a", type=Path)
    parser.add_argument("dir_b", type=Path)
    parser.add_argument("--max-diffs", type=int, default=5, help="differences shown per file (default 5)")
    args = parser.parse_args(argv)
    for folder in (args.dir_a, args.dir_b):
        if not folder.is_dir():
            print(f"compare_reports: {folder} is not a folder", file=sys.stderr)
            return 2
    print(f"A = {args.dir_a}\nB = {args.dir_b}")
    return compare_dirs(args.dir_a, args.dir_b, args.max_diffs)


if __name__ == "__main__":
    sys.exit(main())
