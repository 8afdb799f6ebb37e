"""The top of the living doc: "can we release?", answered before any scroll.

The verdict and why in one sentence; the run's identity (when, which commit, which drivers,
which seed, which tools); runs per driver and requirements per status; the broken
requirements and the failed critical scenarios, each linking to its place below; then one
entry per defect in the product's words (the step, what the people saw, the error's first
line, the command that reruns it) with the technical detail folded away.
"""

from __future__ import annotations

from typing import Any, Callable

from . import identity
from .failures import defects
from .gate import failed_critical, verdict_sentence
from .html_bits import anchor, chip, e, error_block, evidence_links
from .requirements import BROKEN, REQUIREMENT_STATUSES, conformance_target, status_word
from .summary import STATUSES, counts_by_driver, requirement_counts

RUN_DEFINITION = "A run is one scenario (one Examples row) through one driver."


def _counts_table(run: dict[str, Any]) -> str:
    counts = counts_by_driver(run["results"])
    if not counts:
        return "<p>No scenario ran.</p>"
    head = "<tr><th>Runs</th>" + "".join(f"<th>{e(s)}</th>" for s in STATUSES) + "<th>total</th></tr>"
    body = "".join(f"<tr><td>{e(d)}</td>" + "".join(f'<td class="n s-{s}">{row[s]}</td>' for s in STATUSES)
                   + f'<td class="n">{sum(row.values())}</td></tr>' for d, row in counts.items())
    return f'<table class="counts">{head}{body}</table>'


def _requirement_line(coverage: list[dict[str, Any]], conformance: str | None = None) -> str:
    counts = requirement_counts(coverage)
    return " \u00b7 ".join(f"{n} {status_word(status, conformance)}" for status, n in counts.items()
                           if status in REQUIREMENT_STATUSES)


def _defect(entry: dict[str, Any], link: Callable[[str], str]) -> str:
    first = entry["runs"][0]
    example = (" \u00b7 " + ", ".join(f"{k} = {v}" for k, v in entry["example"].items())) if entry["example"] else ""
    saw = "".join(f"<li><strong>{e(o['who'])}</strong> saw {e(o['saw'])}</li>" for o in first["observed"])
    reruns = "".join(f"<li><code>{e(r['rerun'])}</code></li>" for r in entry["runs"])
    traces = evidence_links([item for r in entry["runs"] for item in r["links"]])
    notes = "".join(f'<p class="rerun-note"><span class="lbl">Rerun</span> {e(r["rerun_note"])} <span class="muted">({e(r["driver"])})</span></p>'
                    for r in entry["runs"] if r["rerun_note"])
    detail = "".join(f"<h5>{e(r['driver'])}</h5>{error_block(r['detail'])}" for r in entry["runs"])
    tags = (" " + chip("failed", "critical") if entry["critical"] else "") + "".join(
        f' <a class="tag req" href="#req-{anchor(rid)}">{e(rid)}</a>' for rid in entry["requirements"])
    return (
        f'<li class="defect"><p><a href="#{link(entry["key"])}"><strong>{e(entry["scenario"])}</strong></a>{e(example)}{tags}'
        f' <span class="on">{entry["status"]} on {e(", ".join(entry["drivers"]))}</span></p>'
        f'<p class="expect"><span class="lbl">Expected</span> {e(entry["step"])}</p>'
        + (f'<div class="saw"><span class="lbl">Saw</span><ul>{saw}</ul> <span class="muted">({e(first["driver"])})</span></div>' if saw else "")
        + f'<p class="headline"><span class="lbl">Error</span> {e(first["headline"])}</p>'
        + notes
        + traces
        + f'<details><summary>Rerun it, and the technical detail</summary><ul class="rerun">{reruns}</ul>{detail}</details></li>'
    )


def render(run: dict[str, Any], coverage: list[dict[str, Any]], link: Callable[[str], str]) -> str:
    """``link`` turns a scenario key (uri:line) into the anchor of its section below."""
    gate = run.get("gate") or {}
    passed = bool(gate.get("passed"))
    meta = run.get("meta", {})
    tools = ", ".join(f"{name} {version}" for name, version in (meta.get("tools") or {}).items())
    broken = [c for c in coverage if c["status"] == BROKEN]
    conformance = conformance_target(run)
    critical = failed_critical(run)
    found = defects(run["results"])
    parts = [
        f'<section id="verdict" class="{"pass" if passed else "fail"}">',
        f'<h2>{chip("passed" if passed else "failed", "PASS" if passed else "FAIL")} {e(verdict_sentence(run, coverage))}</h2>',
        f'<p class="identity">{e(identity.describe(run))}</p>',
        f'<p class="tools">{e(tools)}</p>' if tools else "",
        '<div class="numbers">', _counts_table(run),
        f'<p>Requirements{" of " + e(conformance) if conformance else ""}: '
        f'{e(_requirement_line(coverage, conformance)) or "no catalogue"}. <span class="muted">{e(RUN_DEFINITION)}</span></p></div>',
    ]
    if broken:
        items = "".join(
            f'<li><a href="#req-{anchor(c["id"])}"><strong>{e(c["id"])}</strong> {e(c["title"])}</a>: '
            + "; ".join(f'<a href="#{link(s["key"])}">{e(s["name"])}</a> failed on {e(", ".join(s["failed_on"]))}'
                        for s in c["scenarios"] if s["failed_on"]) + "</li>" for c in broken)
        heading = (f"Requirements {e(conformance)} violates ({len(broken)}): findings about the product" if conformance
                   else f"Broken requirements ({len(broken)})")
        parts.append(f'<h3>{heading}</h3><ul class="broken">{items}</ul>')
    if critical:
        items = "".join(f'<li><a href="#{link(c["key"])}">{e(c["name"])}</a> on {e(", ".join(c["drivers"]))}</li>' for c in critical)
        parts.append(f'<h3>Failed critical scenarios ({len(critical)})</h3><ul class="critical">{items}</ul>')
    if found:
        parts.append(f'<h3>Failures ({len(found)} defect{"s" if len(found) != 1 else ""}, '
                     f'{sum(len(d["runs"]) for d in found)} failed runs)</h3><ol class="defects">'
                     + "".join(_defect(d, link) for d in found) + "</ol>")
    held_not = [r for r in gate.get("rules", []) if not r["held"]]
    if held_not:
        parts.append('<p>Gate rules not held: ' + ", ".join(f'<a href="#gate"><code>{e(r["rule"])}</code></a>' for r in held_not) + "</p>")
    parts.append("</section>")
    return "".join(parts)
