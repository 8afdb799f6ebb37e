"""The side-by-side page puts each target's verdict on a requirement next to the others'."""

from __future__ import annotations

import json

from twofa.cli import main
from twofa.reporting.side_by_side import page

REQUIREMENTS = [{"id": "TOTP-2", "title": "A code works once"}, {"id": "RESET-1", "title": "An administrator resets"}]


def run(totp, reset, not_run=(), deviations=None):
    scenario = {"key": "f:1", "name": "Replay", "failed_on": ["api"] if totp == "broken" else []}
    made = {"requirements": REQUIREMENTS, "not_run": list(not_run),
            "coverage": [{"id": "TOTP-2", "status": totp, "scenarios": [scenario]},
                         {"id": "RESET-1", "status": reset, "scenarios": []}]}
    if deviations:
        made["deviations"] = {"file": "x.toml", "entries": deviations}
    return made


REFERENCE = run("proven", "proven")
PRODUCT = run("broken", "not applicable",
              not_run=[{"status": "not applicable", "tags": ["req-RESET-1"], "skip_reason": "it has no administrator pages"}],
              deviations=[{"requirement": "TOTP-2", "scenario": "Replay", "expected": "Then the code is refused",
                           "answered": "someone: signed in"}])


def rows(html: str) -> dict[str, str]:
    return {line.split("</th>")[0].split(">")[-1]: line for line in html.splitlines() if line.startswith("<tr")}


def test_each_target_has_its_column_and_a_row_marks_where_they_differ():
    shown = rows(page([("reference", REFERENCE), ("flask-security", PRODUCT)]))
    assert '<tr class="differ">' in shown["TOTP-2"] and "<strong>holds</strong>" in shown["TOTP-2"]
    assert "<strong>violated</strong>" in shown["TOTP-2"]
    assert "Replay: Then the code is refused, but someone: signed in" in shown["TOTP-2"]
    assert "<strong>not applicable</strong>" in shown["RESET-1"] and "it has no administrator pages" in shown["RESET-1"]


def test_the_same_verdict_everywhere_is_not_marked():
    shown = rows(page([("reference", REFERENCE), ("again", REFERENCE)]))
    assert all('class="differ"' not in line for name, line in shown.items() if name != "Requirement")


def test_the_command_writes_the_page_and_names_a_missing_run(tmp_path, capsys):
    for name, made in (("ref", REFERENCE), ("fs", PRODUCT)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "results.json").write_text(json.dumps(made))
    out = tmp_path / "side.html"
    assert main(["side-by-side", f"reference={tmp_path / 'ref'}", f"flask-security={tmp_path / 'fs'}", "--out", str(out)]) == 0
    assert "<th>flask-security</th>" in out.read_text()
    assert main(["side-by-side", f"reference={tmp_path / 'nothing'}", "--out", str(out)]) == 2
    assert "no results.json in" in capsys.readouterr().err
