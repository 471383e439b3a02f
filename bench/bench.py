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
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from corpus import copy_stdlib
from timing import compile_bytecode, findings, measure

HERE = Path(__file__).resolve().parent


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=HERE / ".corpus")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter with poolcompat and vermin installed")
    args = parser.parse_args(argv or None)
    count = copy_stdlib(args.corpus)
    # The corpus is a project of its own, as the stdlib is: without a marker its project would
    # be this repository (the nearest pyproject.toml), whose tests and fixtures poolcompat
    # would then read too, as context, on every run.
    (args.corpus / "pyproject.toml").touch()
    cwd = args.corpus.parent
    name = args.corpus.name
    # The corpus sits in this repository: an empty configuration keeps our own pyproject.toml
    # (its requires-python, as a target) out of the measurement.
    empty = Path(tempfile.mkdtemp(prefix="poolcompat-bench-config-")) / "empty.toml"
    empty.write_text("")
    poolcompat = [args.python, "-m", "poolcompat", "check", "--config", str(empty)]
    compile_bytecode(args.python)
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
    medians = {label: runs.seconds for label, runs in results.items()}
    rss = {label: runs.mib for label, runs in results.items()}
    for label, runs in results.items():
        print(f"{label:<22} median {medians[label]:7.2f} s  min {min(runs.times):6.2f} s  "
              f"{count / medians[label]:8.0f} files/s  peak RSS median {rss[label]:6.1f} MiB "
              f"(max {runs.max_mib:.1f})")
    base = medians[f"vermin {version}"]
    print(f"speed-up vs vermin: cold {base / medians['poolcompat cold']:.1f}x, "
          f"warm {base / medians['poolcompat warm']:.1f}x; peak RSS vs vermin: cold "
          f"{rss['poolcompat cold'] / rss[f'vermin {version}']:.2f}x, "
          f"warm {rss['poolcompat warm'] / rss[f'vermin {version}']:.2f}x")
    serial = findings([*poolcompat, "--no-cache", "-j1", name], cwd)
    checks = {
        "-j2": findings([*poolcompat, "--no-cache", "-j2", name], cwd).rows,
        "cached": findings(warm_cmd, cwd).rows,
    }
    same = all(rows == serial.rows for rows in checks.values())
    print(f"findings: {len(serial.rows)}, errors: {len(serial.errors)}; "
          f"-j1 == -j2 == cached: {same}")
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(empty.parent, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
