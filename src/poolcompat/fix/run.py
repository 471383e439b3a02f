"""`fix_source`: check, fix what fails on the target (lowering), remove what the target's floor
makes dead (raising), check again; `fix_paths` does it for files, with a unified diff each."""
from __future__ import annotations

import difflib
import io
import os
import tokenize
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

import libcst as cst

from poolcompat.engine.findings import Finding
from poolcompat.fix.collapse import collapse
from poolcompat.fix.lower import UNSAFE_LEFT, Plan, apply, plan
from poolcompat.fix.tree import Tree
from poolcompat.reading.files import discover, read_source
from poolcompat.report.report import Report
from poolcompat.report.target import PY3, Target, parse_target
from poolcompat.table.load import Table, default_table
from poolcompat.versions import Version

TargetLike = Union[str, Tuple[int, ...], Version, Target]
_ROUNDS = 8  # a fix may bring a use that needs its own fix (a fallback's import): a few rounds


@dataclass(frozen=True)
class Applied:
    """One change: `lower` (a use guarded, with a fallback) or `raise` (a dead guard removed)."""

    action: str
    code: str  # the rule lowered ("" for a raise)
    line: int  # in the source as it was when the change was made
    safe: bool
    message: str


@dataclass(frozen=True)
class Left:
    """A violation still there after fixing, and why."""

    finding: Finding
    reason: str

    @property
    def needs_unsafe(self) -> bool:
        """Left only because its fix may change behaviour: `--unsafe-fixes` applies it."""
        return self.reason.startswith(UNSAFE_LEFT)


@dataclass(frozen=True)
class FixResult:
    original: str
    source: str  # the fixed text (the original when nothing was done or it could not be read)
    target: str
    applied: Tuple[Applied, ...] = ()
    left: Tuple[Left, ...] = ()
    report: Optional[Report] = None  # the check of the fixed text
    error: Optional[str] = None  # the file could not be checked, so nothing was done

    @property
    def changed(self) -> bool:
        return self.source != self.original

    def diff(self, path: str = "<string>") -> str:
        lines = difflib.unified_diff(self.original.splitlines(keepends=True),
                                     self.source.splitlines(keepends=True),
                                     f"a/{path}", f"b/{path}")
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                       for line in lines)


def _target(target: TargetLike, table: Table) -> Tuple[Target, str]:
    """`"3.8"`, `"3.8-3.13"`, `(3, 8)`, a `Version` or the CLI's `Target`."""
    if isinstance(target, Target):
        text = f"{target.low}-{target.high}" if target.high else str(target.low)
    elif isinstance(target, tuple):
        text = ".".join(map(str, target[:3]))
    elif isinstance(target, str):
        text = target
    else:
        raise TypeError(f"target must be a string such as '3.8' or a tuple, not {target!r}")
    newest = max((v for r in table.rules for v in (r.requires, r.removed) if v is not None))
    return parse_target(text, Version(newest[:2])), text


def _check(source: str, target: str, select: Sequence[str], ignore: Sequence[str]) -> Report:
    from poolcompat.api import check_source
    return check_source(source, target=target, select=select, ignore=ignore)


Key = Tuple[str, str]  # a violation by its code and the text of its line


def _keys(findings: Iterable[Finding], text: str) -> Dict[Key, int]:
    lines = text.splitlines()
    counted: Dict[Key, int] = {}
    for f in findings:
        key = (f.code, lines[f.line - 1].strip() if f.line <= len(lines) else "")
        counted[key] = counted.get(key, 0) + 1
    return counted


def _lower(text: str, target: str, floor: Version, unsafe: bool, select: Sequence[str],
           ignore: Sequence[str], table: Table,
           elsewhere: Sequence[Finding] = ()) -> Tuple[str, List[Applied], Plan]:
    """Rounds of lowering until nothing more is fixable. A round after which a fixed line still
    fails (the checker does not read the guard there) is undone and that rule left alone.
    `elsewhere`: violations only the project's other modules show (`EXECUTOR` imported from
    one), fixed in the first round with the file's own."""
    applied: List[Applied] = []
    blocked: Set[str] = set()
    last = Plan()
    skipped: Dict[Finding, str] = {}  # of `elsewhere`: why not fixed
    for _ in range(_ROUNDS * 2):
        violations = _check(text, target, select, ignore).violations
        seen = {(f.line, f.column, f.code) for f in violations}
        violations += [f for f in elsewhere if (f.line, f.column, f.code) not in seen]
        first_round, elsewhere = elsewhere, ()
        if not violations:
            break
        tree = Tree(text, floor)
        last = plan(tree, violations, table, unsafe, blocked)
        skipped.update((f, why) for f, why in last.reasons.items() if f in first_round)
        if not last.edits:
            break
        fixed = apply(tree, last.edits)
        before = _keys(violations, text)
        after = _keys(_check(fixed, target, select, ignore).violations, fixed)
        done = _keys((p.finding for p in last.edits), text)
        stuck = {key[0] for key, n in done.items() if after.get(key, 0) > before[key] - n}
        if stuck:
            blocked |= stuck
            continue
        applied += [Applied("lower", p.finding.code, p.finding.line, p.edit.safe, p.edit.summary)
                    for p in last.edits]
        text = fixed
    last.reasons.update(skipped)
    return text, applied, last


def _raise(text: str, target: str, floor: Version, select: Sequence[str],
           ignore: Sequence[str], table: Table) -> Tuple[str, List[Applied]]:
    applied: List[Applied] = []
    for _ in range(_ROUNDS):
        findings = _check(text, target, select, ignore).findings
        text, done = collapse(text, findings, table, floor)
        if not done:
            break
        applied += [Applied("raise", "", line, True, what) for line, what in done]
    return text, applied


def fix_source(source: str, target: TargetLike, *, unsafe: bool = False,
               select: Sequence[str] = (), ignore: Sequence[str] = (),
               elsewhere: Sequence[Finding] = ()) -> FixResult:
    """Fix one module's source for a target ("3.8", "3.8-3.13", (3, 8)): guard what fails
    there, with the closest fallback (unsafe fallbacks only with `unsafe`), and remove the
    guards and fallbacks the target's oldest Python no longer needs."""
    table = default_table()
    chosen, text = _target(target, table)
    first = _check(source, text, select, ignore)
    if first.errors:
        return FixResult(source, source, text, report=first, error=first.errors[0].message)
    if not first.findings and not elsewhere and "version_info" not in source:  # nothing to do
        return FixResult(source, source, text, report=first)
    try:
        cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        return FixResult(source, source, text, report=first,
                         error=f"libcst cannot parse it: {exc.message}")
    floor = chosen.low
    fixed, applied, last = _lower(source, text, floor, unsafe, select, ignore, table, elsewhere)
    unfixed = [Left(f, last.reasons[f]) for f in elsewhere if f in last.reasons]
    if floor >= PY3:
        fixed, raised = _raise(fixed, text, floor, select, ignore, table)
        applied += raised
    report = _check(fixed, text, select, ignore)
    if applied and report.violations:  # the reasons, for the text as it ends
        last = plan(Tree(fixed, floor), report.violations, table, unsafe, set())
    left = tuple(Left(f, last.reasons.get(f, "the checker does not read the fix's guard here"))
                 for f in report.violations)
    left += tuple(unfixed)
    return FixResult(source, fixed, text, tuple(applied), left, report)


def fix_finding(source: str, finding: Finding, target: TargetLike, *,
                unsafe: bool = False) -> Optional[str]:
    """The module with only this finding's fix (and the import or helper it needs), or None
    where it has none here: for an editor or a linter that offers one fix per finding (Fixit's
    `replacement=`). The finding is one of `check_source(source, target=...)`'s violations."""
    table = default_table()
    chosen, _ = _target(target, table)
    try:
        tree = Tree(source, chosen.low)
    except cst.ParserSyntaxError:
        return None
    planned = plan(tree, [finding], table, unsafe, set())
    return apply(tree, planned.edits) if planned.edits else None


@dataclass(frozen=True)
class FileFix:
    path: str
    result: FixResult
    diff: str  # unified, a/path b/path ("" when nothing changed)
    written: bool = False


def _decode(data: bytes) -> Tuple[str, str]:
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding), encoding


def fix_paths(paths: Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]],
              target: TargetLike, unsafe: bool = False, diff_only: bool = False, *,
              select: Sequence[str] = (), ignore: Sequence[str] = ()) -> List[FileFix]:
    """Fix files (directories are searched as `poolcompat check` does), writing each changed
    file back in its own encoding and line endings unless `diff_only`."""
    chosen = [os.fspath(paths)] if isinstance(paths, (str, os.PathLike)) else \
        [os.fspath(p) for p in paths]
    results: List[FileFix] = []
    files = list(discover(chosen))
    elsewhere = _in_project(files, target, select, ignore)
    for path in files:
        data, why = read_source(path)
        if data is None:
            results.append(FileFix(path, FixResult("", "", str(target), error=why), ""))
            continue
        try:
            text, encoding = _decode(data)
        except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
            results.append(FileFix(path, FixResult("", "", str(target), error=str(exc)), ""))
            continue
        result = fix_source(text, target, unsafe=unsafe, select=select, ignore=ignore,
                            elsewhere=elsewhere.get(os.path.abspath(path), []))
        written = False
        if result.changed and not diff_only:
            with open(path, "w", encoding=encoding, newline="") as handle:
                handle.write(result.source)
            written = True
        results.append(FileFix(path, result, result.diff(path) if result.changed else "", written))
    return results


def _in_project(files: List[str], target: TargetLike, select: Sequence[str],
                ignore: Sequence[str]) -> Dict[str, List[Finding]]:
    """The files' violations as the check of the same files finds them, each in its
    project's context (a use of `EXECUTOR` imported from another module), by absolute path."""
    from poolcompat.api import check_paths
    table = default_table()
    found: Dict[str, List[Finding]] = {}
    if files:
        report = check_paths(files, target=_target(target, table)[1], select=select, ignore=ignore)
        for violation in report.violations:
            found.setdefault(os.path.abspath(violation.path), []).append(violation)
    return found
