"""What the guards around a use prove, in a form that outlives the module's tree."""
from __future__ import annotations

from typing import NamedTuple, Optional, Tuple

from poolcompat.table.load import Rule, RuleKind


class GuardFacts(NamedTuple):
    """Versions the enclosing `if`s let through (`low` up to, not including, `high`), whether a
    `hasattr()` proves the attribute, and the kinds of rule some enclosing `try` catches."""

    low: Tuple[int, ...] = (0,)
    high: Optional[Tuple[int, ...]] = None
    hasattr: bool = False
    catches: Tuple[RuleKind, ...] = ()
    typing_only: bool = False  # the use never runs (see `Use.typing_only`)

    def guarded(self, rule: Rule) -> bool:
        """Whether the feature is certainly there wherever the use runs."""
        if self.hasattr or rule.kind in self.catches:
            return True
        return self.low >= rule.requires and (
            rule.removed is None or (self.high is not None and self.high <= rule.removed))


UNGUARDED = GuardFacts()
