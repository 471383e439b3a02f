"""The embedding API: check source text or paths, get a typed `Report`.

    >>> report = poolcompat.check_source("from multiprocessing import get_context", target="3.3")
    >>> str(report.minimum), [f.code for f in report.violations]
    ('3.4', ['PCP401'])
"""
from __future__ import annotations

from typing import Iterable, Optional, Sequence, Tuple, Union

from poolcompat.engine.check import check_source as _check_source
from poolcompat.engine.findings import FileError, FileResult, Finding
from poolcompat.report.report import Report
from poolcompat.table.load import default_table
from poolcompat.project.run import check_paths as _check_paths
from poolcompat.project.run import finish
from poolcompat.versions import Version, parse_target

Target = Union[str, Version, None]


def _target(target: Target) -> Tuple[Optional[Version], Optional[Version]]:
    if target is None:
        return None, None
    if isinstance(target, str):
        return parse_target(target)
    return Version(target), None


def check_source(source: Union[str, bytes], *, path: str = "<string>", target: Target = None,
                 select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Report:
    """Check one module's source. With a target ("3.8", "3.8-3.13"), findings that fail
    somewhere in it are violations."""
    low, high = _target(target)
    table = default_table()
    return finish([_check_source(source, path, table)], table, low, high, select, ignore)


def check_paths(paths: Iterable[str], *, target: Target = None, select: Sequence[str] = (),
                ignore: Sequence[str] = ()) -> Report:
    """Check files and directories (recursively, skipping VCS, virtualenv and build dirs)."""
    low, high = _target(target)
    return _check_paths(paths, default_table(), target=low, target_max=high, select=select,
                        ignore=ignore)


__all__ = ["FileError", "FileResult", "Finding", "Report", "Version", "check_paths", "check_source"]
