"""What the linter plugins share: one engine call per source, targets, and the baseline filter."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Tuple

from poolcompat.engine.check import check_source
from poolcompat.config import ConfigError, find_pyproject, load_config, resolve_target
from poolcompat.engine.findings import Finding
from poolcompat.report.report import violates
from poolcompat.table.load import default_table
from poolcompat.report.select import enabled
from poolcompat.versions import Version, parse_target

# A module's own starting point: its plain uses are never noise worth a warning.
BASELINES = {"multiprocessing": Version((3, 0)), "concurrent": Version((3, 2))}


@lru_cache(maxsize=64)
def findings(source: bytes, path: str) -> Tuple[Finding, ...]:
    """The engine's findings for one file (default rules), memoised for plugins that ask twice."""
    table = default_table()
    defaults = {rule.code: rule.default for rule in table.rules}
    return tuple(f for f in check_source(source, path, table).findings
                 if enabled(f.code, defaults.get(f.code, True), (), ()))


def above_baseline(finding: Finding) -> bool:
    rule = default_table().get(finding.code)
    package = rule.target.partition(".")[0] if rule else ""
    return finding.requires > BASELINES.get(package, Version((3, 0))) or finding.removed is not None


@lru_cache(maxsize=32)
def project_target(path: str) -> Tuple[Optional[Version], Optional[Version]]:
    """The target the CLI would use for this file: pyproject's, else none."""
    try:
        low, high, _ = resolve_target(None, load_config(find_pyproject([path])))
    except (ConfigError, ValueError):
        return None, None
    return low, high


def parse_flag(text: Optional[str]) -> Tuple[Optional[Version], Optional[Version]]:
    return parse_target(text) if text else (None, None)


def reportable(source: bytes, path: str, low: Optional[Version],
               high: Optional[Version]) -> List[Finding]:
    """Violations of the target; with no target, the findings above their module's baseline."""
    found = [f for f in findings(source, path) if f.counts]
    if low is None:
        return [f for f in found if above_baseline(f)]
    return [f for f in found if violates(f, low, high)]


def read(path: str, lines: Optional[List[str]] = None) -> bytes:
    if lines is not None:
        return "".join(lines).encode("utf-8")
    return Path(path).read_bytes()
