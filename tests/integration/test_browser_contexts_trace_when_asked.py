"""The ui driver's kept browser contexts record a Playwright trace only for a scenario that asks.

Playwright's tracing records the network between trace chunks too, so unless every scenario is
traced (``--browser-trace=on``: one tracing per context, a chunk per scenario) a context traces
only while a scenario asks: the trace of a failed scenario's rerun holds that rerun alone.
The browser is the harness's (steps/plugin.py's session fixture): one Playwright per process.
"""

from __future__ import annotations

import json
import zipfile

from steps.drivers.ui import BrowserContexts

SLOT = ("10.0.0.1", "twofa-harness/ui device 1")


def scenario(contexts, browser, visit: str, traced: bool = False, kept_at=None):
    """One scenario on the slot's device: it opens ``visit`` (a page the browser is given, as if
    from another site), recording a trace if ``traced``, kept at ``kept_at`` (else dropped)."""
    context, page = contexts.take(*SLOT, browser.new_context, trace=traced)
    page.route("http://site.test/**", lambda route: route.fulfill(status=200, content_type="text/html", body="<h1>page</h1>"))
    page.goto(f"http://site.test/{visit}")
    page.unroute("http://site.test/**")
    contexts.give_back(context, page, *SLOT, trace=kept_at)


def visited(trace, network: bool = True) -> list[str]:
    """The addresses the trace's actions went to, and those of its network log."""
    with zipfile.ZipFile(trace) as archive:
        events = [json.loads(line) for line in archive.read("trace.trace").decode().splitlines()]
        requests = [json.loads(line)["snapshot"]["request"]["url"] for line in archive.read("trace.network").decode().splitlines()]
    gone_to = [e["params"]["url"] for e in events if e["type"] == "before" and e.get("method") == "goto"]
    return sorted(set(gone_to + (requests if network else [])))


def test_a_scenario_that_asks_traces_itself_alone(browser, tmp_path):
    contexts = BrowserContexts(browser)
    try:
        scenario(contexts, browser, "before")
        scenario(contexts, browser, "rerun", traced=True, kept_at=tmp_path / "rerun.zip")
        scenario(contexts, browser, "after")
        scenario(contexts, browser, "again", traced=True, kept_at=tmp_path / "again.zip")
        assert (contexts.made, contexts.reused) == (1, 3)  # one context, traced only when asked
    finally:
        contexts.close()
    assert visited(tmp_path / "rerun.zip") == ["http://site.test/rerun"]
    assert visited(tmp_path / "again.zip") == ["http://site.test/again"]


def test_when_every_scenario_is_traced_each_keeps_a_chunk(browser, tmp_path):
    contexts = BrowserContexts(browser, chunks=True)
    try:
        scenario(contexts, browser, "first", traced=True, kept_at=tmp_path / "first.zip")
        scenario(contexts, browser, "second", traced=True)  # passed: its chunk is dropped
        scenario(contexts, browser, "third", traced=True, kept_at=tmp_path / "third.zip")
        assert (contexts.made, contexts.reused) == (1, 2)
    finally:
        contexts.close()
    assert visited(tmp_path / "first.zip") == ["http://site.test/first"]
    # Each chunk has its own scenario's actions (Playwright's network log of a context runs on
    # across its chunks, which is why a context is traced only while asked unless all are).
    assert visited(tmp_path / "third.zip", network=False) == ["http://site.test/third"]
