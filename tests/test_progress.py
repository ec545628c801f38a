"""Progress: a tqdm bar on a terminal, one summary line when piped, nothing on failure."""
from __future__ import annotations

import io

import pytest

from duben.progress import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_and_no_summary() -> None:
    terminal, out = Terminal(), io.StringIO()
    with progress("build", "pages", terminal, out) as tick:
        for n in range(1, 51):
            tick(n, 50)
    assert "50/50" in terminal.getvalue() and "build" in terminal.getvalue()
    assert out.getvalue() == ""


def test_a_pipe_gets_one_summary_line() -> None:
    piped, out = io.StringIO(), io.StringIO()
    with progress("build", "pages", piped, out) as tick:
        tick(10, 12)
        tick(12, 12)
    assert piped.getvalue() == ""
    assert out.getvalue().startswith("build: 12 pages in ") and out.getvalue().count("\n") == 1


def test_a_failed_run_prints_no_summary() -> None:
    piped, out = io.StringIO(), io.StringIO()
    with pytest.raises(RuntimeError), progress("build", "pages", piped, out) as tick:
        tick(3, 12)
        raise RuntimeError("bad input")
    assert out.getvalue() == ""
