"""Recall and precision of poolcompat on hand-annotated files of pinned real packages.

    python bench/recall.py [--packages bench/recall/packages.toml] [--only NAME] [--verbose]

Each package of the list is fetched once (bench/corpus.py: outside the repository, cached; never
run in CI), checked with `poolcompat check --no-cache --output-format json` from the release's
root, so that flow between the package's modules is in reach, and the findings in the files the
list names are compared with bench/recall/annotations/NAME.toml, written by hand: every use there
is a (file, line, code) triple (bench/recall/README.md says what counts). It prints per package
the uses annotated, found, missed, the false positives, precision and recall, then the totals and
the recall per form. `--verbose` lists every miss and false positive. It always exits 0: it
measures, it does not judge.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - poolcompat itself depends on tomli there
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import fetch  # noqa: E402  (bench/ is not a package)

DEFAULT_LIST = HERE / "recall" / "packages.toml"
ANNOTATIONS = HERE / "recall" / "annotations"
OFF_BY_DEFAULT = "PCP6"  # the pitfalls are hazards, not version needs: no part of recall

Key = Tuple[str, int, str]  # (file relative to the package root, line, code)


@dataclasses.dataclass(frozen=True)
class PackageEntry:
    name: str
    version: str
    sha256: str
    files: Tuple[str, ...]
    root: str = ""


@dataclasses.dataclass(frozen=True)
class Use:
    key: Key
    form: str
    note: str


@dataclasses.dataclass(frozen=True)
class Annotations:
    uses: Dict[Key, Use]
    not_uses: Dict[Key, str]  # lookalikes the annotator judged, with why they are not uses


@dataclasses.dataclass
class Score:
    annotated: int = 0
    found: int = 0
    false_positives: int = 0

    @property
    def missed(self) -> int:
        return self.annotated - self.found

    def add(self, other: "Score") -> None:
        self.annotated += other.annotated
        self.found += other.found
        self.false_positives += other.false_positives

    def precision(self) -> Optional[float]:
        reported = self.found + self.false_positives
        return self.found / reported if reported else None

    def recall(self) -> Optional[float]:
        return self.found / self.annotated if self.annotated else None


@dataclasses.dataclass
class Outcome:
    entry: PackageEntry
    annotations: Annotations
    score: Score
    misses: List[Use]
    false_positives: List[Tuple[Key, str]]  # with the finding's message
    by_form: Dict[str, Score]
    errors: List[str]


def read_toml(path: Path) -> Dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_package_list(path: Path) -> List[PackageEntry]:
    entries = []
    for table in read_toml(path)["package"]:
        entries.append(PackageEntry(name=table["name"], version=table["version"],
                                    sha256=table["sha256"], files=tuple(table["files"]),
                                    root=table.get("root", "")))
    return entries


def load_annotations(entry: PackageEntry) -> Annotations:
    """Every use of the package's annotation file as triples; the file must annotate exactly
    the files the package list names (a listed file without a use says so with `use = []`)."""
    path = ANNOTATIONS / f"{entry.name}.toml"
    data = read_toml(path)
    if data.get("version") != entry.version:
        raise ValueError(f"{path}: annotates version {data.get('version')}, "
                         f"the list pins {entry.version}")
    annotated = [table["path"] for table in data.get("file", [])]
    if sorted(annotated) != sorted(entry.files):
        raise ValueError(f"{path}: annotates {sorted(annotated)}, "
                         f"the list names {sorted(entry.files)}")
    uses: Dict[Key, Use] = {}
    not_uses: Dict[Key, str] = {}
    for table in data["file"]:
        for item in table.get("use", []):
            for code in item["codes"]:
                key = (table["path"], int(item["line"]), code)
                if code.startswith(OFF_BY_DEFAULT) or key in uses:
                    raise ValueError(f"{path}: {key}: an off-by-default rule, or annotated twice")
                uses[key] = Use(key, item["form"], item.get("note", ""))
        for item in table.get("not_use", []):
            for code in item["codes"]:
                not_uses[(table["path"], int(item["line"]), code)] = item.get("note", "")
    return Annotations(uses, not_uses)


def run_poolcompat(root: Path) -> Tuple[List[Dict[str, Any]], List[str]]:
    """The findings of a cold run from the release's root, with an empty configuration so that
    a `[tool.poolcompat]` table of the package's own cannot select or exclude anything; and the
    errors, as `path: message` (a run that gave no report is one error naming no path)."""
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "empty.toml"
        config.write_text("")
        command = [sys.executable, "-m", "poolcompat", "check", "--no-cache",
                   "--output-format", "json", "--config", str(config), "."]
        completed = subprocess.run(command, cwd=root, capture_output=True, text=True)
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError:
        return [], [f": poolcompat exited {completed.returncode}: "
                    f"{completed.stderr.strip()[-500:]}"]
    errors = [f"{error['path']}: {error['message']}" for error in report.get("errors", [])]
    return report["findings"], errors


def normalise(path: str) -> str:
    return Path(path).as_posix().removeprefix("./")


def score_package(entry: PackageEntry, annotations: Annotations,
                  findings: Iterable[Mapping[str, Any]], errors: List[str]) -> Outcome:
    listed = set(entry.files)
    reported: Dict[Key, str] = {}
    typing_only: set[Key] = set()  # reported as never running: may match a use, never wrong
    for finding in findings:
        path = normalise(finding["path"])
        if path in listed and not finding["code"].startswith(OFF_BY_DEFAULT):
            key = (path, int(finding["line"]), finding["code"])
            reported[key] = finding["message"]
            if finding.get("typing_only"):
                typing_only.add(key)
    score = Score(annotated=len(annotations.uses))
    by_form: Dict[str, Score] = defaultdict(Score)
    misses = []
    for key, use in sorted(annotations.uses.items()):
        by_form[use.form].annotated += 1
        if key in reported:
            score.found += 1
            by_form[use.form].found += 1
        else:
            misses.append(use)
    false_positives = [(key, message) for key, message in sorted(reported.items())
                       if key not in annotations.uses and key not in typing_only]
    score.false_positives = len(false_positives)
    # a file of the list that could not be checked explains its misses; others do not matter
    relevant_errors = [error for error in errors
                       if normalise(error.split(":")[0]) in listed or error.startswith(":")]
    return Outcome(entry, annotations, score, misses, false_positives, dict(by_form),
                   relevant_errors)


def measure(entry: PackageEntry) -> Outcome:
    root = fetch(entry.name, entry.version, entry.sha256) / entry.root
    missing = [name for name in entry.files if not (root / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{entry.name} {entry.version}: no {', '.join(missing)}")
    findings, errors = run_poolcompat(root)
    return score_package(entry, load_annotations(entry), findings, errors)


def percent(value: Optional[float]) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def print_table(outcomes: Sequence[Outcome]) -> None:
    header = f"{'package':<28} {'uses':>5} {'found':>6} {'missed':>6} {'FP':>4} " \
             f"{'precision':>9} {'recall':>7}"
    print(header)
    print("-" * len(header))
    total = Score()
    for outcome in outcomes:
        label = f"{outcome.entry.name} {outcome.entry.version}"
        print(_row(label, outcome.score))
        total.add(outcome.score)
    print("-" * len(header))
    print(_row("total", total))


def _row(label: str, score: Score) -> str:
    return (f"{label:<28} {score.annotated:>5} {score.found:>6} {score.missed:>6} "
            f"{score.false_positives:>4} {percent(score.precision()):>9} "
            f"{percent(score.recall()):>7}")


def print_forms(outcomes: Sequence[Outcome]) -> None:
    forms: Dict[str, Score] = defaultdict(Score)
    for outcome in outcomes:
        for form, score in outcome.by_form.items():
            forms[form].add(score)
    print(f"\n{'form':<20} {'uses':>5} {'found':>6} {'recall':>7}")
    for form, score in sorted(forms.items(), key=lambda item: (-item[1].annotated, item[0])):
        print(f"{form:<20} {score.annotated:>5} {score.found:>6} {percent(score.recall()):>7}")


def print_details(outcome: Outcome) -> None:
    entry = outcome.entry
    if not (outcome.misses or outcome.false_positives or outcome.errors):
        return
    print(f"\n{entry.name} {entry.version}:")
    for use in outcome.misses:
        path, line, code = use.key
        print(f"  miss  {path}:{line} {code} [{use.form}] {use.note}")
    for (path, line, code), message in outcome.false_positives:
        why = outcome.annotations.not_uses.get((path, line, code))
        judged = f" (judged not a use: {why})" if why is not None else ""
        print(f"  FP    {path}:{line} {code} {message}{judged}")
    for error in outcome.errors:
        print(f"  error {error}")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", type=Path, default=DEFAULT_LIST)
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="measure only this package (repeatable)")
    parser.add_argument("--verbose", action="store_true",
                        help="list each miss and false positive")
    args = parser.parse_args(argv)
    entries = load_package_list(args.packages)
    if args.only:
        unknown = sorted(set(args.only) - {entry.name for entry in entries})
        if unknown:
            print(f"not in {args.packages}: {', '.join(unknown)}", file=sys.stderr)
        entries = [entry for entry in entries if entry.name in args.only]
    outcomes = []
    for entry in entries:
        try:
            outcome = measure(entry)
        except (OSError, ValueError, LookupError) as exc:
            print(f"{entry.name} {entry.version}: skipped: {exc}", file=sys.stderr)
            continue
        outcomes.append(outcome)
        if args.verbose:
            print_details(outcome)
        else:
            for error in outcome.errors:
                print(f"{entry.name} {entry.version}: {error}", file=sys.stderr)
    if args.verbose and outcomes:
        print()
    print_table(outcomes)
    print_forms(outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
