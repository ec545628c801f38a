"""The importer: seeds/*.txt -> content/<page>/<NN>-<slug>.md, atomically.

Like Pelican's importers, split writes ordinary content files that editors then
own. So it never overwrites a file an editor changed (unless forced), keeps
every slug it once wrote, leaves the articles of a vanished seed in place, and
replaces content/ in one rename or not at all. The manifest (manifest.py) records
the sha256 of each file as split wrote it, which is how a hand edit is told from
split's own output.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from duben import atomic, paths
from duben.errors import DubenError, Problem
from duben.importer import segment
from duben.importer.manifest import (
    CONTENT,
    DROPPED_LIST,
    MANIFEST,
    Entry,
    dump_manifest,
    known_slugs,
    load_manifest,
    read_tree,
    sha256,
)
from duben.importer.pagedata import TagEdit, load_page_data
from duben.importer.plan import Dropped, Plan, SplitReport, plan_content
from duben.importer.seeds import decode_seed, list_seeds
from duben.inputs import MAX_SEED, read_bytes
from duben.model import tagging
from duben.model.article import Article, dump_article
from duben.model.columns import Columns, load_columns
from duben.model.pages import PAGE_FILE, dump_page_info
from duben.slugs import slugify, unique_slug

T = TypeVar("T")


@dataclass(frozen=True)
class _Page:
    """One seed's split, keyed by the seed's project-relative path."""

    seed: str
    articles: tuple[Article, ...]
    page_file: str = ""  # content/<page>/page.yaml: the page's facts and credits
    tag_edits: tuple[tuple[int, TagEdit], ...] = ()  # (article order, an editor's tags)


def run_split(root: Path, *, force: bool = False,
              progress: Callable[[int, int], None] | None = None) -> SplitReport:
    """Split every seed into content/; raise DubenError (and write nothing) on any problem.

    `progress(done, total)` follows the seeds as they are split."""
    content = root / CONTENT
    atomic.recover_target(content)  # a killed run may have left content/ moved aside
    # 1. Read, decode and split every seed, and read the tag vocabulary and the last
    #    run's manifest, collecting every problem before anything is written.
    problems: list[Problem] = []
    pages, dropped = _split_all(root, problems, progress)
    vocabulary = _attempt(problems, _vocabulary, root)
    manifest = _attempt(problems, load_manifest, content)
    old = _attempt(problems, read_tree, content, root)
    if problems or vocabulary is None or manifest is None or old is None:
        raise DubenError(problems)

    # 2. Give every article its slug (kept from content/ when known) and its tags.
    known = known_slugs(manifest, old)
    outputs = _name_articles(pages, known, vocabulary)

    # 3. Decide file by file what the new content/ holds, then build it beside the old
    #    one and swap it in; on any failure the old content/ is left as it was.
    plan = plan_content(outputs, old, manifest, {p.seed for p in pages}, force)
    staged = atomic.staging_dir(content)
    try:
        try:
            _write_staged(staged, content, plan, dropped)
        except OSError as exc:  # disk full, permissions: the environment's fault, exit 2
            raise atomic.write_failed(exc, staged, content) from None
        atomic.swap_in(staged, content)
    except BaseException:
        atomic.discard(staged)
        raise
    return plan.report(dropped)


# --- reading seeds ---------------------------------------------------------------------


def _split_all(root: Path, problems: list[Problem],
               progress: Callable[[int, int], None] | None = None,
               ) -> tuple[list[_Page], tuple[Dropped, ...]]:
    """Every seed split, in name order; what goes wrong is added to `problems`."""
    seeds = _attempt(problems, list_seeds, root) or []
    if not seeds and not problems:
        problems.append(Problem("seeds", None, "no seed pages (*.txt) to split"))
    pages: list[_Page] = []
    dropped: list[Dropped] = []
    columns = _attempt(problems, load_columns, root) or Columns()
    for done, seed in enumerate(seeds):
        if progress:
            progress(done, len(seeds))
        rel = seed.relative_to(root).as_posix()
        if not paths.is_page_id(seed.stem):  # the name becomes a folder of content/
            problems.append(Problem(rel, None, "seed name must be letters, digits, '_', '.', "
                                    "'-' (starting with a letter or digit); rename the file"))
            continue
        # Decoding and page data are independent: report both when both are wrong.
        text = _attempt(problems, _decode, seed, rel)
        data = _attempt(problems, load_page_data, seed, root)
        if text is None or data is None:
            continue
        split = _attempt(problems, segment.split_page, text, rel, data, columns)
        if split is None:
            continue
        problems.extend(split.problems)
        problems.extend(_check_split(split, rel))
        # A page file only when the editors or the page say something about the page.
        page_file = dump_page_info(seed.stem, dict(data.page), split.layout_credits) \
            if data.page or split.layout_credits else ""
        pages.append(_Page(rel, split.articles, page_file, split.tag_edits))
        dropped.extend(Dropped(rel, d.line, d.text, d.reason) for d in split.dropped)
    if progress:
        progress(len(seeds), len(seeds))
    return pages, tuple(sorted(dropped))


def _decode(seed: Path, shown: str) -> str:
    return decode_seed(read_bytes(seed, shown, MAX_SEED), shown)


def _attempt(problems: list[Problem], step: Callable[..., T], *args: Any) -> T | None:
    """`step(*args)`, or None after adding its problems, so one run reports all of them."""
    try:
        return step(*args)
    except DubenError as exc:
        problems.extend(exc.problems)
        return None


def _check_split(split: segment.PageSplit, seed: str) -> list[Problem]:
    """What would make the output ambiguous: no article at all, or two on one file number."""
    if not split.articles and not split.problems:
        return [Problem(seed, None, "no article found on this page")]
    orders = [a.source.order for a in split.articles]
    return [
        Problem(seed, None, f"the splitter gave {orders.count(n)} articles order {n}")
        for n in sorted(set(orders)) if orders.count(n) > 1
    ]


def _vocabulary(root: Path) -> tagging.Vocabulary:
    try:
        return tagging.load_vocabulary(root)
    except OSError as exc:
        raise DubenError(Problem(tagging.VOCABULARY_FILE.as_posix(), None,
                                 f"cannot read the tag vocabulary: {exc.strerror}")) from None


# --- the new content/ ---------------------------------------------------------------


def _name_articles(
    pages: list[_Page],
    known: dict[tuple[str, int], str],
    vocabulary: tagging.Vocabulary,
) -> dict[str, tuple[bytes, Entry]]:
    """content-relative path -> (file bytes, manifest entry) for every article."""
    articles = [(p.seed, a) for p in pages for a in sorted(p.articles, key=_order)]
    # Known slugs first, so a new article never takes one already in content/ (that
    # includes the slugs of kept files whose seed is gone).
    taken = set(known.values())
    slugs: dict[tuple[str, int], str] = {}
    for seed, article in articles:
        key = (seed, article.source.order)
        if key in known and known[key] not in slugs.values():
            slugs[key] = known[key]
    for seed, article in articles:  # seed name, then page order: deterministic
        key = (seed, article.source.order)
        if key not in slugs:
            slugs[key] = unique_slug(slugify(article.title), taken)
            taken.add(slugs[key])

    tags = _tags(pages, articles, vocabulary)
    outputs: dict[str, tuple[bytes, Entry]] = {}
    for seed, article in articles:
        order = article.source.order
        slug = slugs[(seed, order)]
        final = replace(article, slug=slug, tags=tags[(seed, order)])
        data = dump_article(final).encode("utf-8")
        name = f"{PurePosixPath(seed).stem}/{order:02d}-{slug}.md"
        outputs[name] = (data, Entry(seed, order, slug, sha256(data)))
    for page in pages:  # order 0: a page file is no article and has no slug
        if not page.page_file:
            continue
        data = page.page_file.encode("utf-8")
        name = f"{PurePosixPath(page.seed).stem}/{PAGE_FILE}"
        outputs[name] = (data, Entry(page.seed, 0, "", sha256(data)))
    return outputs


def _tags(pages: list[_Page], articles: list[tuple[str, Article]],
          vocabulary: tagging.Vocabulary) -> dict[tuple[str, int], tuple[str, ...]]:
    """(seed, order) -> tags: earned ones with the editors' edits laid over them, minus
    tags only one article carries (unless an editor gave it)."""
    edits = {(p.seed, order): e for p in pages for order, e in p.tag_edits}
    tagged = {}
    for seed, article in articles:
        earned = tagging.tag_article(article, vocabulary)
        edit = edits.get((seed, article.source.order))
        tagged[(seed, article.source.order)] = (
            tagging.edit_tags(earned, edit.add, edit.remove) if edit else earned)
    by_editor = {(key, t) for key, e in edits.items() for t in e.add}
    return tagging.drop_lone_tags(tagged, by_editor, vocabulary.fallback)


def _order(article: Article) -> int:
    return article.source.order


# --- writing ------------------------------------------------------------------------


def _write_staged(staged: Path, content: Path, plan: Plan, dropped: tuple[Dropped, ...]) -> None:
    """Fill the staging folder: new files, carried-over files, manifest, dropped list."""
    for name, data in plan.write.items():
        _write_bytes(staged / name, data)
    for name in plan.keep:
        target = staged / name
        target.parent.mkdir(parents=True, exist_ok=True)
        # Keeps an editor's file as it is, mtime too; a symlink stays a symlink.
        shutil.copy2(content / name, target, follow_symlinks=False)
    _write_bytes(staged / MANIFEST, dump_manifest(plan.manifest))
    _write_bytes(staged / DROPPED_LIST, _dump_dropped(dropped))


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _dump_dropped(dropped: tuple[Dropped, ...]) -> bytes:
    header = (
        "# Seed lines that split kept out of every article (layout matter).\n"
        "# Rewritten by every `build.py split`; every other seed line is in an article.\n"
        "# file:line: reason: text\n"
    )
    return (header + "".join(f"{d}\n" for d in dropped)).encode("utf-8")

