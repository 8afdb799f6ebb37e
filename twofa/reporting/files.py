"""Writing the report files, all derived from one run document."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from . import allure, cucumber_json, livingdoc, messages

RESULTS = "results.json"
CUCUMBER = "cucumber.json"
MESSAGES = "messages.ndjson"
GATE = "gate.json"
LIVING_DOC = "living-doc.html"


def _write(path: Path, text: str) -> None:
    # Write then rename: a reader (or a crashed run) never sees half a file.
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _json(data: Any) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def write_all(run: dict[str, Any], outdir: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    _write(outdir / RESULTS, _json(run))
    _write(outdir / CUCUMBER, _json(cucumber_json.build(run)))
    _write(outdir / MESSAGES, messages.dumps(run))
    _write(outdir / GATE, _json(run["gate"]))
    _write(outdir / LIVING_DOC, livingdoc.render(run))
    allure.write(run, outdir)


def rebuild_html(reports_dir: str | os.PathLike[str]) -> Path:
    """Regenerate living-doc.html from results.json, without running tests.

    Returns the path of the written page. Raises FileNotFoundError when the
    folder has no results.json.
    """
    folder = Path(reports_dir)
    run = json.loads((folder / RESULTS).read_text(encoding="utf-8"))
    target = folder / LIVING_DOC
    _write(target, livingdoc.render(run))
    return target
