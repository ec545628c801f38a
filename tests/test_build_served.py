"""The built site served over HTTP under a sub-path (/sub/), as GitHub Pages serves a
project site: crawl from the home page, follow every link, every #anchor must exist."""
from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from sitecheck import _Main
from support import serve_under

from duben.build import build_site

FIXTURE = Path(__file__).parent / "fixtures" / "edition"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture site at http://127.0.0.1:<free port>/sub/."""
    site = tmp_path_factory.mktemp("served") / "site"
    build_site(FIXTURE, site, strict=True)
    with serve_under(site, "/sub/") as url:
        yield url


def _fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        return exc.code, b"", ""


def test_crawl_from_home_under_a_sub_path(served: str) -> None:
    seen: dict[str, _Main | None] = {}
    queue, anchors, problems = [served], [], []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        status, body, kind = _fetch(url)
        if status != 200:
            problems.append(f"{url}: HTTP {status}")
            seen[url] = None
            continue
        page = None
        if kind == "text/html":
            page = _Main()
            page.feed(body.decode("utf-8"))
            for link in page.links:
                target = urljoin(url, link)
                if not target.startswith(served):
                    assert urlsplit(target).hostname != "127.0.0.1", f"{url}: {link} escapes /sub/"
                    continue  # the canonical link and the 404 page's absolute links
                bare, fragment = urldefrag(target)
                anchors.append((url, bare, fragment))
                queue.append(bare)
        seen[url] = page
    for source, target, fragment in anchors:
        page = seen.get(target)
        if fragment and page is not None and fragment not in page.ids:
            problems.append(f"{source}: #{fragment} not found in {target}")
    assert problems == []
    pages = [u for u, p in seen.items() if p is not None and u.endswith(".html")]
    assert len(pages) >= 25  # every article, list and index page was reached from home


def test_links_resolve_to_the_sub_path(served: str) -> None:
    status, body, _ = _fetch(served + "articles/dangjian-ju-heli/index.html")
    assert status == 200
    text = body.decode("utf-8")
    assert 'href="../../static/style.css"' in text
    assert _fetch(urljoin(served + "articles/dangjian-ju-heli/", "../../static/style.css"))[0] \
        == 200
