"""What the linter plugins share: a file's findings as a run on its whole project finds them,
targets, and the baseline filter."""
from __future__ import annotations

import io
import os
import tokenize
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Tuple

from poolcompat.config import ConfigError, find_pyproject, load_config, resolve_target
from poolcompat.engine.findings import FileResult, Finding
from poolcompat.project.scope import ProjectRuns, Scope
from poolcompat.reading.ignore import Exclusion
from poolcompat.report.report import violates
from poolcompat.report.select import enabled
from poolcompat.report.target import Target, newest_known, parse_target
from poolcompat.table.load import default_table
from poolcompat.versions import Version

# A module's own starting point: its plain uses are never noise worth a warning.
BASELINES = {"multiprocessing": Version((3, 0)), "concurrent": Version((3, 2))}


class PluginError(Exception):
    """A mistake in the plugin's settings: one line for the user, no traceback."""


def _scope_of(root: str) -> Scope:
    """The exclusions the command line would use for the project at `root`."""
    try:
        config = load_config(find_pyproject([root]), [root])
    except ConfigError:
        return Scope(Exclusion(gitignore=True, root=root))
    groups = [(config.base, config.exclude), (config.base, config.extend_exclude)]
    return Scope(Exclusion.of(groups, config.respect_gitignore, root))


@lru_cache(maxsize=1)
def _runs() -> ProjectRuns:
    return ProjectRuns(default_table(), _scope_of)


@lru_cache(maxsize=64)
def _alone(source: bytes, path: str) -> FileResult:
    from poolcompat.engine.check import check_source  # libcst loads only when needed
    return check_source(source, path, default_table())


def _default_rules(result: FileResult) -> Tuple[Finding, ...]:
    defaults = {rule.code: rule.default for rule in default_table().rules}
    return tuple(f for f in result.findings if enabled(f.code, defaults.get(f.code, True), (), ()))


def findings(source: bytes, path: str) -> Tuple[Finding, ...]:
    """The engine's findings for the source alone (default rules), memoised."""
    return _default_rules(_alone(source, path))


def _on_disk(path: str, source: bytes) -> bool:
    try:
        return os.path.isfile(path) and Path(path).read_bytes() == source
    except OSError:
        return False


def project_findings(source: bytes, path: str) -> Tuple[Finding, ...]:
    """The file's findings as a run on its whole project finds them (the project is checked
    once per process); source that is not the file's content on disk is checked alone."""
    result = _runs().result(path, source) if _on_disk(path, source) else None
    return _default_rules(result) if result is not None else findings(source, path)


def above_baseline(finding: Finding) -> bool:
    rule = default_table().get(finding.code)
    package = rule.target.partition(".")[0] if rule else ""
    return finding.requires > BASELINES.get(package, Version((3, 0))) or finding.removed is not None


def _newest() -> Version:
    return newest_known([v for rule in default_table().rules
                         for v in (rule.requires, rule.removed) if v is not None])


def checked_target(path: str) -> Optional[Target]:
    """The target the CLI would use for this file: pyproject's (or setup.cfg's), else none;
    a bad config is a PluginError naming the file."""
    try:
        return resolve_target(None, load_config(find_pyproject([path]), [path]), _newest())
    except ConfigError as exc:
        raise PluginError(str(exc)) from None


@lru_cache(maxsize=32)
def project_target(path: str) -> Optional[Target]:
    """`checked_target` for each file of a run: a bad config was reported when it started."""
    try:
        return checked_target(path)
    except PluginError:
        return None


def parse_flag(text: Optional[str], option: str) -> Optional[Target]:
    """A target option's value; a bad one is a PluginError naming the option."""
    if not text:
        return None
    try:
        return parse_target(text, _newest())
    except ValueError as exc:
        raise PluginError(f"{option}: {exc}") from None


def reportable(source: bytes, path: str, target: Optional[Target]) -> List[Finding]:
    """Violations of the target; with no target, the findings above their module's baseline."""
    found = [f for f in project_findings(source, path) if f.counts]
    if target is None:
        return [f for f in found if above_baseline(f)]
    return [f for f in found if violates(f, target.low, target.high, target.first3)]


def _text(data: bytes) -> Optional[str]:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def read(path: str, lines: Optional[List[str]] = None) -> bytes:
    """The file's bytes; for lines a linter decoded, the file's bytes where they say the same
    (so that the file is recognised in its project's run), else the lines as UTF-8."""
    try:
        data: Optional[bytes] = Path(path).read_bytes() if os.path.isfile(path) else None
    except OSError:
        data = None
    if lines is None:
        return data if data is not None else b""
    text = "".join(lines)
    if data is not None and _text(data) == text.replace("\r\n", "\n").replace("\r", "\n"):
        return data
    return text.encode("utf-8")
