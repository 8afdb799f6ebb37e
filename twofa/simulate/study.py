"""What every study hands to the page and the terminal."""

from __future__ import annotations

import dataclasses
from typing import Callable


@dataclasses.dataclass
class Figure:
    title: str
    svg: str
    caption: str = ""


@dataclasses.dataclass
class StudyResult:
    study: str
    title: str
    question: str
    headline: list[str]  # the figures the terminal ends with, and the page opens with
    assumptions: list[str]
    data: dict  # everything behind the charts, written as JSON
    figures: list[Figure] = dataclasses.field(default_factory=list)
    tables: list[tuple[str, list[str], list[list[str]]]] = dataclasses.field(default_factory=list)  # title, header, rows
    timing: dict = dataclasses.field(default_factory=dict)  # wall-clock figures: on the page, never in the data


class Progress:
    """A progress bar's protocol: ``task(description, total)`` returns ``advance(n=1)``."""

    def task(self, description: str, total: int) -> Callable[[int], None]:
        return lambda n=1: None


QUIET = Progress()
