"""Small pieces of HTML shared by the living doc's sections. Every text goes through ``e``."""

from __future__ import annotations

import html
import re
from typing import Any

_IMAGE_TYPES = re.compile(r"^image/(png|jpeg|gif|webp)$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")
_ICON = {"passed": "\u2714", "failed": "\u2716", "skipped": "\u25cb", "undefined": "?", "not run": "\u2013"}


def e(value: Any) -> str:
    """Escape any value for HTML text and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def anchor(*parts: Any) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(str(p) for p in parts)).strip("-")


def duration(ns: int) -> str:
    ms = (ns or 0) / 1e6
    return f"{ms:.0f} ms" if ms >= 10 else f"{ms:.1f} ms"


def chip(status: str, label: str | None = None) -> str:
    text = f"{_ICON.get(status, '')} {label or status}"
    return f'<span class="chip s-{anchor(status)}">{e(text)}</span>'



MAX_ERROR_LINES = 40
MAX_LINE = 400


def error_block(text: Any) -> str:
    """An error as a block, trimmed: the whole text is in results.json.

    pytest's FixtureLookupError, for one, lists every fixture on one line.
    """
    lines = str(text or "").splitlines()
    shown = [line if len(line) <= MAX_LINE else line[:MAX_LINE] + " \u2026" for line in lines[:MAX_ERROR_LINES]]
    if len(lines) > MAX_ERROR_LINES:
        shown.append(f"\u2026 {len(lines) - MAX_ERROR_LINES} more lines in results.json")
    return f'<pre class="error">{e(chr(10).join(shown))}</pre>'




def evidence_links(links: list[dict[str, Any]]) -> str:
    """Links to files beside the reports (Playwright traces), with the command that opens one."""
    if not links:
        return ""
    items = "".join(
        f'<li><a href="{e(item["path"])}">{e(item["name"])}</a> \u2013 open with '
        f'<code>playwright show-trace {e(item["path"])}</code> in the reports folder</li>' for item in links)
    return f'<ul class="links">{items}</ul>'
