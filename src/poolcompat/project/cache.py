"""Results cache in `.poolcompat_cache/` at the project root, like ruff's.

One file per tool version and rule table, so a new tool or changed rules never read stale results.
It maps each checked path to its (mtime, size) and the result for those bytes: an unchanged file is
answered from a `stat`, without being read. Writes go to a temporary file and `os.replace`, so two
runs sharing the cache never see a torn file; the later one simply wins.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Dict, Optional, Sequence, Tuple

from poolcompat._meta import __version__
from poolcompat.project.codec import decode, encode
from poolcompat.engine.findings import FileResult, Finding
from poolcompat.versions import Version

Stamp = Tuple[int, int]  # st_mtime_ns, st_size


def project_root(paths: Sequence[str]) -> Path:
    """The nearest directory above the checked paths with a pyproject.toml or .git, else the cwd."""
    try:
        start = Path(os.path.commonpath([os.path.abspath(p) for p in paths]))
    except ValueError:
        return Path.cwd()
    if not start.is_dir():
        start = start.parent
    for directory in (start, *start.parents):
        if (directory / "pyproject.toml").is_file() or (directory / ".git").exists():
            return directory
    return Path.cwd()


def stamp(path: str) -> Optional[Stamp]:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def _encode(result: FileResult) -> Dict[str, Any]:
    return {"error": result.error,
            "exports": {name: encode(value) for name, value in result.exports.items()},
            "findings": [
        [f.line, f.column, f.end_line, f.end_column, f.code, f.feature, list(f.requires),
         list(f.requires_py2) if f.requires_py2 else None, f.message,
         list(f.removed) if f.removed else None, f.guarded]
        for f in result.findings]}


def _decode(path: str, data: Dict[str, Any]) -> FileResult:
    findings = [
        Finding(path=path, line=f[0], column=f[1], end_line=f[2], end_column=f[3], code=f[4],
                feature=f[5], requires=Version(f[6]), requires_py2=Version(f[7]) if f[7] else None,
                message=f[8], removed=Version(f[9]) if f[9] else None, guarded=f[10])
        for f in data["findings"]]
    exports = {name: decode(value) for name, value in data.get("exports", {}).items()}
    return FileResult(path, findings, data["error"], exports)


class Cache:
    def __init__(self, directory: Path, table_digest: str, context: str = "") -> None:
        self.file = directory / f"v{__version__}-{table_digest}{context}.json"
        self.entries: Dict[str, Any] = {}
        self.dirty = False
        try:
            loaded = json.loads(self.file.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, ValueError):
            pass  # no cache yet, or a damaged one: start afresh

    def get(self, path: str, shown: str) -> Optional[FileResult]:
        entry = self.entries.get(os.path.abspath(path))
        current = stamp(path)
        if entry is None or current is None or entry[0] != list(current):
            return None
        return _decode(shown, entry[1])

    def put(self, path: str, before: Optional[Stamp], result: FileResult) -> None:
        """Remember a result, unless the file changed while it was checked."""
        if before is None or stamp(path) != before or result.error:
            return
        self.entries[os.path.abspath(path)] = [list(before), _encode(result)]
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            (self.file.parent / ".gitignore").write_text("*\n")
            handle, temporary = tempfile.mkstemp(dir=self.file.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(self.entries, out, separators=(",", ":"))
            os.replace(temporary, self.file)
        except OSError:
            pass  # a read-only tree still gets its report


def open_cache(paths: Sequence[str], table_digest: str, directory: Optional[str]) -> Cache:
    root = Path(directory) if directory else project_root(paths) / ".poolcompat_cache"
    return Cache(root, table_digest)



