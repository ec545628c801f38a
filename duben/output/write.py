"""Write the rendered site: static files joined to the pages, then temp folder and swap.

This is the only module that writes site/. The previous site stays in place until
the new one is complete; a static file that would overwrite a page is an error.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from duben.atomic import discard, staging_dir, swap_in, write_failed
from duben.errors import DubenError, Problem
from duben.output import urls
from duben.paths import join_inside, project_files


def with_static(pages: dict[str, tuple[bytes, str]], static_dir: Path,
                root: Path) -> dict[str, tuple[bytes, str]]:
    """Pages plus every file of theme/static under static/, plus .nojekyll; no overwrites."""
    out = dict(pages)
    # A symlink leaving the project (theme/static/x -> /etc/shadow) is an error, not a file.
    files, problems = project_files(static_dir, root)
    extra = [(urls.static(p.relative_to(static_dir).as_posix()), p) for p in files]
    for url, path in extra:
        origin = _shown(path, root)
        if url in out:
            problems.append(Problem(origin, None, f"URL {url!r} is also claimed by {out[url][1]}"))
        out[url] = (path.read_bytes(), origin)
    # GitHub Pages would otherwise run Jekyll, which hides files starting with '_' or '.'.
    out[urls.NOJEKYLL] = (b"", "build")
    if problems:
        raise DubenError(problems)
    return out


def write_site(files: dict[str, tuple[bytes, str]], out: Path,
               finish: Callable[[Path], None] | None = None) -> None:
    """Write every file into a sibling temp folder, then swap it in as `out`.

    `finish` runs over the complete staged folder before the swap (the search index
    is made from the written pages); if it fails, `out` is left as it was.
    """
    staged = staging_dir(out)
    try:
        try:
            for url in sorted(files):
                path = join_inside(staged, urls.output_path(url))
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(files[url][0])
        except OSError as exc:  # disk full, permissions: the environment's fault, exit 2
            raise write_failed(exc, staged, out) from None
        if finish is not None:
            finish(staged)
        swap_in(staged, out)
    except BaseException:
        discard(staged)
        raise


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
