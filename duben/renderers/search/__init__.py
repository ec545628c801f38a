"""Search: a full-text index over the finished site, by Pagefind, in both scripts.

Two parts, because Pagefind reads HTML, not the Edition:
- `render_search` (a renderer like any other) writes each script's character map,
  `search/chars.json`, which the search page uses to turn a query typed in the other
  script into the script of the edition being read (Pagefind does not fold scripts);
- `index_site` runs Pagefind over the staged site, before the atomic swap, so the
  index always matches the pages it is published with (see duben/build.py).
"""
from __future__ import annotations

from duben.renderers.search.chars import render_search
from duben.renderers.search.pagefind import index_site

__all__ = ["index_site", "render_search"]
