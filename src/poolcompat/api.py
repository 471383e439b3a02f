"""The embedding API: check source text or paths, get a typed `Report`."""
from __future__ import annotations

from typing import Iterable, Optional, Union

from poolcompat._check import check_source as _check_source
from poolcompat._run import apply_target, check_paths as _check_paths
from poolcompat._report import FileError, FileResult, Finding, Report
from poolcompat._version import Version, parse_version

Target = Union[Version, str, None]


def _target(target: Target) -> Optional[Version]:
    return parse_version(target) if isinstance(target, str) else target


def check_source(source: Union[str, bytes], *, path: str = "<string>",
                 target: Target = None) -> Report:
    """Check one module's source. `target` (e.g. "3.8") marks findings that need more as violations."""
    wanted = _target(target)
    return Report(apply_target([_check_source(source, path)], wanted), wanted)


def check_paths(paths: Iterable[str], *, target: Target = None) -> Report:
    """Check files and directories (recursively, skipping VCS, virtualenv and build dirs)."""
    return _check_paths(paths, target=_target(target))


__all__ = ["FileError", "FileResult", "Finding", "Report", "Version", "check_paths", "check_source"]
