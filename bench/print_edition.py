"""Time and size of the print edition's outputs for one project folder.

    python bench/print_edition.py PROJECT [--articles N]

Prints, each on its own: the EPUB, the whole-edition PDF (pages, size, time), the
per-article and per-series PDFs (count, total size, time). `--articles N` makes only
the first N article PDFs and scales the time up (they cost the same each), for
editions where making them all would take long. Figures, not a pass/fail test.
"""
from __future__ import annotations

import argparse
import io
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader

from duben.model.config import load_config
from duben.model.edition import load_edition
from duben.renderers.print.epub import render_epub
from duben.renderers.print.pdf import make_pdfs, pdf_jobs


def cpu() -> float:
    """CPU seconds of this process and its finished workers: on a shared, busy machine
    wall time says more about the neighbours than about us."""
    me, kids = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                    resource.RUSAGE_CHILDREN))
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--no-edition", action="store_true", help="skip the edition PDF")
    args = parser.parse_args()
    config = load_config(args.project)
    edition, _ = load_edition(config)
    print(f"{len(edition.articles)} articles, {len(edition.series)} series")

    t, c = time.perf_counter(), cpu()
    [(epub, _)] = render_epub(edition, config).values()
    print(f"EPUB: {len(epub) / 1e6:.2f} MB in {time.perf_counter() - t:.1f} s "
          f"({cpu() - c:.1f} s CPU)")

    jobs = pdf_jobs(edition, config)
    if not args.no_edition:
        t, c = time.perf_counter(), cpu()
        [(pdf, _)] = make_pdfs(edition, config, jobs[:1]).values()
        took, used = time.perf_counter() - t, cpu() - c
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(f"edition PDF: {len(pdf) / 1e6:.2f} MB, {pages} pages, in {took:.1f} s "
              f"({used:.1f} s CPU)")

    rest = jobs[1:] if args.articles is None else jobs[1:1 + args.articles]
    t, c = time.perf_counter(), cpu()
    made = make_pdfs(edition, config, rest)
    took, used = time.perf_counter() - t, cpu() - c
    size = sum(len(data) for data, _ in made.values())
    scale = (len(jobs) - 1) / len(rest)
    print(f"article+series PDFs: {len(rest)} made, {size / 1e6:.1f} MB in {took:.1f} s "
          f"({used:.1f} s CPU)"
          + (f"; all {len(jobs) - 1}: ~{size * scale / 1e6:.0f} MB, ~{took * scale:.0f} s "
             f"(~{used * scale:.0f} s CPU)" if scale != 1 else ""))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MiB (workers not counted)")


if __name__ == "__main__":
    main()
