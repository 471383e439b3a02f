"""The target: the Pythons the checked code must run on, from `-t`, the config or
`requires-python`, with a clear answer for every way of writing one wrongly."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional, Tuple

from poolcompat.report.platforms import ALL_PLATFORMS, platforms_text
from poolcompat.versions import Version, parse_version

PY3 = Version((3, 0))


@dataclass(frozen=True)
class Target:
    """`low` and later (up to `high`, inclusive, if set). A target starting on Python 2 is
    judged by the features' 2.x versions there, and on 3.x from `first3` (3.0 unless
    requires-python leaves out the first 3.x releases; None when no 3.x is admitted), on the
    `platforms` (what a start-method pitfall is judged on)."""

    low: Version
    high: Optional[Version] = None
    first3: Optional[Version] = None
    source: str = ""
    platforms: Tuple[str, ...] = ALL_PLATFORMS
    platforms_source: str = ""  # where a narrower choice came from

    @property
    def text(self) -> str:
        on = "" if self.platforms == ALL_PLATFORMS else f" on {platforms_text(self.platforms)}"
        if self.low < PY3 and self.first3 not in (None, PY3):
            end = f"-{self.high}" if self.high else " and later"
            return f"{self.low}, {self.first3}{end}{on}"
        return (f"{self.low}-{self.high}" if self.high else str(self.low)) + on


def newest_known(versions: Iterable[Tuple[int, ...]]) -> Version:
    """The newest Python the rule table names (a feature's `requires` or `removed`)."""
    return Version(max((tuple(v[:2]) for v in versions), default=(3, 0)))


def _one(text: str, what: str) -> Version:
    text = text.strip()
    if re.fullmatch(r"(?:py)?[23]", text, re.IGNORECASE):
        major = text[-1]
        example = "2.7" if major == "2" else "3.8"
        raise ValueError(f"{what} {text!r} names no minor release: give one, e.g. {example}")
    return parse_version(text)


def parse_target(text: str, newest: Optional[Version] = None) -> Target:
    """`3.8` (3.8 and later, also written `3.8-`), or a range `3.8-3.13`; `2.7` judges the code
    by the Python 2 versions of what it uses. A first version newer than the rule table knows
    is refused: nothing could be said about it."""
    raw = text.strip()
    start, dash, end = raw.partition("-")
    if not start.strip():
        raise ValueError(f"target {raw!r} has no first version: write e.g. 3.8 or 3.8-3.13")
    low = _one(start, "target")
    high = _one(end, "target") if end.strip() else None
    if high is not None and high < low:
        raise ValueError(f"empty target range {raw!r}: {high} is older than {low}")
    if newest is not None and Version(low[:2]) > newest:
        raise ValueError(f"target {low} is newer than any Python the rule table knows "
                         f"(newest: {newest}); use {newest} or older")
    first3 = PY3 if low < PY3 and (high is None or high >= PY3) else None
    return Target(low, high, first3)
