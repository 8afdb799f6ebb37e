"""living-doc.html: the specification as a product owner reads it.

One self-contained page (inline CSS and JS, screenshots as data: URIs, no
network, opens from file://). It reads as a description of the product first:
the features as written (description, Background, scenarios with their steps,
outline examples), then, beside each scenario, what happened on each driver,
and the requirements catalogue with the scenarios that prove each. Test
evidence (step statuses, errors, screenshots) sits in a collapsed block under
each scenario.

Everything textual comes from feature files, the catalogue or test output:
it is data, and every piece goes through ``html.escape``. Attachments are
inlined only when their media type is a raster image and their body is
base64, so a test cannot inject markup through an attachment.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from typing import Any, Iterable

from . import firstscreen, identity
from .failures import rerun_note
from .html_bits import _BASE64, _IMAGE_TYPES, anchor as _anchor, chip as _chip, duration as _duration, e, error_block as _error, evidence_links
from .page_assets import _CSS, _JS
from .requirements import REQUIREMENT_TAG_PREFIX, conformance_target, explain, requirement_status, status_word
from .summary import setting

def _tags(tags: Iterable[str]) -> str:
    out = []
    for tag in tags:
        name = tag.lstrip("@")
        if name.startswith(REQUIREMENT_TAG_PREFIX):
            rid = name[len(REQUIREMENT_TAG_PREFIX) :]
            out.append(f'<a class="tag req" href="#req-{_anchor(rid)}">@{e(name)}</a>')
        else:
            out.append(f'<span class="tag">@{e(name)}</span>')
    return f'<div class="tags">{" ".join(out)}</div>' if out else ""


def _description(text: str) -> str:
    text = (text or "").strip("\n")
    if not text.strip():
        return ""
    lines = [line.strip() for line in text.splitlines()]
    paragraphs = "\n".join(lines).split("\n\n")
    return "".join(f'<p class="desc">{e(p.strip())}</p>' for p in paragraphs if p.strip())


def _step_argument(step: dict[str, Any]) -> str:
    if "docString" in step:
        return f'<pre class="docstring">{e(step["docString"].get("content", ""))}</pre>'
    if "dataTable" in step:
        rows = step["dataTable"].get("rows", [])
        body = "".join("<tr>" + "".join(f"<td>{e(c.get('value', ''))}</td>" for c in row.get("cells", [])) + "</tr>" for row in rows)
        return f'<table class="datatable">{body}</table>'
    return ""


def _steps_as_written(steps: list[dict[str, Any]]) -> str:
    items = "".join(
        f'<li><span class="kw">{e(s["keyword"].strip())}</span> {e(s["text"])}{_step_argument(s)}</li>' for s in steps
    )
    return f'<ol class="steps">{items}</ol>'


def _attachment(attachment: dict[str, Any]) -> str:
    media = str(attachment.get("media_type", ""))
    data = str(attachment.get("data", ""))
    name = attachment.get("name") or media
    if _IMAGE_TYPES.match(media) and _BASE64.match(data):
        return (
            f'<figure class="shot"><img alt="{e(name)}" src="data:{media};base64,{data}">'
            f"<figcaption>{e(name)}</figcaption></figure>"
        )
    if media.startswith("text/") and _BASE64.match(data):
        try:
            text = base64.b64decode(data).decode("utf-8", "replace")
        except ValueError:
            text = ""
        return f'<figure class="attach"><figcaption>{e(name)}</figcaption><pre>{e(text)}</pre></figure>'
    return f'<figure class="attach"><figcaption>{e(name)} (not shown: {e(media)})</figcaption></figure>'


def _evidence(record: dict[str, Any]) -> str:
    title = record.get("driver") or "run"
    if record.get("example"):
        title += " \u00b7 " + ", ".join(f"{k}={v}" for k, v in record["example"].items())
    parts = [f'<div class="evidence s-{_anchor(record["status"])}"><h5>{_chip(record["status"], title)} <span class="dur">{e(_duration(record.get("duration_ns", 0)))}</span></h5>']
    if record.get("skip_reason"):
        parts.append(f'<p class="reason">Skipped: {e(record["skip_reason"])}</p>')
    for hook in record.get("hooks", []):
        if hook["kind"] == "before":
            parts.append(f'<div class="hook">Fixture setup {e(hook["status"])}{_error(hook.get("error"))}</div>')
    parts.append('<ol class="steps run">')
    for step in record["steps"]:
        parts.append(
            f'<li class="s-{_anchor(step["status"])}"><div class="stepline">{_chip(step["status"])} '
            f'<span class="kw">{e(step["keyword"].strip())}</span> {e(step["text"])} '
            f'<span class="dur">{e(_duration(step.get("duration_ns", 0)))}</span></div>'
        )
        if step.get("error") and step["status"] in ("failed", "undefined"):
            parts.append(_error(step["error"]))
        if step.get("attachments"):
            parts.append('<div class="shots">' + "".join(_attachment(a) for a in step["attachments"]) + "</div>")
        parts.append("</li>")
    parts.append("</ol>")
    note = rerun_note(record)
    if note:
        parts.append(f'<p class="rerun-note"><span class="lbl">Rerun</span> {e(note)}</p>')
    parts.append(evidence_links(record.get("links", [])))
    if record.get("attachments"):
        parts.append('<div class="shots">' + "".join(_attachment(a) for a in record["attachments"]) + "</div>")
    for hook in record.get("hooks", []):
        if hook["kind"] == "after":
            parts.append(f'<div class="hook">After the steps: {e(hook["status"])}{_error(hook.get("error"))}</div>')
    parts.append("</div>")
    return "".join(parts)


class _Page:
    def __init__(self, run: dict[str, Any]) -> None:
        self.run = run
        self.by_scenario: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
        for record in run["results"]:
            self.by_scenario[(record["uri"], record["scenario_line"])].append(record)
        self.not_run: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
        for record in run.get("not_run", []):
            self.not_run[(record["uri"], record["scenario_line"])].append(record)
        self.drivers = sorted({r.get("driver") or "-" for r in run["results"]})
        self.all_tags: set[str] = set()
        self.scenario_titles: dict[str, str] = {}
        self.requirement_tags: dict[str, set[str]] = defaultdict(set)  # every tag of its scenarios

    # -- features ------------------------------------------------------------
    def feature(self, feature: dict[str, Any], number: int) -> str:
        document = feature["gherkinDocument"]
        node = document.get("feature")
        if not node:
            return ""
        feature_tags = [t["name"].lstrip("@") for t in node.get("tags", [])]
        anchor = f"feature-{number}"
        parts = [
            f'<article class="feature" id="{anchor}">',
            _tags(feature_tags),
            f'<h2><span class="kw">{e(node["keyword"])}:</span> {e(node["name"])}</h2>',
            f'<p class="uri">{e(feature["uri"])}</p>',
            _description(node.get("description", "")),
        ]
        parts.append(self.children(feature["uri"], node.get("children", []), feature_tags))
        parts.append("</article>")
        return "".join(parts)

    def children(self, uri: str, children: list[dict[str, Any]], inherited: list[str]) -> str:
        parts = []
        for child in children:
            if "background" in child:
                bg = child["background"]
                parts.append(
                    f'<section class="background"><h3><span class="kw">{e(bg["keyword"])}:</span> {e(bg.get("name", ""))}</h3>'
                    f'{_description(bg.get("description", ""))}{_steps_as_written(bg.get("steps", []))}</section>'
                )
            elif "rule" in child:
                rule = child["rule"]
                rule_tags = [t["name"].lstrip("@") for t in rule.get("tags", [])]
                parts.append(
                    f'<section class="rule">{_tags(rule_tags)}<h3><span class="kw">{e(rule["keyword"])}:</span> {e(rule["name"])}</h3>'
                    f'{_description(rule.get("description", ""))}{self.children(uri, rule.get("children", []), inherited + rule_tags)}</section>'
                )
            elif "scenario" in child:
                parts.append(self.scenario(uri, child["scenario"], inherited))
        return "".join(parts)

    def scenario(self, uri: str, node: dict[str, Any], inherited: list[str]) -> str:
        line = node["location"]["line"]
        records = self.by_scenario.get((uri, line), [])
        own_tags = [t["name"].lstrip("@") for t in node.get("tags", [])]
        example_tags = [t["name"].lstrip("@") for ex in node.get("examples", []) for t in ex.get("tags", [])]
        tags = sorted(set(inherited) | set(own_tags) | set(example_tags))
        self.all_tags.update(tags)
        reqs = sorted(t[len(REQUIREMENT_TAG_PREFIX) :] for t in tags if t.startswith(REQUIREMENT_TAG_PREFIX))
        for rid in reqs:
            self.requirement_tags[rid].update(tags)
        # Space-separated tokens for the filters, so "not run" is "not-run".
        missing = self.not_run.get((uri, line), [])
        statuses = sorted({_anchor(r["status"]) for r in records + missing}) or ["not-run"]
        anchor = _anchor("sc", uri, line)
        self.scenario_titles[f"{uri}:{line}"] = anchor
        cells = [c["value"] for ex in node.get("examples", []) for row in ex.get("tableBody", []) for c in row.get("cells", [])]
        text = " ".join([node["name"], node.get("description", "")] + [s["text"] for s in node.get("steps", [])] + cells).lower()
        parts = [
            f'<section class="scenario" id="{anchor}" data-tags="{e(" ".join(tags))}" data-reqs="{e(" ".join(reqs))}" '
            f'data-status="{e(" ".join(statuses))}" data-text="{e(text)}">',
            _tags(own_tags),
            f'<h3><span class="kw">{e(node["keyword"])}:</span> {e(node["name"])}</h3>',
            _description(node.get("description", "")),
        ]
        if not node.get("examples"):
            parts.append(self.results_line(records, missing))
        parts.append(_steps_as_written(node.get("steps", [])))
        if node.get("examples"):
            parts.append(self.examples(node, records + missing))
        if records:
            parts.append(
                f'<details class="evidence-block"><summary>Test evidence ({len(records)} run{"s" if len(records) != 1 else ""}: '
                f'{e(", ".join(f"{n} {s}" for s, n in _count(records).items()))})</summary>'
                + "".join(_evidence(r) for r in records)
                + "</details>"
            )
        parts.append("</section>")
        return "".join(parts)

    def results_line(self, records: list[dict[str, Any]], missing: list[dict[str, Any]]) -> str:
        if not records and not missing:
            return f'<p class="results">{_chip("not run")}</p>'
        chips = " ".join(_chip(r["status"], f'{r.get("driver") or "run"}: {r["status"]}') for r in records + missing)
        # Why a run does not apply (the driver, or the target, lacks what it needs): said, not hidden.
        reasons = dict.fromkeys(r["skip_reason"] for r in missing if r["status"] == "not applicable" and r.get("skip_reason"))
        why = "".join(f'<p class="reason">Not applicable: {e(reason)}</p>' for reason in reasons)
        return f'<p class="results">{chips}</p>{why}'

    def examples(self, node: dict[str, Any], records: list[dict[str, Any]]) -> str:
        by_row: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for record in records:
            if record.get("example_index") is not None:
                by_row[record["example_index"]].append(record)
        parts = []
        flat = 0
        for examples in node["examples"]:
            header = examples.get("tableHeader")
            if header is None:
                continue
            parts.append(
                f'<div class="examples">{_tags([t["name"] for t in examples.get("tags", [])])}'
                f'<h4><span class="kw">{e(examples["keyword"])}:</span> {e(examples.get("name", ""))}</h4>'
                f'{_description(examples.get("description", ""))}<table class="datatable"><tr>'
                + "".join(f"<th>{e(c['value'])}</th>" for c in header["cells"])
                + '<th class="outcome">outcome per driver</th></tr>'
            )
            for row in examples.get("tableBody", []):
                row_records = by_row.get(flat, [])
                chips = " ".join(_chip(r["status"], f'{r.get("driver") or "run"}: {r["status"]}') for r in row_records) or _chip("not run")
                parts.append("<tr>" + "".join(f"<td>{e(c['value'])}</td>" for c in row["cells"]) + f"<td>{chips}</td></tr>")
                flat += 1
            parts.append("</table></div>")
        return "".join(parts)

    # -- requirements ----------------------------------------------------------
    def requirements(self) -> str:
        requirements = self.run.get("requirements", [])
        if not requirements:
            where = self.run.get("requirements_file") or "spec/requirements.toml"
            return f'<section id="requirements"><h2>Requirements</h2><p>No requirements catalogue ({e(where)}) was found for this run.</p></section>'
        coverage = {c["id"]: c for c in coverage_of(self.run)}
        conformance = conformance_target(self.run)
        rows = []
        for requirement in requirements:
            c = coverage[requirement["id"]]
            status_class = REQUIREMENT_CHIP[c["status"]]
            scenarios = "".join(
                f'<li><a href="#{e(self.scenario_titles.get(s["key"], ""))}">{e(s["name"])}</a> {_chip(s["status"])}'
                + (f' <span class="broke">on {e(", ".join(s["failed_on"]))}</span>' if s["failed_on"] else "") + "</li>"
                for s in c["scenarios"]
            ) or "<li>none</li>"
            source = e(requirement["source"])
            if requirement.get("peer"):
                source += f'<br><span class="peer">following {e(requirement["peer"])}</span>'
            # The Status filter matches a row by its requirement status and by its run class
            # ("failed" shows broken requirements too).
            statuses = f'{_anchor(status_class)} {_anchor(c["status"])}'
            rows.append(
                f'<tr class="requirement" id="req-{_anchor(requirement["id"])}" data-reqs="{e(requirement["id"])}" '
                f'data-status="{e(statuses)}" data-tags="{e(" ".join(sorted(self.requirement_tags.get(requirement["id"], []))))}" '
                f'data-text="{e((requirement["id"] + " " + requirement["title"] + " " + requirement["statement"]).lower())}">'
                f'<td class="rid">{e(requirement["id"])}</td>'
                f'<td><strong>{e(requirement["title"])}</strong><p class="desc">{e(requirement["statement"])}</p></td>'
                f'<td><span class="kind k-{_anchor(requirement["kind"])}">{e(requirement["kind"])}</span></td>'
                f"<td>{source}</td><td><ul class=\"proofs\">{scenarios}</ul></td>"
                f'<td>{_chip(status_class, status_word(c["status"], conformance))}'
                f'<p class="why">{e(explain(c)) if c["status"] != "proven" else ""}</p></td></tr>'
            )
        if conformance:  # another product: its failures are findings about it (spec/deviations/)
            intro = (f"<p>Each requirement of the catalogue and the scenarios that show whether {e(conformance)} meets it. "
                     "A requirement <strong>holds</strong> when every scenario tagged with it that applies passed on every "
                     "driver; a failed run shows the product <strong>violating</strong> it (the evidence is in the known "
                     "deviations and under Failures); <strong>not applicable</strong> names what the product does not have.</p>")
        else:
            intro = ("<p>Each requirement of the catalogue, where it comes from, and the scenarios that prove it. "
                     "A requirement is <strong>proven</strong> only when every scenario tagged with it passed on every driver that applies; "
                     "one failed or undefined run makes it <strong>broken</strong>; passed runs mixed with skipped or unrun ones make it "
                     "<strong>partly proven</strong>.</p>")
        return (
            '<section id="requirements"><h2>Requirements</h2>' + intro +
            '<table class="reqs"><tr><th>Id</th><th>Requirement</th><th>Kind</th><th>Source</th><th>Proved by</th><th>Status</th></tr>'
            + "".join(rows)
            + "</table></section>"
        )

    # -- gate and summary ----------------------------------------------------------
    def gate(self) -> str:
        gate = self.run.get("gate")
        if not gate:
            return ""
        rows = []
        for rule in gate["rules"]:
            items = rule.get("scenarios", []) + [f"requirement {r}" for r in rule.get("requirements", []) if rule["scenarios"] == []]
            detail = "<ul>" + "".join(f"<li>{e(i)}</li>" for i in items) + "</ul>" if items and not rule["held"] else ""
            rows.append(
                f'<tr><td>{_chip("passed" if rule["held"] else "failed", "holds" if rule["held"] else "broken")}</td>'
                f'<td><code>{e(rule["rule"])} = {e(setting(rule["setting"]))}</code></td><td>{e(rule["reason"])}{detail}</td></tr>'
            )
        verdict = "passed" if gate["passed"] else "failed"
        return (
            f'<section id="gate"><h2>Release gate: {_chip(verdict, "PASS" if gate["passed"] else "FAIL")}</h2>'
            '<table class="gate"><tr><th></th><th>Rule</th><th>Outcome</th></tr>' + "".join(rows) + "</table></section>"
        )

    def reading_order(self) -> list[tuple[int, dict[str, Any]]]:
        """Features as the spec tells the product's story: by the first catalogue entry each
        proves (spec/requirements.toml is ordered that way), then the others by file name."""
        position = {r["id"]: n for n, r in enumerate(self.run.get("requirements", []))}
        numbered = list(enumerate(self.run["features"], start=1))

        def first(feature: dict[str, Any]) -> int:
            tags = [t["name"].lstrip("@") for p in feature.get("pickles", []) for t in p.get("tags", [])]
            found = [position[t[len(REQUIREMENT_TAG_PREFIX):]] for t in tags
                     if t.startswith(REQUIREMENT_TAG_PREFIX) and t[len(REQUIREMENT_TAG_PREFIX):] in position]
            return min(found, default=len(position))

        return sorted(numbered, key=lambda pair: (first(pair[1]), pair[1]["uri"]))

    def contents_entry(self, number: int, feature: dict[str, Any]) -> str:
        name = (feature["gherkinDocument"].get("feature") or {}).get("name", feature["uri"])
        records = [r for r in self.run["results"] if r["uri"] == feature["uri"]]
        counts = _count(records)
        status = next((s for s in ("failed", "undefined", "skipped", "passed") if s in counts), "not run")
        label = ", ".join(f"{counts[s]} {s}" for s in ("failed", "undefined", "skipped", "passed") if s in counts) or "not run"
        return f'<li data-feature="feature-{number}"><a href="#feature-{number}">{e(name)}</a> {_chip(status, label)}</li>'

    def render(self) -> str:
        order = self.reading_order()
        features = [self.feature(f, n) for n, f in order]
        requirements = self.requirements()  # after features: needs their anchors
        coverage = coverage_of(self.run)
        top = firstscreen.render(self.run, coverage, lambda key: self.scenario_titles.get(key, ""))
        toc = "".join(self.contents_entry(n, f) for n, f in order)
        when = identity.when(self.run.get("meta", {}).get("started_ns"))
        tag_options = "".join(f'<option value="{e(t)}">@{e(t)}</option>' for t in sorted(self.all_tags))
        req_options = "".join(
            f'<option value="{e(r["id"])}">{e(r["id"])} \u2013 {e(r["title"])}</option>' for r in self.run.get("requirements", [])
        )
        status_options = "".join(
            f'<option value="{_anchor(s)}">{s}</option>' for s in ("passed", "failed", "skipped", "undefined", "not run", "not applicable")
        )
        return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Two-factor authentication \u2013 living documentation</title>
<style>{_CSS}</style></head>
<body>
<header><h1>Two-factor authentication</h1>
<p class="sub">Living documentation: what the product does, as specified in its feature files, and whether the run of {e(when)} showed it.</p>
</header>
<div class="page">
{top}
</div>
<nav id="filters" aria-label="Filters">
<label>Tag <select id="f-tag"><option value="">all</option>{tag_options}</select></label>
<label>Requirement <select id="f-req"><option value="">all</option>{req_options}</select></label>
<label>Status <select id="f-status"><option value="">all</option>{status_options}</select></label>
<label>Text <input id="f-text" type="search" placeholder="words in a scenario or its examples"></label>
<button id="f-reset" type="button">Reset</button>
<span id="f-count" role="status"></span>
</nav>
<main>
<p id="f-empty" class="hidden empty">Nothing matches these filters. <button type="button" id="f-clear">Show everything</button></p>
<section id="contents"><h2>Contents</h2><p class="muted">In the order of the requirements catalogue; each with its runs.</p><ol>{toc}</ol>
<p><a href="#requirements">Requirements</a> \u00b7 <a href="#gate">Release gate</a></p></section>
<section id="features">{"".join(features)}</section>
{requirements}
{self.gate()}
</main>
<div id="lightbox" class="hidden" role="dialog" aria-label="Screenshot, enlarged"><img alt=""><p>Click or press Escape to close</p></div>
<script>{_JS}</script>
</body></html>
"""


# The colour of a requirement's status: the run status it resembles.
REQUIREMENT_CHIP = {"proven": "passed", "broken": "failed", "partly proven": "skipped", "not proven": "not run",
                    "not covered": "not run", "not applicable": "skipped"}


def coverage_of(run: dict[str, Any]) -> list[dict[str, Any]]:
    """The stored requirement status; computed for a results.json written before it was stored."""
    if run.get("coverage") is not None:
        return run["coverage"]
    return requirement_status(run.get("requirements", []), run["results"], run.get("not_run", []))


def _count(records: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records:
        counts[record["status"]] = counts.get(record["status"], 0) + 1
    return counts


def render(run: dict[str, Any]) -> str:
    return _Page(run).render()



