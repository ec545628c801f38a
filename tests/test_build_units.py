"""Unit tests of the build's pure parts: URLs, Markdown plugins, ordinals, reading time, config."""
from __future__ import annotations

from pathlib import Path

import pytest

from duben.errors import DubenError
from duben.model.config import parse_config
from duben.output import urls
from duben.renderers.html.markdown import render_body
from duben.renderers.html.views import han_count, ordinal, reading_minutes
from duben.slugs import unique_slugs

ROOT = Path("/project")
CONFIG = "title: 读本\ndescription: 说明\nbase_url: https://example.org/x/\nupdated: 2024-01-02\n"


@pytest.mark.parametrize(("here", "there", "anchor", "href"), [
    ("", "articles/a/", "", "articles/a/index.html"),
    ("articles/a/", "", "", "../../index.html"),
    ("articles/a/", "articles/b/", "", "../b/index.html"),
    ("articles/a/", "articles/a/", "jk-1", "index.html#jk-1"),
    ("tags/", "static/style.css", "", "../static/style.css"),
    ("404.html", "feed.xml", "", "feed.xml"),
])
def test_relative_links_name_the_file(here: str, there: str, anchor: str, href: str) -> None:
    assert urls.relative(here, there, anchor) == href


def test_absolute_urls_are_pretty() -> None:
    assert urls.absolute("https://e.org/r/", urls.series("s")) == "https://e.org/r/series/s/"
    assert urls.output_path(urls.HOME) == "index.html"


def test_author_slugs_are_pinyin_and_unique() -> None:
    assert unique_slugs(["黎明", "李明", "姜峰"]) == {
        "姜峰": "jiang-feng", "李明": "li-ming", "黎明": "li-ming-2"}


@pytest.mark.parametrize(("n", "text"), [(1, "①"), (2, "②"), (4, "④"), (20, "⑳"), (21, "㉑"),
                                         (35, "㉟"), (36, "㊱"), (50, "㊿"), (51, "(51)")])
def test_ordinal_is_the_printed_circled_number(n: int, text: str) -> None:
    assert ordinal(n) == text


def test_reading_time_counts_han_characters_only() -> None:
    assert han_count("2022年，党建ABC引领“发展”！") == 7
    assert [reading_minutes(n) for n in (0, 1, 300, 301, 900)] == [1, 1, 1, 2, 3]


def test_raw_html_is_escaped_not_passed_through() -> None:
    html = render_body('<script>alert(1)</script>\n\n<div onclick="x">块</div>').html
    assert "<script>" not in html and "<div" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_images_become_their_alt_text_and_load_nothing() -> None:
    html = render_body("![图① 会议现场](https://example.com/a.png)").html
    assert html == '<p><span class="image-alt">图① 会议现场</span></p>\n'


def test_section_heads_get_stable_ascii_ids_for_the_toc() -> None:
    body = render_body("导语。\n\n## 建好组织链——完善组织架构\n\n正文。\n\n## 第二部分\n\n正文。")
    assert '<h2 id="sec-1">建好组织链——完善组织架构</h2>' in body.html
    assert [(h.id, h.text) for h in body.toc] == [("sec-1", "建好组织链——完善组织架构"),
                                                  ("sec-2", "第二部分")]


def test_each_correction_marks_its_first_unmarked_occurrence() -> None:
    body = render_body("他们不仅自己设计，也自己施工。", ["自己", "自己", "不在此处", ""])
    assert body.placed == {1, 2}
    assert body.html == (
        '<p>他们不仅<span class="corrected corrected-sure">自己</span>'
        '<sup class="correction-ref correction-sure" id="jk-ref-1">'
        '<a href="#jk-1" aria-label="校勘记 1">[1]</a></sup>设计，也'
        '<span class="corrected corrected-sure">自己</span>'
        '<sup class="correction-ref correction-sure" id="jk-ref-2">'
        '<a href="#jk-2" aria-label="校勘记 2">[2]</a></sup>施工。</p>\n')


def test_config_reads_dates_and_declared_terms() -> None:
    config = parse_config(CONFIG + "series:\n  - {name: 系列, slug: xilie}\n", ROOT)
    assert config.updated == "2024-01-02"
    assert config.series[0].slug == "xilie"
    assert config.content_dir == ROOT / "content" and config.theme_dir == ROOT / "theme"
    assert config.tags is None


def test_config_problems_are_collected_with_lines() -> None:
    with pytest.raises(DubenError) as info:
        parse_config("title: 读本\nbase_url: example.org\nupdated: 2024-01-02\nfont: 宋体\n",
                     ROOT)
    assert str(info.value).split("\n") == [
        "duben.yaml:1: description: is required and must be text",
        ("duben.yaml:2: base_url: must be an absolute http(s) URL with a host, ending with '/', "
        "without spaces or control characters; got 'example.org'"),
        ("duben.yaml:4: font: unknown key; allowed keys are title, description, base_url, "
         "updated, content, theme, series, column_vocabulary, tag_vocabulary, pages, author, "
         "publisher, pdf, epub, print, scripts"),
    ]


def test_corrections_in_reading_order_mark_later_occurrences() -> None:
    body = render_body("甲乙。\n\n丙乙丁。", ["丙", "乙"])
    assert body.placed == {1, 2}
    assert body.html.index('id="jk-ref-2"') > body.html.index('id="jk-ref-1"')
    assert body.html.startswith("<p>甲乙。</p>")  # the 乙 before 丙 is left alone


def test_problems_with_and_without_lines_sort_together() -> None:
    from duben.errors import Problem
    error = DubenError([Problem("b.md", 2, "x"), Problem("a.md", 3, "y"), Problem("b.md", None, "z")])
    assert [str(p) for p in error.problems] == ["a.md:3: y", "b.md: z", "b.md:2: x"]


def test_corrections_are_numbered_in_reading_order() -> None:
    from duben.model.article import Article, Correction, Source
    from duben.renderers.html.views import reading_order

    later, earlier, elsewhere = (Correction("乙", "丁", "b"), Correction("甲", "丙", "a"),
                                 Correction("戊", "己", "c"))
    article = Article(slug="x", title="己", kind="article", source=Source("seeds/p.txt", 1, (1, 2)),
                      original_script="zh-Hans", body="丙在前，丁在后。",
                      corrections=(later, elsewhere, earlier))
    assert reading_order(article) == (earlier, later, elsewhere)


def test_link_scan_reads_our_markup_like_a_parser() -> None:
    from duben.output.linkcheck import check_links, scan

    html = ('<!doctype html>\n<!-- <a href="in-a-comment/"> -->\n'
            '<p id="top">x &lt;a href="text"&gt;</p>\n'
            "<a class='c' href='a/index.html?x=1&amp;y=2#top'>a</a>\n"
            '<link rel="canonical" href="https://example.org/">\n'
            '<IMG SRC="static/x.svg" alt="">\n')
    page = scan(html, "x/index.html", "https://example.org/")
    assert page.ids == {"top"}
    # Resolved from the page's own file, in page order.
    assert page.targets == (("x/a/index.html", "top", "a/index.html?x=1&y=2#top"),
                            ("x/static/x.svg", "", "static/x.svg"))
    # A broken one is reported with the line of the page's HTML it is on (read again).
    files = {"x/index.html", "x/a/index.html"}
    problems = check_links({"x/index.html": ("x.md", page), "x/a/index.html": ("a.md", scan(
        '<p id="top">', "x/a/index.html", ""))}, files, Path("/nonexistent"), lambda _: html)
    assert [p.message for p in problems] == [
        "broken link 'static/x.svg' on x/index.html (line 6): no file x/static/x.svg"]
    files.add("x/static/x.svg")
    assert check_links({"x/index.html": ("x.md", page)}, files, Path("/"), lambda _: html) == []


def test_link_scan_resolves_links_to_the_site_root_from_any_depth() -> None:
    """'../../' from a page two folders down is the home page (index.html), with or
    without a fragment or query; it was once taken for a file named 'page'."""
    from duben.output.linkcheck import scan

    html = ('<a href="../../">首页</a><a href="../../#top">顶</a><a href="../../?q=1">搜</a>'
            '<a href="../../tags/">标签</a><a href="../">上级</a>')
    page = scan(html, "articles/a/index.html", "https://example.org/")
    assert [t[:2] for t in page.targets] == [
        ("index.html", ""), ("index.html", "top"), ("index.html", ""),
        ("tags/index.html", ""), ("articles/index.html", "")]


def test_the_quick_reading_of_common_tags_is_the_attribute_parsers() -> None:
    """_link_of reads the tags our templates write most by one pattern each; what it
    finds must be what the attribute parser finds (rel=canonical: no link)."""
    from duben.output.linkcheck import LINK_ATTRS, _attributes, _link_of

    tags = ['<a href="x/">', '<a class="c" href="../y/index.html">', '<a rel="next" href="z">',
            '<link rel="alternate" hreflang="zh-Hant" href="https://e.org/zh-hant/a/">',
            '<link rel="alternate" href="https://e.org/feed.xml">',
            '<link rel="canonical" href="https://e.org/a/">', '<link rel="stylesheet" href="s.css">',
            '<link rel="canonical" hreflang="x" href="https://e.org/a/">']
    for tag in tags:
        name, _, rest = tag[1:-1].partition(" ")
        values = _attributes(rest)
        slow = values.get(LINK_ATTRS[name]) if values.get("rel") != "canonical" else None
        assert _link_of(tag) == slow, tag


def test_a_link_remembered_for_one_page_is_resolved_anew_where_it_means_another_file() -> None:
    """The scanner keeps what a tag links to per depth and per parent folder: the same
    tag on a page in another folder, or at another depth, is resolved from there."""
    from duben.output.linkcheck import scan

    tags = '<a href="../c/index.html">c</a><a href="../../index.html">home</a><a href="#x">x</a>'
    base = "https://example.org/"
    for here, c, home in (("articles/a/index.html", "articles/c/index.html", "index.html"),
                          ("articles/b/index.html", "articles/c/index.html", "index.html"),
                          ("tags/t/index.html", "tags/c/index.html", "index.html"),
                          ("tags/t/page/2/index.html", "tags/t/page/c/index.html",
                           "tags/t/index.html"),
                          ("articles/b/index.html", "articles/c/index.html", "index.html")):
        page = scan(tags, here, base)
        assert [t[:2] for t in page.targets] == [(c, ""), (home, ""), ("", "x")], here


def test_the_template_environment_is_reused_until_a_template_changes(tmp_path: Path) -> None:
    """serve rebuilds with the same compiled templates, but never with stale ones,
    whether the changed template is at the top or in a sub-folder."""
    import os

    from duben.renderers.html.render import make_env

    (tmp_path / "templates" / "parts").mkdir(parents=True)
    part = tmp_path / "templates" / "parts" / "x.html"
    part.write_text("一", encoding="utf-8")
    first = make_env(tmp_path)
    assert make_env(tmp_path) is first
    assert first.get_template("parts/x.html").render() == "一"
    part.write_text("二", encoding="utf-8")
    os.utime(part, ns=(1, 1))  # a different mtime even on a coarse clock
    second = make_env(tmp_path)
    assert second is not first and second.get_template("parts/x.html").render() == "二"
    assert make_env(tmp_path, shared=False) is not second  # the EPUB changes its own


@pytest.mark.parametrize(("line", "small", "large"), [
    ("", True, False),  # print: auto, the default: an edition yes, an archive no
    ("print: auto\n", True, False),
    ("print: true\n", True, True),
    ("print: false\n", False, False),
])
def test_the_one_page_print_edition_is_for_an_edition_not_an_archive(
        line: str, small: bool, large: bool) -> None:
    from duben.model.config import PRINT_AUTO_LIMIT, with_print_decided

    config = parse_config(CONFIG + line, ROOT)
    assert with_print_decided(config, PRINT_AUTO_LIMIT).print_page is small
    assert with_print_decided(config, PRINT_AUTO_LIMIT + 1).print_page is large


def test_print_takes_true_false_or_auto() -> None:
    with pytest.raises(DubenError) as info:
        parse_config(CONFIG + "print: sometimes\n", ROOT)
    assert "duben.yaml:5: print: must be true or false or auto" in str(info.value)


def test_headlines_and_items_made_ahead_are_the_ones_pages_make(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """build segments every headline and renders every list item once over the cores
    (renderers/html/warm.py); the render processes then use exactly what was learnt,
    which is what they would have made themselves."""
    from duben.build import html_pages
    from duben.model.config import load_config
    from duben.model.edition import load_edition
    from duben.renderers.html import breaks, fragments
    from duben.renderers.html.warm import warm
    from duben.renderers.scripts import in_scripts

    config = load_config(Path(__file__).resolve().parents[1])  # the real edition
    scripts = in_scripts(load_edition(config)[0], config)
    edition = scripts[0].edition
    # Every text the templates break, in both scripts: titles, kickers, subtitles, series.
    texts = {t for s in scripts for a in s.edition.articles
             for t in (a.title, a.kicker, a.subtitle) if t}
    texts |= {g.name for s in scripts for g in s.edition.series}
    assert {a.kicker for a in edition.articles if a.kicker} and edition.series
    expected = {t: breaks._break_points(t) for t in texts}
    _, _, looks = html_pages(scripts, config.base_url)
    items = {(n, id(a)): fragments.item_parts(env, site, a)
             for n, (s, env, site) in enumerate(looks) for a in s.edition.articles}
    assert len(looks) == 2 and len(items) == 2 * len(edition.articles)
    breaks._LEARNT.clear()
    fragments._items.clear()
    try:
        monkeypatch.setattr("duben.workers.SMALL", 2)  # forked, for 30 articles
        warm(looks, 2)
        assert breaks._LEARNT == expected and any(expected.values())
        for n, (s, env, site) in enumerate(looks):
            made = fragments._made(env, site)
            assert {i: parts for i, (_, parts) in made.items()} == {
                id(a): items[n, id(a)] for a in s.edition.articles}
            assert all(made[id(a)][0] is a for a in s.edition.articles)
        breaks.learn({"党建引领": (1,)})  # what is learnt is what wbr uses, and replaces
        assert str(breaks.wbr.__wrapped__("党建引领")) == "党<wbr>建引领"
        assert breaks._LEARNT == {"党建引领": (1,)}
    finally:
        breaks._LEARNT.clear()
        fragments._items.clear()


def test_a_list_item_is_rendered_once_and_linked_from_each_page() -> None:
    """fragments.list_items renders _item.html once an article and puts in each page's own
    link; an edited article (a new object) is rendered anew, and text that looks like
    the link's placeholder stays text."""
    import dataclasses

    from duben.model.config import load_config
    from duben.model.edition import load_edition
    from duben.renderers.html.render import make_env, site_of

    config = load_config(Path(__file__).resolve().parents[1])  # the real edition
    a = load_edition(config)[0].articles[0]
    env, site = make_env(config.theme_dir), site_of(config)
    page = env.from_string('{{ list_items(articles) }}')

    def listed(article: object, page_url: str) -> str:
        return page.render(articles=[article], site=site, page_url=page_url)

    deep, home = listed(a, "tags/x/page/2/"), listed(a, "")
    assert f'href="../../../../articles/{a.slug}/index.html"' in deep
    assert f'href="articles/{a.slug}/index.html"' in home
    assert deep.replace("../../../../", "") == home
    assert f'href="../{a.slug}/index.html"' in listed(a, "articles/other/")
    assert 'href="index.html"' in listed(a, f"articles/{a.slug}/")  # its own page
    # The link is the url filter's, from any page, in either script, on the 404 page too.
    both = env.from_string('{{ list_items(articles) }}|{{ urls.article(articles[0].slug) | url }}')
    for script in ("zh-Hans", "zh-Hant"):
        for here in ("", "tags/x/page/2/", "articles/other/", f"articles/{a.slug}/", "404.html"):
            item, href = both.render(articles=[a], site=site_of(config, script),
                                     page_url=here).split("|")
            assert f'href="{href}"' in item, (script, here)
    edited = dataclasses.replace(a, title="新标题<href>&")
    again = listed(edited, "")
    assert "&lt;href&gt;" in again and "<href>" not in again and "新" in again
    assert a.title not in again.replace("<wbr>", "")
    assert f'href="articles/{a.slug}/index.html"' in again
    assert listed(a, "") == home  # the first object's item is still its own
    both = page.render(articles=[a, edited], site=site, page_url="")
    assert both == home + again  # a list is its items in order, nothing escaped twice
    from duben.renderers.html import fragments

    for n in range(fragments.KEPT + 2):  # a preview makes a new site for each listing
        page.render(articles=[a], site=dataclasses.replace(site, title=f"第{n}"), page_url="")
    assert len(fragments._items) == fragments.KEPT
    assert all(entry[1] is not site for entry in fragments._items.values())


@pytest.mark.parametrize("value", [
    "", "纯文本", "<a href=\"x\">'&'</a>", "&amp; 已转义的文字仍要再转义", 0, 3.5, None, True,
    "<script>", type("Sub", (str,), {})("<子类>")])
def test_quick_escape_is_markupsafe_escape(value: object) -> None:
    from markupsafe import Markup, escape

    from duben.renderers.html.escaping import quick_escape

    assert quick_escape(value) == escape(value)
    assert type(quick_escape(value)) is Markup


def test_templates_escape_with_quick_escape(tmp_path: Path) -> None:
    """Our environment's compiled templates call quick_escape (a Markup value is kept,
    an object's __html__ honoured), and render what markupsafe would."""
    from markupsafe import Markup

    from duben.renderers.html.escaping import quick_escape
    from duben.renderers.html.render import make_env

    class Html:
        def __html__(self) -> str:
            return "<i>斜</i>"

    env = make_env(tmp_path, shared=False)
    template = env.from_string("{{ a }}|{{ b }}|{{ c }}|{{ d }}{% block x %}{{ a }}{% endblock %}")
    assert template.root_render_func.__globals__["escape"] is quick_escape
    assert type(template.globals) is dict and template.globals["urls"] is env.globals["urls"]
    assert template.render(a="<&>", b=Markup("<b>粗</b>"), c=Html(), d=7) == (
        "&lt;&amp;&gt;|<b>粗</b>|<i>斜</i>|7&lt;&amp;&gt;")


def test_link_scan_resolves_a_repeated_tag_for_each_depth_and_base_url() -> None:
    """The scanner remembers what a tag climbing to the root links to, per depth and
    base_url: the same tag read again elsewhere must still resolve from there."""
    from duben.output.linkcheck import scan

    tag = '<a href="../../tags/x/">x</a><a href="https://example.org/a/#t">a</a>'
    base = "https://example.org/"

    def targets(here: str, base_url: str = base) -> list[tuple[str, str]]:
        return [t[:2] for t in scan(tag, here, base_url).targets]

    assert targets("articles/a/index.html") == [("tags/x/index.html", ""),
                                                ("a/index.html", "t")]
    assert targets("articles/b/index.html") == targets("articles/a/index.html")
    assert targets("pages/p/page/2/index.html") == [("pages/p/tags/x/index.html", ""),
                                                    ("a/index.html", "t")]
    assert targets("articles/a/index.html", "https://other.org/") == [
        ("tags/x/index.html", "")]  # another site's address: not a link to check


def test_relative_links_match_relpath_between_every_kind_of_url() -> None:
    """urls.relative takes a short way when two URLs share no folder; both ways give
    posixpath.relpath's answer, from the root, siblings, nested and file URLs."""
    import itertools
    import posixpath

    kinds = ["", "a/", "a/b/", "aa/", "a/bb/", "articles/", "articles/x/", "articles/y/",
             "articles/x/x.pdf", "tags/t/page/2/", "x.html", "a/x.xml", "static/style.css",
             "404.html", "zh-hant/articles/x/"]
    for here, there in itertools.product(kinds, kinds):
        folder = posixpath.dirname(urls.output_path(here)) or "."
        want = posixpath.relpath(urls.output_path(there), folder)
        assert urls.relative(here, there) == want, (here, there)
        assert urls.relative(here, there, "n") == want + "#n"


def test_an_article_digest_changes_with_any_field_and_only_with_content() -> None:
    """Digests key the build cache: a long body stands by its sha256, so one changed
    character must still change the digest; equal content in another object must not."""
    import dataclasses

    from duben.model.config import load_config
    from duben.model.edition import load_edition
    from duben.output.fingerprint import Digester

    config = load_config(Path(__file__).resolve().parents[1])  # the real edition
    a = max(load_edition(config)[0].articles, key=lambda x: len(x.body))
    assert len(a.body) > 1000
    same = dataclasses.replace(a)
    edited = dataclasses.replace(a, body=a.body[:-1] + ("。" if a.body[-1] != "。" else "！"))
    retitled = dataclasses.replace(a, title=a.title + "一")
    digest = Digester().digest
    assert digest(same) == digest(a)
    assert len({digest(a), digest(edited), digest(retitled)}) == 3
    assert digest(dataclasses.replace(a, body=repr(a.body))) != digest(a)


def test_plain_values_digest_by_their_repr_whatever_their_class() -> None:
    """The Digester looks values up by type first; a subclass of str (Markup, which
    pages' contexts hold) or of int still stands by its own repr, distinct from the
    plain value's, and a class stands by its name, not by its fields."""
    import enum

    from markupsafe import Markup

    from duben.model.edition import Edition
    from duben.output.fingerprint import Digester

    class Level(enum.IntEnum):
        ONE = 1

    walk = Digester()._walk
    assert walk(Markup("<b>x</b>")) == repr(Markup("<b>x</b>")) != walk("<b>x</b>")
    assert walk(Level.ONE) == repr(Level.ONE) != walk(1)
    assert [walk(v) for v in (None, True, 1.5, "x")] == ["None", "True", "1.5", "'x'"]
    assert walk(Edition) == "duben.model.edition.Edition"


def test_an_article_digest_made_elsewhere_is_what_a_digester_makes() -> None:
    """ahead.py digests each article where it is parsed and the build teaches every
    Digester those (fingerprint.learn): a page's fingerprint is the same either way,
    and a learnt digest stands only for that very object."""
    import dataclasses

    from duben.model.config import load_config
    from duben.model.edition import load_edition
    from duben.output import fingerprint

    config = load_config(Path(__file__).resolve().parents[1])  # the real edition
    edition = load_edition(config)[0]
    a = edition.articles[0]
    deps = ("article.html", a, edition.neighbours[a.slug], "page")
    plain = fingerprint.Digester().digest(deps)
    assert fingerprint.article_digest(a) == fingerprint.Digester()._walk(a)
    try:
        fingerprint.learn([(a, fingerprint.article_digest(a))])
        assert fingerprint.Digester().digest(deps) == plain
        fingerprint.learn([(a, "#made-up")])  # (what a Digester takes, unchecked)
        assert fingerprint.Digester().digest(deps) != plain
        copy = dataclasses.replace(a)  # equal, another object: walked, not looked up
        assert fingerprint.Digester().digest(("article.html", copy, *deps[2:])) == plain
    finally:
        fingerprint.learn([])


def test_tree_stats_lists_files_as_os_walk_does(tmp_path: Path) -> None:
    """What the cache compares to call an output folder untouched: every file (a link to
    a file followed), a linked folder not entered, nothing for a missing folder."""
    import os

    from duben.paths import tree_stats

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.html").write_text("一", encoding="utf-8")
    (tmp_path / "f.css").write_text("body{}", encoding="utf-8")
    os.symlink(tmp_path / "a", tmp_path / "linked-folder")
    os.symlink(tmp_path / "f.css", tmp_path / "linked-file")
    found = tree_stats(tmp_path)
    assert sorted(found) == ["a/b/x.html", "f.css", "linked-file"]
    st = os.stat(tmp_path / "a" / "b" / "x.html")
    assert found["a/b/x.html"] == (st.st_mtime_ns, 3)
    assert found["linked-file"] == found["f.css"]
    assert tree_stats(tmp_path / "missing") == {}


def test_han_count_by_blocks_equals_the_pattern_on_any_text() -> None:
    """han_count counts UTF-16 high bytes; the pattern is the definition. Random texts
    drawn around every range boundary (Extension A's partial block, surrogates, the
    supplementary planes) and the real bodies must count alike."""
    import random
    import re

    from duben.model.config import load_config
    from duben.model.edition import load_edition

    pattern = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
    edges = [0x20, 0x7F, 0x3000, 0x33FF, 0x3400, 0x4CFF, 0x4D00, 0x4DBF, 0x4DC0, 0x4DFF,
             0x4E00, 0x9FFF, 0xA000, 0xD800, 0xDFFF, 0xF8FF, 0xF900, 0xFAFF, 0xFB00, 0xFF0C,
             0x1FFFF, 0x20000, 0x3134F, 0x31350, 0x10FFFF]
    rng = random.Random(8)
    texts = [a.body for a in load_edition(load_config(
        Path(__file__).resolve().parents[1]))[0].articles]
    for _ in range(20000):
        texts.append("".join(
            chr(min(0x10FFFF, max(0, rng.choice(edges) + rng.randint(-1, 1))))
            if rng.random() < 0.6 else chr(rng.randint(0x3000, 0xA000))
            for _ in range(rng.randint(0, 20))))
    for text in texts:
        assert han_count.__wrapped__(text) == len(pattern.findall(text)), repr(text)


def test_a_build_runs_without_the_cycle_collector_and_restores_it(tmp_path: Path) -> None:
    """build_site switches the cyclic garbage collector off while it runs (its passes
    over the build's caches cost seconds at 10,000 articles) and leaves it as it found
    it, on or off, with nothing left frozen, even when the build fails."""
    import gc

    from duben.build import build_site

    seen: list[bool] = []
    real = build_site.__wrapped__  # type: ignore[attr-defined]

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    from duben import build
    wrapped = build._collected_after(spy)  # type: ignore[arg-type]
    root = Path(__file__).resolve().parents[1]
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            wrapped(root, tmp_path / f"site-{enabled}", strict=False, search=False,
                    epub=False, cache=False)
            with pytest.raises(DubenError):
                wrapped(root / "missing", tmp_path / "x", strict=False)
            assert gc.isenabled() is enabled and gc.get_freeze_count() == 0
        finally:
            gc.enable()
    assert seen == [False, False, False, False]


def test_related_articles_are_the_best_scored_of_each_groups_window() -> None:
    """Related reading: articles sharing the series score 3, the column 2, each tag 1;
    best first, then in edition order; five at most; candidates only the WINDOW members
    on either side in each group. Checked against scoring by the definition, on the
    real edition (its groups fit in a window) and with a window of 1."""
    from duben.model import neighbours
    from duben.model.config import load_config
    from duben.model.edition import load_edition

    config = load_config(Path(__file__).resolve().parents[1])  # the real edition
    e = load_edition(config)[0]
    position = {a.slug: i for i, a in enumerate(e.articles)}

    def score(a: object, b: object) -> int:
        same = (lambda of: of.get(a.slug) is not None and of.get(a.slug) is of.get(b.slug))
        shared = set(map(id, e.tags_of.get(a.slug, ()))) & set(map(id, e.tags_of.get(b.slug, ())))
        return 3 * same(e.series_of) + 2 * same(e.column_of) + len(shared)

    def expected(a: object, window: int) -> list[str]:
        near = set()
        for g in (e.series_of.get(a.slug), e.column_of.get(a.slug), *e.tags_of.get(a.slug, ())):
            if g is not None:
                i = [b.slug for b in g.articles].index(a.slug)
                near |= {b.slug for b in g.articles[max(0, i - window): i + window + 1]}
        near.discard(a.slug)
        by_slug = {b.slug: b for b in e.articles}
        ranked = sorted(near, key=lambda s: (-score(a, by_slug[s]), position[s]))
        return ranked[:5]

    assert any(len(e.neighbours[a.slug].related) == 5 for a in e.articles)
    index_in = neighbours.member_index([*e.series, *e.columns, *e.tags], e.tags_of)
    for a in e.articles:
        assert [b.slug for b in e.neighbours[a.slug].related] == expected(a, neighbours.WINDOW)
        assert list(neighbours._related(a, e.series_of, e.column_of, e.tags_of, position,
                                        index_in, window=1)) == expected(a, 1)


def test_related_articles_scored_by_series_column_and_tags_in_windows() -> None:
    """Series 3, column 2, each shared tag 1; ties in edition order; a member beyond
    the window of every group it shares is not a candidate."""
    from types import SimpleNamespace as NS

    from duben.model import neighbours

    a, b, c, d, e, f, g, h, far = (NS(slug=s) for s in "abcdefghz")
    order = [far, g, f, e, d, c, b, a, h]  # edition order
    series, column = NS(articles=(b, a, h)), NS(articles=(d, a, h))
    t1 = NS(articles=(far, *[NS(slug=f"x{n}") for n in range(3)], e, f, a))
    t2 = NS(articles=(e, g, a))
    tags_of = {x.slug: tuple(t for t in (t1, t2) if x in t.articles) for x in (*order, *t1.articles)}
    series_of = {x.slug: series for x in series.articles}
    column_of = {x.slug: column for x in column.articles}
    position = {x.slug: i for i, x in enumerate([*order, *t1.articles[1:4]])}
    index_in = neighbours.member_index([series, column, t1, t2], tags_of)
    got = neighbours._related(a, series_of, column_of, tags_of, position, index_in, window=3)
    # h: series + column 5; b: series 3; e: both tags 2, d: column 2 (e first in order);
    # then f and g (one tag each) by order: g; far is 6 places off in t1.
    assert got == ("h", "b", "e", "d", "g")
    assert neighbours._related(a, series_of, column_of, tags_of, position, index_in,
                               window=3, limit=9)[-1] == "x2"


def test_a_content_files_cache_key_is_its_path_from_the_root() -> None:
    """cache.key_of cuts the path string instead of calling relative_to: the same key,
    and the same refusal for a path outside the root (a sibling sharing its prefix)."""
    from duben.output.cache import key_of

    root = Path("/p/edition")
    for path in (root / "content/000_a/01-x.md", root / "content/页/01-题.md", Path("/p/edition/a")):
        assert key_of(path, root) == str(path.relative_to(root))
    for outside in (Path("/p/editions/content/x.md"), Path("/p/other.md")):
        with pytest.raises(ValueError):
            key_of(outside, root)


def test_a_page_path_is_joined_only_inside_the_staging_folder() -> None:
    """Every page is written at joined_inside(staged, its output path): a path that
    climbs out, is absolute or names no file is refused, whatever its spelling."""
    from duben.paths import join_inside, joined_inside

    assert joined_inside("/s", "articles/a/index.html") == "/s/articles/a/index.html"
    assert join_inside(Path("/s"), "a/./b.html") == Path("/s/a/b.html")
    for bad in ("/etc/passwd", "//x", "../x", "a/../../x", "a/..", "", ".", "./", "a//..//b"):
        with pytest.raises(ValueError):
            joined_inside("/s", bad)
        with pytest.raises(ValueError):
            join_inside(Path("/s"), bad)


def test_a_summary_starts_at_the_first_paragraph_that_is_not_a_heading() -> None:
    """_first_paragraph finds what splitting the body into paragraphs finds (its
    definition), on made-up bodies of headings, text and blank lines of every kind."""
    import random

    from duben.renderers.html.views import _first_paragraph

    def defined(body: str) -> str:
        return next((p for p in body.split("\n\n") if not p.startswith("#")), "")

    rng = random.Random(3)
    for _ in range(20_000):
        body = "".join(rng.choice(["\n", "\n\n", "#", "## 标题", "正文", "a", " "])
                       for _ in range(rng.randint(0, 12)))
        assert _first_paragraph(body) == defined(body), repr(body)


def test_a_quick_context_calls_every_kind_of_callable_as_jinja_does() -> None:
    """QuickContext.call skips Jinja's questions for plain functions and methods; for
    every kind of callable a template may call, the result is what Context.call gives."""
    from jinja2 import Environment, pass_context, pass_environment, pass_eval_context
    from jinja2.runtime import Context, Undefined

    from duben.renderers.html.escaping import QuickContext

    def plain(x: int, y: int = 0) -> tuple[int, int]:
        return x, y

    def stops() -> None:
        raise StopIteration

    class Caller:
        @pass_context
        def __call__(self, ctx: Context, x: int) -> tuple[str, int]:
            return ctx["name"], x

    calls = [(plain, (1,)), (pass_context(lambda ctx, x: (ctx["name"], x)), (1,)),
             (pass_environment(lambda env, x: (type(env).__name__, x)), (1,)),
             (pass_eval_context(lambda ev, x: (type(ev).__name__, x)), (1,)),
             (Caller(), (1,)), (Caller().__call__, (1,)), ("a,b".split, (",",)),
             (len, ("abc",)), ({"k": 1}.get, ("k",))]
    results = []
    for cls in (Context, QuickContext):
        ctx = cls(Environment(), {"name": "n"}, "t", {})
        row = [ctx.call(f, *args, _loop_vars={"name": "loop"}, _block_vars={})
               for f, args in calls]
        row += [ctx.call(plain, 1, y=2, _loop_vars={}), type(ctx.call(stops))]
        results.append(row)
    assert results[0] == results[1]
    assert results[1][1] == ("loop", 1)  # a context-taking callable sees the loop's names
    assert issubclass(results[1][-1], Undefined)


def test_a_page_only_function_gets_the_pages_own_context() -> None:
    """list_items reads only what the page is rendered with: QuickContext hands it the
    page's context, not Jinja's copy with the block's and loop's names added. In a
    block that sets its own page_url, its links follow the page's (Jinja's copy would
    follow the block's), and the items are otherwise the same."""
    from jinja2 import Environment, pass_context
    from jinja2.runtime import Context

    from duben.renderers.html.escaping import QuickContext, page_only

    seen = []

    @page_only
    @pass_context
    def reads(ctx: Context, x: int) -> tuple[str, int]:
        seen.append(ctx)
        return ctx["name"], x

    ctx = QuickContext(Environment(), {"name": "page"}, "t", {})
    assert ctx.call(reads, 1, _block_vars={"name": "block"}, _loop_vars={}) == ("page", 1)
    assert seen == [ctx]
    jinja = Context(Environment(), {"name": "page"}, "t", {})
    assert jinja.call(reads, 1, _block_vars={"name": "block"}) == ("block", 1)  # (a copy)
    assert seen[1] is not jinja

    from duben.model.config import load_config
    from duben.model.edition import load_edition
    from duben.renderers.html.render import make_env, site_of

    config = load_config(Path(__file__).resolve().parents[1])  # the real edition
    articles = load_edition(config)[0].articles[:3]
    page = "{% block main %}{% set page_url = '' %}{{ list_items(arts) }}{% endblock %}"
    rendered = []
    for cls in (Context, QuickContext):
        env = make_env(config.theme_dir)
        env.context_class = cls
        rendered.append(env.from_string(page).render(arts=articles, site=site_of(config),
                                                     page_url="tags/x/"))
    # Jinja's copy sees the block's own page_url (''); the page's context, the page's.
    assert rendered[0].count("<li") == rendered[1].count("<li") == 3
    assert rendered[1] == rendered[0].replace('href="articles/', 'href="../../articles/')


def test_the_whole_edition_page_is_rendered_first_and_alone() -> None:
    """A page that keeps a process busy for long (the streamed print page) is the first
    task, alone, so the other process shares out the rest; batches stay whole and the
    rest goes in chunks, as before."""
    from duben.output.stream import CHUNK, _runs

    batches = ["", "s", "s", "", "", "t", ""] + [""] * CHUNK
    todo = range(len(batches))
    assert _runs(todo, batches, first={4}) == [
        [4], [1, 2], [5], [0, 3, 6, *range(7, 7 + CHUNK - 3)], list(range(7 + CHUNK - 3,
                                                                         len(batches)))]
    assert _runs(todo, batches)[0] == [1, 2]  # nothing first: batches lead, as before


def test_the_build_marks_the_whole_edition_page_and_only_it_as_streamed() -> None:
    import dataclasses

    from duben.build import html_pages
    from duben.model.config import load_config, with_print_decided
    from duben.model.edition import load_edition
    from duben.renderers.scripts import in_scripts

    config = dataclasses.replace(load_config(Path(__file__).resolve().parents[1]),
                                 print_page=True)
    edition = load_edition(config)[0]
    specs = html_pages(in_scripts(edition, with_print_decided(config, 1)), config.base_url)[0]
    assert sorted(s.url for s in specs if s.streamed) == ["print/", "zh-hant/print/"]


def test_broken_links_are_placed_by_one_reading_of_their_page() -> None:
    """check_links reads a page again only when it has broken links, once however
    many, and names the line each is first written on."""
    from duben.output.linkcheck import check_links, scan

    html = ('<a href="#x">x</a>\n<a href="gone/">1</a>\n<p id="x"></p>\n'
            '<a class="c" href="gone/">again</a>\n<a href="away.html">2</a>\n')
    reads: list[str] = []

    def read(path: str) -> str:
        reads.append(path)
        return html

    pages = {"a/index.html": ("a.md", scan(html, "a/index.html", "")),
             "b/index.html": ("b.md", scan('<a href="../a/">a</a>', "b/index.html", ""))}
    problems = check_links(pages, {"a/index.html", "b/index.html"}, Path("/nowhere"), read)
    assert [p.message.split(":")[0] for p in problems] == [
        "broken link 'gone/' on a/index.html (line 2)",
        "broken link 'away.html' on a/index.html (line 5)"]
    assert reads == ["a/index.html"]
