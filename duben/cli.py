"""Command line: `split` imports seeds into content/, `build` (the default) makes the site.

The contract (README "Reliability"): problems come out compiler-style on stderr,
`path:line[:col]: error|warning: message`, all collected, sorted, then one summary
line. Exit status 0 done; 1 the input's fault; 2 usage or environment (bad option,
refused output folder, lock held, cannot write, disk full); 3 an internal error
(a bug: a traceback only with --debug).
"""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from duben.errors import DubenError, Problem, UsageError

DONE, INPUT, USAGE, INTERNAL = 0, 1, 2, 3


def run(argv: Sequence[str] | None = None) -> NoReturn:
    """The command line (build.py, the `duben` script): main(), then exit at once.

    Everything a command writes is closed, and the cache's writer waited for, before
    main returns; what the interpreter would do next is free the build's objects one
    by one (0.2 s at 10,000 articles, after the site is in place). So the standard
    streams and logging are flushed and the process ends there."""
    code = main(argv)  # (argparse's usage errors exit from here, the usual way)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`duben build | head`): as Python
            code = code or USAGE  # would, do not report success over lost output
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit status: 0 done, 1 input, 2 usage/environment, 3 bug."""
    args = _parser().parse_args(argv)  # a bad option exits 2 (argparse's own usage error)
    root = Path(args.root)
    command = args.command or "build"
    try:
        if command == "split":
            return _split(root, force=args.force)
        if command == "serve":
            from duben.serve import serve

            serve(root, port=args.port, host=args.host, base_url=args.base_url)
            return DONE
        out = Path(args.out) if args.out else root / "site"
        return _build(root, out, strict=args.strict, base_url=args.base_url,
                      jobs=args.jobs, cache=not args.no_cache, search=not args.no_search,
                      pdf=args.pdf, epub=not args.no_epub)
    except DubenError as exc:
        if args.debug:
            traceback.print_exc()
        for problem in exc.problems:
            print(problem.labelled("error"), file=sys.stderr)
        print(_summary(command, len(exc.problems), 0), file=sys.stderr)
        return INPUT
    except (UsageError, OSError) as exc:  # the environment refused, not the input
        if args.debug:
            traceback.print_exc()
        print(f"duben: error: {_environment(exc, root)}", file=sys.stderr)
        print(f"{command} failed: nothing was changed", file=sys.stderr)
        return USAGE
    except Exception as exc:  # a bug, not bad input: say so, and how to see where
        if args.debug:
            raise
        print(f"duben: internal error: {type(exc).__name__}: {exc} (a bug in duben; "
              "run again with --debug for the traceback)", file=sys.stderr)
        return INTERNAL


def _environment(exc: UsageError | OSError, root: Path) -> str:
    """The message, with paths inside the project shown relative to it."""
    if isinstance(exc, OSError) and exc.filename:
        message = f"cannot use {exc.filename}: {exc.strerror}"
    else:
        message = str(exc) if isinstance(exc, UsageError) else f"{exc.strerror or exc}"
    project = str(root.absolute())
    return message.replace(f"{project}/", "").replace(project, ".")


def _summary(command: str, errors: int, warnings: int) -> str:
    """The one line after the problems."""
    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    status = "failed" if errors else "done"
    return f"{command} {status}: {n(errors, 'error')}, {n(warnings, 'warning')}"


def _split(root: Path, *, force: bool) -> int:
    # Imported here so `build` never loads the importer and its dependencies.
    from duben.importer.split import run_split
    from duben.progress import progress

    with progress("split", "seeds", summary=False) as tick:  # its report is the summary
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


def _build(root: Path, out: Path, *, strict: bool, base_url: str | None = None,
           jobs: int | None = None, cache: bool = True, search: bool = True,
           pdf: bool = False, epub: bool = True) -> int:
    # Imported lazily: the site builder is another stage with its own dependencies.
    from duben.build import build_site
    from duben.progress import progress

    with progress("build", "pages") as tick:
        warnings = build_site(root, out, strict=strict, base_url=base_url, workers=jobs,
                              cache=cache, progress=tick, search=search, pdf=pdf,
                              epub=epub)
    for problem in sorted(warnings, key=Problem.sort_key):
        print(problem.labelled("warning"), file=sys.stderr)
    if warnings:
        print(_summary("build", 0, len(warnings)), file=sys.stderr)
    if strict and warnings:
        return INPUT
    return DONE


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
    parser.add_argument("--pdf", action="store_true", default=suppress or False,
                        help="also write the PDFs (edition, articles, series; slow)")
    parser.add_argument("--out", default=suppress, metavar="DIR",
                        help="output folder (default: site/ under the root)")
    parser.add_argument("--jobs", type=int, default=suppress, metavar="N",
                        help="processes rendering pages (default: both cores for a large edition)")
    parser.add_argument("--no-cache", action="store_true", default=suppress or False,
                        help="ignore and do not update .duben-cache/")
    parser.add_argument("--no-search", action="store_true", default=suppress or False,
                        help="skip the Pagefind search index (quicker local builds)")
    parser.add_argument("--no-epub", action="store_true", default=suppress or False,
                        help="skip the EPUB, as `epub: false` in duben.yaml does")
