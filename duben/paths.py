"""Every name that comes from a file is checked here before it becomes a path.

Slugs (series in duben.yaml, columns in data/columns.yaml, articles in front
matter and in content/.split-manifest.json), page ids (from `source.file`),
content names in the manifest and site URLs all end up as folder or file names.
A name like `../../pwned` would write outside the project, so each kind has a
grammar checked in one place, and every joined path is checked to stay inside
its folder.

Symlink rule: a link inside content/, seeds/, theme/static/ or theme/templates/ is
followed only when its target stays inside the project or that folder (an editor
may link a shared file; a theme may live outside the project); a link that leaves
them (`/etc/shadow`) is an error, never published. An output folder
that is itself a symlink (site -> /srv/www, a common deploy setup) is written
through: the new site is staged beside the link's target.
"""
from __future__ import annotations

import os
import posixpath
import re
import stat
from pathlib import Path, PurePosixPath

from duben.errors import Problem, UsageError
from duben.slugs import is_slug

# A page id is a seed's file name without .txt: letters, digits, '_', '.', '-',
# starting with a letter or digit (so never '.', '..' or a hidden name).
_PAGE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
SOURCE_FOLDERS = ("seeds", "content", "theme", "data")
SITE_MARK = ".nojekyll"  # every site duben writes has it (output/write.py)


def slug_problem(value: object, path: str, line: int | None, what: str) -> Problem | None:
    """A Problem when `value` is not a slug (lowercase ASCII words joined by '-')."""
    if isinstance(value, str) and is_slug(value):
        return None
    return Problem(path, line, f"{what} must be lowercase ASCII letters and digits joined "
                   f"by single '-', got {value!r}")


def is_page_id(text: str) -> bool:
    """True for a usable page id (a seed name without .txt)."""
    return _PAGE_ID.fullmatch(text) is not None


def source_file_problem(value: str) -> str | None:
    """Why `value` is not `seeds/<page id>.txt`, or None when it is."""
    pure = PurePosixPath(value)
    if (len(pure.parts) == 2 and pure.parts[0] == "seeds" and pure.suffix == ".txt"
            and is_page_id(pure.stem)):
        return None
    return (f"must be seeds/<name>.txt with a name of letters, digits, '_', '.', '-', "
            f"got {value!r}")


def content_name_ok(name: str) -> bool:
    """A content file name from the manifest: `<page id>/<NN>-<slug>.md` or a page's
    facts file `<page id>/page.yaml`, nothing else."""
    parts = name.split("/")
    if len(parts) == 2 and is_page_id(parts[0]) and parts[1] == "page.yaml":
        return True
    if len(parts) != 2 or not is_page_id(parts[0]) or not parts[1].endswith(".md"):
        return False
    number, _, slug = parts[1][:-3].partition("-")
    return number.isdigit() and is_slug(slug)


def url_key(url: str) -> str:
    """The file a URL is written to, normalised and case-folded: two URLs with one key
    would overwrite each other (on a case-insensitive disk too). Refuses escapes."""
    path = url + "index.html" if url == "" or url.endswith("/") else url
    normal = posixpath.normpath(path)
    if normal.startswith(("../", "/")) or normal in ("..", ".") or "\x00" in normal:
        raise ValueError(f"URL {url!r} leaves the site folder")
    return normal.casefold()


def join_inside(base: Path, relative: str) -> Path:
    """`base / relative`, refusing anything that would land outside `base`."""
    return Path(joined_inside(str(base), relative))


def joined_inside(base: str, relative: str) -> str:
    """join_inside for text paths (every page written is one: no Path objects)."""
    parts = relative.split("/")
    if relative.startswith("/") or ".." in parts or all(p in ("", ".") for p in parts):
        raise ValueError(f"{relative!r} is not a path inside {base}")
    return f"{base}/{relative}"


def inside(path: Path, folder: Path) -> bool:
    """True when `path`, all links followed, is `folder` or lies inside it."""
    return path.resolve().is_relative_to(folder.resolve())


def project_files(folder: Path, root: Path,
                  pattern: str = "**/*") -> tuple[list[Path], list[Problem]]:
    """(regular files under `folder` matching `pattern`, sorted; problems): a symlink
    (file or folder) whose target leaves both the project and `folder` is a problem.
    (A theme may live outside the project; its files may not point further out.)"""
    problems, files = [], []
    # A folder's text -> it or a folder between it and `folder` is a link (lstat, once a
    # folder). `folder` itself may be one: allowed ("" stands for it when it is ".").
    linked_dirs: dict[str, bool] = {str(folder): False, "": False}

    def linked(text: str) -> bool:
        if text not in linked_dirs:
            parent = os.path.dirname(text)
            linked_dirs[text] = (parent != text and linked(parent)) or os.path.islink(text)
        return linked_dirs[text]

    for path in sorted(folder.glob(pattern)):
        # One lstat a file tells a link from a plain file (10,000 content files, twice
        # a stat each before). Only a link, here or above, can lead elsewhere, and only
        # then is the path resolved (10,000 resolves cost 0.3 s).
        text = str(path)
        try:
            mode = os.lstat(text).st_mode
        except OSError:  # gone since it was listed: as is_file() says, not a file
            continue
        if not stat.S_ISLNK(mode) and not linked(os.path.dirname(text)):
            if stat.S_ISREG(mode):
                files.append(path)
            continue
        allowed = inside(path, root) or inside(path, folder)
        if not allowed and any(p.is_symlink() for p in (path, *path.parents)):
            problems.append(Problem(shown(path, root), None, "symbolic link to "
                                    f"{path.resolve()} leaves the project; refused"))
        elif path.is_file() and allowed:
            files.append(path)
    return files, problems


def check_output(root: Path, out: Path) -> None:
    """Refuse an output folder that is, holds, or lies inside the project root or a source
    folder: building there would replace editors' files with the site."""
    target, project = out.resolve(), root.resolve()
    guarded = [project, *(project / name for name in SOURCE_FOLDERS)]
    for folder in guarded:
        within = target.is_relative_to(folder) and folder != project
        if target == folder or within or folder.is_relative_to(target):
            what = "the project folder" if folder == project else f"{folder.name}/"
            raise UsageError(f"refusing to write the site to {out}: it would replace "
                             f"{what} (choose a folder outside seeds/, content/, theme/, "
                             "data/ and not above the project, e.g. site/)")
    # The old folder is replaced whole: only a site duben built (it always writes
    # .nojekyll) or an empty folder may be, never someone's Documents.
    if target.exists() and not target.is_dir():
        raise UsageError(f"refusing to write the site to {out}: it is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / SITE_MARK).exists():
        raise UsageError(f"refusing to replace {out}: it is not empty and is not a site "
                         f"duben built (no {SITE_MARK}); empty it or choose another folder")


def shown(path: Path, root: Path) -> str:
    """A path as messages show it: relative to the project when inside it."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return str(path)


def tree_stats(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under folder -> (mtime_ns, size); empty if there is no folder. As
    os.walk lists them (a link to a folder is not followed), in under half its time:
    each key made once from its folder's, not by relpath (12,000 files a build)."""
    found: dict[str, tuple[int, int]] = {}

    def walk(path: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(path))
        except OSError:
            return
        for entry in entries:
            if entry.is_dir():
                if not entry.is_symlink():
                    walk(entry.path, prefix + entry.name + os.sep)
            else:
                st = os.stat(entry.path)
                found[prefix + entry.name] = (st.st_mtime_ns, st.st_size)

    walk(str(folder), "")
    return found
