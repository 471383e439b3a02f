"""What checking a file gives: its findings (one per matched rule and place), or why it could not
be checked."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from poolcompat.table.load import Rule
from poolcompat.table.platforms import PlatformSpan
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
    typing_only: bool = False  # under `if TYPE_CHECKING:` or in an annotation that never runs
    method: str = ""  # a pitfall: the start method the code sets for this use ("": the default)
    platforms: Tuple[PlatformSpan, ...] = ()  # a start-method pitfall: where it fails (judged)

    @property
    def never_works(self) -> bool:
        return self.removed is not None and self.removed <= self.requires

    @property
    def pitfall(self) -> bool:
        return self.code.startswith(PITFALLS)

    @property
    def counts(self) -> bool:
        """Whether it raises the minimum: a use under a version guard, one that never runs, or
        a pitfall does not."""
        return not self.guarded and not self.typing_only and not self.pitfall


@dataclass(frozen=True)
class FileError:
    path: str
    message: str


@dataclass
class FileResult:
    path: str
    findings: List[Finding] = field(default_factory=list)
    error: Optional[str] = None


def finding(path: str, rule: Rule, span: Sequence[int], guarded: bool,
            typing_only: bool = False, method: str = "") -> Finding:
    """The finding of a rule matched at a span (start line, column, end line, column)."""
    return Finding(
        path=path, line=span[0], column=span[1], end_line=span[2], end_column=span[3],
        code=rule.code, feature=rule.feature, requires=rule.requires, requires_py2=rule.py2,
        message=rule.message, removed=rule.removed, guarded=guarded, typing_only=typing_only,
        method=method,
    )
