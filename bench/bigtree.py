"""Time poolcompat on a big tree: the standard library, a site-packages and the pool-heavy corpus.

    python bench/bigtree.py [--runs 1] [--packages bench/packages.toml] [--only NAME,...]
                            [--python PATH] [--vermin] [--json FILE]

Builds, once, $POOLCOMPAT_BENCH_CACHE/bigtree/ (default ~/.cache/poolcompat-bench/bigtree/):

* stdlib/: the running interpreter's standard library (its `*.py`, without site-packages),
* site-packages/: the pinned wheels of SITE_PACKAGES, put there by `pip install --target`
  (copies: nothing in the tree is imported or run),
* pools/: the packages of bench/packages.toml, or those --only names (hard links to the
  fetched sources),

over 10,000 `*.py` files in all. Then, from the tree's top, times `poolcompat check` cold
(`--no-cache`) and warm (a primed `--cache-dir`), N times each, and prints the medians, warm over
cold, whether both report the same findings, and peak RSS (the largest process of each run,
from wait4), and once the first run, which fills the cache. --vermin times vermin on the tree too (slow). The exit status is 1 when warm
and cold findings differ.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Sequence

from corpus import CACHE, Package, copy_stdlib, load_packages
from pools import Tools, select, time_tree

HERE = Path(__file__).resolve().parent
TREE = CACHE / "bigtree"
SITE_PACKAGES = [  # wheels of the running Python; any release of these would do, pinned to stay put
    "numpy==2.3.5",
    "pandas==2.3.3",
    "scipy==1.16.3",
    "sympy==1.14.0",
    "django==5.2.9",
    "sqlalchemy==2.0.45",
    "matplotlib==3.10.8",
]


def install_site_packages(target: Path) -> None:
    if target.exists():
        return
    staging = Path(tempfile.mkdtemp(prefix=".site-packages-", dir=target.parent))
    try:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        "--only-binary", ":all:", "--target", str(staging), *SITE_PACKAGES],
                       check=True)
        os.rename(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def link_packages(target: Path, packages: List[Package]) -> None:
    """pools/ holds exactly the listed packages, each hard-linked from its fetched source."""
    target.mkdir(parents=True, exist_ok=True)
    wanted = {package.key: package for package in packages}
    for stale in {entry.name for entry in target.iterdir()} - set(wanted):
        shutil.rmtree(target / stale)
    for key, package in wanted.items():
        if not (target / key).exists():
            staging = target / f".{key}.partial"
            shutil.rmtree(staging, ignore_errors=True)
            shutil.copytree(package.source(), staging, copy_function=_link_or_copy)
            os.rename(staging, target / key)


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)
    except OSError:  # another file system
        shutil.copy2(source, destination)


def build(packages: List[Package]) -> Dict[str, int]:
    """The tree's parts and how many `*.py` files each has."""
    TREE.mkdir(parents=True, exist_ok=True)
    counts = {"stdlib": copy_stdlib(TREE / "stdlib")}
    install_site_packages(TREE / "site-packages")
    link_packages(TREE / "pools", packages)
    for part in ("site-packages", "pools"):
        counts[part] = sum(1 for _ in (TREE / part).rglob("*.py"))
    return counts


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--packages", type=Path, default=HERE / "packages.toml")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter with poolcompat (and vermin) installed")
    parser.add_argument("--only", help="comma-separated names: just these pool-heavy packages "
                        "(a smaller, quicker tree)")
    parser.add_argument("--vermin", action="store_true", help="time vermin too (slow)")
    parser.add_argument("--json", type=Path, help="write every number to this file")
    args = parser.parse_args(argv or None)
    counts = build(select(load_packages(args.packages), args.only))
    tools = Tools.of(args.python, with_vermin=args.vermin)
    versions = tools.versions()
    parts = ", ".join(f"{part} {count}" for part, count in counts.items())
    print(f"tree: {TREE}, {sum(counts.values())} *.py files ({parts}); {args.runs} runs each, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{versions['poolcompat']}", flush=True)
    with tempfile.TemporaryDirectory(prefix="poolcompat-bigtree-") as scratch:
        result = time_tree("bigtree", ["."], TREE, tools, args.runs, Path(scratch), args.vermin)
    found = result.findings
    print(f"checked {found.files} files: {len(found.rows)} findings, {len(found.errors)} errors")
    first = [("first (fills the cache)", result.first)] if result.first else []
    for label, runs in (("cold", result.cold), *first, ("warm", result.warm)):
        print(f"poolcompat {label}: median {runs.seconds:.2f} s ({found.files / runs.seconds:.0f} "
              f"files/s), peak RSS median {runs.mib:.1f} MiB (max {runs.max_mib:.1f})")
    print(f"warm / cold: {result.warm.seconds / result.cold.seconds:.1%}; "
          f"same findings: {result.warm_same}")
    if result.vermin:
        print(f"vermin {versions['vermin']}: {result.vermin.seconds:.2f} s, peak RSS "
              f"{result.vermin.mib:.1f} MiB; vermin/cold {result.ratio:.2f}x")
    if args.json:
        document = {"tree": str(TREE), "parts": counts, "site_packages": SITE_PACKAGES,
                    "cores": os.cpu_count(), "python": platform.python_version(), **versions,
                    "runs": args.runs, **result.as_dict(),
                    "warm_over_cold": result.warm.seconds / result.cold.seconds}
        args.json.write_text(json.dumps(document, indent=1) + "\n")
    return 0 if result.warm_same else 1


if __name__ == "__main__":
    sys.exit(main())
