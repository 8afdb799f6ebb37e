"""Allure results (``allure-results/``), written from the run document.

Why not Allure's own ``allure-pytest-bdd`` adapter: it does run with pytest-bdd 9, but it
opens a result only when pytest-bdd starts a scenario, so a scenario whose fixtures fail or
skip before the first step is missing from Allure's counts (checked with 2.16.2 on
tests/reporting's sample: 13 results for 17 runs). Writing from ``results.json`` keeps
Allure's totals equal to every other report's, serial or parallel, and puts each screenshot
on the step that took it.

The format is Allure's result model (``*-result.json`` and ``*-attachment.*`` files), what
``allure generate`` reads (npm ``allure`` 3; docs/reporting.md). One result per run: the
driver and the Examples row are parameters; ids come from the node id, so a rerun of the
same scenario is the same test in Allure's history.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import uuid
from pathlib import Path
from typing import Any

from .failures import headline
from .model import CRITICAL_TAG
from .requirements import requirement_ids

FOLDER = "allure-results"
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp", "text/plain": "txt",
               "application/zip": "zip"}
_NAMESPACE = uuid.UUID("6f1c2a52-8d0e-4a57-9a43-3d1e2b7c9f10")  # fixed: the same run gives the same ids


def _ms(ns: int | None) -> int:
    return int((ns or 0) // 1_000_000)


def _status(status: str, error_type: str | None) -> str:
    """Allure tells a failed check (failed) from an unexpected error (broken)."""
    if status == "failed":
        return "failed" if error_type in (None, "AssertionError") else "broken"
    if status == "undefined":
        return "broken"
    return {"passed": "passed", "skipped": "skipped"}.get(status, "unknown")


class _Writer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def attachment(self, owner: str, n: int, item: dict[str, Any]) -> dict[str, Any]:
        media = str(item.get("media_type") or "application/octet-stream")
        source = f"{uuid.uuid5(_NAMESPACE, f'{owner}#{n}')}-attachment.{_EXTENSIONS.get(media, 'bin')}"
        (self.folder / source).write_bytes(base64.b64decode(item.get("data") or ""))
        return {"name": item.get("name") or media, "source": source, "type": media}

    def trace(self, owner: str, n: int, link: dict[str, Any], reports: Path) -> dict[str, Any] | None:
        path = reports / link["path"]
        if not path.is_file():
            return None
        source = f"{uuid.uuid5(_NAMESPACE, f'{owner}#trace{n}')}-attachment.zip"
        shutil.copyfile(path, self.folder / source)
        return {"name": link["name"], "source": source, "type": "application/zip"}

    def result(self, record: dict[str, Any], reports: Path) -> dict[str, Any]:
        owner = record["nodeid"]
        steps, counter = [], 0
        hooks = [h for h in record.get("hooks", []) if h["status"] == "failed"]
        for hook in (h for h in hooks if h["kind"] == "before"):
            steps.append(_hook_step("Before the steps: the scenario's fixtures", hook, record))
        for step in record["steps"]:
            attachments = []
            for item in step.get("attachments", []):
                counter += 1
                attachments.append(self.attachment(owner, counter, item))
            entry = {"name": f"{step['keyword'].strip()} {step['text']}", "status": _status(step["status"], step.get("error_type")),
                     "stage": "finished", "start": _ms(step.get("started_ns") or record.get("started_ns")),
                     "stop": _ms((step.get("started_ns") or record.get("started_ns") or 0) + (step.get("duration_ns") or 0)),
                     "attachments": attachments, "steps": [], "parameters": []}
            if step.get("error") and step["status"] in ("failed", "undefined"):
                entry["statusDetails"] = {"message": headline(step["error"]), "trace": step["error"]}
            steps.append(entry)
        for hook in (h for h in hooks if h["kind"] == "after"):
            steps.append(_hook_step("After the steps", hook, record))
        attachments = []
        for item in record.get("attachments", []):
            counter += 1
            attachments.append(self.attachment(owner, counter, item))
        for n, link in enumerate(record.get("links", []), start=1):
            made = self.trace(owner, n, link, reports)
            if made:
                attachments.append(made)
        worst = next((s for s in steps if s["status"] in ("failed", "broken")), None)
        status = worst["status"] if worst else _status(record["status"], None)
        full_name = f"{record['uri']}:{record['scenario_line']} {record.get('scenario_title') or record['scenario_name']}"
        parameters = ([{"name": "driver", "value": record["driver"]}] if record.get("driver") else []) + [
            {"name": k, "value": v} for k, v in (record.get("example") or {}).items()]
        result = {
            "uuid": str(uuid.uuid5(_NAMESPACE, owner)),
            "historyId": hashlib.md5(owner.encode()).hexdigest(),
            "testCaseId": hashlib.md5(full_name.encode()).hexdigest(),
            "fullName": full_name,
            "name": record["scenario_name"],
            "status": status,
            "stage": "finished",
            "start": _ms(record.get("started_ns")),
            "stop": _ms((record.get("started_ns") or 0) + (record.get("duration_ns") or 0)),
            "labels": _labels(record),
            "parameters": parameters,
            "links": [],
            "steps": steps,
            "attachments": attachments,
        }
        if worst and "statusDetails" in worst:
            result["statusDetails"] = dict(worst["statusDetails"])
        rerun = record.get("evidence_rerun")
        if rerun and not rerun.get("failed_again"):  # Allure's mark for a failure that comes and goes; still failed
            result.setdefault("statusDetails", {})["flaky"] = True
        elif record.get("skip_reason"):
            result["statusDetails"] = {"message": record["skip_reason"]}
        return result


def _hook_step(name: str, hook: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    start = _ms(record.get("started_ns"))
    return {"name": name, "status": "broken", "stage": "finished", "start": start, "stop": start, "steps": [],
            "attachments": [], "parameters": [],
            "statusDetails": {"message": headline(hook.get("error")), "trace": hook.get("error") or ""}}


def _labels(record: dict[str, Any]) -> list[dict[str, str]]:
    labels = [{"name": "framework", "value": "pytest-bdd"}, {"name": "language", "value": "python"},
              {"name": "parentSuite", "value": "acceptance"}, {"name": "suite", "value": record.get("feature_name") or record["uri"]},
              {"name": "feature", "value": record.get("feature_name") or record["uri"]},
              {"name": "severity", "value": "critical" if CRITICAL_TAG in record["tags"] else "normal"}]
    if record.get("driver"):
        labels.append({"name": "subSuite", "value": record["driver"]})
    labels += [{"name": "story", "value": rid} for rid in requirement_ids(record["tags"])]
    labels += [{"name": "tag", "value": tag} for tag in record["tags"]]
    return labels


def _environment(run: dict[str, Any]) -> str:
    """Allure's environment.properties: the run's identity beside the results."""
    from . import identity

    ident = identity.for_gate(run)
    pairs = {"run": ident["run_id"], "started": ident["started"], "drivers": ", ".join(ident["drivers"]),
             "seed": ident["seed"], "commit": (ident["commit"] or {}).get("sha", "not in git"),
             **{f"tool.{k}": v for k, v in ident["tools"].items()}}
    return "".join(f"{k}={str(v).replace(chr(10), ' ')}\n" for k, v in pairs.items())


def write(run: dict[str, Any], reports: Path) -> Path:
    """Replace ``reports/allure-results`` with this run's results; returns the folder."""
    folder = reports / FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    writer = _Writer(folder)
    for record in run["results"]:
        result = writer.result(record, reports)
        (folder / f"{result['uuid']}-result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "environment.properties").write_text(_environment(run), encoding="utf-8")
    return folder
