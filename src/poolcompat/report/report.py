"""Findings and what follows from them: the minimum Python per file and for the whole run."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from poolcompat.engine.findings import PITFALLS, FileError, FileResult, Finding
from poolcompat.report.platforms import ALL_PLATFORMS
from poolcompat.report.select import select_findings
from poolcompat.report.target import PY3, Target
from poolcompat.table.load import Rule, Table
from poolcompat.table.platforms import START_METHODS, spans
from poolcompat.versions import Version


def fails_on(f: Finding, version: Version) -> bool:
    """Whether the finding fails on one Python (2.x judged by the feature's Python 2 version)."""
    if f.typing_only:  # the use never runs, whatever it is
        return False
    if f.pitfall:
        exists = f.requires_py2 is not None if version < PY3 else version >= f.requires
        return not f.guarded and exists
    if not f.counts:
        return False
    if version < PY3:
        return f.requires_py2 is None or f.requires_py2 > version
    return f.requires > version or (f.removed is not None and version >= f.removed)


def violates(f: Finding, low: Version, high: Optional[Version] = None,
             first3: Optional[Version] = None,
             platforms: Sequence[str] = ALL_PLATFORMS) -> bool:
    """Whether the finding fails somewhere in the target range [low, high] (high None: no end).
    A pitfall fails where its hazard exists: from its `requires` on, or, for one that depends on
    the start method, where a span of one of the target's `platforms` fails. A target starting
    on 2.x is judged on its lowest 2.x, then on 3.x from `first3` (default 3.0) if it reaches
    3.x."""
    if f.typing_only:
        return False
    if f.platforms:
        return not f.guarded and any(
            s.fails and s.platform in platforms and (high is None or s.start <= high)
            and (s.end is None or s.end > low) for s in f.platforms)
    if low < PY3:
        if fails_on(f, low):
            return True
        if high is not None and high < PY3:
            return False
        low = first3 or PY3
    if f.pitfall and not f.guarded:
        return high is None or high >= f.requires
    if not f.counts:
        return False
    return f.requires > low or (f.removed is not None and (high is None or high >= f.removed))


def culprit(findings: Sequence[Finding]) -> Optional[Finding]:
    """The first finding that forces the highest version."""
    counted = [f for f in findings if f.counts]
    if not counted:
        return None
    top = max(f.requires for f in counted)
    return next(f for f in counted if f.requires == top)


def breaks(findings: Sequence[Finding]) -> Optional[Finding]:
    """The first counted finding that stops working earliest, if any has an upper bound."""
    bounded = [f for f in findings if f.counts and f.removed is not None]
    return min(bounded, key=lambda f: (f.removed, f.path, f.line)) if bounded else None


def py2_minimum(findings: Sequence[Finding]) -> Optional[Version]:
    """The Python 2 version that runs all of them, if every one existed on 2.x."""
    counted = [f for f in findings if f.counts]
    if not counted or any(f.requires_py2 is None for f in counted):
        return None
    return max(f.requires_py2 for f in counted if f.requires_py2 is not None)


@dataclass
class Report:
    results: List[FileResult]
    target: Optional[Version] = None
    target_source: str = ""
    target_max: Optional[Version] = None  # inclusive upper end of a target range
    target_first3: Optional[Version] = None  # a target starting on 2.x: its first 3.x
    target_platforms: Tuple[str, ...] = ALL_PLATFORMS
    platforms_source: str = ""  # where a narrower choice of platforms came from

    @property
    def target_text(self) -> Optional[str]:
        if self.target is None:
            return None
        return Target(self.target, self.target_max, self.target_first3,
                      platforms=self.target_platforms).text

    @property
    def checked(self) -> int:
        """How many files the run was asked about."""
        return len(self.results)

    @property
    def with_findings(self) -> int:
        """How many of them hold pool code: at least one finding."""
        return sum(1 for r in self.results if r.findings)

    @property
    def findings(self) -> List[Finding]:
        return [f for r in self.results for f in r.findings]

    @property
    def errors(self) -> List[FileError]:
        return [FileError(r.path, r.error) for r in self.results if r.error is not None]

    @property
    def violations(self) -> List[Finding]:
        return [f for f in self.findings if f.violation]

    @property
    def culprit(self) -> Optional[Finding]:
        return culprit(self.findings)

    @property
    def minimum(self) -> Optional[Version]:
        found = self.culprit
        return found.requires if found else None

    @property
    def below(self) -> Optional[Version]:
        """The run works below this version: the earliest removal among its findings."""
        found = breaks(self.findings)
        return found.removed if found else None

    @property
    def minimum_py2(self) -> Optional[Version]:
        return py2_minimum(self.findings)

    @property
    def files(self) -> Dict[str, Optional[Version]]:
        result: Dict[str, Optional[Version]] = {}
        for r in self.results:
            found = culprit(r.findings)
            result[r.path] = found.requires if found else None
        return result

    @property
    def exit_code(self) -> int:
        return 1 if self.errors or self.violations else 0


def judge(results: Iterable[FileResult], table: Table, target: Optional[Target] = None,
          select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Report:
    """The report of raw per-file results: selection, then what fails on the target. With no
    target, a feature that never worked fails all the same: no Python runs it."""
    chosen = select_findings(results, table, select, ignore)
    by_method = {r.code: r for r in table.rules if r.code.startswith(PITFALLS)}

    def judged(f: Finding) -> Finding:
        f = with_platforms(f, table, by_method.get(f.code))
        failing = (violates(f, target.low, target.high, target.first3, target.platforms)
                   if target else f.never_works and f.counts)
        return dataclasses.replace(f, violation=failing)

    judged_results = [dataclasses.replace(r, findings=[judged(f) for f in r.findings])
                      for r in chosen]
    if target is None:
        return Report(judged_results)
    return Report(judged_results, target.low, target.source, target.high, target.first3,
                  target.platforms, target.platforms_source)


def with_platforms(f: Finding, table: Table, rule: Optional[Rule]) -> Finding:
    """A pitfall that depends on the start method, with where it fails on each platform: under
    the method the code sets (`f.method`), else under each platform's default."""
    asked = rule.value if rule and rule.value in START_METHODS else ""  # get_context("fork")
    method = f.method or asked
    if rule is None or not f.pitfall or not (rule.start_methods or method) or not table.platforms:
        return f
    failing = tuple(m for m, outcome in rule.start_methods if outcome == "fails")
    return dataclasses.replace(f, method=method, platforms=spans(table.platforms, failing, method))
