"""Render pages over a process pool, writing each into the staging folder as it is made.

No page is kept in memory: a worker renders one page, writes it, scans it for links
(duben/output/linkcheck.py) and hands back only the scan and the file's stat. The
pool is forked after the Edition, the templates and the specs exist, so workers
inherit them instead of receiving them pickled per task; a task is a run of spec
indices. Which process renders a page never changes its bytes, so the output is the
same with one process or many (a test compares them).
"""
from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from duben.errors import Problem
from duben.output.linkcheck import PageLinks, Scanner, shared
from duben.paths import joined_inside
from duben.workers import SMALL, can_fork, run_tasks

Render = Callable[[int, list[Problem]], Iterable[str]]  # spec index -> page text, in pieces


@dataclass(frozen=True)
class Made:
    """One page written into the staging folder."""

    index: int  # of its spec
    size: int
    mtime_ns: int
    links: PageLinks | None  # None: not an HTML page
    problems: tuple[Problem, ...]
    fingerprint: str = ""  # made here when make_pages is given `fingerprint`


@dataclass(frozen=True)
class _Job:
    render: Render
    paths: Sequence[str]  # output path of each spec index
    staged: str
    base_url: str
    out: str | None  # the current site: a page rendered to the same bytes is linked from it
    fingerprint: Callable[[int], str] | None  # spec index -> what the cache keeps


_JOB: _Job | None = None  # set in the parent just before the fork; read by the workers
CHUNK = 32  # pages a task: few enough tasks to keep both cores busy to the end


def make_pages(render: Render, paths: Sequence[str], todo: Sequence[int], staged: Path,
               base_url: str, workers: int, out: Path | None = None,
               tick: Callable[[int], None] = lambda n: None,
               batches: Sequence[str] = (),
               fingerprint: Callable[[int], str] | None = None,
               first: Collection[int] = ()) -> list[Made]:
    """Render, write and scan the pages `todo`; sorted by index. `tick(n)` after each run.

    A page whose bytes equal its file in `out` is hard-linked from there, not written.
    Pages of one batch (`batches[i]`, "" for none) go to one task, in index order;
    a page of `first` (one that keeps a process busy for long: the whole edition on
    one page) goes alone, before any other, so the others share the rest of the work.
    `fingerprint(i)`, when given, is computed with the page and returned in its Made."""
    global _JOB
    _JOB = _Job(render, paths, str(staged), base_url,
                str(out) if out is not None and out.is_dir() else None, fingerprint)
    runs = _runs(todo, batches, first)
    made: list[Made] = []
    # Everything alive now (the Edition, the specs) outlives the pages: the garbage
    # collector need not walk it again while they are made, here or in the workers.
    # (A caller that froze the heap before, build_site, unfreezes it itself.)
    thawed = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        here = workers <= 1 or len(todo) < SMALL or len(runs) <= 1 or not can_fork()
        for done in (map(_work, runs) if here else
                     (done for _, done in run_tasks(_work, runs, workers))):
            made += map(_kept, done)
            tick(len(done))
    finally:
        _JOB = None
        if thawed:
            gc.unfreeze()
    return sorted(made, key=lambda m: m.index)


def _kept(m: Made) -> Made:
    """What the parent keeps of a page until the end: its link targets shared with every
    other page's (each result arrives with its own copies of the same few targets)."""
    return dataclasses.replace(m, links=shared(m.links)) if m.links else m


def _runs(todo: Sequence[int], batches: Sequence[str],
          first: Collection[int] = ()) -> list[Sequence[int]]:
    """Tasks: each page of `first` alone, each batch whole (the long ones first, to
    keep both cores busy to the end), then the other pages CHUNK at a time."""
    alone = [[i] for i in todo if i in first]
    grouped: dict[str, list[int]] = {}
    loose = []
    for i in todo:
        batch = batches[i] if batches else ""
        if i in first:
            continue
        if batch:
            grouped.setdefault(batch, []).append(i)
        else:
            loose.append(i)
    return [*alone, *grouped.values(),
            *(loose[i:i + CHUNK] for i in range(0, len(loose), CHUNK))]


def _work(indices: Sequence[int]) -> list[Made]:
    job = _JOB
    assert job is not None, "make_pages sets the job before any work runs"
    # The task's fingerprints first, in one run: walking one page's dependencies
    # right after rendering another took twice as long (what it reads is out of cache).
    prints = [job.fingerprint(i) for i in indices] if job.fingerprint else [""] * len(indices)
    return [_make(job, i, fingerprint) for i, fingerprint in zip(indices, prints)]


def _make(job: _Job, index: int, fingerprint: str = "") -> Made:
    """Render, write and scan one page. A page is held whole up to PIECE characters
    (nearly every page): then it may be linked from the current site when its bytes
    are unchanged. A longer one (the whole-edition print page) is written and scanned
    piece by piece as the template makes it, never held whole."""
    problems: list[Problem] = []
    pieces = iter(job.render(index, problems))
    here = job.paths[index]
    path = joined_inside(job.staged, here)
    _make_folder(path[:path.rfind("/")])
    scanner = Scanner(here, job.base_url) if here.endswith(".html") else None
    head = _take(pieces, PIECE)
    if len(head) < PIECE:  # the whole page
        st = put(path, head.encode("utf-8"), None if job.out is None else f"{job.out}/{here}")
        if scanner:
            scanner.feed(head)
    else:
        with open(path, "wb") as f:
            while head:
                f.write(head.encode("utf-8"))
                if scanner:
                    scanner.feed(head, final=False)
                head = _take(pieces, PIECE)
        st = os.stat(path)
    links = scanner.done() if scanner and not problems else None
    return Made(index, st.st_size, st.st_mtime_ns, links, tuple(problems),
                fingerprint)


PIECE = 1 << 20  # characters of a page held at once


def _take(pieces: Iterator[str], size: int) -> str:
    """The next pieces joined, up to about `size` characters ("" when none are left)."""
    taken: list[str] = []
    count = 0
    for piece in pieces:
        taken.append(piece)
        count += len(piece)
        if count >= size:
            break
    return "".join(taken)


def _make_folder(folder: str) -> None:
    """The folder a page goes in (most pages have their own: one mkdir, no Path)."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


def put(path: str, data: bytes, old: str | None) -> os.stat_result:
    """Write `data` as the new file `path`, or hard-link `old` (the current site's copy)
    when it holds the same bytes; the new file's stat."""
    if old is not None and _same(old, data) and link_file(old, path):
        return os.stat(path)
    return _write(path, data)


def _write(path: str, data: bytes) -> os.stat_result:
    """Write a new file and return its stat, with the system's calls alone (a Python
    file object adds four more a page, and a second stat by path)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        return os.fstat(fd)
    except OSError as exc:  # (a full disk): name the file, as a failed open does
        raise OSError(exc.errno, exc.strerror, path) from None
    finally:
        os.close(fd)


_FLAGS = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _same(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as f:
            return f.read() == data
    except OSError:
        return False


def link_file(source: str | Path, target: str | Path) -> bool:
    """Hard-link `source` as `target`; False if this file system cannot."""
    try:
        os.link(source, target)
        return True
    except OSError:
        return False


def workers_wanted(pages: int) -> int:
    """Both cores for a large edition; one process when forking would cost more than it saves."""
    return 1 if pages < 400 else max(1, min(len(os.sched_getaffinity(0)), 8))
