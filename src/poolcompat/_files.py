"""Which files a run checks: `*.py` below the given paths, minus VCS, virtualenv and build dirs."""
from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Iterable, Iterator, List, Sequence

SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "__pycache__", "build", "dist",
    "node_modules", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".poolcompat_cache", ".eggs",
})


def _skipped(entry: os.DirEntry[str]) -> bool:
    return (
        entry.name in SKIPPED_DIRS
        or entry.name.endswith(".egg-info")
        or os.path.exists(os.path.join(entry.path, "pyvenv.cfg"))  # any virtualenv, whatever its name
    )


def excluded(path: str, patterns: Sequence[str]) -> bool:
    """Whether a glob matches the path, one of its trailing parts, or its name."""
    if not patterns:
        return False
    shown = display(path)
    parts = shown.split("/")
    tails = ["/".join(parts[i:]) for i in range(len(parts))]
    return any(fnmatch.fnmatch(tail, pattern) for pattern in patterns for tail in tails)


def _walk(directory: str, exclude: Sequence[str]) -> Iterator[str]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        try:
            if excluded(entry.path, exclude):
                continue
            if entry.is_dir() and not entry.is_symlink():
                if not _skipped(entry):
                    yield from _walk(entry.path, exclude)
            elif entry.name.endswith(".py") and not entry.name.startswith("."):
                yield entry.path
        except OSError:
            yield entry.path  # unreadable: the check reports it


def discover(paths: Iterable[str], exclude: Sequence[str] = ()) -> List[str]:
    """Files to check, in a stable order. A file named on the command line is always checked."""
    found: List[str] = []
    for path in paths:
        if os.path.isdir(path) and not os.path.isfile(path):
            found.extend(_walk(path, exclude))
        else:
            found.append(path)
    seen = set()
    unique = []
    for path in found:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def display(path: str) -> str:
    """A path as shown to users: as given, normalised, with `/`."""
    return Path(os.path.normpath(path)).as_posix()
