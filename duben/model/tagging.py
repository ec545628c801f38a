"""Tags from an editable vocabulary (data/tags.yaml): keywords counted, never guessed."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from duben.errors import DubenError, Problem
from duben.inputs import read_text
from duben.model.article import Article
from duben.yamlsafe import load_yaml

VOCABULARY_FILE = Path("data") / "tags.yaml"


@dataclass(frozen=True)
class Vocabulary:
    """Tag -> keywords, in the editors' order, with the matching threshold."""

    keywords: tuple[tuple[str, tuple[str, ...]], ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # group name -> its tags
    thresholds: tuple[tuple[str, int], ...]  # tag -> mentions needed
    fallback: str


def parse_vocabulary(text: str, path: str) -> Vocabulary:
    """Read the vocabulary YAML; raise DubenError naming the file on a bad shape."""
    data, _ = load_yaml(text, path)
    try:
        groups = data["groups"]
        default = int(data.get("min_mentions", 2))
        by_group = {str(g): int(n) for g, n in (data.get("min_mentions_by_group") or {}).items()}
        keywords = tuple(
            (str(tag), tuple(str(k) for k in words))
            for tags in groups.values() for tag, words in tags.items()
        )
        vocabulary = Vocabulary(
            keywords=keywords,
            groups=tuple((str(g), tuple(str(t) for t in tags)) for g, tags in groups.items()),
            thresholds=tuple((str(tag), by_group.get(str(g), default))
                             for g, tags in groups.items() for tag in tags),
            fallback=str(data["fallback"]),
        )
    except (TypeError, KeyError, AttributeError, ValueError) as exc:
        raise DubenError(Problem(
            path, None, f"expected groups: {{group: {{tag: [keywords]}}}} and fallback ({exc})"
        )) from None
    unknown = set(by_group) - {g for g, _ in vocabulary.groups}
    if unknown:
        raise DubenError(Problem(path, None, f"min_mentions_by_group names no group: {sorted(unknown)}"))
    if any(not words for _, words in keywords):
        raise DubenError(Problem(path, None, "every tag needs at least one keyword"))
    return vocabulary


def load_vocabulary(root: Path) -> Vocabulary:
    """The project's vocabulary file, parsed."""
    path = root / VOCABULARY_FILE
    return parse_vocabulary(read_text(path, str(VOCABULARY_FILE)), str(VOCABULARY_FILE))


def tag_article(article: Article, vocabulary: Vocabulary) -> tuple[str, ...]:
    """The tags the article earns: a keyword in its headline or lead, or repeated in the
    body to the tag's threshold; the fallback if none; no tags for a notice."""
    if article.kind == "notice":
        return ()
    headline = " ".join(filter(None, (article.kicker, article.title, article.subtitle)))
    paragraphs = [p for p in article.body.split("\n\n") if not p.startswith("#")]
    # A news lead says who, where and what; a commentary opens with an argument instead.
    lead = paragraphs[0] if paragraphs and article.kind != "commentary" else ""
    needed = dict(vocabulary.thresholds)
    tags = tuple(
        tag for tag, words in vocabulary.keywords
        if any(w in headline or w in lead for w in words)
        or sum(article.body.count(w) for w in words) >= needed[tag]
    )
    return tags or (vocabulary.fallback,)


def edit_tags(tags: tuple[str, ...], add: tuple[str, ...], remove: tuple[str, ...]) -> tuple[str, ...]:
    """An editor's choice laid over the earned tags: removed ones go, added ones follow."""
    kept = [t for t in tags if t not in remove]
    return tuple(kept + [t for t in add if t not in kept])


def drop_lone_tags(tagged: dict[str, tuple[str, ...]], set_by_editor: set[tuple[str, str]],
                   fallback: str) -> dict[str, tuple[str, ...]]:
    """Key -> tags without the tags that only one article carries (unless an editor set
    them for it); an article left with none gets the fallback, if others share it."""
    def prune(tagged: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        counts = Counter(t for tags in tagged.values() for t in tags)
        return {key: tuple(t for t in tags if counts[t] > 1 or (key, t) in set_by_editor)
                for key, tags in tagged.items()}

    kept = prune(tagged)
    return prune({key: kept[key] or ((fallback,) if tagged[key] else ()) for key in tagged})
