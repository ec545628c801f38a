"""Turn a decoded seed page into clean edition lines, recording every change to the words.

Order matters: editors' corrections and mojibake repair must see the exact seed
text (a correction's `was` is seed text), and only then do the systematic
normalisations run (pinyin glosses, script, punctuation), which are idempotent
on text that is already clean.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from duben.errors import Problem
from duben.importer import repair
from duben.importer.pagedata import PageData, TagEdit
from duben.model.article import Correction


@dataclass(frozen=True)
class PreparedPage:
    """The page's lines in edition form, with what changed and where."""

    lines: tuple[str, ...]  # index 0 is seed line 1
    script: str  # the script the page arrived in
    corrections: tuple[tuple[int, Correction], ...]  # (seed line, correction)
    supplied_titles: tuple[tuple[int, str], ...]  # (seed line, headline)
    problems: tuple[Problem, ...]
    tag_edits: tuple[tuple[int, TagEdit], ...] = ()  # (seed line, edit)


def data_path(seed_file: str) -> str:
    """The editorial data file that sits beside a seed."""
    return str(PurePosixPath(seed_file).with_suffix(".yaml"))


def prepare_page(text: str, seed_file: str, data: PageData) -> PreparedPage:
    """Apply editorial fixes, repair mojibake, then normalise every line."""
    seed_lines = text.split("\n")
    lines = list(seed_lines)
    problems: list[Problem] = []
    corrections: list[tuple[int, Correction]] = []
    script = repair.detect_script(text)

    for fix in data.corrections:
        hits = [i for i, line in enumerate(lines) if fix.was in line]
        if not hits:
            problems.append(Problem(
                data_path(seed_file), fix.line, f"correction 'was' text not found in {seed_file}: {fix.was!r}"
            ))
            continue
        for i in hits:
            # An unresolved passage stays as printed: recorded and marked, not changed.
            if fix.certainty != "unresolved":
                lines[i] = lines[i].replace(fix.was, fix.now)
            corrections.append((i + 1, Correction(
                fix.was, repair.normalise_line(fix.now, script), fix.note, fix.certainty)))

    for i, line in enumerate(lines):
        repaired, fixes = repair.repair_mojibake(line)
        lines[i] = repaired
        corrections.extend(
            (i + 1, Correction(f.was, repair.normalise_line(f.now, script), f.note)) for f in fixes
        )
        for garble in repair.find_garbles(repaired):
            problems.append(Problem(
                seed_file, i + 1,
                f"garbled text {garble.text!r} could not be repaired by rule; "
                f"add a correction for it to {data_path(seed_file)}",
            ))

    titles: list[tuple[int, str]] = []
    for supplied in data.supplied_titles:
        hit = _where(seed_lines, supplied.where, supplied.line, "supplied title", seed_file, problems)
        if hit is not None:
            titles.append((hit, repair.normalise_line(supplied.title, script)))
    edits = [(hit, edit) for edit in data.tag_edits
             if (hit := _where(seed_lines, edit.where, edit.line, "tags", seed_file, problems))]

    return PreparedPage(
        lines=tuple(repair.normalise_line(line, script) for line in lines),
        script=script,
        corrections=tuple(sorted(corrections, key=lambda c: c[0])),  # in page order
        supplied_titles=tuple(titles),
        problems=tuple(problems),
        tag_edits=tuple(edits),
    )


def _where(seed_lines: list[str], where: str, data_line: int, what: str, seed_file: str,
           problems: list[Problem]) -> int | None:
    """The 1-based seed line holding `where`, or None after reporting it in the data file."""
    hit = next((i for i, line in enumerate(seed_lines) if where in line), None)
    if hit is None:
        problems.append(Problem(data_path(seed_file), data_line,
                                f"{what} 'where' text not found in {seed_file}: {where!r}"))
        return None
    return hit + 1
