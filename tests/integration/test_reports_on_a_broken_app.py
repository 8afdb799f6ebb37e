"""The issue's own reproduction, on the real suite: two rules of the app broken on purpose.

The lock needs 6 wrong codes, and an administrator's reset leaves sessions alive
(bench/named_mutations.py breaks them at run time). Each requirement with a failing scenario
must be broken in gate.json, results.json, the living doc and the terminal, though other
scenarios tagged with it still pass; the gate must say FAIL; serial and with two workers.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from twofa.spec import ROOT

# Every requirement with a scenario that needs the lock after five codes, or a reset that signs out;
# most of them also have scenarios that still pass, which the old rule called "proven".
# RECOVERY-3 (five wrong recovery codes lock) and CHANGE-3 (replacing the factor with a recovery code
# signs out the other device) since issue 10: the second mutation keeps every session, not only a reset's;
# so does PWRESET-3 (a password reset signs the person out everywhere).
# ADMIN-3 and ADMIN-4 (the overview shows and filters a person locked by five wrong codes) since issue 10 item 3.
# LOCK-4 (the lock ends after 15 minutes) since its scenario reads the lock's message before the end.
BROKEN = {"LOCK-1", "LOCK-2", "LOCK-4", "LOCK-5", "LOCK-6", "NOTIFY-2", "ADMIN-2", "CHANGE-1", "RESET-1", "SESSION-4",
          "RECOVERY-3", "CHANGE-3", "ADMIN-3", "ADMIN-4", "PWRESET-3"}


def accept(reports, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), TWOFA_MUTATIONS="lock-after-6,reset-keeps-sessions")
    command = [sys.executable, "-m", "twofa.cli", "accept", f"--reports={reports}", "-p", "bench.named_mutations",
               "-W", "ignore::pytest.PytestAssertRewriteWarning", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("args, drivers", [(["--driver=domain", "--workers=0"], ["domain"]),
                                           (["--driver=domain", "--driver=api", "--workers=2"], ["api", "domain"])],
                         ids=["serial-domain", "two-workers-domain-api"])
def test_the_reports_name_the_broken_requirements(tmp_path, args, drivers):
    done = accept(tmp_path, *args)
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]

    gate = json.loads((tmp_path / "gate.json").read_text())
    results = json.loads((tmp_path / "results.json").read_text())
    assert gate["verdict"] == "fail"
    status = {c["id"]: c["status"] for c in gate["requirements"]}
    assert {rid for rid, s in status.items() if s == "broken"} == BROKEN
    assert results["coverage"] == gate["requirements"]
    # Nothing is proven over a failure: every requirement of a failed run is broken.
    failed = {tag[4:] for r in results["results"] if r["status"] == "failed" for tag in r["tags"] if tag.startswith("req-")}
    assert failed == BROKEN
    reset = next(c for c in gate["requirements"] if c["id"] == "RESET-1")
    [culprit] = [s for s in reset["scenarios"] if s["failed_on"]]
    assert culprit["name"] == "A reset signs the person out at once" and culprit["failed_on"] == drivers
    assert any(s["passed_on"] == drivers for s in reset["scenarios"])  # the old rule's "proven"

    page = (tmp_path / "living-doc.html").read_text(encoding="utf-8")
    for rid in BROKEN:
        row = re.search(rf'<tr class="requirement" id="req-{rid}".*?</tr>', page, re.S).group(0)
        assert 'data-status="failed broken"' in row and "\u2716 broken" in row and "\u2714 proven" not in row

    listed = ", ".join(sorted(BROKEN, key=[c["id"] for c in gate["requirements"]].index))
    assert f"allow_broken_requirements = false: {len(BROKEN)} broken requirements: {listed}" in done.stdout
    assert f"failed on {', '.join(drivers)}" in done.stdout
    critical = len({(r["uri"], r["scenario_line"], r.get("example_index")) for r in results["results"] if r["status"] == "failed" and "critical" in r["tags"]})
    assert f"release gate: FAIL \u2013 Do not release: {len(BROKEN)} requirements broken; {critical} critical scenarios did not pass." in done.stdout


def test_a_failed_browser_scenario_shows_who_saw_what_and_links_its_trace(tmp_path):
    done = accept(tmp_path, "--driver=ui", "-k", "five_wrong_codes_lock")
    assert done.returncode == 1, done.stdout[-3000:]
    [record] = json.loads((tmp_path / "results.json").read_text())["results"]
    [failed] = [s for s in record["steps"] if s["status"] == "failed"]
    [seen] = failed["observed"]
    assert re.fullmatch(r"the agent \([^)]+\)", seen["who"])
    assert seen["saw"] == ("refused: \u201cThat code is not valid. Check it, or ask for a new one.\u201d; the screen "
                           "\u201cEnter the code\u201d, alert \u201cThat code is not valid. Check it, or ask for a new one.\u201d")
    captions = [a["name"] for s in record["steps"] for a in s["attachments"]]
    assert f"{seen['who']}'s screen after \u201cWhen the agent logs in with their password\u201d" in captions
    [trace] = record["links"]
    assert trace["name"] == f"Playwright trace of {seen['who']}'s browser"
    assert (tmp_path / trace["path"]).is_file() and trace["path"].endswith("device-0-trace.zip")
    page = (tmp_path / "living-doc.html").read_text(encoding="utf-8")
    assert page.count(f'<a href="{trace["path"]}">') == 2  # on the first screen and in the scenario's evidence
    assert "object at 0x" not in page  # devices have a readable repr; addresses are dropped
    [allure] = [json.loads(p.read_text()) for p in (tmp_path / "allure-results").glob("*-result.json")]
    assert allure["status"] == "failed" and {"name": "driver", "value": "ui"} in allure["parameters"]
    [zipped] = [a for a in allure["attachments"] if a["type"] == "application/zip"]
    assert zipped["name"] == trace["name"] and (tmp_path / "allure-results" / zipped["source"]).stat().st_size > 0
