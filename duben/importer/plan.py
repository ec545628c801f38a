"""What a split run would change in content/: a pure comparison, so every rule is testable.

Split's fresh output is compared with content/ as it is and the manifest: a file
split wrote and nobody touched is replaced, a hand-edited file is kept (unless
forced), a file no seed yields any more is kept as an orphan, or removed if it is
split's own and its seed still exists.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from duben.importer.manifest import CONTENT, Entry, untouched


@dataclass(frozen=True, order=True)
class Dropped:
    """A seed line that no article holds (layout matter), and why."""

    file: str  # seeds/<name>.txt
    line: int
    text: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}: {self.text}"


@dataclass(frozen=True)
class SplitReport:
    """What one split run did; every path is project-relative (content/…, seeds/…)."""

    written: tuple[str, ...]  # new or changed files (forced ones included)
    unchanged: tuple[str, ...]  # split's output, byte for byte what was there
    skipped_hand_edited: tuple[str, ...]  # edited by hand, so not overwritten
    orphaned: tuple[str, ...]  # kept although no seed yields them now
    dropped: tuple[Dropped, ...]  # every seed line kept out of the articles
    forced: tuple[str, ...] = ()  # hand-edited files overwritten because of --force
    removed: tuple[str, ...] = ()  # split's own unedited files its seed no longer yields
    vanished: tuple[str, ...] = ()  # seeds that content/ has articles from but that are gone


@dataclass(frozen=True)
class Plan:
    """The new content/: bytes to write, files to carry over, and why."""

    write: dict[str, bytes]
    keep: tuple[str, ...]  # copied across unchanged from the old content/
    manifest: dict[str, Entry]
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    skipped: tuple[str, ...]
    forced: tuple[str, ...]
    orphaned: tuple[str, ...]
    removed: tuple[str, ...]
    vanished: tuple[str, ...]

    def report(self, dropped: tuple[Dropped, ...]) -> SplitReport:
        def shown(names: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(f"{CONTENT}/{n}" for n in names)

        return SplitReport(
            written=shown(self.written), unchanged=shown(self.unchanged),
            skipped_hand_edited=shown(self.skipped), orphaned=shown(self.orphaned),
            dropped=dropped, forced=shown(self.forced), removed=shown(self.removed),
            vanished=self.vanished,
        )


def plan_content(
    outputs: dict[str, tuple[bytes, Entry]],
    old: dict[str, bytes],
    manifest: dict[str, Entry],
    seeds: set[str],
    force: bool,
) -> Plan:
    """Compare split's output with content/ as it is; pure, so every rule is testable."""
    write: dict[str, bytes] = {}
    keep: list[str] = []
    entries: dict[str, Entry] = {}
    written, unchanged, skipped, forced, orphaned, removed = [], [], [], [], [], []

    for name, (data, entry) in sorted(outputs.items()):
        current = old.get(name)
        if current == data:
            unchanged.append(name)
            keep.append(name)
            entries[name] = entry
        elif current is None or untouched(name, current, manifest):
            written.append(name)
            write[name] = data
            entries[name] = entry
        elif force:
            written.append(name)
            forced.append(name)
            write[name] = data
            entries[name] = entry
        else:
            skipped.append(name)
            keep.append(name)
            # Keep the sha split last wrote (None if never): the file stays protected
            # until the editor's bytes match split's output again.
            previous = manifest.get(name)
            entries[name] = replace(entry, sha256=previous.sha256 if previous else None)

    for name, current in sorted(old.items()):
        if name in outputs:
            continue
        seed = seed_of(name, manifest)
        if seed in seeds and untouched(name, current, manifest):
            removed.append(name)  # split's own file; its seed no longer yields it
            continue
        orphaned.append(name)
        keep.append(name)
        if name in manifest:
            entries[name] = manifest[name]

    vanished = sorted(
        {s for s in (seed_of(n, manifest) for n in orphaned) if s and s not in seeds}
    )
    return Plan(
        write=write, keep=tuple(sorted(keep)), manifest=entries,
        written=tuple(written), unchanged=tuple(unchanged), skipped=tuple(skipped),
        forced=tuple(forced), orphaned=tuple(orphaned), removed=tuple(removed),
        vanished=tuple(vanished),
    )


def seed_of(name: str, manifest: dict[str, Entry]) -> str | None:
    """The seed a content file belongs to: its manifest record, else its page folder."""
    if name in manifest:
        return manifest[name].source
    parts = PurePosixPath(name).parts
    return f"seeds/{parts[0]}.txt" if len(parts) > 1 else None
