"""The requirements side by side, one column per target: where the products differ.

    twofa side-by-side reference=reports flask-security=reports/flask-security [--out PATH]

Each column is read from a run's results.json (``twofa accept --target NAME --reports DIR``):
a requirement *holds* on a target when every scenario of it that applies passed, is *violated*
when one failed (with the evidence: the failed scenarios and, for a known deviation, what the
product answered), is *not applicable* with the reason the target gave, or is not proven (some
scenario did not run). Nothing is judged here; the page only puts the runs next to each other.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from .requirements import BROKEN, NOT_APPLICABLE, PROVEN

WORDS = {PROVEN: "holds", BROKEN: "violated", NOT_APPLICABLE: "not applicable"}
COLOURS = {PROVEN: "#d7f5dd", BROKEN: "#fbd9d3", NOT_APPLICABLE: "#e8e8e8"}


def read_run(folder: Path) -> dict[str, Any]:
    path = Path(folder) / "results.json"
    if not path.is_file():
        raise FileNotFoundError(f"no results.json in {folder} (run `twofa accept --target NAME --reports {folder}` first)")
    return json.loads(path.read_text())


def _reasons(run: dict[str, Any]) -> dict[str, str]:
    """Why a requirement is not applicable: the target's reason, by requirement id."""
    found: dict[str, str] = {}
    for record in run.get("not_run", []):
        if record.get("status") == "not applicable":
            for tag in record["tags"]:
                if tag.startswith("req-"):
                    found.setdefault(tag[4:], record.get("skip_reason") or "")
    return found


def _evidence(run: dict[str, Any]) -> dict[str, list[str]]:
    """What the product answered in a known deviation, by requirement id."""
    found: dict[str, list[str]] = {}
    for entry in (run.get("deviations") or {}).get("entries", []):
        for requirement in entry["requirement"].split(","):
            found.setdefault(requirement.strip(), []).append(f"{entry['scenario']}: {entry['expected']}, but {entry['answered']}")
    return found


def cell(entry: dict[str, Any] | None, reasons: dict[str, str], evidence: dict[str, list[str]]) -> str:
    if entry is None:
        return '<td class="none">not run</td>'
    status = entry["status"]
    word = WORDS.get(status, status)
    details: list[str] = []
    if status == BROKEN:
        details = evidence.get(entry["id"]) or [f"{s['name']} (failed on {', '.join(s['failed_on'])})"
                                                for s in entry["scenarios"] if s["failed_on"]]
    elif status == NOT_APPLICABLE and entry["id"] in reasons:
        details = [reasons[entry["id"]]]
    more = "".join(f"<li>{html.escape(d)}</li>" for d in details)
    colour = COLOURS.get(status, "#fff3c4")
    return (f'<td style="background:{colour}"><strong>{html.escape(word)}</strong>'
            + (f"<details><summary>why</summary><ul>{more}</ul></details>" if more else "") + "</td>")


def page(columns: list[tuple[str, dict[str, Any]]]) -> str:
    requirements: dict[str, str] = {}
    for _, run in columns:
        for requirement in run.get("requirements", []):
            requirements.setdefault(requirement["id"], requirement["title"])
    coverage = [({c["id"]: c for c in run.get("coverage", [])}, _reasons(run), _evidence(run)) for _, run in columns]
    head = "".join(f"<th>{html.escape(name)}</th>" for name, _ in columns)
    rows = []
    for requirement_id, title in requirements.items():
        statuses = {by_id.get(requirement_id, {}).get("status") for by_id, _, _ in coverage}
        differ = ' class="differ"' if len(statuses) > 1 else ""
        cells = "".join(cell(by_id.get(requirement_id), reasons, evidence) for by_id, reasons, evidence in coverage)
        rows.append(f"<tr{differ}><th scope=\"row\">{html.escape(requirement_id)}</th><td>{html.escape(title)}</td>{cells}</tr>")
    totals = "".join(
        "<td>" + ", ".join(f"{sum(1 for c in by_id.values() if c['status'] == s)} {WORDS[s]}" for s in WORDS) + "</td>"
        for by_id, _, _ in coverage)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Requirements side by side</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; }}
table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }}
tr.differ > th {{ border-left: 4px solid #c0392b; }} details {{ font-size: .85em; }}
</style></head>
<body>
<h1>Requirements side by side</h1>
<p>One column per target, each from its own run of the same features. A marked row is a requirement
on which the targets differ. "Violated" is a finding about that product; "not applicable" says why.</p>
<table>
<thead><tr><th scope="col">Requirement</th><th scope="col">Title</th>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
<tfoot><tr><th scope="row">in all</th><td></td>{totals}</tr></tfoot>
</table>
</body></html>
"""


def write(columns: list[tuple[str, Path]], out: Path) -> Path:
    runs = [(name, read_run(folder)) for name, folder in columns]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page(runs), encoding="utf-8")
    return out
