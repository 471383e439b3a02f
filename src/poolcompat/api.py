"""The embedding API: check source text or paths, get a typed `Report`.

    >>> report = poolcompat.check_source("from multiprocessing import get_context", target="3.3")
    >>> str(report.minimum), [f.code for f in report.violations]
    ('3.4', ['PCP401'])
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, List, Optional, Sequence, Tuple, Union

from poolcompat.config import Config, ConfigError, find_pyproject, load_config, resolve_target
from poolcompat.engine.findings import FileError, FileResult, Finding
from poolcompat.project.scope import Scope, check_files, marked_root
from poolcompat.reading.ignore import Exclusion, split_patterns
from poolcompat.report.report import Report, judge
from poolcompat.report.target import Target, newest_known, parse_target
from poolcompat.table.load import Table, default_table
from poolcompat.versions import Version

if TYPE_CHECKING:
    from poolcompat.fix.run import FixResult

TargetLike = Union[str, Tuple[int, ...], Version, None]
PathLike = Union[str, "os.PathLike[str]"]
ConfigLike = Union[bool, PathLike]


def _newest(table: Table) -> Version:
    return newest_known([v for rule in table.rules for v in (rule.requires, rule.removed)
                         if v is not None])


def _target(target: TargetLike, table: Table) -> Optional[Target]:
    """`"3.8"`, `"3.8-3.13"`, `(3, 8)` or `Version((3, 8))`; ValueError or TypeError else."""
    if target is None:
        return None
    if isinstance(target, str):
        return parse_target(target, _newest(table))
    if isinstance(target, tuple) and len(target) >= 2 and all(
            isinstance(part, int) and not isinstance(part, bool) for part in target):
        return parse_target(".".join(map(str, target[:3])), _newest(table))
    raise TypeError(f"target must be a string such as '3.8', a tuple such as (3, 8) or a "
                    f"Version, not {target!r}")


def _paths(paths: Union[PathLike, Iterable[PathLike]]) -> List[str]:
    """One path or several; a string is one path, never its characters."""
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    if isinstance(paths, bytes):
        raise TypeError("paths must be str or os.PathLike, not bytes")
    chosen = [os.fspath(p) for p in paths]
    if any(not isinstance(p, str) for p in chosen):
        raise TypeError("paths must be str or os.PathLike")
    return chosen


def check_source(source: Union[str, bytes], *, path: str = "<string>", target: TargetLike = None,
                 select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Report:
    """Check one module's source on its own. With a target ("3.8", "3.8-3.13", (3, 8)),
    findings that fail somewhere in it are violations."""
    from poolcompat.engine.check import check_source as summarised  # loads libcst
    table = default_table()
    return judge([summarised(source, path, table)], table, _target(target, table), select, ignore)


def check_paths(paths: Union[PathLike, Iterable[PathLike]], *, target: TargetLike = None,
                select: Sequence[str] = (), ignore: Sequence[str] = (),
                exclude: Sequence[str] = (), config: ConfigLike = False,
                cache: bool = False) -> Report:
    """Check files and directories as `poolcompat check` does: each file in its project's
    context, skipping VCS, virtualenv and build directories and what `.gitignore` ignores.

    `config=True` reads `[tool.poolcompat]` and requires-python from the nearest
    pyproject.toml (or setup.cfg / setup.py) as the command line does, `config="path"` from that
    file; arguments given here win. ConfigError for a bad file. `cache=True` uses
    `.poolcompat_cache/` at the project root."""
    chosen = _paths(paths)
    table = default_table()
    settings = _config(config, chosen)
    chosen_target = _target(target, table) if target is not None or config is False else \
        resolve_target(None, settings, _newest(table))
    patterns = [(os.getcwd(), split_patterns(exclude)), (settings.base, settings.exclude),
                (settings.base, settings.extend_exclude)]
    scope = Scope(Exclusion.of(patterns, settings.respect_gitignore, marked_root(chosen)),
                  settings.force_exclude, cache=cache)
    return judge(check_files(chosen, table, scope), table, chosen_target,
                 select or settings.select, ignore or settings.ignore)


def fix_source(source: str, target: Union[str, Tuple[int, ...], Version], *,
               unsafe: bool = False, select: Sequence[str] = (),
               ignore: Sequence[str] = ()) -> FixResult:
    """Fix one module's source for a target ("3.8", "3.8-3.13", (3, 8)) as `poolcompat check
    --fix` does: a use that fails there is guarded by a version test, with the closest fallback
    below (fallbacks that behave differently only with `unsafe=True`), and guards the target's
    oldest Python no longer needs are removed. `result.source` is the fixed text,
    `result.applied` the changes, `result.left` what still fails and why, `result.error` set
    (and nothing done) when the source cannot be parsed."""
    table = default_table()
    if _target(target, table) is None:
        raise TypeError("fix_source needs a target such as '3.8' or (3, 8)")
    from poolcompat.fix.run import fix_source as fixed  # loads libcst
    return fixed(source, target, unsafe=unsafe, select=select, ignore=ignore)


def __getattr__(name: str) -> Any:
    if name == "FixResult":  # lazily: importing the API loads no libcst
        from poolcompat.fix.run import FixResult
        return FixResult
    raise AttributeError(f"module 'poolcompat.api' has no attribute {name!r}")


def _config(config: ConfigLike, paths: List[str]) -> Config:
    if config is False:
        return Config()
    if config is True:
        return load_config(find_pyproject(paths), paths)
    return load_config(Path(os.fspath(config)), paths)


__all__ = ["ConfigError", "FileError", "FileResult", "Finding", "FixResult", "Report", "Target",
           "Version", "check_paths", "check_source", "fix_source"]
