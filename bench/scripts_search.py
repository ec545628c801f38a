"""What the second script and search add to a build, stage by stage (issue 9).

    python bench/scripts_search.py PROJECT [--runs N]

PROJECT holds duben.yaml, content/ and theme/ (for a synthetic corpus:
`python ../shared/bench/make_corpus.py /tmp/c 1000`, then copy theme/ into
/tmp/c/duben). Prints the median seconds of each stage and peak RSS; the stages are
the ones `build` runs, called one by one so each can be timed alone.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from duben.model.config import load_config
from duben.model.edition import load_edition
from duben.model.variant import converter, load_exceptions, to_variant
from duben.output import urls
from duben.output.write import with_static, write_site
from duben.renderers.html.render import render_edition
from duben.renderers.search import index_site, render_search


def once(root: Path) -> dict[str, float]:
    t: dict[str, float] = {}
    cpu = [_cpu()]

    def lap(name: str, start: float) -> float:
        now = time.perf_counter()
        t[name] = now - start
        cpu.append(_cpu())
        t[name + " (cpu)"] = cpu[-1] - cpu[-2]
        return now

    start = time.perf_counter()
    config = load_config(root)
    edition, _ = load_edition(config)
    now = lap("load", start)
    hans = render_edition(edition, config)
    now = lap("render zh-Hans", now)
    exceptions = load_exceptions(root)
    hant_edition = to_variant(edition, "zh-Hant", exceptions)
    hant_config = replace(to_variant(config, "zh-Hant", exceptions),
                          base_url=config.base_url + urls.variant_prefix("zh-Hant"))
    now = lap("to_variant zh-Hant", now)
    hant = render_edition(hant_edition, hant_config, script="zh-Hant",
                          root_url=config.base_url, convert=converter("zh-Hant", exceptions))
    now = lap("render zh-Hant", now)
    chars = render_search(edition, config)
    now = lap("search chars.json", now)
    files = with_static(hans | hant | chars, config.theme_dir / "static", root)
    with tempfile.TemporaryDirectory() as tmp:
        write_site(files, Path(tmp) / "site")
        now = lap("write both scripts", now)
        staged = Path(tmp) / "site"
        index_site(staged, config)
        lap("pagefind (both scripts)", now)
        t["pages"] = len([u for u in files if urls.output_path(u).endswith(".html")])
    return t


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Pagefind): on a shared,
    busy machine a steadier figure than wall-clock time."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = [once(args.project) for _ in range(args.runs)]
    for key in runs[0]:
        values = [r[key] for r in runs]
        if key == "pages":
            print(f"{'HTML pages':34} {int(values[0])}")
        else:
            print(f"{key:34} {statistics.median(values):7.2f} s  (runs: "
                  + ", ".join(f"{v:.2f}" for v in values) + ")")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{'peak RSS (python / pagefind)':34} {own:.0f} MiB / {kids:.0f} MiB")


if __name__ == "__main__":
    main()
