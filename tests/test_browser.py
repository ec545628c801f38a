"""The built edition in a real browser: headless Debian Chromium, driven by Playwright.

The site is served from localhost under a sub-path (/duben/), as GitHub Pages
serves a project site, so every relative link and stylesheet is exercised the way
readers get them. Playwright's own browser download does not work here: we launch
/usr/bin/chromium. Outside CI a missing browser skips; under CI=true it fails.

Screenshots (screen and print, desktop and mobile, light and dark) and a PDF of
the richest article go to $DUBEN_SCREENSHOTS, default tmp/screenshots/ in the
project (ignored by git), so a person can look at what the tests saw.

DUBEN_EDITION=<project folder> runs the tests on another edition (for example
tests/fixtures/edition); by default they build the bundled one.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from support import ROOT, build_edition, missing_tool, serve_under

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium keeps calling Google's hosts, which this
# machine's closed network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PREFIX = "/duben/"
SHOTS = Path(os.environ.get("DUBEN_SCREENSHOTS", ROOT / "tmp" / "screenshots"))
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
# The series the collection has with a gap: ①③④ of it, ② missing.
SERIES_NAME = "深度关注·高质量党建引领高质量发展"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Article parts whose presence makes an article "rich" (to pick one to look at).
RICH_PARTS = ("kicker", "subtitle", "badge-column", "badge-series", "editors-note", "toc",
              "truncated-notice", "figures", "credits", "corrections", "article-tags")


# -- the site, served under a sub-path ----------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_edition(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    """http://127.0.0.1:<port>/duben/ serving the built site."""
    with serve_under(site, PREFIX) as url:
        yield url


def _richest_article(site: Path) -> str:
    """The site-relative path of the article page with the most kinds of metadata."""
    pages = sorted(site.glob("articles/*/index.html"))
    assert pages, "the site has no article pages"

    def richness(path: Path) -> int:
        html = path.read_text(encoding="utf-8")
        return sum(bool(re.search(rf'class="([^"]* )?{part}[ "]', html)) for part in RICH_PARTS)

    return max(pages, key=richness).relative_to(site).as_posix()


# -- the browser ----------------------------------------------------------------------


def _launch(playwright: Any, env: dict[str, str] | None = None) -> Browser:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env
    )


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("the Python package playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Any) -> Iterator[Browser]:
    browser = _launch(playwright)
    yield browser
    browser.close()


@dataclass
class Traffic:
    """What pages asked for that they should not have: errors and outside requests."""

    failed: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.outside, f"requests outside the site: {self.outside}"
        assert not self.failed, f"failed requests: {self.failed}"


def _open(browser: Browser, base_url: str, traffic: Traffic, **context: Any) -> Page:
    """A new page in its own context; failing or outside requests go to `traffic`."""
    ctx = browser.new_context(locale="zh-CN", **{"viewport": DESKTOP, **context})
    page = ctx.new_page()
    origin = base_url[: -len(PREFIX)]

    def route(r: Route) -> None:
        if r.request.url.startswith((origin + "/", "data:")):
            r.continue_()
        else:
            traffic.outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("response", lambda resp: traffic.failed.append(f"{resp.status} {resp.url}")
            if resp.status >= 400 else None)
    # A load cut short by the next navigation (net::ERR_ABORTED) is no failure.
    page.on("requestfailed", lambda req: traffic.failed.append(f"{req.failure} {req.url}")
            if req.url.startswith(origin) and "ERR_ABORTED" not in (req.failure or "")
            else None)
    return page


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def page(browser: Browser, base_url: str, traffic: Traffic) -> Iterator[Page]:
    page = _open(browser, base_url, traffic)
    yield page
    page.context.close()


def _shot(page: Page, name: str, *, full_page: bool = True) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# -- navigation -----------------------------------------------------------------------


def test_home_page_loads_with_its_stylesheet(page: Page, base_url: str, traffic: Traffic) -> None:
    page.goto(base_url)
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert page.locator("main h1").first.inner_text().strip()
    # style.css is applied (reached by a relative link under the sub-path).
    line_height = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('main p'));"
        " return parseFloat(s.lineHeight) / parseFloat(s.fontSize); })()")
    assert 1.5 <= line_height <= 2.0, f"body line height {line_height}: is style.css loaded?"
    traffic.assert_clean()


def test_home_links_reach_an_article(page: Page, base_url: str, traffic: Traffic) -> None:
    page.goto(base_url)
    link = page.locator("main .article-list a.item-title").first
    title = link.inner_text().strip()
    link.click()
    page.wait_for_load_state()
    assert page.url.startswith(base_url + "articles/"), page.url
    assert page.locator("h1.title").inner_text().strip() == title
    # ...and back home through the header.
    page.locator(".site-title a").click()
    page.wait_for_load_state()
    assert page.url in (base_url, base_url + "index.html")
    traffic.assert_clean()


def _series_ordinal(page: Page) -> str:
    badge = page.locator(".article-header .badge-series").inner_text().strip()
    assert badge[-1] in CIRCLED, badge
    return badge[-1]


def test_series_page_shows_the_gap_and_pagers_walk_the_series(
    page: Page, base_url: str, traffic: Traffic
) -> None:
    page.goto(base_url)
    page.locator("main a[href*='series/']", has_text=SERIES_NAME).first.click()
    page.wait_for_load_state()
    assert "/series/" in page.url
    slots = page.locator(".series-slots > li.slot").all()
    ordinals = [li.locator(".slot-ordinal").inner_text().strip() for li in slots]
    missing = ["slot-missing" in (li.get_attribute("class") or "").split() for li in slots]
    present = [o for o, gap in zip(ordinals, missing) if not gap]
    # Printed ordinals, never renumbered: the collection has ①③④, so ② is a gap.
    assert ordinals == ["①", "②", "③", "④"], ordinals
    assert present == ["①", "③", "④"], present
    assert "未收录" in slots[1].inner_text()

    # Walk the series with the pagers: first installment to last, then back.
    page.locator(".series-slots li.slot:not(.slot-missing) a.item-title").first.click()
    page.wait_for_load_state()
    seen = [_series_ordinal(page)]
    while page.locator(".pager-series a[rel=next]").count():
        page.locator(".pager-series a[rel=next]").click()
        page.wait_for_load_state()
        seen.append(_series_ordinal(page))
        assert len(seen) <= len(ordinals), f"the next links loop: {seen}"
    assert seen == present, f"next links visited {seen}, the series page lists {present}"
    back = [seen[-1]]
    while page.locator(".pager-series a[rel=prev]").count():
        page.locator(".pager-series a[rel=prev]").click()
        page.wait_for_load_state()
        back.append(_series_ordinal(page))
        assert len(back) <= len(ordinals), f"the prev links loop: {back}"
    assert back == seen[::-1]
    traffic.assert_clean()


def test_page_views_walk_from_first_to_last(page: Page, base_url: str, traffic: Traffic) -> None:
    page.goto(base_url + "pages/index.html")
    labels = [t.strip() for t in page.locator("main .page-list a").all_inner_texts()]
    assert labels, "the pages index lists no pages"
    page.locator("main .page-list a").first.click()
    page.wait_for_load_state()
    seen = [page.locator("main h1").inner_text().strip()]
    while page.locator("nav.pager a[rel=next]").count():
        page.locator("nav.pager a[rel=next]").click()
        page.wait_for_load_state()
        seen.append(page.locator("main h1").inner_text().strip())
        assert len(seen) <= len(labels), f"the next links loop: {seen}"
    assert seen == labels
    assert page.locator(".page-articles > li").count() >= 1
    traffic.assert_clean()


def test_site_reads_from_file_urls(browser: Browser, site: Path) -> None:
    """Opened from disk (file://), links name index.html files and still work."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda req: None if req.url.startswith("file://")
            else outside.append(req.url))
    page.goto((site / "index.html").as_uri())
    link = page.locator("main .article-list a.item-title").first
    title = link.inner_text().strip()
    link.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and page.url.endswith("/index.html"), page.url
    assert page.locator("h1.title").inner_text().strip() == title
    assert page.evaluate("getComputedStyle(document.body).fontFamily").count("CJK") >= 1
    context.close()
    assert not outside, f"a page read from disk asked the network: {outside}"


# -- print ----------------------------------------------------------------------------


_VISIBLE = "el => el.checkVisibility()"


def _shown(page: Page, selector: str) -> list[str]:
    """The start of each element matching `selector` that is visible now."""
    return [el.evaluate("el => el.outerHTML.slice(0, 80)")
            for el in page.locator(selector).all() if el.evaluate(_VISIBLE)]


@pytest.mark.parametrize("path", ["index.html", "pages/index.html", "series/index.html",
                                  "tags/index.html", "corrections/index.html", "about/index.html"])
def test_print_hides_navigation_on_every_kind_of_page(
    page: Page, base_url: str, site: Path, traffic: Traffic, path: str
) -> None:
    paths = [path]
    if path == "pages/index.html":  # a page view too, with its pager
        paths.append(next(iter(sorted(site.glob("pages/*/index.html")))).relative_to(
            site).as_posix())
    for url in paths:
        page.goto(base_url + url)
        page.emulate_media(media="screen")
        assert page.locator(".site-nav").evaluate(_VISIBLE), url
        page.emulate_media(media="print")
        assert not _shown(page, ".no-print, nav"), f"{url}: navigation visible in print"
    traffic.assert_clean()


def test_print_hides_navigation_and_prints_black_on_white(
    browser: Browser, base_url: str, site: Path, traffic: Traffic
) -> None:
    # A reader with a dark system scheme prints too: paper must still be white.
    page = _open(browser, base_url, traffic, color_scheme="dark")
    page.goto(base_url + _richest_article(site))
    screen_only = page.locator(".no-print, nav")
    assert screen_only.count() >= 3
    assert page.locator(".site-nav").evaluate(_VISIBLE)
    assert page.locator(".breadcrumb").evaluate(_VISIBLE)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)", "no dark scheme on screen"

    page.emulate_media(media="print")
    assert not _shown(page, ".no-print, nav"), "navigation or buttons visible in print"
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") in (
        "rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    # The source block with the article's URL is printed, after the body.
    url = page.locator(".article-source .print-url")
    assert url.evaluate(_VISIBLE)
    assert re.search(r"https?://\S+/articles/", url.inner_text())
    assert page.evaluate("""() => !!(document.querySelector('.article-body')
        .compareDocumentPosition(document.querySelector('.print-url'))
        & Node.DOCUMENT_POSITION_FOLLOWING)""")
    # Each article starts a page; heads stay with their text.
    assert page.locator("article.article").evaluate(
        "el => getComputedStyle(el).breakBefore") == "page"
    for head in page.locator("article h2").all():
        assert head.evaluate("el => getComputedStyle(el).breakAfter") == "avoid"

    page.emulate_media(media="screen")
    assert page.locator(".site-nav").evaluate(_VISIBLE)
    page.context.close()
    traffic.assert_clean()


def test_series_print_view_starts_each_installment_on_a_new_page(
    page: Page, base_url: str, traffic: Traffic
) -> None:
    page.goto(base_url)
    page.locator("main a[href*='series/']", has_text=SERIES_NAME).first.click()
    page.locator(".print-link a").click()
    page.wait_for_load_state()
    articles = page.locator("main > article.article")
    assert articles.count() == 3, "the print view should hold ①③④ in full"
    page.emulate_media(media="print")
    # Which page each installment (or gap note) starts: the first follows the
    # header on page 1; every later one opens a new page.
    starts = page.evaluate("""() => [...document.querySelectorAll(
        'main > article.article, main > p.slot-missing')].map(el => [
        el.tagName, getComputedStyle(el).breakBefore,
        el.previousElementSibling ? el.previousElementSibling.className : ''])""")
    for i, (tag, brk, before) in enumerate(starts):
        if i == 0:
            assert brk != "page", "a blank page would open the print view"
        elif tag == "ARTICLE" and "slot-missing" in before:
            assert brk != "page", "the gap note and the next installment share a page"
        else:
            assert brk == "page", f"item {i + 1} ({tag}) does not start a new page"
    pdf = page.pdf(prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages >= articles.count(), f"{articles.count()} installments on {pages} pages"
    traffic.assert_clean()


# -- glyphs, not boxes ----------------------------------------------------------------

# Draws each character in the font an element uses and fingerprints the pixels.
# Missing glyphs all come out as the same box (.notdef), so distinct Han characters
# with distinct fingerprints, none equal to a codepoint no font has, are real glyphs.
_GLYPHS_JS = """([selector, chars]) => {
  const el = document.querySelector(selector);
  const style = getComputedStyle(el);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 64;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  ctx.font = `${style.fontWeight} 48px ${style.fontFamily}`;
  ctx.textBaseline = 'top';
  const result = {};
  for (const ch of chars) {
    ctx.clearRect(0, 0, 64, 64);
    ctx.fillText(ch, 4, 4);
    const alpha = ctx.getImageData(0, 0, 64, 64).data;
    let hash = 0, ink = 0;
    for (let i = 3; i < alpha.length; i += 4) {
      hash = (Math.imul(hash, 31) + alpha[i]) >>> 0;
      if (alpha[i]) ink++;
    }
    result[ch] = [hash, ink];
  }
  return result;
}"""
MISSING = "\u0378"  # unassigned in Unicode: no font has it, so it draws as a box


def _boxes(page: Page, selector: str, text: str) -> list[str]:
    """The Han characters of `text` that draw as missing-glyph boxes in `selector`'s font."""
    han = sorted(set(re.findall(r"[\u4e00-\u9fff]", text)))[:16]
    assert len(han) >= 4, f"too little Han text to check: {text!r}"
    prints = page.evaluate(_GLYPHS_JS, [selector, [*han, MISSING]])
    box = tuple(prints[MISSING])
    counts: dict[tuple[int, int], int] = {}
    for ch in han:
        counts[tuple(prints[ch])] = counts.get(tuple(prints[ch]), 0) + 1
    return [ch for ch in han
            if tuple(prints[ch]) == box or counts[tuple(prints[ch])] > 1 or prints[ch][1] == 0]


# Every character on the page, in the font of the element that shows it (text and
# ::before/::after content), compared with what a codepoint no font has draws as.
_TOFU_JS = """(missing) => {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 40;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  ctx.textBaseline = 'top';
  const print = (font, ch) => {
    ctx.font = font;
    ctx.clearRect(0, 0, 40, 40);
    ctx.fillText(ch, 2, 2);
    const alpha = ctx.getImageData(0, 0, 40, 40).data;
    let hash = 0;
    for (let i = 3; i < alpha.length; i += 4) hash = (Math.imul(hash, 31) + alpha[i]) >>> 0;
    return hash;
  };
  const byFont = new Map();
  const add = (style, text) => {
    const font = `${style.fontStyle} ${style.fontWeight} 32px ${style.fontFamily}`;
    if (!byFont.has(font)) byFont.set(font, new Set());
    for (const ch of text) if (ch.trim() && ch.codePointAt(0) > 0x7f) byFont.get(font).add(ch);
  };
  for (const el of document.querySelectorAll('body, body *')) {
    const direct = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('');
    if (direct) add(getComputedStyle(el), direct);
    for (const pseudo of ['::before', '::after', '::marker']) {
      const style = getComputedStyle(el, pseudo);
      const m = /^"(.*)"$/.exec(style.content || '');
      if (m) add(style, m[1]);
    }
  }
  const boxes = [];
  for (const [font, chars] of byFont) {
    const box = print(font, missing);
    for (const ch of chars) if (print(font, ch) === box) boxes.push(`${ch} U+${
      ch.codePointAt(0).toString(16).toUpperCase()} in ${font}`);
  }
  return boxes;
}"""


def _tofu(page: Page) -> list[str]:
    """Characters on the page that draw as missing-glyph boxes."""
    return list(page.evaluate(_TOFU_JS, MISSING))


def _platform_fonts(page: Page, selector: str) -> list[str]:
    """The OS font families Chromium used to draw the text of `selector` (DevTools)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [f["familyName"] for f in fonts if f["glyphCount"]]


def test_chinese_text_renders_with_real_glyphs(
    page: Page, base_url: str, site: Path, traffic: Traffic
) -> None:
    page.goto(base_url + _richest_article(site))
    for selector in ("h1.title", ".article-body p"):
        text = page.locator(selector).first.inner_text()
        assert not _boxes(page, selector, text), f"{selector} draws boxes for Han characters"
    # Debian's fonts-noto-cjk is what the font stacks pick on this machine:
    # the serif for reading, the sans for heads and meta lines.
    assert "Noto Serif CJK SC" in _platform_fonts(page, ".article-body p")
    assert "Noto Sans CJK SC" in _platform_fonts(page, ".reading-time")
    traffic.assert_clean()


def test_no_character_on_key_pages_draws_as_a_box(
    page: Page, base_url: str, site: Path, traffic: Traffic
) -> None:
    paths = ["index.html", _richest_article(site), "about/index.html",
             "corrections/index.html", "series/index.html"]
    paths += [p.relative_to(site).as_posix() for p in sorted(site.glob("series/*/*index.html"))]
    paths += [p.relative_to(site).as_posix() for p in sorted(site.glob("series/*/print/index.html"))]
    paths.append(next(iter(sorted(site.glob("pages/*/index.html")))).relative_to(site).as_posix())
    found = {}
    for path in paths:
        page.goto(base_url + path)
        if boxes := _tofu(page):
            found[path] = boxes
    assert not found, f"characters with no glyph in any font: {found}"
    traffic.assert_clean()


def test_the_glyph_check_sees_boxes_when_cjk_fonts_aremissing_tool(
    playwright: Any, tmp_path: Path
) -> None:
    """Control: with only a Latin font visible to Chromium, the check must fail."""
    latin = Path("/usr/share/fonts/truetype/dejavu")
    if not latin.is_dir():
        pytest.skip(f"{latin} is not installed; the control needs one Latin-only font")
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{latin}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    browser = _launch(playwright, env={**os.environ, "FONTCONFIG_FILE": str(config)})
    try:
        page = browser.new_page()
        page.set_content('<p lang="zh-Hans">深度关注高质量党建引领高质量发展</p>')
        assert len(_boxes(page, "p", page.inner_text("p"))) >= 4
        assert len(_tofu(page)) >= 4
    finally:
        browser.close()


# -- screenshots ----------------------------------------------------------------------


def test_screenshots(browser: Browser, base_url: str, site: Path, traffic: Traffic) -> None:
    """Key pages as readers see them, on screen and in print, for a person to look at."""
    pages = {
        "home": "index.html",
        "article": _richest_article(site),
        "series": next(site.glob("series/*/index.html")).relative_to(site).as_posix(),
        "page-view": next(iter(sorted(site.glob("pages/*/index.html")))).relative_to(
            site).as_posix(),
    }
    taken: list[Path] = []
    for width, viewport in (("desktop", DESKTOP), ("mobile", MOBILE)):
        for scheme in ("light", "dark"):
            page = _open(browser, base_url, traffic, viewport=viewport, color_scheme=scheme)
            for name, path in pages.items():
                page.goto(base_url + path)
                taken.append(_shot(page, f"{name}-{width}-{scheme}"))
                if scheme == "light":
                    page.emulate_media(media="print")
                    taken.append(_shot(page, f"{name}-{width}-print"))
                    page.emulate_media(media="screen")
            page.context.close()
    page = _open(browser, base_url, traffic)
    page.goto(base_url + pages["article"])
    pdf = SHOTS / "article-a4.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    page.context.close()
    assert pdf.read_bytes().startswith(b"%PDF")
    assert all(p.stat().st_size > 5_000 for p in taken), "an empty-looking screenshot"
    traffic.assert_clean()


# -- accessibility: axe-core on every page type --------------------------------------

AXE_JS = Path(os.environ.get("AXE_JS", Path(os.environ.get(
    "DUBEN_TOOLS", Path.home() / ".cache" / "duben-ci")) / "node/node_modules/axe-core/axe.min.js"))


def _page_types(site: Path) -> list[str]:
    """One page of every type the site has (the first of each kind, in name order)."""
    def first(pattern: str) -> str:
        return min(site.glob(pattern)).relative_to(site).as_posix()

    return ["index.html", _richest_article(site), first("articles/*/index.html"),
            "pages/index.html", first("pages/*/index.html"), "series/index.html",
            first("series/*/index.html"), first("series/*/print/index.html"),
            "columns/index.html", first("columns/*/index.html"), "tags/index.html",
            first("tags/*/index.html"), "authors/index.html", first("authors/*/index.html"),
            "about/index.html", "corrections/index.html", "404.html"]


def _axe(page: Page) -> list[str]:
    """axe-core's violations on the loaded page, one line per rule with its nodes."""
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.map(v => `${v.id} (${v.impact}): ${v.nodes.length} nodes, e.g. ${
          v.nodes[0].target.join(' ')}: ${v.nodes[0].failureSummary.split('\\n')[1] || ''}`)""")
    return list(found)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_core_finds_no_violation_on_any_page_type(
    browser: Browser, base_url: str, site: Path, traffic: Traffic, scheme: str
) -> None:
    if not AXE_JS.is_file():
        missing_tool(f"axe-core is not installed at {AXE_JS} (see .ci/run)")
    page = _open(browser, base_url, traffic, color_scheme=scheme)
    found = {}
    for path in _page_types(site):
        page.goto(base_url + path)
        if violations := _axe(page):
            found[path] = violations
    page.context.close()
    assert not found, f"axe-core violations: {found}"


def test_the_axe_check_fails_on_a_page_with_violations(browser: Browser) -> None:
    """Control: the same harness reports an unlabelled image and low-contrast text."""
    if not AXE_JS.is_file():
        missing_tool(f"axe-core is not installed at {AXE_JS} (see .ci/run)")
    page = browser.new_page()
    page.set_content('<html lang="zh"><body><main><img src="data:,">'
                     '<p style="color:#bbb;background:#fff">浅色文字</p></main></body></html>')
    ids = {v.split(" ")[0] for v in _axe(page)}
    page.close()
    assert {"image-alt", "color-contrast"} <= ids


# -- reading polish (issue 11) ---------------------------------------------------------

# Offsets (in the element's text) where a rendered line starts, measured per character.
_LINE_STARTS_JS = """el => {
  const text = el.textContent, starts = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let offset = 0, lastTop = null, node;
  while ((node = walker.nextNode())) {
    for (let i = 0; i < node.data.length; i++) {
      const r = document.createRange();
      r.setStart(node, i); r.setEnd(node, i + 1);
      const rect = r.getClientRects()[0];
      if (rect && rect.width > 0) {
        if (lastTop !== null && rect.top > lastTop + rect.height / 2) starts.push(offset + i);
        lastTop = rect.top;
      }
    }
    offset += node.data.length;
  }
  return [text, starts];
}"""


def test_headlines_break_between_words_on_a_phone(
    browser: Browser, base_url: str, site: Path, traffic: Traffic
) -> None:
    from duben.renderers.html.breaks import break_points

    page = _open(browser, base_url, traffic, viewport=MOBILE)
    checked = 0
    targets = {p.relative_to(site).as_posix(): sel for p, sel in
               [(q, "h1.title, .kicker") for q in sorted(site.glob("articles/*/index.html"))]
               + [(q, "main > h1, .item-title, .item-kicker")
                  for q in sorted(site.glob("series/*/index.html"))]
               + [(q, ".item-title, .item-kicker") for q in sorted(site.glob("pages/*/index.html"))]}
    for path, selector in targets.items():
        page.goto(base_url + path)
        for el in page.locator(selector).all():
            text, starts = el.evaluate(_LINE_STARTS_JS)
            allowed = set(break_points(text)) | {i + 1 for i, ch in enumerate(text) if ch == " "}
            for s in starts:
                # a line may also start after punctuation the browser breaks at
                assert s in allowed or not ("\u4e00" <= text[s - 1] <= "\u9fff"
                                            and "\u4e00" <= text[s] <= "\u9fff"), \
                    f"{path}: {text[:s]}|{text[s:]}"
            checked += len(starts)
    assert checked >= 10, "too few wrapped headlines to check"
    page.goto(base_url + "articles/" + _slug_of(site, "银光集团") + "/index.html")
    _shot(page, "headline-mobile-390", full_page=False)
    page.context.close()
    traffic.assert_clean()


def _slug_of(site: Path, words: str) -> str:
    for p in sorted(site.glob("articles/*/index.html")):
        if words in p.read_text(encoding="utf-8").split("<title>")[1].split("</title>")[0]:
            return p.parent.name
    raise AssertionError(f"no article titled with {words}")


def test_404_is_styled_on_the_server_and_from_disk(
    browser: Browser, base_url: str, site: Path
) -> None:
    for where in (base_url + "no/such/page/", (site / "404.html").as_uri()):
        page = browser.new_page(viewport=DESKTOP)
        if where.startswith("http"):
            response = page.goto(where)
            assert response is not None and response.status == 404
            page.goto(base_url + "404.html")  # what GitHub Pages serves at any depth
        else:
            page.goto(where)
        family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
        width = page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth")
        assert "CJK" in family and width != "none", f"{where}: unstyled 404 ({family}, {width})"
        page.close()


def test_small_print_is_at_least_13px_and_body_text_trims_opening_punctuation(
    browser: Browser, base_url: str, site: Path, traffic: Traffic
) -> None:
    page = _open(browser, base_url, traffic, viewport=MOBILE)
    sizes = {}
    for path in ("index.html", _richest_article(site), min(site.glob("pages/*/index.html"))
                 .relative_to(site).as_posix()):
        page.goto(base_url + path)
        sizes[path] = page.evaluate("""() => Math.min(...[...document.querySelectorAll(
            '.item-meta, .item-byline, .item-kicker, .count')].map(
            el => parseFloat(getComputedStyle(el).fontSize)),
            ...[...document.querySelectorAll('.page-articles > li')].map(
            el => parseFloat(getComputedStyle(el, '::before').fontSize)))""")
    assert min(sizes.values()) >= 13, sizes
    page.goto(base_url + _richest_article(site))
    trim = page.evaluate("getComputedStyle(document.querySelector('.article-body p'))"
                         ".textSpacingTrim")
    assert trim in ("trim-start", ""), trim  # "" where Chromium lacks the property
    page.goto(base_url + "about/index.html")
    assert page.evaluate("getComputedStyle(document.querySelector('.punct-list'))"
                         ".textSpacingTrim") in ("space-all", "")
    page.emulate_media(media="print")
    page.goto(base_url + _richest_article(site))
    assert page.evaluate("getComputedStyle(document.querySelector('.article-source'))"
                         ".breakBefore") in ("avoid-page", "avoid")
    page.context.close()
    traffic.assert_clean()


def test_screenshots_of_the_apparatus(browser: Browser, base_url: str, site: Path,
                                      traffic: Traffic) -> None:
    """A corrected article (all three certainties), a tag page and a series, to look at."""
    page = _open(browser, base_url, traffic)
    page.goto(base_url + "articles/" + _slug_of(site, "聚“链”赋能") + "/index.html")
    page.locator(".corrected-unresolved").scroll_into_view_if_needed()
    shots = [_shot(page, "corrected-article-body", full_page=False)]
    page.locator("section.corrections").scroll_into_view_if_needed()
    shots.append(_shot(page, "corrected-article-notes", full_page=False))
    page.goto(base_url + "tags/index.html")
    shots.append(_shot(page, "tag-index"))
    page.goto(base_url + min(site.glob("tags/*/index.html")).relative_to(site).as_posix())
    shots.append(_shot(page, "tag-page"))
    page.goto(base_url + "corrections/index.html")
    shots.append(_shot(page, "corrections-page"))
    page.context.close()
    assert all(p.stat().st_size > 5_000 for p in shots)
    traffic.assert_clean()
