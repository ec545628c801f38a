"""Replace an output folder in one step, so a failure never leaves it half-written."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def staging_dir(target: Path) -> Path:
    """A fresh empty folder beside `target` (same file system, so the swap is a rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    staged.chmod(0o755)  # mkdtemp makes it private; a published folder must be readable
    return staged


def swap_in(staged: Path, target: Path) -> None:
    """Put `staged` where `target` is; the old folder is removed only after the rename."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    staged.rename(target)
    if old is not None:
        shutil.rmtree(old)


def discard(staged: Path) -> None:
    """Remove a staging folder after a failed run; the target was never touched."""
    shutil.rmtree(staged, ignore_errors=True)
