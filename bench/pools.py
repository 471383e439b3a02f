"""Benchmark poolcompat against vermin on real packages that use process and thread pools.

    python bench/pools.py [--runs 3] [--packages bench/packages.toml] [--only NAME,...]
                          [--python PATH] [--json FILE] [--findings-out FILE] [--no-combined]

The pinned releases of bench/packages.toml are fetched once (their sdists, from PyPI, into
$POOLCOMPAT_BENCH_CACHE, default ~/.cache/poolcompat-bench: never in the repository nor in CI;
see bench/corpus.py). Each package is then checked from its root, as a user would run the tools
there, each command N times:

* `poolcompat check --no-cache .` (cold; with `--output-format json`, to count its findings),
* `poolcompat check --cache-dir TMP .` with the cache primed by one run first (warm; that
  first run, which fills the cache as a user's first run does, is timed once),
* `vermin -q --no-tips --violations -t=3.0- .` (as bench/bench.py runs it),

and the medians of wall time and of peak RSS (the largest process of a run's tree, from wait4)
are printed per package with its files, findings and errors; then the sums, vermin's sum over
poolcompat's (cold and warm) and the package where poolcompat does worst against vermin. Last
comes the combined run: one `poolcompat check` over every package at once (from the cache's
src/ folder, each package's root named on the command line), cold and warm, against the sum
of the per-package runs.

Warm runs must report what cold ones do, and the combined run what the packages do one by
one; any difference is printed and makes the exit status 1. --json FILE writes every number;
--findings-out FILE writes the cold findings, one `PACKAGE PATH:LINE CODE` a line (errors as
`PACKAGE PATH error: MESSAGE`), sorted, so that two versions of poolcompat can be compared
with diff. --python names an interpreter that has poolcompat and vermin (default: this one;
vermin is a benchmark-only tool: `pip install vermin==1.9.2`).
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from corpus import CACHE, Package, load_packages
from timing import Findings, Runs, compile_bytecode, measure, read_findings

HERE = Path(__file__).resolve().parent


@dataclasses.dataclass(frozen=True)
class Tools:
    python: str
    vermin: str

    @classmethod
    def of(cls, python: str, with_vermin: bool = True) -> Tools:
        vermin = shutil.which("vermin", path=str(Path(python).parent)) or shutil.which("vermin")
        if with_vermin and not vermin:
            raise SystemExit(f"no vermin beside {python}: pip install vermin==1.9.2")
        compile_bytecode(python)
        return cls(python, vermin or "vermin")

    @property
    def check(self) -> List[str]:
        """`poolcompat check`, printing JSON, so that runs can be compared."""
        return [self.python, "-m", "poolcompat", "check", "--output-format", "json"]

    def versions(self) -> Dict[str, str]:
        def version(command: List[str]) -> str:
            try:
                out = subprocess.run(command, capture_output=True, text=True).stdout.strip()
            except OSError:
                return "?"
            return out.splitlines()[-1] if out else "?"
        return {"poolcompat": version([self.python, "-m", "poolcompat", "--version"]),
                "vermin": version([self.vermin, "--version"])}


@dataclasses.dataclass
class Result:
    """One tree's runs: poolcompat cold and warm, vermin where it was run."""
    label: str
    findings: Findings
    cold: Runs
    warm: Runs
    warm_same: bool
    vermin: Optional[Runs] = None
    first: Optional[Runs] = None  # the run that fills an empty cache (a user's first run)

    @property
    def ratio(self) -> float:
        """vermin's time over poolcompat's cold one: above 1, poolcompat is faster."""
        return self.vermin.seconds / self.cold.seconds if self.vermin else float("nan")

    def as_dict(self) -> Dict[str, object]:
        return {
            "label": self.label, "files": self.findings.files,
            "findings": len(self.findings.rows), "errors": len(self.findings.errors),
            "warm_same_findings": self.warm_same, "cold": self.cold.as_dict(),
            "warm": self.warm.as_dict(), "vermin": self.vermin.as_dict() if self.vermin else None,
            "vermin_over_cold": self.ratio if self.vermin else None,
            "first": self.first.as_dict() if self.first else None,
        }


def time_cold(paths: Sequence[str], cwd: Path, tools: Tools, runs: int,
              scratch: Path) -> Tuple[Runs, Findings]:
    output = scratch / "out.json"
    timed = measure([*tools.check, "--no-cache", *paths], cwd, runs, output)
    return timed, read_findings(output.read_text())


def time_warm(paths: Sequence[str], cwd: Path, tools: Tools, runs: int,
              scratch: Path) -> Tuple[Runs, Findings, Runs]:
    """Runs with a cache that one run has filled first; that first run, timed once."""
    output = scratch / "out.json"
    cache = scratch / "cache"
    command = [*tools.check, "--cache-dir", str(cache), *paths]
    first = measure(command, cwd, 1)
    timed = measure(command, cwd, runs, output)
    shutil.rmtree(cache, ignore_errors=True)
    return timed, read_findings(output.read_text()), first


def time_vermin(paths: Sequence[str], cwd: Path, tools: Tools, runs: int) -> Runs:
    return measure([tools.vermin, "-q", "--no-tips", "--violations", "-t=3.0-", *paths], cwd,
                   runs)


def time_tree(label: str, paths: Sequence[str], cwd: Path, tools: Tools, runs: int,
              scratch: Path, with_vermin: bool = True) -> Result:
    """Times poolcompat cold, warm and vermin on `paths` (relative to `cwd`)."""
    cold, found = time_cold(paths, cwd, tools, runs, scratch)
    warm, found_warm, first = time_warm(paths, cwd, tools, runs, scratch)
    vermin = time_vermin(paths, cwd, tools, runs) if with_vermin else None
    return Result(label, found, cold, warm, found_warm == found, vermin, first)


HEADER = (f"{'package':<22} {'files':>6} {'cold s':>7} {'warm s':>7} {'vermin s':>8} "
          f"{'v/cold':>6} {'v/warm':>6} {'cold MiB':>8} {'warm MiB':>8} {'vermin MiB':>10} "
          f"{'findings':>8} {'errors':>6}")


def row(result: Result) -> str:
    vermin = result.vermin
    assert vermin is not None
    return (f"{result.label:<22} {result.findings.files:>6} {result.cold.seconds:>7.2f} "
            f"{result.warm.seconds:>7.2f} {vermin.seconds:>8.2f} {result.ratio:>5.2f}x "
            f"{vermin.seconds / result.warm.seconds:>5.1f}x {result.cold.mib:>8.1f} "
            f"{result.warm.mib:>8.1f} {vermin.mib:>10.1f} {len(result.findings.rows):>8} "
            f"{len(result.findings.errors):>6}" + ("" if result.warm_same else "  WARM DIFFERS"))


@dataclasses.dataclass(frozen=True)
class Sums:
    """The per-package runs added up (medians summed)."""
    packages: int
    files: int
    findings: int
    errors: int
    cold_s: float
    warm_s: float
    vermin_s: float
    worst: str  # the package where poolcompat does worst against vermin
    worst_ratio: float
    slower_than_vermin: List[str]
    max_peak_mib: Dict[str, float]  # the largest peak of any run, per tool

    @classmethod
    def of(cls, results: List[Result]) -> Sums:
        worst = min(results, key=lambda r: r.ratio)
        return cls(
            len(results), sum(r.findings.files for r in results),
            sum(len(r.findings.rows) for r in results),
            sum(len(r.findings.errors) for r in results),
            sum(r.cold.seconds for r in results), sum(r.warm.seconds for r in results),
            sum(r.vermin.seconds for r in results if r.vermin), worst.label, worst.ratio,
            [r.label for r in results if r.ratio < 1],
            {"cold": max(r.cold.max_mib for r in results),
             "warm": max(r.warm.max_mib for r in results),
             "vermin": max(r.vermin.max_mib for r in results if r.vermin)},
        )

    def as_dict(self) -> Dict[str, object]:
        return {**dataclasses.asdict(self), "vermin_over_cold": self.vermin_s / self.cold_s,
                "vermin_over_warm": self.vermin_s / self.warm_s}

    def print(self) -> None:
        print(f"\nsum over {self.packages} packages ({self.files} files, {self.findings} "
              f"findings, {self.errors} errors): poolcompat cold {self.cold_s:.2f} s, "
              f"warm {self.warm_s:.2f} s; vermin {self.vermin_s:.2f} s")
        print(f"vermin sum / poolcompat sum: cold {self.vermin_s / self.cold_s:.2f}x, "
              f"warm {self.vermin_s / self.warm_s:.1f}x")
        print(f"worst package: {self.worst}, vermin/cold {self.worst_ratio:.2f}x; slower "
              f"than vermin: {', '.join(self.slower_than_vermin) or 'none'}")
        peaks = self.max_peak_mib
        print(f"largest peak RSS of any run: cold {peaks['cold']:.1f} MiB, warm "
              f"{peaks['warm']:.1f} MiB, vermin {peaks['vermin']:.1f} MiB")


def combined(packages: List[Package], results: List[Result], tools: Tools, runs: int,
             scratch: Path) -> Dict[str, object]:
    """All packages in one run, from the folder that holds them, against their sum; each
    number is printed as soon as it is known (the runs can be long)."""
    src = CACHE / "src"
    paths = [str(Path(p.key) / p.root) if p.root else p.key for p in packages]
    expected = sorted((os.path.normpath(os.path.join(prefix, path)), line, code)
                      for prefix, r in zip(paths, results) for path, line, code in r.findings.rows)
    print(f"\ncombined run ({len(packages)} packages at once):", flush=True)
    cold, found = time_cold(paths, src, tools, runs, scratch)
    same = sorted(found.rows) == expected
    print(f"  {found.files} files, {len(found.rows)} findings, {len(found.errors)} errors; "
          f"findings == the packages' one by one: {same}")
    print(_against_sum("cold", cold, sum(r.cold.seconds for r in results)), flush=True)
    warm, found_warm, first = time_warm(paths, src, tools, runs, scratch)
    print(f"  first run, filling the cache: {first.seconds:.2f} s, peak RSS {first.mib:.1f} MiB")
    print(_against_sum("warm", warm, sum(r.warm.seconds for r in results)))
    print(f"  warm findings == cold: {found_warm == found}")
    result = Result("combined", found, cold, warm, found_warm == found, first=first)
    return {**result.as_dict(), "same_as_packages": same,
            "cold_over_sum": cold.seconds / sum(r.cold.seconds for r in results),
            "warm_over_sum": warm.seconds / sum(r.warm.seconds for r in results)}


def _against_sum(label: str, runs: Runs, total: float) -> str:
    return (f"  {label} {runs.seconds:.2f} s ({runs.seconds / total:.2f}x the per-package sum), "
            f"peak RSS {runs.mib:.1f} MiB (max {runs.max_mib:.1f})")


def write_findings(path: Path, packages: List[Package], results: List[Result]) -> None:
    lines = []
    for package, result in zip(packages, results):
        lines += [f"{package.key} {p}:{line} {code}" for p, line, code in result.findings.rows]
        lines += [f"{package.key} {p} error: {message}" for p, message in result.findings.errors]
    path.write_text("".join(f"{line}\n" for line in sorted(lines)))


def write_json(path: Path, runs: int, versions: Dict[str, str], packages: List[Package],
               results: List[Result], sums: Sums, together: Optional[Dict[str, object]]) -> None:
    document = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "cores": os.cpu_count(), "python": platform.python_version(), **versions,
        "runs": runs, "cache": str(CACHE),
        "packages": [{"name": p.name, "version": p.version, "root": p.root, **r.as_dict()}
                     for p, r in zip(packages, results)],
        "sums": sums.as_dict(), "combined": together,
    }
    path.write_text(json.dumps(document, indent=1) + "\n")


def select(packages: List[Package], only: Optional[str]) -> List[Package]:
    if not only:
        return packages
    names = {name.strip().lower() for name in only.split(",")}
    chosen = [p for p in packages if p.name.lower() in names]
    missing = names - {p.name.lower() for p in chosen}
    if missing:
        raise SystemExit(f"not in the list: {', '.join(sorted(missing))}")
    return chosen


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--packages", type=Path, default=HERE / "packages.toml")
    parser.add_argument("--only", help="comma-separated names: just these packages")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter with poolcompat and vermin installed")
    parser.add_argument("--json", type=Path, help="write every number to this file")
    parser.add_argument("--findings-out", type=Path,
                        help="write the cold findings, one a line, to this file")
    parser.add_argument("--no-combined", action="store_true", help="skip the combined run")
    args = parser.parse_args(argv or None)
    packages = select(load_packages(args.packages), args.only)
    roots = [package.source() for package in packages]  # fetch everything before timing
    tools = Tools.of(args.python)
    versions = tools.versions()
    print(f"{len(packages)} packages, {args.runs} runs each, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {versions['poolcompat']}, "
          f"vermin {versions['vermin']}; medians\n")
    print(HEADER, flush=True)
    results: List[Result] = []
    together: Optional[Dict[str, object]] = None
    with tempfile.TemporaryDirectory(prefix="poolcompat-pools-") as scratch:
        for package, root in zip(packages, roots):
            results.append(time_tree(package.name, ["."], root, tools, args.runs, Path(scratch)))
            print(row(results[-1]), flush=True)
        sums = Sums.of(results)
        sums.print()
        if args.findings_out:
            write_findings(args.findings_out, packages, results)
        if args.json:  # now, and again with the combined run: that one can take long
            write_json(args.json, args.runs, versions, packages, results, sums, together)
        if not args.no_combined:
            together = combined(packages, results, tools, args.runs, Path(scratch))
            if args.json:
                write_json(args.json, args.runs, versions, packages, results, sums, together)
    consistent = all(r.warm_same for r in results) and (
        together is None or (bool(together["warm_same_findings"])
                             and bool(together["same_as_packages"])))
    return 0 if consistent else 1


if __name__ == "__main__":
    sys.exit(main())
