"""Charts as SVG text, drawn by matplotlib without a display (the Agg backend).

The SVG is made reproducible: no date in its metadata, and a fixed salt for the ids
matplotlib generates, so the same data draws the same bytes.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

matplotlib.rcParams.update({
    "svg.hashsalt": "twofa-simulate",
    "svg.fonttype": "none",  # text stays text: smaller, searchable, readable by a screen reader
    "font.size": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.figsize": (8.5, 6.0),
})

COLOURS = ["#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d"]


def new(xlabel: str, ylabel: str, title: str, height: float | None = None):
    """A figure with one labelled plot; ``height`` in inches (taller when the legend is long)."""
    figure, axes = plt.subplots(figsize=(matplotlib.rcParams["figure.figsize"][0], height) if height else None)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_title(title)
    return figure, axes


def svg(figure) -> str:
    buffer = io.StringIO()
    figure.tight_layout()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # the XML prologue and doctype do not belong inside HTML


def error_bars(values, intervals) -> list[list[float]]:
    """matplotlib's yerr (below, above) from (low, high) intervals; never negative from rounding."""
    return [[max(0.0, v - low) for v, (low, _) in zip(values, intervals)],
            [max(0.0, high - v) for v, (_, high) in zip(values, intervals)]]


def legend(axes, columns: int = 2) -> None:
    """Below the plot, where it hides no curve."""
    axes.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=columns, frameon=False)
