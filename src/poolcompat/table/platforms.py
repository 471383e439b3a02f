"""The platforms a target can name and the start method each uses by default, per Python
version (`rules/platforms.toml`); and, for a pitfall whose hazard depends on the start method,
where it fails: a version span per platform."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Dict, List, Literal, Mapping, Optional, Tuple, get_args

from poolcompat.versions import Version, parse_version

PlatformName = Literal["linux", "macos", "windows"]
PLATFORMS: Tuple[PlatformName, ...] = get_args(PlatformName)
StartMethod = Literal["fork", "spawn", "forkserver"]
START_METHODS: Tuple[StartMethod, ...] = get_args(StartMethod)
Outcome = Literal["works", "fails"]
OUTCOMES: Tuple[Outcome, ...] = get_args(Outcome)
FILE = "platforms.toml"


class PlatformError(ValueError):
    """platforms.toml is invalid (the table loader turns it into a RuleError)."""


@dataclass(frozen=True)
class Period:
    """From `since` on (until the next period), `method` is the platform's default."""

    since: Version
    method: StartMethod
    docs: Tuple[Tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Platform:
    name: PlatformName
    label: str  # "macOS"
    classifier: str  # the trove classifier that names it
    periods: Tuple[Period, ...]  # oldest first
    unavailable: Tuple[StartMethod, ...] = ()

    def default(self, version: Version) -> StartMethod:
        chosen = self.periods[0].method
        for period in self.periods:
            if version >= period.since:
                chosen = period.method
        return chosen


@dataclass(frozen=True)
class PlatformSpan:
    """On `platform`, from `start` up to (not including) `end`, the start method in force is
    `method` (not `available` there: the code asks for one the platform lacks) and the hazard
    `fails` or not."""

    platform: str
    start: Version
    end: Optional[Version]
    method: str
    fails: bool
    available: bool = True


def _method(raw: object, where: str) -> StartMethod:
    for known in START_METHODS:
        if raw == known:
            return known
    raise PlatformError(f"{where}: unknown start method {raw!r} (one of {', '.join(START_METHODS)})")


def _platform(name: PlatformName, raw: Any) -> Platform:
    where = f"{FILE}: platform {name}"
    if not isinstance(raw, dict):
        raise PlatformError(f"{where}: must be a table")
    unknown = set(raw) - {"label", "classifier", "unavailable", "default"}
    if unknown:
        raise PlatformError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    periods: List[Period] = []
    for index, entry in enumerate(raw.get("default", [])):
        if not isinstance(entry, dict) or set(entry) != {"since", "method", "docs"}:
            raise PlatformError(f"{where}: default #{index + 1} needs exactly since, method, docs")
        try:
            since = parse_version(str(entry["since"]))
        except ValueError as exc:
            raise PlatformError(f"{where}: default #{index + 1}: {exc}") from None
        docs = entry["docs"]
        if not isinstance(docs, dict) or "file" not in docs or "directive" not in docs:
            raise PlatformError(f"{where}: default #{index + 1}: docs needs file and directive")
        if docs["directive"] != "none" and not ("version" in docs and "whatsnew" in docs):
            raise PlatformError(f"{where}: default #{index + 1}: a dated change names its "
                                "version and its What's New section")
        if periods and since <= periods[-1].since:
            raise PlatformError(f"{where}: defaults must be in order of 'since'")
        periods.append(Period(since, _method(entry["method"], where),
                              tuple((str(k), str(v)) for k, v in docs.items())))
    if not periods:
        raise PlatformError(f"{where}: no default start method")
    unavailable = tuple(_method(m, where) for m in raw.get("unavailable", []))
    if any(p.method in unavailable for p in periods):
        raise PlatformError(f"{where}: a default start method is also listed as unavailable")
    return Platform(name, str(raw.get("label", name)), str(raw.get("classifier", "")),
                    tuple(periods), unavailable)


def parse_platforms(document: Mapping[str, Any]) -> Dict[str, Platform]:
    """Every platform of the document, each validated; all of PLATFORMS must be there."""
    raw = document.get("platform", {})
    if not isinstance(raw, dict):
        raise PlatformError(f"{FILE}: [platform] must be a table")
    unknown = set(raw) - set(PLATFORMS)
    if unknown:
        raise PlatformError(f"{FILE}: unknown platform(s) {', '.join(sorted(unknown))}")
    missing = [name for name in PLATFORMS if name not in raw]
    if missing:
        raise PlatformError(f"{FILE}: missing platform(s) {', '.join(missing)}")
    return {name: _platform(name, raw[name]) for name in PLATFORMS}


def outcomes(raw: object, where: str) -> Tuple[Tuple[StartMethod, Outcome], ...]:
    """A rule's `start_methods = { fork = "works", spawn = "fails", ... }`, every method named."""
    if not isinstance(raw, dict) or set(raw) != set(START_METHODS):
        raise PlatformError(f"{where}: start_methods names each of {', '.join(START_METHODS)}")
    result: List[Tuple[StartMethod, Outcome]] = []
    for method in START_METHODS:
        if raw[method] not in OUTCOMES:
            raise PlatformError(f"{where}: start_methods.{method} is \"works\" or \"fails\"")
        result.append((method, "works" if raw[method] == "works" else "fails"))
    return tuple(result)


def spans(platforms: Mapping[str, Platform], failing: Tuple[StartMethod, ...],
          chosen: str = "") -> Tuple[PlatformSpan, ...]:
    """Where a hazard that fails under the `failing` methods fails, per platform: the code's own
    method `chosen` when it sets one, else each version's default. A method the platform lacks
    fails there whatever the hazard."""
    found: List[PlatformSpan] = []
    for name, platform in platforms.items():
        mine: List[PlatformSpan] = []
        for period in platform.periods:
            method = chosen or period.method
            missing = method in platform.unavailable
            fails = missing or method in failing
            if mine and mine[-1].method == method and mine[-1].fails == fails:
                continue
            if mine:
                mine[-1] = dataclasses.replace(mine[-1], end=period.since)
            mine.append(PlatformSpan(name, period.since, None, method, fails, not missing))
        found += mine
    return tuple(found)
