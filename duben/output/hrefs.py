"""Where a link on a page of the site leads: the site file and #anchor a browser would
open, resolved from the page's own file (the link check's half that knows URLs)."""
from __future__ import annotations

import posixpath
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from duben.output import urls


def path_of(link: str) -> str:
    """A link's path: what comes before its query or fragment."""
    return link.partition("#")[0].partition("?")[0]


@lru_cache(maxsize=1 << 16)  # each article is linked from many pages
def resolve_from(folder: str, target: str, base_url: str) -> tuple[str, str] | None:
    """`resolve` for a link with a path, which names the same file from any page of
    `folder` (a page's folder with its '/', or "" at the root)."""
    return resolve(target, folder + "page", base_url)


def resolve(target: str, here: str, base_url: str) -> tuple[str, str] | None:
    """(site file, unquoted fragment) a link needs, or None for an external link."""
    if base_url and target.startswith(base_url):
        path, _, fragment = target[len(base_url):].partition("#")
        return urls.output_path(unquote(path)), unquote(fragment)
    if ":" in target or target.startswith("//"):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            return None  # external: not ours to check (and the site should have none)
    path, _, fragment = target.partition("#")
    path = path.partition("?")[0]
    if not path:
        return here, unquote(fragment)
    return join(here, unquote(path)), unquote(fragment)


def join(here: str, path: str) -> str:
    """The output path a relative link from the file `here` names: the same as
    posixpath.normpath of the join (a folder link means its index.html), with a fast
    path for the links we write (leading '../' segments, then names)."""
    parts = here.split("/")[:-1]
    segments = path.split("/")
    up = 0
    while up < len(segments) - 1 and segments[up] == "..":
        up += 1
    rest = segments[up:]
    if up > len(parts) or "." in rest or ".." in rest or rest[-1:] == [".."]:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(here), path))
        if path.endswith("/") or joined == ".":
            joined = urls.output_path(joined.rstrip(".") + "/" if joined != "." else "")
        return joined
    joined = "/".join(parts[:len(parts) - up] + [r for r in rest if r])
    return urls.output_path(joined + "/" if joined else "") if path.endswith("/") else joined
