"""Cut one seed page into articles: group typed blocks, then read each group.

Grouping rules, in the words an editor would use:
- an article opens with a display group (series line, column, kicker, title,
  byline); a group is a new article when it carries a series line, a byline or a
  known column, or when the previous article has closed;
- an article closes with a trailing credit: （王硕）, 任锁生 摄影报道, 版式设计：…;
- otherwise display lines inside an article are its section heads;
- a commentary prints its title and author *after* its body: a title + bare name
  pair ending an untitled article belongs to that article, and the line that
  opened it was its column.
"""
from __future__ import annotations

from dataclasses import dataclass

from duben.errors import Problem
from duben.importer.blocks import ROLES, Block, DroppedLine, Group, Kind, read_blocks
from duben.importer.pagedata import PageData, TagEdit
from duben.importer.pagetext import data_path, prepare_page
from duben.importer.reading import read_group
from duben.model.article import Article
from duben.model.columns import Columns

__all__ = ["DroppedLine", "PageSplit", "split_page"]

_HEADER = (Kind.HEADING, Kind.SERIES, Kind.BYLINE)
_CLOSERS = (Kind.END_BYLINE, Kind.PHOTO_BYLINE, Kind.CREDIT, Kind.NOTICE_LABEL)


@dataclass(frozen=True)
class PageSplit:
    """What one seed page yields: its articles, its dropped lines, its problems."""

    articles: tuple[Article, ...]
    dropped: tuple[DroppedLine, ...]
    problems: tuple[Problem, ...]  # e.g. unresolved garbled text, as seed:line
    layout_credits: tuple[str, ...] = ()  # 版式设计：…, the page's own credits
    tag_edits: tuple[tuple[int, TagEdit], ...] = ()  # (article order, the editor's edit)


def split_page(
    text: str, seed_file: str, data: PageData, columns: Columns | None = None
) -> PageSplit:
    """Split decoded seed text (LF line ends) into articles.

    Slugs are readable candidates; the caller makes them unique and keeps slugs
    already written in content/. Tags are left empty; the caller adds them.
    """
    columns = columns or Columns()
    page = prepare_page(text, seed_file, data)
    groups = group_blocks(read_blocks(list(page.lines), lambda t: columns.name_of(t) is not None), columns)
    problems = list(page.problems)
    if not groups:
        problems.append(Problem(seed_file, None, "no article found on this page"))
    articles, dropped, layout = [], [], []
    for order, group in enumerate(groups, start=1):
        result = read_group(group, order, seed_file, page, columns)
        problems.extend(result.problems)
        dropped.extend(result.dropped)
        layout.extend(c for c in result.layout_credits if c not in layout)
        if result.article is not None:
            articles.append(result.article)
    edits = []
    for line, edit in page.tag_edits:
        owner = next((a for a in articles if a.source.lines[0] <= line <= a.source.lines[1]), None)
        if owner is None:
            problems.append(Problem(data_path(seed_file), edit.line,
                                    f"tags 'where' text is in no article: {edit.where!r}"))
        else:
            edits.append((owner.source.order, edit))
    return PageSplit(tuple(articles), tuple(dropped), tuple(problems), tuple(layout), tuple(edits))


def group_blocks(blocks: list[Block], columns: Columns) -> list[Group]:
    """Assign every block to an article, in page order."""
    groups: list[Group] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        current = groups[-1] if groups else None
        if block.kind in _HEADER:
            j = i
            while j < len(blocks) and blocks[j].kind in _HEADER:
                j += 1
            run = blocks[i:j]
            following = blocks[j] if j < len(blocks) else None
            if current is not None and not current.closed and not current.untitled() \
                    and _is_title_and_author(run, following):
                piece = _split_off_untitled(current)
                if piece is not None:
                    groups.append(piece)
                    current = piece
            if current is not None and _is_trailing_title(current, run, following):
                current.trailer.extend(run[:2])
                current.closed = True
                run = run[2:]
            if run:
                if current is None or current.closed or _opens_article(run, columns):
                    groups.append(Group(header=list(run)))
                else:
                    current.body.extend(run)
            i = j
            continue
        if current is None or (current.closed and block.kind is Kind.PARA):
            current = Group()
            groups.append(current)
        if block.kind in (Kind.PARA, Kind.EDITOR_SIGN):
            current.body.append(block)
        else:
            current.trailer.append(block)
        if block.kind in _CLOSERS:
            current.closed = True
        i += 1
    return groups


def _is_title_and_author(run: list[Block], following: Block | None) -> bool:
    """A headline and a bare author name with no body after them: the end of a piece
    that prints its title last (a commentary), not the start of a new article."""
    return (
        len(run) >= 2
        and run[0].kind is Kind.HEADING
        and not run[0].text.endswith("——")
        and run[1].kind is Kind.BYLINE
        and not run[1].text.startswith(ROLES)
        and (len(run) > 2 or following is None or following.kind is not Kind.PARA)
    )


def _is_trailing_title(current: Group, run: list[Block], following: Block | None) -> bool:
    """A title + bare author name printed after an untitled article's body."""
    return (
        current.untitled()
        and not current.closed
        and any(b.kind is Kind.PARA for b in current.body)
        and _is_title_and_author(run, following)
    )


def _split_off_untitled(current: Group) -> Group | None:
    """A trailing title cannot belong to an article that already has one: the untitled
    piece began at the last display line of `current` (its column name)."""
    heads = [k for k, b in enumerate(current.body) if b.kind is Kind.HEADING]
    if not heads or not any(b.kind is Kind.PARA for b in current.body[heads[-1] + 1:]):
        return None
    k = heads[-1]
    piece = Group(header=[current.body[k]], body=current.body[k + 1:])
    del current.body[k:]
    return piece


def _opens_article(run: list[Block], columns: Columns) -> bool:
    """Does this display group start a new article rather than a section?"""
    return any(
        b.kind in (Kind.SERIES, Kind.BYLINE) or columns.name_of(b.text) is not None for b in run
    )
