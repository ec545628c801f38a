"""Tags from an editable vocabulary (data/tags.yaml): keywords counted, never guessed."""
from __future__ import annotations

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
    """Tags whose keywords the article mentions often enough; the fallback if none."""
    headline = " ".join(filter(None, (article.kicker, article.title, article.subtitle)))
    text = " ".join(filter(None, (article.body, article.editors_note, article.column)))
    needed = dict(vocabulary.thresholds)
    tags = tuple(
        tag for tag, words in vocabulary.keywords
        if sum(2 * headline.count(w) + text.count(w) for w in words) >= needed[tag]
    )
    return tags or (vocabulary.fallback,)
