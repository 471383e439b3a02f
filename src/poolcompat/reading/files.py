"""Which files a run checks: `*.py` below the given paths, minus VCS, virtualenv and build dirs."""
from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple

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
