"""Command line: `split` imports seeds into content/, `build` (the default) makes the site.

Errors come out compiler-style, `path:line: message`, sorted, on stderr, with exit
status 1; a traceback only with --debug.
"""
from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from duben.errors import DubenError, Problem


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit status: 0 done, 1 input errors, 2 internal error."""
    args = _parser().parse_args(argv)
    root = Path(args.root)
    try:
        if args.command == "split":
            return _split(root, force=args.force)
        if args.command == "serve":
            from duben.serve import serve

            serve(root, port=args.port, host=args.host, base_url=args.base_url)
            return 0
        out = Path(args.out) if args.out else root / "site"
        return _build(root, out, strict=args.strict, base_url=args.base_url,
                      jobs=args.jobs, cache=not args.no_cache)
    except DubenError as exc:
        if args.debug:
            traceback.print_exc()
        _print_problems(exc.problems)
        return 1
    except Exception as exc:  # a bug, not bad input: say so, and how to see where
        if args.debug:
            raise
        print(f"duben: internal error: {type(exc).__name__}: {exc} "
              "(run again with --debug for the traceback)", file=sys.stderr)
        return 2


def _split(root: Path, *, force: bool) -> int:
    # Imported here so `build` never loads the importer and its dependencies.
    from duben.importer.split import run_split
    from duben.progress import progress

    with progress("split", "seeds") as tick:
        report = run_split(root, force=force, progress=tick)
    print(
        f"split: {len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.skipped_hand_edited)} skipped (edited by hand), "
        f"{len(report.orphaned)} orphaned (kept), {len(report.removed)} removed, "
        f"{len(report.dropped)} layout lines dropped (listed in content/.dropped.txt)"
    )
    for path in report.skipped_hand_edited:
        print(f"{path}: edited by hand, not overwritten (split --force overwrites it)")
    for path in report.forced:
        print(f"{path}: edited by hand, overwritten because of --force")
    for seed in report.vanished:
        print(f"{seed}: seed is gone; its articles stay in content/")
    for path in report.orphaned:
        print(f"{path}: kept, although no seed yields it now")
    for path in report.removed:
        print(f"{path}: removed; its seed no longer yields it")
    for line in report.dropped:
        print(f"{line.file}:{line.line}: dropped ({line.reason}): {line.text}")
    return 0


def _build(root: Path, out: Path, *, strict: bool, base_url: str | None, jobs: int | None,
           cache: bool) -> int:
    # Imported lazily: the site builder is another stage with its own dependencies.
    from duben.build import build_site
    from duben.progress import progress

    with progress("build", "pages") as tick:
        warnings = build_site(root, out, strict=strict, base_url=base_url, workers=jobs,
                              cache=cache, progress=tick)
    for problem in sorted(warnings):
        print(_with_label(problem, "warning"), file=sys.stderr)
    if strict and warnings:
        return 1
    return 0


def _print_problems(problems: list[Problem]) -> None:
    for problem in sorted(problems):
        print(problem, file=sys.stderr)


def _with_label(problem: Problem, label: str) -> str:
    where = problem.path if problem.line is None else f"{problem.path}:{problem.line}"
    return f"{where}: {label}: {problem.message}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build the 读本 reading edition from newspaper pages."
    )
    # The same options work before or after the subcommand; the subcommand copies
    # use SUPPRESS so they never overwrite a value given before it.
    _common(parser, None)
    _build_options(parser, None)
    # No subcommand leaves command None, which main() runs as build.
    commands = parser.add_subparsers(dest="command", metavar="{split,build,serve}")

    split = commands.add_parser("split", help="cut seeds/*.txt into content/ articles")
    split.add_argument("--force", action="store_true",
                       help="overwrite article files that were edited by hand")
    _common(split, argparse.SUPPRESS)

    build = commands.add_parser("build", help="build the site from content/ (the default)")
    _build_options(build, argparse.SUPPRESS)
    _common(build, argparse.SUPPRESS)

    serve = commands.add_parser("serve", help="preview the site, rebuilt and reloaded on change")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1", help="address (default: 127.0.0.1)")
    _common(serve, argparse.SUPPRESS)
    return parser


def _common(parser: argparse.ArgumentParser, suppress: str | None) -> None:
    parser.add_argument("--root", default=suppress or ".",
                        help="project folder holding seeds/ and content/ (default: .)")
    parser.add_argument("--debug", action="store_true", default=suppress or False,
                        help="show the traceback of an error")
    parser.add_argument("--base-url", default=suppress, metavar="URL",
                        help="public address of the site, overriding duben.yaml's base_url "
                             "(GitHub Pages: the configure-pages step's base_url output)")


def _build_options(parser: argparse.ArgumentParser, suppress: str | None) -> None:
    parser.add_argument("--strict", action="store_true", default=suppress or False,
                        help="treat warnings as errors")
    parser.add_argument("--out", default=suppress, metavar="DIR",
                        help="output folder (default: site/ under the root)")
    parser.add_argument("--jobs", type=int, default=suppress, metavar="N",
                        help="processes rendering pages (default: both cores for a large edition)")
    parser.add_argument("--no-cache", action="store_true", default=suppress or False,
                        help="ignore and do not update .duben-cache/")
