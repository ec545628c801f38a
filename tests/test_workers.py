"""duben/workers.py: the build's forked processes hand back every result, raise what a
task raises, never hang on a child that died, and leave no child behind."""
from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from duben.workers import fork_map, run_tasks


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A pipe left open in the wrong process shows as a hang: fail it in 20 s instead."""
    def timeout(*_: object) -> None:
        raise TimeoutError("run_tasks hung")
    old = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _children_of(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.isdigit() and int(fields[1]) == pid:
            found.add(int(entry))
    return found


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_every_task_once_in_another_process(workers: int) -> None:
    big = "读本" * 300_000  # results larger than a pipe holds, several at once
    tasks = list(range(40))
    results = dict(run_tasks(lambda n: (n * n, os.getpid(), big if n % 7 == 0 else ""),
                             tasks, workers))
    assert sorted(results) == tasks
    assert all(results[n][0] == n * n for n in tasks)
    assert all(results[n][2] == (big if n % 7 == 0 else "") for n in tasks)
    pids = {pid for _, pid, _ in results.values()}
    assert os.getpid() not in pids and len(pids) == workers
    assert not _children_of(os.getpid())


@pytest.mark.parametrize(("tasks", "workers"), [(1, 2), (2, 5), (3, 0)])
def test_fewer_tasks_than_workers_or_no_workers_asked_for(tasks: int, workers: int) -> None:
    assert dict(run_tasks(lambda n: -n, list(range(tasks)), workers)) == {
        n: -n for n in range(tasks)}
    assert not _children_of(os.getpid())


def test_fork_map_keeps_the_order_in_any_chunks() -> None:
    items = [f"第{n}篇" for n in range(1000)]
    for chunk in (1, 7, 64, 5000):
        assert fork_map(lambda s: s[::-1], items, 2, chunk) == [s[::-1] for s in items]


def test_a_task_that_raises_raises_in_the_parent() -> None:
    def work(n: int) -> int:
        if n == 13:
            raise OSError(28, "No space left on device", "site/x/index.html")
        return n

    with pytest.raises(OSError) as raised:
        list(run_tasks(work, list(range(200)), 2))
    assert raised.value.errno == 28 and raised.value.filename == "site/x/index.html"
    assert not _children_of(os.getpid())


def test_an_exception_that_cannot_be_pickled_arrives_as_its_text() -> None:
    class Local(Exception):  # a class defined in a function: pickle cannot find it
        pass

    def work(n: int) -> int:
        raise Local(f"task {n} failed")

    with pytest.raises(RuntimeError, match=r"^Local: task \d+ failed$"):
        list(run_tasks(work, [1, 2, 3], 2))


def test_a_child_that_dies_is_an_error_not_a_hang() -> None:
    def work(n: int) -> int:
        if n == 5:
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
        return n

    with pytest.raises(ChildProcessError, match="killed by signal 9"):
        list(run_tasks(work, list(range(20)), 2))
    assert not _children_of(os.getpid())


def test_leaving_early_stops_the_children() -> None:
    import time

    def work(n: int) -> int:
        if n > 0:
            time.sleep(30)
        return n

    for number, _ in run_tasks(work, list(range(10)), 2):
        assert number == 0
        break
    assert not _children_of(os.getpid())
