"""Benchmark poolcompat against vermin on a copy of the standard library.

    python bench/bench.py [--runs 5] [--corpus DIR] [--python PATH]

Builds the corpus once (every `*.py` of the running interpreter's `Lib/`, without
site-packages, copied to bench/.corpus/), then times, each N times:

* `poolcompat check --no-cache` (cold: every file read, gated, parsed where relevant),
* `poolcompat check` with a primed cache (warm),
* `vermin` on the same tree (all of its processes, as shipped),

and prints the medians of wall time and of peak RSS (the largest process of each run's tree,
from wait4), files/s and the ratios. It also checks that -j1, -j2, cached and uncached runs
report the same findings, and counts findings and errors.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import List, Sequence, Tuple

HERE = Path(__file__).resolve().parent


def build_corpus(target: Path) -> int:
    if not target.exists():
        source = Path(sysconfig.get_paths()["stdlib"])
        for path in source.rglob("*.py"):
            relative = path.relative_to(source)
            if relative.parts[0] in ("site-packages", "__pycache__"):
                continue
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
    return sum(1 for _ in target.rglob("*.py"))


def measure(command: Sequence[str], cwd: Path, runs: int) -> Tuple[List[float], List[int]]:
    """Wall time and peak RSS (KiB: the largest process of the run's tree) of each run."""
    times: List[float] = []
    peaks: List[int] = []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(process.pid, 0)  # this run's tree alone, unlike RUSAGE_CHILDREN
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss)
    return times, peaks


def findings(command: Sequence[str], cwd: Path) -> Tuple[List[Tuple[str, int, str]], int]:
    out = subprocess.run([*command, "--output-format", "json"], cwd=cwd, capture_output=True,
                         text=True).stdout
    document = json.loads(out)
    rows = [(f["path"], f["line"], f["code"]) for f in document["findings"]]
    return rows, len(document["errors"])


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=HERE / ".corpus")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter with poolcompat and vermin installed")
    args = parser.parse_args(argv or None)
    count = build_corpus(args.corpus)
    cwd = args.corpus.parent
    name = args.corpus.name
    poolcompat = [args.python, "-m", "poolcompat", "check"]
    vermin = shutil.which("vermin", path=str(Path(args.python).parent)) or "vermin"
    version = subprocess.run([vermin, "--version"], capture_output=True, text=True).stdout.strip()
    cache = Path(tempfile.mkdtemp(prefix="poolcompat-bench-"))
    cold_cmd = [*poolcompat, "--no-cache", name]
    warm_cmd = [*poolcompat, "--cache-dir", str(cache), name]
    vermin_cmd = [vermin, "-q", "--no-tips", "--violations", "-t=3.0-", name]
    subprocess.run(warm_cmd, cwd=cwd, capture_output=True)  # prime the cache
    results = {
        "poolcompat cold": measure(cold_cmd, cwd, args.runs),
        "poolcompat warm": measure(warm_cmd, cwd, args.runs),
        f"vermin {version}": measure(vermin_cmd, cwd, args.runs),
    }
    print(f"corpus: {count} files ({args.corpus}), {args.runs} runs each, "
          f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
    medians = {label: statistics.median(times) for label, (times, _) in results.items()}
    rss = {label: statistics.median(peaks) / 1024 for label, (_, peaks) in results.items()}
    for label, (times, peaks) in results.items():
        print(f"{label:<22} median {medians[label]:7.2f} s  min {min(times):6.2f} s  "
              f"{count / medians[label]:8.0f} files/s  peak RSS median {rss[label]:6.1f} MiB "
              f"(max {max(peaks) / 1024:.1f})")
    base = medians[f"vermin {version}"]
    print(f"speed-up vs vermin: cold {base / medians['poolcompat cold']:.1f}x, "
          f"warm {base / medians['poolcompat warm']:.1f}x; peak RSS vs vermin: cold "
          f"{rss['poolcompat cold'] / rss[f'vermin {version}']:.2f}x, "
          f"warm {rss['poolcompat warm'] / rss[f'vermin {version}']:.2f}x")
    serial, errors = findings([*poolcompat, "--no-cache", "-j1", name], cwd)
    checks = {
        "-j2": findings([*poolcompat, "--no-cache", "-j2", name], cwd)[0],
        "cached": findings(warm_cmd, cwd)[0],
    }
    same = all(rows == serial for rows in checks.values())
    print(f"findings: {len(serial)}, errors: {errors}; -j1 == -j2 == cached: {same}")
    shutil.rmtree(cache, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
