"""Progress for long commands: a tqdm bar on a terminal, one summary line when piped.

The bar goes to stderr (only when it is a terminal); the summary to stdout, so that
stderr keeps its contract of problems and one status line (README "Reliability").

tqdm rather than a hand-made bar: it handles terminal width, rates and redraw limits.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO


@contextmanager
def progress(command: str, unit: str, terminal: TextIO | None = None,
             out: TextIO | None = None,
             summary: bool = True) -> Iterator[Callable[[int, int], None]]:
    """Yields tick(done, total). On a terminal a bar follows it; otherwise one line
    `command: N unit in S s` is printed at the end of a run that did not fail
    (nothing if nothing was counted, or `summary` is off: the command prints its own)."""
    terminal = terminal or sys.stderr
    started = time.perf_counter()
    seen = [0]
    bar = None
    if terminal.isatty():
        from tqdm import tqdm

        bar = tqdm(total=0, unit=f" {unit}", desc=command, file=terminal, leave=False,
                   mininterval=0.2)

    def tick(done: int, total: int) -> None:
        seen[0] = done
        if bar is not None:
            resized = bar.total != total
            bar.total = total
            bar.update(done - bar.n)
            if resized or done == total:  # update() redraws at most every mininterval
                bar.refresh()

    try:
        yield tick
    finally:
        if bar is not None:
            bar.close()
    if seen[0] and bar is None and summary:
        print(f"{command}: {seen[0]} {unit} in {time.perf_counter() - started:.1f} s",
              file=out or sys.stdout)
