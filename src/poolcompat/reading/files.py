"""Which files a run checks: `*.py` below the given paths, minus exclusions and VCS, virtualenv
and build directories."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from poolcompat.reading.ignore import Exclusion, split_patterns

SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "__pycache__", "node_modules",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".poolcompat_cache", ".eggs",
})
ARTEFACT_DIRS = frozenset({"build", "dist"})  # skipped unless they are packages of the source
ExcludeArg = Union[Sequence[str], Exclusion]


def _skipped(entry: os.DirEntry[str]) -> bool:
    return (
        entry.name in SKIPPED_DIRS
        or entry.name.endswith(".egg-info")
        or (entry.name in ARTEFACT_DIRS
            and not os.path.isfile(os.path.join(entry.path, "__init__.py")))
        or os.path.exists(os.path.join(entry.path, "pyvenv.cfg"))  # a virtualenv, whatever its name
    )


def _exclusion(exclude: ExcludeArg) -> Exclusion:
    if isinstance(exclude, Exclusion):
        return exclude
    return Exclusion.of([(os.getcwd(), split_patterns(exclude))])


def _walk(directory: str, exclude: Exclusion, nested: bool) -> Iterator[str]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir() and not entry.is_symlink()
            if exclude.excluded(entry.path, is_dir):
                continue
            if is_dir:
                if not _skipped(entry) and (nested or not is_project_root(entry.path)):
                    yield from _walk(entry.path, exclude, nested)
            elif entry.name.endswith(".py") and not entry.name.startswith("."):
                yield entry.path
        except OSError:
            yield entry.path  # unreadable: the check reports it


def is_project_root(directory: str) -> bool:
    """A directory that is a project's root (a pyproject.toml or a repository)."""
    return any(os.path.exists(os.path.join(directory, marker)) for marker in PROJECT_MARKERS)


PROJECT_MARKERS = ("pyproject.toml", ".git")


def discover(paths: Iterable[str], exclude: ExcludeArg = (), *, force_exclude: bool = False,
             nested: bool = True) -> List[str]:
    """Files to check, in a stable order. A path named on the command line is checked whatever
    the exclusions, unless `force_exclude`; `nested=False` leaves out projects of their own
    below a directory (the context of a project's files, not what the user asked for)."""
    exclusion = _exclusion(exclude)
    found: List[str] = []
    for path in paths:
        is_dir = os.path.isdir(path) and not os.path.isfile(path)
        named_excluded = exclusion.excluded(path, is_dir)
        if force_exclude and named_excluded:
            continue
        if is_dir:  # an excluded directory named by the user: what is below it is checked
            found.extend(_walk(path, Exclusion() if named_excluded else exclusion, nested))
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
    """A path as shown to users: as given, normalised, with `/`; bytes that are not UTF-8 in
    a file name show as `\\xNN`, so printing the name can never fail."""
    shown = Path(os.path.normpath(path)).as_posix()
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_source(path: str, max_bytes: int = 0) -> Tuple[Optional[bytes], str]:
    """The file's bytes, or None and why it cannot be read. Never blocks on a pipe or device,
    never reads more than `max_bytes` (0: no limit) plus what the prefilter needs to skip it."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return None, _os_reason(path, exc)
    if stat.S_ISDIR(info.st_mode):
        return None, "is a directory"
    if not stat.S_ISREG(info.st_mode):
        return None, f"cannot read: {_kind(info.st_mode)}, not a file"
    if max_bytes and info.st_size > _READ_FACTOR * max_bytes:
        return None, (f"too large to read: {info.st_size / 2**20:.1f} MB "
                      f"(POOLCOMPAT_MAX_FILE_MB is {max_bytes / 2**20:g})")
    try:
        with open(path, "rb") as handle:
            return handle.read(), ""
    except OSError as exc:
        return None, _os_reason(path, exc)


_READ_FACTOR = 64  # an irrelevant big file is read and skipped; this bounds even that


def _os_reason(path: str, exc: OSError) -> str:
    if os.path.islink(path) and not os.path.exists(path):
        loop = exc.errno is not None and exc.errno == 40
        return "symlink loop" if loop else f"broken symlink to {display(os.readlink(path))}"
    return f"cannot read: {exc.strerror or exc}"
