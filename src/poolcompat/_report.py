"""Findings and what follows from them: the minimum Python per file and for the whole run."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from poolcompat._version import Version


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int  # 1-based, in characters
    end_line: int
    end_column: int
    code: str
    feature: str
    requires: Version
    requires_py2: Optional[Version]
    message: str
    violation: bool = False
    guarded: bool = False

    @property
    def counts(self) -> bool:
        """Whether it raises the minimum: a use under a version guard does not."""
        return not self.guarded


@dataclass(frozen=True)
class FileError:
    path: str
    message: str


@dataclass
class FileResult:
    path: str
    findings: List[Finding] = field(default_factory=list)
    error: Optional[str] = None


def culprit(findings: Sequence[Finding]) -> Optional[Finding]:
    """The first finding that forces the highest version."""
    counted = [f for f in findings if f.counts]
    if not counted:
        return None
    top = max(f.requires for f in counted)
    return next(f for f in counted if f.requires == top)


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
