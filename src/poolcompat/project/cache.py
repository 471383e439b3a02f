"""Results cache in `.poolcompat_cache/` at the project root, like ruff's.

One file per tool version and rule table, so a new tool or changed rules never read stale results.
Entries are keyed by the file's path and a hash of its bytes (not its mtime: an edit that keeps
the size and restores the mtime must not return the old answer; the bytes are read anyway, and
hashing them costs far less than the read). An entry holds what the byte gate found and, for a
file that was analysed, its summary together with what it was told of the modules it imports.
Each is one line of text, kept as text until a run asks for it: as JSON objects, a big tree's
entries took more memory than the rest of the run.
Beside it, the results of the last few whole runs, keyed by every file's path and bytes: a run
over an unchanged tree reads them back and never opens the entries (see `run_key`).
Writes go to a temporary file and `os.replace`, so two runs sharing the cache never see a torn
file; the later one simply wins.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from poolcompat._meta import __version__
from poolcompat.engine.context import Context
from poolcompat.engine.findings import FileResult
from poolcompat.engine.summary import Summary
from poolcompat.project.codec import (
    Fingerprints, decode_results, decode_summary, encode_results, encode_summary,
)
from poolcompat.reading.imports import Imported
from poolcompat.reading.files import is_project_root
from poolcompat.reading.limits import TIMED_OUT


FORMAT = 6  # of the entries: a new layout of the cache never reads an old one
KEPT_RUNS = 8  # whole runs remembered: the tree, a package of it, the hooks' runs...


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@functools.lru_cache(maxsize=1)
def _engine_digest() -> str:
    """A hash of the tool's own source: a development checkout that changes the engine without
    a new version number never reads results its old code wrote."""
    package = Path(__file__).resolve().parents[1]
    sources = sorted(package.rglob("*.py"))
    return digest(b"".join(p.relative_to(package).as_posix().encode() + p.read_bytes()
                           for p in sources))[:12]


def context_key(context: Context, prints: Optional[Fingerprints] = None) -> str:
    """What a summary depends on besides the file's bytes: where the file sits and what the
    modules it imports export. `prints` keeps the digests of values across a run's files."""
    chosen = prints or Fingerprints()
    # The project's top-level names are one set for the whole run; the others are built for
    # the file, and remembered they would live to the end of the run (the values inside are).
    return digest("\0".join(chosen.of(getattr(context, field.name), keep=field.name == "local")
                            for field in dataclasses.fields(context)).encode())


def marked_directory(paths: Sequence[str]) -> Optional[Path]:
    """The nearest directory above all the paths with a pyproject.toml or .git, if any."""
    try:
        start = Path(os.path.commonpath([os.path.abspath(p) for p in paths]))
    except ValueError:
        return None
    if not start.is_dir():
        start = start.parent
    for directory in (start, *start.parents):
        if is_project_root(str(directory)):
            return directory
    return None


def project_root(paths: Sequence[str]) -> Path:
    """The nearest directory above the checked paths with a pyproject.toml or .git, else the cwd."""
    return marked_directory(paths) or Path.cwd()


@dataclass
class Gated:
    """What the byte gate says of a file: whether it imports a tracked package, and its import
    statements (which project modules it may import)."""

    stdlib: bool
    imports: Tuple[Imported, ...]


class Cache:
    """Entries are lines: the path (JSON), the bytes' hash, the gate's answer (JSON), the
    context key and the summary (JSON, or nothing), apart by tabs, which JSON never holds."""

    def __init__(self, directory: Path, table_digest: str) -> None:
        stem = f"v{__version__}-{FORMAT}-{table_digest}-{_engine_digest()}"
        self.file = directory / f"{stem}.lines"
        self.runs = directory / f"{stem}.runs"
        self._entries: Optional[Dict[str, str]] = None
        self._spool: Optional[IO[str]] = None  # new entries wait on disk, not in memory
        self._replaced: Set[str] = set()

    @property
    def entries(self) -> Dict[str, str]:
        """Each file's entry, after its path. Read on first use: a run answered from
        `remembered` never needs them."""
        if self._entries is None:
            self._entries = {}
            try:
                text = self.file.read_text(encoding="utf-8")
            except (OSError, ValueError):
                text = ""  # no cache yet, or a damaged one: start afresh
            for line in text.splitlines():
                path, _, entry = line.partition("\t")
                try:
                    self._entries[json.loads(path)] = entry
                except (ValueError, TypeError):
                    continue  # a damaged line: that file is read afresh
        return self._entries

    def _entry(self, path: str, hashed: str) -> Optional[List[str]]:
        entry = self.entries.get(os.path.abspath(path))
        fields = entry.split("\t") if entry is not None else []
        return fields if len(fields) == 4 and fields[0] == hashed else None

    def gated(self, path: str, hashed: str) -> Optional[Gated]:
        entry = self._entry(path, hashed)
        if entry is None:
            return None
        try:
            stdlib, imports = json.loads(entry[1])
            return Gated(bool(stdlib), tuple((int(level), str(module), tuple(names))
                                             for level, module, names in imports))
        except (KeyError, TypeError, ValueError):
            return None  # a damaged entry: read the file afresh

    def analysed(self, path: str, hashed: str) -> bool:
        """Whether these bytes were analysed before (under some context)."""
        entry = self._entry(path, hashed)
        return entry is not None and bool(entry[3])

    def summary(self, path: str, hashed: str, context: str, shown: str) -> Optional[Summary]:
        entry = self._entry(path, hashed)
        if entry is None or entry[2] != context or not entry[3]:
            return None
        try:
            return decode_summary(json.loads(entry[3]), shown)
        except (KeyError, TypeError, ValueError, IndexError):
            return None  # a damaged entry: check the file again

    def put(self, path: str, hashed: str, gated: Gated, context: str = "",
            summary: Optional[Summary] = None) -> None:
        """Remember what the gate and, if the file was analysed, the engine said of these bytes
        (read back after `save`: a run asks for a file's entry before it puts one)."""
        if summary is not None and summary.error and summary.error.startswith(TIMED_OUT):
            summary = None  # how long a file takes depends on the machine's load: try again
        gate = _dumps([gated.stdlib, [[level, module, list(names)]
                                      for level, module, names in gated.imports]])
        encoded = _dumps(encode_summary(summary)) if summary is not None else ""
        entry = "\t".join([hashed, gate, context if summary is not None else "", encoded])
        key = os.path.abspath(path)
        if self.entries.get(key) == entry:
            return
        if self._spool is None:
            self._spool = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._spool.write(f"{_dumps(key)}\t{entry}\n")
        self._replaced.add(key)

    def remembered(self, key: str) -> Optional[List[FileResult]]:
        """The results of a run with this `run_key`, if one was kept."""
        try:
            return decode_results(json.loads((self.runs / f"{key}.json").read_text("utf-8")))
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None  # none kept, or a damaged one: run again

    def remember(self, key: str, results: Sequence[FileResult]) -> None:
        """Keep a run's results (not one where a file ran out of time: the machine's load
        decided that), and only the last `KEPT_RUNS` runs'."""
        if any(r.error and r.error.startswith(TIMED_OUT) for r in results):
            return
        self._write(self.runs / f"{key}.json", [_dumps(encode_results(results))])
        try:
            kept = sorted(self.runs.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in kept[KEPT_RUNS:]:
                old.unlink()
        except OSError:
            pass  # another run pruned them first

    def save(self) -> None:
        """The entries this run kept, then the new ones."""
        if self._spool is None:  # nothing new
            return
        self._spool.seek(0)
        kept = (f"{_dumps(path)}\t{entry}\n" for path, entry in self.entries.items()
                if path not in self._replaced)
        self._write(self.file, itertools.chain(kept, self._spool))
        self._spool.close()
        self._spool, self._entries, self._replaced = None, None, set()

    def _write(self, path: Path, chunks: Iterable[str]) -> None:
        """Whole or not at all (a temporary file, then `os.replace`)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            (self.file.parent / ".gitignore").write_text("*\n")
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.writelines(chunks)
            os.replace(temporary, path)
        except OSError:
            pass  # a read-only tree still gets its report


def _dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


def open_cache(paths: Sequence[str], table_digest: str, directory: Optional[str]) -> Cache:
    root = Path(directory) if directory else project_root(paths)
    return Cache(root / ".poolcompat_cache" if not directory else root, table_digest)
