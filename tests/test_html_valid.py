"""Every HTML page of the built edition is valid HTML, by the Nu HTML Checker.

The checker is the jar inside npm's `vnu-jar`, run on Java. `.ci/run` installs it
and exports VNU_JAR; elsewhere the test looks where `.ci/run` puts it. Outside CI
a missing Java or jar skips (with the reason); under CI=true it fails, so a
broken install step can never pass as green.

DUBEN_EDITION=<project folder> checks another edition (e.g. tests/fixtures/edition).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support import build_edition, missing_tool

TOOLS = Path(os.environ.get("DUBEN_TOOLS", Path.home() / ".cache" / "duben-ci"))
JAR_IN_TOOLS = TOOLS / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _vnu_command() -> list[str]:
    """The java command line that runs the checker, or skip/fail when it is missing."""
    java = shutil.which("java")
    if java is None:
        missing_tool("java is not on PATH; run .ci/run")
    jar = Path(os.environ["VNU_JAR"]) if os.environ.get("VNU_JAR") else JAR_IN_TOOLS
    if not jar.is_file():
        missing_tool(f"the Nu HTML Checker is not at {jar}; run .ci/run or set VNU_JAR")
    return [str(java), "-Xss1024k", "-jar", str(jar)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_edition(tmp_path_factory.mktemp("valid"))


def _messages(vnu: list[str], pages: list[Path]) -> list[dict[str, Any]]:
    """Every message the checker gives for the given HTML files (named one by one, so
    none is skipped for its name)."""
    result = subprocess.run(
        [*vnu, "--format", "json", *map(str, pages)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError:
        pytest.fail(f"the checker gave no JSON (exit {result.returncode}):\n{result.stderr[-2000:]}")
    return list(report.get("messages", []))


def _where(message: dict[str, Any], site: Path) -> str:
    url = str(message.get("url", ""))
    path = url.removeprefix("file:")
    shown = os.path.relpath(path, site) if path.startswith("/") else url
    return f"{shown}:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"


def test_site_has_html_pages(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10, f"only {len(pages)} HTML files in the built site"
    assert (site / "index.html") in pages


def test_the_checker_reports_invalid_html(tmp_path: Path) -> None:
    """Control: the harness sees errors, so an empty report below means valid pages."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="zh-Hans"><head><title>x</title></head>'
                   "<body><p><div>块</p></body></html>", encoding="utf-8")
    errors = [m for m in _messages(_vnu_command(), [bad]) if m.get("type") == "error"]
    assert errors and _where(errors[0], tmp_path).startswith("bad.html:1:")


def test_every_page_is_valid_html(site: Path) -> None:
    vnu = _vnu_command()
    messages = _messages(vnu, sorted(site.rglob("*.html")))
    # A non-document (fatal) message means a file could not be checked at all.
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    listing = "\n".join(
        f"{_where(m, site)}: {m.get('message')}  [{str(m.get('extract', '')).strip()[:80]}]"
        for m in sorted(errors, key=lambda m: (str(m.get("url")), int(m.get("lastLine", 0) or 0)))
    )
    assert not errors, f"{len(errors)} HTML errors:\n{listing}"


def test_stylesheets_are_valid_css(site: Path) -> None:
    """The checker's CSS mode catches misspelt properties and bad values in theme CSS."""
    vnu = _vnu_command()
    sheets = sorted(site.rglob("*.css"))
    assert sheets, "the site has no stylesheets"
    result = subprocess.run(
        [*vnu, "--css", "--format", "gnu", *map(str, sheets)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, f"CSS errors:\n{result.stderr}"
