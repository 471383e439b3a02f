"""The files asked for, checked in their project's context.

A file's findings can depend on the other modules of its project (a pool made in one module and
used in another), so a run reads the whole project, from the root the cache also uses (the
nearest directory with a pyproject.toml or .git), and reports only the files asked for: a
staged file handed over by pre-commit, or one file given to flake8 or pylint, gets exactly
what it gets in a run on the whole tree. With the cache warm, the other modules cost a hash
each; outside any project, the files are checked on their own.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from poolcompat.engine.findings import FileResult
from poolcompat.project.cache import digest, marked_directory
from poolcompat.project.run import run_files
from poolcompat.reading.files import discover, display
from poolcompat.reading.ignore import Exclusion
from poolcompat.table.load import Table


@dataclass
class Scope:
    """How a run finds and checks its files."""

    exclusion: Exclusion = field(default_factory=Exclusion)
    force_exclude: bool = False
    workers: Optional[int] = None
    cache: bool = True
    cache_dir: Optional[str] = None
    context: bool = True  # read the project's other modules


def marked_root(paths: Sequence[str]) -> Optional[str]:
    """The project the paths belong to: the nearest marked directory above them all (never
    the cwd's project, for paths outside it)."""
    root = marked_directory(paths) if paths else None
    return None if root is None else str(root)


def _near(directory: str) -> str:
    """A directory as the user would write it: relative when below the cwd."""
    relative = os.path.relpath(directory)
    return directory if relative.startswith(os.pardir) else relative


def _ordered(requested: Sequence[str], context: Sequence[str]) -> List[str]:
    """The run's files in the order a run on the whole project takes them (it decides which
    of two same-named top-level modules is the project's), then any asked-for file the
    project's walk leaves out."""
    asked = {os.path.abspath(p): p for p in requested}
    files = [asked.pop(os.path.abspath(p), p) for p in context]
    return files + [p for p in requested if os.path.abspath(p) in asked]


def _renamed(result: FileResult, path: str) -> FileResult:
    shown = display(path)
    if result.path == shown:
        return result
    return dataclasses.replace(result, path=shown, findings=[
        dataclasses.replace(f, path=shown) for f in result.findings])


def _check(paths: Sequence[str], table: Table, scope: Scope) -> List[Tuple[str, FileResult]]:
    requested = discover(paths, scope.exclusion, force_exclude=scope.force_exclude)
    root = marked_root(requested) if scope.context else None
    context = discover([_near(root)], scope.exclusion, nested=False) if root else []
    files = _ordered(requested, context)
    results = run_files(files, table, scope.workers, scope.cache_dir, scope.cache)
    by_path: Dict[str, FileResult] = {os.path.abspath(f): r for f, r in zip(files, results)}
    return [(p, _renamed(by_path[os.path.abspath(p)], p)) for p in requested]


def check_files(paths: Sequence[str], table: Table, scope: Scope) -> List[FileResult]:
    """Raw results for the files below `paths`, each as a run on its whole project finds it."""
    return [result for _, result in _check(paths, table, scope)]


class ProjectRuns:
    """One run per project and process, for plugins called once per file: the first file of a
    project checks all of it (as `poolcompat check ROOT` would), the others take their results
    from that run. A file whose bytes changed since (an editor's long-lived linter) makes the
    project run again, from the cache."""

    def __init__(self, table: Table, scope_of: Callable[[str], Scope]) -> None:
        self.table = table
        self.scope_of = scope_of  # the scope of a project, from its root
        self.runs: Dict[str, Dict[str, FileResult]] = {}
        self.seen: Dict[str, str] = {}  # file -> digest of the bytes its result is for

    def result(self, path: str, source: bytes) -> Optional[FileResult]:
        """The file's result in its project's run, for these bytes (the file's on disk);
        None outside any project."""
        root = marked_root([path])
        if root is None:
            return None
        scope = dataclasses.replace(self.scope_of(root), workers=1)  # plugins run in workers
        key, hashed = os.path.abspath(path), digest(source)
        known = self.runs.get(root)
        if known is None or self.seen.get(key, hashed) != hashed:
            known = self.runs[root] = {os.path.abspath(p): r
                                       for p, r in _check([root], self.table, scope)}
        if key not in known:  # left out of the project's walk, but asked about all the same
            known[key] = check_files([path], self.table, scope)[0]
        self.seen[key] = hashed
        return known[key]
