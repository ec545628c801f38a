"""Run tasks in forked processes: the one process pool of the build's parallel stages.

multiprocessing.Pool hands every task and result across three threads of the parent
and takes locks on both sides; at 10,000 articles its parent spent 0.6 s of CPU
receiving the parsed articles and as much receiving the pages' scans, on a machine
with two cores that the workers needed. Here the parent alone speaks to each child,
through two pipes of its own: the numbers of the tasks to do (two ahead, so a child
never waits for its next) and the results, one pickled message a task, read a
megabyte at a time. The children are forked: they inherit the function and all it
reads, and only task numbers and results cross. A task that raises in a child
raises the same in the parent; a child that dies (killed, out of memory) is an
error, not the hang Pool gives; the children die with the parent (die_with_parent).
"""
from __future__ import annotations

import os
import pickle
import selectors
import signal
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from duben.atomic import die_with_parent

T = TypeVar("T")
_NUMBER = struct.Struct("=I")  # a task's number (4 bytes: a pipe delivers it whole)
_SIZE = struct.Struct("=Q")  # a result message's length, before it
# Tasks a child holds: with two, it starts its next as it sends a result (one: 0.1 s
# more at 10,000 articles); a task held behind a long one (the print page) waits for it.
AHEAD = 2
SMALL = 100  # fewer items or pages than this (an edit): starting the processes costs more
_READ = 1 << 20


def can_fork() -> bool:
    """This system starts processes by fork (not Windows): children inherit the build."""
    return hasattr(os, "fork")


def run_tasks(fn: Callable[[T], Any], tasks: Sequence[T], workers: int) -> Iterator[tuple[int, Any]]:
    """(i, fn(tasks[i])) for every task, each computed in one of `workers` forked
    processes, in the order they finish; tasks are handed out in order, as children
    become free. Leaving the loop early stops the children."""
    if not tasks:
        return
    parent = os.getpid()
    children: dict[int, _Child] = {}  # result pipe -> child
    following = iter(range(len(tasks)))
    try:
        for _ in range(max(1, min(workers, len(tasks)))):
            child = _Child.start(fn, tasks, parent,
                                 [c.task_fd for c in children.values() if c.task_fd >= 0])
            children[child.result_fd] = child
            for _ in range(AHEAD):
                child.send(next(following, None))
        with selectors.DefaultSelector() as selector:
            for fd in children:
                selector.register(fd, selectors.EVENT_READ)
            while selector.get_map():
                for key, _ in selector.select():
                    child = children[key.fd]
                    for number, ok, value in child.receive():
                        if not ok:
                            raise value
                        child.send(next(following, None))
                        yield number, value
                    if child.ended:
                        selector.unregister(key.fd)
                        child.close_and_wait()  # raises if it died with tasks not done
    finally:
        for child in children.values():
            child.stop()


def fork_map(fn: Callable[[T], Any], items: Sequence[T], workers: int,
             chunk: int = 64) -> list[Any]:
    """[fn(x) for x in items], over `workers` forked processes when that pays (`chunk`
    items a task), in this process otherwise."""
    if workers <= 1 or len(items) < SMALL or not can_fork():
        return [fn(x) for x in items]
    parts = [items[i:i + chunk] for i in range(0, len(items), chunk)]
    done: list[list[Any]] = [[] for _ in parts]
    for i, results in run_tasks(lambda part: [fn(x) for x in part], parts, workers):
        done[i] = results
    return [r for results in done for r in results]


class _Child:
    """One forked worker, seen from the parent: its pid, its two pipes, and what it
    has been sent and has answered."""

    def __init__(self, pid: int, task_fd: int, result_fd: int) -> None:
        self.pid, self.task_fd, self.result_fd = pid, task_fd, result_fd
        self.buffer = bytearray()
        self.waiting = 0  # tasks sent, not answered
        self.ended = False  # its result pipe is closed

    @classmethod
    def start(cls, fn: Callable[[Any], Any], tasks: Sequence[Any], parent: int,
              siblings: list[int]) -> _Child:
        task_r, task_w = os.pipe()
        result_r, result_w = os.pipe()
        try:  # fewer wake-ups for the large results (Linux; the default 64 kB otherwise)
            import fcntl
            fcntl.fcntl(result_w, fcntl.F_SETPIPE_SZ, _READ)  # type: ignore[attr-defined]
        except (ImportError, AttributeError, OSError):
            pass
        try:
            pid = os.fork()
        except OSError:  # (no memory, too many processes): nothing of this child stays open
            for fd in (task_r, task_w, result_r, result_w):
                os.close(fd)
            raise
        if pid == 0:  # the child: no cleanup of the parent's (atexit, buffers) runs here
            code = 1
            try:
                for fd in (task_w, result_r, *siblings):  # a sibling's task pipe kept open
                    os.close(fd)  # here: it would not see its end until this child ends
                die_with_parent(parent)
                _serve(fn, tasks, task_r, result_w)
                code = 0
            finally:
                os._exit(code)
        os.close(task_r)
        os.close(result_w)
        return cls(pid, task_w, result_r)

    def send(self, number: int | None) -> None:
        """Send the task `number`; None: there are no more (the child ends when done)."""
        if self.task_fd < 0:
            return
        if number is None:
            os.close(self.task_fd)
            self.task_fd = -1
        else:
            self.waiting += 1
            try:
                os.write(self.task_fd, _NUMBER.pack(number))
            except BrokenPipeError:  # it has died: its results' end says how (close_and_wait)
                os.close(self.task_fd)
                self.task_fd = -1

    def receive(self) -> Iterator[tuple[int, bool, Any]]:
        """The results that have arrived whole: (task number, ok, result or exception)."""
        chunk = os.read(self.result_fd, _READ)
        if not chunk:
            self.ended = True
            return
        buffer = self.buffer
        buffer += chunk
        start = 0
        while len(buffer) - start >= _SIZE.size:
            (size,) = _SIZE.unpack_from(buffer, start)
            end = start + _SIZE.size + size
            if len(buffer) < end:
                break
            with memoryview(buffer) as view:
                message = pickle.loads(view[start + _SIZE.size:end])
            start = end
            self.waiting -= 1
            yield message
        del buffer[:start]

    def close_and_wait(self) -> None:
        os.close(self.result_fd)
        self.result_fd = -1
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if self.waiting or status:
            how = (f"was killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
                   else f"ended (exit status {os.waitstatus_to_exitcode(status)})")
            raise ChildProcessError(f"a worker process {how} with its work not done")

    def stop(self) -> None:
        """Close the pipes; a child still running is killed (the parent is leaving
        early: an error, or an interrupt) and reaped."""
        for fd in (self.task_fd, self.result_fd):
            if fd >= 0:
                os.close(fd)
        self.task_fd = self.result_fd = -1
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = 0


def _serve(fn: Callable[[Any], Any], tasks: Sequence[Any], task_fd: int, result_fd: int) -> None:
    """The child's loop: read a task number, send back its result (or its exception)."""
    while True:
        number = os.read(task_fd, _NUMBER.size)
        if not number:
            return  # the parent has no more tasks
        (i,) = _NUMBER.unpack(number)
        try:
            message = pickle.dumps((i, True, fn(tasks[i])), pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 (any: the parent raises it, as Pool does)
            message = _pickled_error(i, exc)
        _write_all(result_fd, _SIZE.pack(len(message)) + message)


def _pickled_error(i: int, exc: Exception) -> bytes:
    try:
        return pickle.dumps((i, False, exc), pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 (one that cannot be pickled: its type and text)
        return pickle.dumps((i, False, RuntimeError(f"{type(exc).__name__}: {exc}")))


def _write_all(fd: int, data: bytes) -> None:
    with memoryview(data) as view:
        while view:
            view = view[os.write(fd, view):]
