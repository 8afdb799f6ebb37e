"""``twofa simulate STUDY [--seed N] [--params FILE] [--out DIR]``: run a study, write its page."""

from __future__ import annotations

import argparse
import pathlib
import shlex
import sys
import time

from twofa.spec import ROOT

from . import params as parameters
from .study import Progress

STUDIES = {
    "guessing": "online guessing of the second step: the attacker's chance against time, per policy",
    "drift": "phones whose clocks are off and people who type slowly: honest logins refused, per window",
    "cost": "a tenant's month: emails and texts sent, locks, forced set-ups, lost-phone tickets",
}
DEFAULT_SEED = 13


class RichProgress(Progress):
    """A progress bar per part of a study, on stderr (the figures go to stdout)."""

    def __init__(self, bar):
        self._bar = bar

    def task(self, description: str, total: int):
        task_id = self._bar.add_task(description, total=max(1, total))

        def advance(n: int = 1) -> None:
            self._bar.advance(task_id, n)
            if self._bar.tasks[task_id].completed >= self._bar.tasks[task_id].total:
                self._bar.update(task_id, completed=self._bar.tasks[task_id].total)
        return advance


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="twofa simulate",
        description="Run a study against the reference app's real rules and write reports/simulation/<study>.html "
                    "and its data (<study>.json).",
        epilog="Studies: " + "; ".join(f"{k}: {v}" for k, v in STUDIES.items()) + ". See docs/simulation.md.")
    p.add_argument("study", choices=[*STUDIES, "all"], help="the study to run ('all': each in turn)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"the seed of every random draw (default {DEFAULT_SEED})")
    p.add_argument("--params", metavar="FILE", help="a TOML file changing any parameter (docs/simulation.md lists them)")
    p.add_argument("--out", default=str(ROOT / "reports" / "simulation"),
                   help="where the pages and data go (default: the project's reports/simulation)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


def run_study(study: str, params: dict, seed: int, progress: Progress):
    if study == "guessing":
        from . import guessing as module
    elif study == "drift":
        from . import drift as module
    else:
        from . import cost as module
    return module.run(params[study], seed, progress)


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    try:
        params = parameters.load(args.params)
    except parameters.ParamsError as error:
        print(f"twofa simulate: {error}", file=sys.stderr)
        return 2
    from . import page

    studies = list(STUDIES) if args.study == "all" else [args.study]
    out = pathlib.Path(args.out)
    command = "twofa simulate " + " ".join(shlex.quote(a) for a in argv)
    results = []
    for study in studies:
        started = time.perf_counter()
        if args.no_progress:
            result = run_study(study, params, args.seed, Progress())
        else:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn
            from rich.console import Console

            with Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                     console=Console(stderr=True)) as bar:
                result = run_study(study, params, args.seed, RichProgress(bar))
        page_path, data_path = page.write(result, out, command)
        results.append((result, page_path, data_path, time.perf_counter() - started))
    for result, page_path, data_path, seconds in results:
        print(f"\n{result.title} (seed {args.seed}, {seconds:.1f} s)")
        for line in result.headline:
            print(f"  {line}")
        print(f"  page: {page_path.resolve()}\n  data: {data_path.resolve()}")
    return 0
