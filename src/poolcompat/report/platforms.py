"""The platforms of a target: named on the command line or in the config, else narrowed by the
project's `Operating System ::` classifiers; and how a finding's per-platform spans read."""
from __future__ import annotations

import dataclasses
import difflib
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from poolcompat.table.platforms import PLATFORMS, Platform, PlatformSpan

ALL_PLATFORMS: Tuple[str, ...] = PLATFORMS
_SPELLINGS = {"linux": "linux", "macos": "macos", "windows": "windows", "darwin": "macos",
              "osx": "macos", "mac": "macos", "win32": "windows", "win": "windows"}
# Trove classifiers, longest prefix first: what each says the project runs on.
_CLASSIFIERS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("Operating System :: OS Independent", ALL_PLATFORMS),
    ("Operating System :: POSIX :: Linux", ("linux",)),
    ("Operating System :: MacOS", ("macos",)),
    ("Operating System :: Microsoft", ("windows",)),
    ("Operating System :: POSIX", ("linux", "macos")),
    ("Operating System :: Unix", ("linux", "macos")),
)
LABELS = {"linux": "Linux", "macos": "macOS", "windows": "Windows"}


def parse_platforms(items: Iterable[str], where: str = "--platform") -> Tuple[str, ...]:
    """`linux,macos` (comma-separated, repeatable) in the canonical order; ValueError naming the
    nearest known platform for a name that is none."""
    chosen: set[str] = set()
    for item in items:
        for raw in item.split(","):
            name = raw.strip().lower()
            if not name:
                continue
            if name not in _SPELLINGS:
                close = difflib.get_close_matches(name, ALL_PLATFORMS, n=1, cutoff=0.4)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ValueError(f"{where}: unknown platform {raw.strip()!r}{hint} "
                                 f"(known: {', '.join(ALL_PLATFORMS)})")
            chosen.add(_SPELLINGS[name])
    if not chosen:
        raise ValueError(f"{where}: no platform named (known: {', '.join(ALL_PLATFORMS)})")
    return tuple(p for p in ALL_PLATFORMS if p in chosen)


def classifier_platforms(classifiers: Sequence[str]) -> Optional[Tuple[str, ...]]:
    """The platforms `Operating System ::` classifiers name; None when they name none we know."""
    chosen: set[str] = set()
    for classifier in classifiers:
        text = classifier.strip()
        for prefix, platforms in _CLASSIFIERS:
            if text == prefix or text.startswith(prefix + " ::"):
                chosen.update(platforms)
                break
    return tuple(p for p in ALL_PLATFORMS if p in chosen) or None


def platforms_text(platforms: Sequence[str]) -> str:
    return ", ".join(LABELS.get(p, p) for p in platforms)


def _range(span: PlatformSpan, first: bool) -> str:
    if first and span.end is None:
        return ""
    if first:
        return f" up to {_before(span.end)}" if span.end else ""
    return f" from {span.start}" + (f" up to {_before(span.end)}" if span.end else "")


def _before(end: Optional[Tuple[int, ...]]) -> str:
    """The last minor release before `end` (3.14 -> 3.13)."""
    if end is None:
        return ""
    return f"{end[0]}.{end[1] - 1}" if end[1] > 0 else f"{end[0] - 1}.x"


def _method(span: PlatformSpan) -> str:
    return span.method if span.available else f"{span.method} unavailable"


def describe(spans: Sequence[PlatformSpan], platforms: Mapping[str, Platform] = {},
             chosen: Sequence[str] = ALL_PLATFORMS) -> str:
    """`works on Linux up to 3.13 (fork); fails on Linux from 3.14 (forkserver), on macOS from
    3.8 (spawn) and on Windows (spawn)`, for the platforms `chosen`."""
    works: List[str] = []
    fails: List[str] = []
    firsts: Dict[str, bool] = {}
    shown = [s for s in spans if s.platform in chosen]
    if shown and all(s.fails and s.available for s in shown):
        return "fails on every platform and start method"
    for span in _merged(shown):
        first = span.platform not in firsts
        firsts[span.platform] = False
        label = platforms[span.platform].label if span.platform in platforms \
            else LABELS.get(span.platform, span.platform)
        (fails if span.fails else works).append(
            f"on {label}{_range(span, first)} ({_method(span)})")
    parts = []
    if works:
        parts.append("works " + _joined(works))
    if fails:
        parts.append("fails " + _joined(fails))
    return "; ".join(parts)


def _merged(spans: Sequence[PlatformSpan]) -> List[PlatformSpan]:
    """Consecutive spans of one platform that all fail (or all work) read as one."""
    merged: List[PlatformSpan] = []
    for span in spans:
        last = merged[-1] if merged else None
        if last and last.platform == span.platform and last.fails == span.fails \
                and last.available and span.available:
            methods = last.method if span.method in last.method.split("/") \
                else f"{last.method}/{span.method}"
            merged[-1] = dataclasses.replace(last, end=span.end, method=methods)
        else:
            merged.append(span)
    return merged


def with_ranges(message: str, spans: Sequence[PlatformSpan]) -> str:
    """A finding's message, followed by where it works and fails when it depends on the
    start method."""
    return f"{message} ({describe(spans)})" if spans else message


def _joined(items: List[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
