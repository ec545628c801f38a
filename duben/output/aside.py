"""Run one write in a forked process while the build goes on; wait for it before returning.

Saving the build cache is the last serial step of a cold build: pickling every
article (the largest part), pickling the pages' entries and listing the output
folder, one after another on one core while the other idles (1.7 s at 10,000
articles). The articles go to a child, which has them already (fork), and the
parent does the rest meanwhile.
"""
from __future__ import annotations

import os
from collections.abc import Callable

from duben.atomic import die_with_parent
from duben.workers import can_fork


def aside(task: Callable[[], None]) -> Callable[[], None]:
    """Start `task()` in a forked child; return a function that waits for it. A failed
    task is not reported: a cache that cannot be written is skipped. Without fork,
    the task runs here and now (and its error reaches the caller, as any write's)."""
    if not can_fork():
        task()
        return lambda: None
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: no cleanup of the parent's (atexit, buffers) runs here
        code = 1
        try:
            die_with_parent(parent)  # a killed build leaves no writer behind
            task()
            code = 0
        finally:
            os._exit(code)

    def wait() -> None:
        os.waitpid(pid, 0)

    return wait
