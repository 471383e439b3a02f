"""Benchmark poolcompat against vermin on a copy of the standard library.

    python bench/bench.py [--runs 5] [--corpus DIR] [--python PATH]

Builds the corpus once (every `*.py` of the running interpreter's `Lib/`, without
site-packages, copied to bench/.corpus/), then times, each N times:

* `poolcompat check --no-cache` (cold: every file read, gated, parsed where relevant),
* `poolcompat check` with a primed cache (warm),
* `vermin` on the same tree (all of its processes, as shipped),

and prints the medians, files/s, peak RSS (the largest process of each run's tree, from
getrusage of the children) and the ratios. It also checks that -j1, -j2, cached and uncached runs
report the same findings, and counts findings and errors.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
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


def measure(command: Sequence[str], cwd: Path, runs: int) -> Tuple[List[float], int]:
    """Run `command` `runs` times in a fresh Python so that ru_maxrss belongs to it alone."""
    probe = (
        "import json, resource, subprocess, sys, time\n"
        "times = []\n"
        f"for _ in range({runs}):\n"
        "    start = time.perf_counter()\n"
        "    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "    times.append(time.perf_counter() - start)\n"
        "print(json.dumps([times, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, *command], cwd=cwd, capture_output=True,
                         text=True, check=True).stdout
    times, peak = json.loads(out)
    return times, int(peak)


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
    for label, (times, peak) in results.items():
        print(f"{label:<22} median {medians[label]:7.2f} s  min {min(times):6.2f} s  "
              f"{count / medians[label]:8.0f} files/s  peak RSS {peak / 1024:6.1f} MiB")
    base = medians[f"vermin {version}"]
    print(f"speed-up vs vermin: cold {base / medians['poolcompat cold']:.1f}x, "
          f"warm {base / medians['poolcompat warm']:.1f}x")
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
