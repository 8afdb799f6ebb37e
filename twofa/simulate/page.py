"""A study's page (one self-contained HTML file, charts inline as SVG) and its data (JSON)."""

from __future__ import annotations

import html
import json
import pathlib

from .study import StudyResult

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.question { font-size: 1.1rem; color: #444; }
.headline { background: #f3f7fc; border-left: 4px solid #1f5fa8; padding: .6rem 1rem; }
.headline li { margin: .2rem 0; }
figure { margin: 1.5rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #444; font-size: .92rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
.meta { color: #555; font-size: .85rem; }
code { background: #f4f4f4; padding: 0 .2rem; }
"""


def write(result: StudyResult, folder: pathlib.Path, command: str) -> tuple[pathlib.Path, pathlib.Path]:
    folder.mkdir(parents=True, exist_ok=True)
    data_path = folder / f"{result.study}.json"
    data_path.write_text(data_text(result.data), encoding="utf-8")
    page_path = folder / f"{result.study}.html"
    page_path.write_text(render(result, data_path.name, command), encoding="utf-8")
    return page_path, data_path


def data_text(data: dict) -> str:
    """The data, byte for byte the same for the same seed, parameters and rules."""
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def render(result: StudyResult, data_name: str, command: str) -> str:
    e = html.escape
    rules = result.data["rules"]
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(result.title)} – twofa simulate</title><style>{STYLE}</style></head><body>",
        f"<h1>{e(result.title)}</h1>", f'<p class="question">{e(result.question)}</p>',
        '<div class="headline"><strong>Headline figures</strong><ul>',
        *[f"<li>{e(line)}</li>" for line in result.headline], "</ul></div>",
    ]
    for figure in result.figures:
        parts += [f"<figure><h2>{e(figure.title)}</h2>", figure.svg, f"<figcaption>{e(figure.caption)}</figcaption></figure>"]
    for title, header, rows in result.tables:
        parts += [f"<h2>{e(title)}</h2><table><thead><tr>", *[f"<th>{e(h)}</th>" for h in header], "</tr></thead><tbody>"]
        parts += ["<tr>" + "".join(f"<td>{e(str(cell))}</td>" for cell in row) + "</tr>" for row in rows]
        parts.append("</tbody></table>")
    parts += ["<h2>Assumptions</h2><ul>", *[f"<li>{e(a)}</li>" for a in result.assumptions], "</ul>"]
    today = rules["today"]
    parts += [
        "<h2>The rules this ran</h2>",
        f"<p>The reference app's own use cases (<code>{e(', '.join(rules['sources']))}</code>) at commit "
        f"<code>{e(rules['commit'])}</code>, rules fingerprint <code>{e(rules['rules_fingerprint'])}</code> (a hash of "
        "their source files: it changes whenever a rule does), on the app's SQLite store, at a clock the study moves. "
        f"Today's policy in those rules: {today['digits']} digits, ±{today['window']} step, lock after "
        f"{today['max_wrong_codes']} wrong codes for {today['lock_minutes']:g} minutes, held after {today['cap']} in a row.</p>",
        '<h2>Reproduce</h2><p class="meta">',
        f"<code>{e(command)}</code> (seed {result.data['seed']}). The data behind every chart: "
        f'<a href="{e(data_name)}">{e(data_name)}</a> (the same seed, parameters and rules give the same bytes).</p>',
    ]
    if result.timing:
        parts.append('<h2>Speed of this run</h2><p class="meta">Calls into the app and the time they took '
                     "(wall clock; not part of the data):</p><ul class=\"meta\">")
        for part, by_name in result.timing.items():
            for name, speed in by_name.items():
                parts.append(f"<li>{e(part)}, {e(name)}: {speed['calls']} calls, {speed['seconds_in_app']:.2f} s, "
                             f"{speed['microseconds_per_call']:.0f} µs a call ({e(speed['store'])})</li>")
        parts.append("</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
