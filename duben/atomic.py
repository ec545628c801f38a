"""Replace an output folder in one step, so a failure or a kill never loses it.

`staging_dir(target)` takes a lock beside the target, sweeps what dead runs left,
and returns a fresh folder beside it; `swap_in` exchanges the two folders with
one `renameat2(RENAME_EXCHANGE)` (Linux), so there is no instant at which the
target is missing or half-written; `discard` drops a failed staging folder. Where
the exchange is not available, two renames are used, and the state between them
(old folder moved aside, new one not yet in place) is repaired by the next run
before it does anything else: the old folder goes back.

The lock (flock on the folder holding the target: content/ and site/ share the
project's) is held from staging to swap, so two runs never swap at once, and a leftover `.<name>-XXXXXXXX` or `.<name>-old-XXXXXXXX` found
while holding it belongs to a dead run and is removed. A target that is a
symlink (site -> /srv/www) is written through: staging and exchange happen
beside the folder it points to, and the link stays as it is.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import shutil
import signal
import tempfile
import time
from pathlib import Path

from duben.errors import UsageError

LOCK_WAIT = 10.0  # seconds a second run waits for the first before giving up
_RENAME_EXCHANGE = 2
_PR_SET_PDEATHSIG = 1
_AT_FDCWD = -100
_held: dict[Path, int] = {}  # staging folder -> lock file descriptor
_locks: dict[str, list[int]] = {}  # locked folder -> [fd, holders in this process]


def staging_dir(target: Path) -> Path:
    """A fresh empty folder beside `target` (same file system, so the swap is a rename).

    Takes the target's lock (waiting up to LOCK_WAIT) and first repairs and sweeps
    what killed runs left; raise UsageError naming the folder if it cannot write there.
    """
    real = real_target(target)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        fd = lock(real)
        try:
            recover(real)
            staged = Path(tempfile.mkdtemp(prefix=f".{real.name}-", dir=real.parent))
            staged.chmod(0o755)  # mkdtemp makes it private; a published folder must be readable
        except BaseException:
            _release(fd)
            raise
    except OSError as exc:
        raise UsageError(f"cannot write {exc.filename or real.parent}: {exc.strerror}") from None
    _held[staged] = fd
    return staged


def swap_in(staged: Path, target: Path) -> None:
    """Put `staged` where `target` is, atomically; the old folder is removed afterwards."""
    real = real_target(target)
    try:
        if real.exists():
            _check_removable(real)  # fail before the swap, never halfway through a delete
        if not real.exists():
            staged.rename(real)
        elif _exchange(staged, real):
            _remove(staged)  # now the old folder
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{real.name}-old-", dir=real.parent))
            old.rmdir()
            real.rename(old)  # a kill here is repaired by recover() in the next run
            try:
                staged.rename(real)
            except OSError:
                old.rename(real)
                raise
            _remove(old)
    except OSError as exc:
        discard(staged)
        raise UsageError(f"cannot replace {target}: {exc.strerror} "
                         f"({exc.filename}); it was left as it was") from None
    _unlock(staged)


def discard(staged: Path) -> None:
    """Remove a staging folder after a failed run; the target was never touched."""
    shutil.rmtree(staged, ignore_errors=True)
    _unlock(staged)


def write_failed(exc: OSError, staged: Path, target: Path) -> UsageError:
    """Discard `staged` and say what could not be written, named as it would be in `target`
    (disk full, permissions); the caller raises it. The target was never touched."""
    discard(staged)
    name = Path(exc.filename) if exc.filename else staged
    if name.is_relative_to(staged):
        name = target / name.relative_to(staged)
    return UsageError(f"cannot write {name}: {exc.strerror}; {target} was left as it was")


def real_target(target: Path) -> Path:
    """The folder actually replaced: a symlinked target's destination, else the target."""
    return Path(os.path.realpath(target)) if target.is_symlink() else target.absolute()


def lock(real: Path, wait: float | None = None) -> int:
    """Hold the lock of the folder that holds `real` (flock on the folder itself, so
    no lock file is left behind); returns an fd for _unlock. Re-entrant per process."""
    key = str(real.parent)
    if key in _locks:
        _locks[key][1] += 1
        return _locks[key][0]
    fd = os.open(real.parent, os.O_RDONLY | os.O_DIRECTORY)
    wait = LOCK_WAIT if wait is None else wait
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = _holder(fd)
                os.close(fd)
                raise UsageError(f"{real.parent} is being written by another duben run "
                                 f"(pid {holder}); waited {wait:.0f} s, try again when it "
                                 "ends") from None
            time.sleep(0.05)
    _locks[key] = [fd, 1]
    return fd


def _holder(fd: int) -> str:
    """The pid holding a flock on fd's file, from /proc/locks (Linux), else '?'."""
    inode = os.fstat(fd).st_ino
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return "?"
    for line in lines:
        fields = line.split()
        if "FLOCK" in fields and len(fields) > 5 and fields[5].endswith(f":{inode}"):
            return fields[4]
    return "?"


def recover_target(target: Path) -> list[Path]:
    """Run first by every command that reads or replaces `target`: take its lock, repair
    what a killed run left (see recover), release. Returns the swept paths."""
    real = real_target(target)
    if not real.parent.is_dir():
        return []
    try:
        fd = lock(real)
        try:
            return recover(real)
        finally:
            _release(fd)
    except OSError as exc:
        raise UsageError(f"cannot repair {exc.filename or real.parent}: {exc.strerror}") from None


def recover(real: Path) -> list[Path]:
    """Repair and sweep what killed runs left beside `real`; call with its lock held.

    If `real` is missing but an `-old-` folder exists, a run died between its two
    renames: the old folder is complete, so it goes back. Every other leftover
    (staging folders, old folders, half-deleted ones) is removed. Returns the swept paths.
    """
    pattern = re.compile(rf"\.{re.escape(real.name)}-(old-)?[a-z0-9_]{{8}}")
    leftovers = sorted(p for p in real.parent.iterdir()
                       if pattern.fullmatch(p.name) and p.is_dir() and not p.is_symlink())
    olds = [p for p in leftovers if p.name.startswith(f".{real.name}-old-")]
    if not real.exists() and not real.is_symlink() and olds:
        newest = max(olds, key=lambda p: p.stat().st_mtime_ns)
        newest.rename(real)
        leftovers.remove(newest)
    for path in leftovers:
        _remove(path)
    return leftovers


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call; False where the kernel or libc cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False  # file system or kernel without RENAME_EXCHANGE: use two renames
    raise OSError(err, os.strerror(err), str(b))


def _check_removable(folder: Path) -> None:
    """Raise OSError naming the first folder whose entries this process cannot delete."""
    for here, dirs, _ in os.walk(folder):
        if not os.access(here, os.W_OK | os.X_OK):
            raise OSError(errno.EACCES, "cannot delete the old files in it", here)
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(here, d))]


def _remove(path: Path) -> None:
    # After the swap the new folder is in place; an old file that resists deletion is
    # left for the next run's sweep rather than failing a run that has succeeded.
    shutil.rmtree(path, ignore_errors=True)


def _unlock(staged: Path) -> None:
    fd = _held.pop(staged, None)
    if fd is not None:
        _release(fd)


def _forget_in_child() -> None:
    # A forked worker (a process pool) must not keep the lock alive after the parent
    # releases it: drop the child's references (the parent's lock is unaffected).
    for fd, _ in _locks.values():
        os.close(fd)
    _locks.clear()
    _held.clear()


os.register_at_fork(after_in_child=_forget_in_child)


def die_with_parent(parent: int) -> None:
    """Run in a child that writes into a staging folder (a render worker, Pagefind):
    ask Linux to kill it when its parent dies. A killed build's children would
    otherwise go on writing into a folder the next run is sweeping, and leave it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # not Linux: the next run's sweep is all there is
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _release(fd: int) -> None:
    for key, entry in list(_locks.items()):
        if entry[0] == fd:
            entry[1] -= 1
            if entry[1] == 0:
                del _locks[key]
                os.close(fd)
