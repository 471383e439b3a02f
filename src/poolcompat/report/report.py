"""Findings and what follows from them: the minimum Python per file and for the whole run."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from poolcompat.engine.findings import FileError, FileResult, Finding
from poolcompat.versions import Version


def violates(f: Finding, low: Version, high: Optional[Version] = None) -> bool:
    """Whether the finding fails somewhere in the target range [low, high] (high None: no end).
    A pitfall fails where its hazard exists: from its `requires` on."""
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

    @property
    def target_text(self) -> Optional[str]:
        if self.target is None:
            return None
        return f"{self.target}-{self.target_max}" if self.target_max else str(self.target)

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
