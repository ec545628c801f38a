"""Issue 7, failures 2, 6, 13: a kill, a second run or a refusing disk never loses a folder."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from duben import atomic
from tests.hostile import REPO, cli, leftovers, make_edition, make_project, tree


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    root = make_edition(tmp_path)
    assert cli("--root", str(root), "build")[0] == 0
    return root


def _change_an_input(root: Path, text: str = "a{}") -> None:
    """A build with nothing changed does nothing (issue 8's cache): change an input so
    the next build really stages and swaps."""
    (root / "theme" / "static" / "changed.css").write_text(text, encoding="utf-8")


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=120)


# A run killed (os._exit, no clean-up at all) right after it moved the old folder aside:
# the worst moment of a two-rename swap, forced by turning the atomic exchange off.
KILLED_BETWEEN_RENAMES = """
    import os, sys
    from pathlib import Path
    from duben import atomic, cli
    atomic._exchange = lambda a, b: False
    rename = Path.rename
    def rename_then_die(self, target):
        result = rename(self, target)
        if Path(target).name.startswith(sys.argv[1]):
            os._exit(9)
        return result
    Path.rename = rename_then_die
    cli.main(sys.argv[2:])
"""


def test_build_killed_between_its_renames_is_repaired_by_the_next_run(edition: Path) -> None:
    before = tree(edition / "site")
    _change_an_input(edition)
    done = _run(KILLED_BETWEEN_RENAMES, ".site-old-", "--root", str(edition), "build")
    assert done.returncode == 9
    assert not (edition / "site").exists()  # the state the kill left: no site/ at all
    (edition / "theme" / "templates" / "base.html").write_text("{% broken", encoding="utf-8")
    code, _, err = cli("--root", str(edition), "build")  # fails, but repairs first
    assert code == 1 and "base.html" in err
    assert tree(edition / "site") == before
    assert leftovers(edition) == []


def test_split_killed_between_its_renames_loses_no_edit(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert cli("--root", str(root), "split")[0] == 0
    content = root / "content"
    edited = min(content.glob("*/*.md"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\n编辑补充的一段。\n", encoding="utf-8")
    made = content / edited.parent.name / "99-bianji-zhuanwen.md"
    made.write_bytes(edited.read_bytes())
    before = tree(content)
    done = _run(KILLED_BETWEEN_RENAMES, ".content-old-", "--root", str(root), "split")
    assert done.returncode == 9 and not content.exists()
    assert cli("--root", str(root), "split")[0] == 0
    after = tree(content)
    rel = edited.relative_to(content).as_posix()
    assert after[rel] == before[rel] and after[made.relative_to(content).as_posix()]
    assert leftovers(root) == []


def test_the_swap_never_leaves_the_target_missing(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Between any two steps of the swap the target is a complete folder: a rename
    that moves it aside first (and a kill right then) would leave none."""
    target = tmp_path / "site"
    target.mkdir()
    (target / "a").write_text("old", encoding="utf-8")
    states = []
    rename = Path.rename

    def watched(self: Path, new: Path) -> Path:
        result = rename(self, new)
        states.append(sorted(p.name for p in target.iterdir()) if target.exists() else None)
        return result

    monkeypatch.setattr(Path, "rename", watched)
    staged = atomic.staging_dir(target)
    (staged / "a").write_text("new", encoding="utf-8")
    atomic.swap_in(staged, target)
    assert None not in states
    assert (target / "a").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# --- 6. leftovers of dead runs are swept; a second run waits or says who holds the lock


def test_leftovers_of_dead_runs_are_swept(edition: Path, tmp_path: Path) -> None:
    for name in (".site-k1l2m3n4", ".site-old-a1b2c3d4", ".content-z9y8x7w6"):
        (edition / name / "articles").mkdir(parents=True)
        (edition / name / "articles" / "index.html").write_text("dead", encoding="utf-8")
    (edition / ".site-notours").mkdir()  # not a name duben makes: left alone
    assert cli("--root", str(edition), "build")[0] == 0
    assert leftovers(edition) == [".content-z9y8x7w6", ".site-notours"]
    root = make_project(tmp_path)
    (root / ".content-z9y8x7w6").mkdir()
    assert cli("--root", str(root), "split")[0] == 0
    assert leftovers(root) == []


HOLD_LOCK = """
    import fcntl, os, sys, time
    fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_second_run_says_who_holds_the_lock(edition: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(HOLD_LOCK), str(edition),
                               "30"], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        monkeypatch.setattr(atomic, "LOCK_WAIT", 0.3)
        before = tree(edition / "site")
        code, _, err = cli("--root", str(edition), "build")
        assert code == 2
        assert f"is being written by another duben run (pid {holder.pid})" in err
        assert tree(edition / "site") == before and leftovers(edition) == []
    finally:
        holder.kill()
        holder.wait()


SLOW_RENAMES = """
    import sys, time
    from pathlib import Path
    from duben import atomic, cli
    atomic._exchange = lambda a, b: False  # the two-rename swap, with a gap between
    rename = Path.rename
    def slow(self, target):
        result = rename(self, target)
        print("renamed", flush=True)
        time.sleep(1.5)
        return result
    Path.rename = slow
    sys.exit(cli.main(sys.argv[1:]))
"""


def test_two_builds_forced_to_interleave_both_succeed(edition: Path) -> None:
    """The second build runs while the first sits between its two renames: it must wait
    for the first (the lock), not publish into the gap."""
    _change_an_input(edition)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    first = subprocess.Popen([sys.executable, "-c", textwrap.dedent(SLOW_RENAMES), "--root",
                              str(edition), "build"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    assert first.stdout is not None and first.stdout.readline() == "renamed\n"
    second = _run("import sys; from duben import cli; sys.exit(cli.main(sys.argv[1:]))",
                  "--root", str(edition), "build")
    first_err = first.stderr.read() if first.stderr else ""
    assert (first.wait(timeout=120), first_err) == (0, "")
    assert (second.returncode, second.stderr) == (0, "")
    assert (edition / "site" / "index.html").is_file() and leftovers(edition) == []


def test_two_builds_at_once_both_succeed_and_leave_no_temp_folder(edition: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    runs = [subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(edition),
                              "build"], stderr=subprocess.PIPE, text=True, env=env)
            for _ in range(3)]
    results = [(r.wait(timeout=120), r.stderr.read() if r.stderr else "") for r in runs]
    assert results == [(0, "")] * 3
    assert (edition / "site" / "index.html").is_file() and leftovers(edition) == []


# --- 13. the environment's refusals: exit 2, the path named, nothing half-published ---


def test_an_unwritable_output_parent_is_exit_2_naming_it(edition: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, dir: str = "", **kwargs: object) -> str:
        raise PermissionError(errno.EACCES, "Permission denied", dir)

    monkeypatch.setattr(atomic.tempfile, "mkdtemp", refuse)
    before = tree(edition / "site")
    _change_an_input(edition)
    code, _, err = cli("--root", str(edition), "build")
    assert (code, err.splitlines()[0]) == (2, "duben: error: cannot write .: Permission denied")
    assert tree(edition / "site") == before


@pytest.mark.parametrize("full_at", ["the 7th page", "a static file"])
def test_a_full_disk_is_exit_2_naming_the_file(edition: Path, monkeypatch: pytest.MonkeyPatch,
                                               full_at: str) -> None:
    from duben.output import stream

    class FullDisk:
        """The os module as pages and files are written with it, the disk full at one
        of them (a failed write() names no file: the error must still say which)."""

        def __init__(self) -> None:
            self.opened: list[Path] = []

        def __getattr__(self, name: str) -> Any:
            return getattr(os, name)

        def open(self, path: str, *args: Any) -> int:
            self.opened.append(Path(path))
            return os.open(path, *args)

        def write(self, fd: int, data: bytes) -> int:
            last = self.opened[-1]
            if (len(self.opened) == 7) if full_at == "the 7th page" else last.name == "style.css":
                raise OSError(errno.ENOSPC, "No space left on device")
            return os.write(fd, data)

    before = tree(edition / "site")
    # Every page and the stylesheet change (a file whose bytes did not is linked, not written).
    base = edition / "theme" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<p>x</p></footer>"),
                    encoding="utf-8")
    with (edition / "theme" / "static" / "style.css").open("a", encoding="utf-8") as css:
        css.write("\n.x{}\n")
    disk = FullDisk()
    monkeypatch.setattr(stream, "os", disk)
    code, _, err = cli("--root", str(edition), "build")
    assert code == 2
    failed = disk.opened[-1]
    failed = failed.relative_to(failed.parents[len(failed.relative_to(edition).parts) - 2])
    assert err.splitlines()[0] == (f"duben: error: cannot write site/{failed.as_posix()}: "
                                   "No space left on device; site was left as it was")
    assert (failed.name == "style.css") == (full_at == "a static file")
    assert tree(edition / "site") == before and leftovers(edition) == []


def test_an_undeletable_old_file_stops_before_the_swap(edition: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    stuck = edition / "site" / "articles"
    access = os.access
    monkeypatch.setattr(atomic.os, "access",
                        lambda p, mode: False if Path(p) == stuck else access(p, mode))
    (edition / "theme" / "static" / "extra.css").write_text("a{}", encoding="utf-8")
    before = tree(edition / "site")
    code, _, err = cli("--root", str(edition), "build")
    assert code == 2
    assert err.splitlines()[0] == ("duben: error: cannot replace site: cannot delete the old "
                                   "files in it (site/articles); it was left as it was")
    assert tree(edition / "site") == before and leftovers(edition) == []


def test_the_command_line_ends_at_once_with_everything_said(tmp_path: Path) -> None:
    """build.py exits without tearing the interpreter down (cli.run): its exit status,
    every line it printed into a pipe and a logging handler's buffer still arrive."""
    edition = make_edition(tmp_path)
    out = tmp_path / "site"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a shell has
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(edition),
                           "build", "--out", str(out), "--no-search"],
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0 and done.stdout.startswith("build: ") and not done.stderr
    assert (out / "index.html").is_file()
    bad = edition / "content" / "100_fixturea"
    for n in range(300):  # more problem lines than a pipe's buffer holds
        (bad / f"bad-{n:03d}.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    failed = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(edition),
                             "build", "--out", str(out), "--no-search"],
                            capture_output=True, text=True, env=env, check=False)
    lines = failed.stderr.splitlines()
    assert failed.returncode == 1 and len(lines) == 301 and lines[-1].startswith("build failed")
    logged = tmp_path / "log.txt"
    script = textwrap.dedent(f"""
        import logging, logging.handlers, sys
        handler = logging.handlers.MemoryHandler(100, target=logging.FileHandler({str(logged)!r}))
        logging.getLogger().addHandler(handler)
        logging.getLogger().warning("held until logging shuts down")
        from duben.cli import run
        run(["--root", {str(edition)!r}, "build", "--out", {str(tmp_path / "two")!r}])
    """)
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env, check=False)
    assert ran.returncode == 1 and "build failed" in ran.stderr
    assert logged.read_text() == "held until logging shuts down\n"


def test_a_bad_option_is_exit_2() -> None:
    code, _, err = cli("build", "--no-such-option")
    assert code == 2 and "unrecognized arguments: --no-such-option" in err


def test_an_internal_error_is_exit_3_with_a_traceback_only_under_debug(
        edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import duben.build

    def bug(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(duben.build, "load_config", bug)
    code, _, err = cli("--root", str(edition), "build")
    assert code == 3 and "internal error: ZeroDivisionError" in err and "Traceback" not in err
    with pytest.raises(ZeroDivisionError):
        cli("--root", str(edition), "build", "--debug")


CHILDREN = """
    import os, subprocess, sys, time
    from duben.atomic import die_with_parent
    from duben.workers import fork_map
    parent = os.getpid()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                               preexec_fn=lambda: die_with_parent(parent))
    os.write(1, f"{sleeper.pid}\\n".encode())  # one write a line: whole, however interleaved
    def work(_):
        os.write(1, f"{os.getpid()}\\n".encode())
        time.sleep(60)
    fork_map(work, list(range(200)), 2, chunk=1)
"""


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_children_writing_for_a_killed_run_die_with_it() -> None:
    """Pagefind and the render workers write into the staging folder: when the build is
    SIGKILLed they must not go on writing into what the next run sweeps."""
    import signal

    run = subprocess.Popen([sys.executable, "-c", textwrap.dedent(CHILDREN)],
                           stdout=subprocess.PIPE, text=True,
                           env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert run.stdout is not None
    children: list[int] = []  # Pagefind's stand-in, then the 2 workers
    while len(children) < 3:
        line = run.stdout.readline()
        assert line, "the process ended before starting its children"
        children += [int(line)] if line.strip() else []
    assert all(_alive(pid) for pid in children)
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in children if _alive(pid)]
