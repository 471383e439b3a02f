"""What checking a file gives: its findings (one per matched rule and place), or why it could not
be checked, and what it exports to the project's other modules."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from poolcompat.versions import Version

PITFALLS = "PCP6"  # the 6xx family (rules/pitfalls.toml): hazards on some platform, not version needs


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
    removed: Optional[Version] = None  # the first version where it stops working
    violation: bool = False
    guarded: bool = False  # under a version guard: reported, but raises no minimum

    @property
    def pitfall(self) -> bool:
        return self.code.startswith(PITFALLS)

    @property
    def counts(self) -> bool:
        """Whether it raises the minimum: a use under a version guard or a pitfall does not."""
        return not self.guarded and not self.pitfall


@dataclass(frozen=True)
class FileError:
    path: str
    message: str


@dataclass
class FileResult:
    path: str
    findings: List[Finding] = field(default_factory=list)
    error: Optional[str] = None
    exports: Dict[str, Any] = field(default_factory=dict)  # what other modules may import
