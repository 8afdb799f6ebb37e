"""TWOFA_BROWSER_WS: the ui driver uses a browser that runs elsewhere, a Playwright browser
server (``python -m playwright run-server``), instead of launching Chromium itself.

A local server stands in for the remote one. The run gets a plugin that makes launching a
local browser fail, so a passing scenario can only have gone through the server.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from twofa.spec import ROOT

NO_LOCAL_LAUNCH = '''
from playwright.sync_api import BrowserType


def _refuse(self, *args, **kwargs):
    raise AssertionError("the ui driver launched a local browser instead of using TWOFA_BROWSER_WS")


BrowserType.launch = _refuse
'''
SCENARIO = "a_code_by_sms_goes_to_the_confirmed_mobile_number"


@pytest.fixture
def browser_server():
    """A Playwright browser server on a port the system picks; its first line says which."""
    server = subprocess.Popen([sys.executable, "-m", "playwright", "run-server", "--host", "127.0.0.1", "--port", "0",
                               "--unsafe"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = server.stdout.readline()  # blocks until it listens (or ends: then the line is empty)
        assert line.startswith("Listening on ws://"), f"the browser server did not start: {line!r}"
        yield line.split("Listening on ", 1)[1].strip()
    finally:
        server.terminate()
        server.wait(timeout=30)


def _accept_ui(tmp_path, url):
    (tmp_path / "no_local_launch.py").write_text(NO_LOCAL_LAUNCH, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]), TWOFA_BROWSER_WS=url)
    return subprocess.run([sys.executable, "-m", "twofa.cli", "accept", f"--reports={tmp_path / 'r'}", "--driver", "ui",
                           "-k", SCENARIO, "-q", "-p", "no_local_launch", "-W", "ignore::pytest.PytestAssertRewriteWarning"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_a_ui_scenario_runs_in_the_browser_of_a_browser_server(tmp_path, browser_server):
    done = _accept_ui(tmp_path, browser_server)
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: the gate of one scenario proves little
    assert "1 passed" in done.stdout.splitlines()[-1], done.stdout + done.stderr


def test_a_wrong_address_says_so_in_one_line(tmp_path):
    done = _accept_ui(tmp_path, "ws://127.0.0.1:9/")  # the discard port: nothing serves there
    assert done.returncode == 4, done.stdout + done.stderr
    errors = [line for line in (done.stdout + done.stderr).splitlines() if "TWOFA_BROWSER_WS" in line]
    assert len(errors) == 1, done.stdout + done.stderr
    assert "TWOFA_BROWSER_WS=ws://127.0.0.1:9/: no Playwright browser server gave a browser there (" in errors[0]
    assert "ECONNREFUSED" in errors[0]
