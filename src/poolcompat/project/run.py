"""Check many paths: discovery, the cache, the cheap gate, worker processes, then the target.

Only files that pass the byte gate reach libcst, and only those go to the workers; the parent
reads every file once, so the gate and the cache cost no process start-up.
"""
from __future__ import annotations

import dataclasses
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from poolcompat.project.cache import open_cache, stamp
from poolcompat.reading.files import discover, display
from poolcompat.reading.gate import relevant
from poolcompat.engine.context import Context
from poolcompat.project.layout import Project
from poolcompat.engine.findings import FileResult
from poolcompat.report.report import Report, violates
from poolcompat.table.load import Table, default_table
from poolcompat.report.select import select_findings
from poolcompat.versions import Version

Job = Tuple[bytes, str, Context]  # source, shown path, what the rest of the project exports
_PARALLEL_FROM = 8  # fewer relevant files than this are not worth starting workers for
_ROUNDS = 3  # re-exports of re-exports: how far the second pass follows them


def _work(job: Job) -> FileResult:
    from poolcompat.engine.check import check_source  # libcst loads only when a file needs it
    return check_source(job[0], job[1], default_table(), job[2])


def _read(path: str, shown: str) -> Tuple[Optional[bytes], Optional[FileResult]]:
    try:
        with open(path, "rb") as handle:
            return handle.read(), None
    except IsADirectoryError:
        return None, FileResult(shown, error="is a directory")
    except OSError as exc:
        return None, FileResult(shown, error=f"cannot read: {exc.strerror or exc}")


def _check_all(jobs: List[Job], table: Table, workers: int) -> List[FileResult]:
    if not jobs:  # everything cached or gated out
        return []
    if workers <= 1 or len(jobs) < _PARALLEL_FROM:
        from poolcompat.engine.check import check_source
        return [check_source(data, shown, table, context) for data, shown, context in jobs]
    chunk = max(1, min(16, len(jobs) // (workers * 4)))
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_work, jobs, chunksize=chunk))


def run_files(files: Sequence[str], table: Table, workers: Optional[int] = None,
              cache_dir: Optional[str] = None, use_cache: bool = True) -> List[FileResult]:
    """Raw results for the files, in their order, identical whatever `workers` and the cache."""
    workers = workers or os.cpu_count() or 1
    project = Project.of(files, table.packages)
    cache = open_cache(files, table.digest, cache_dir) if use_cache and files else None
    results: List[Optional[FileResult]] = [None] * len(files)
    pending: List[Tuple[int, Job]] = []
    stamps = [stamp(path) if cache else None for path in files]
    for i, path in enumerate(files):
        shown = display(path)
        hit = cache.get(path, shown) if cache else None
        if hit is not None:
            results[i] = hit
            continue
        data, failed = _read(path, shown)
        if data is None or not relevant(data, table.packages):
            results[i] = failed or FileResult(shown)
        else:
            pending.append((i, (data, shown, project.context(path))))
    for (i, _), result in zip(pending, _check_all([job for _, job in pending], table, workers)):
        results[i] = result
    final = [r if r is not None else FileResult(display(p)) for r, p in zip(results, files)]
    if cache:
        for path, before, result in zip(files, stamps, final):
            cache.put(path, before, result)
        cache.save()
    return _follow_exports(files, final, project, table, workers)


def _follow_exports(files: Sequence[str], results: List[FileResult], project: Project,
                    table: Table, workers: int) -> List[FileResult]:
    """The second pass: re-check the files that import what other modules export."""
    exports = {k: v for r in results for k, v in r.exports.items()}
    seen: Dict[str, object] = {}
    for _ in range(_ROUNDS):
        if not exports or exports == seen:
            break
        seen = dict(exports)
        pending: List[Tuple[int, Job]] = []
        for i, path in enumerate(files):
            context = project.context(path, exports)
            data, _ = _read(path, results[i].path)
            if data is not None and relevant(data, context.needles):
                pending.append((i, (data, results[i].path, context)))
        for (i, _), result in zip(pending, _check_all([j for _, j in pending], table, workers)):
            results[i] = result
        exports = {k: v for r in results for k, v in r.exports.items()}
    return results


def apply_target(results: Iterable[FileResult], target: Optional[Version],
                 target_max: Optional[Version] = None) -> List[FileResult]:
    if target is None:
        return list(results)
    return [
        dataclasses.replace(r, findings=[
            dataclasses.replace(f, violation=violates(f, target, target_max)) for f in r.findings
        ])
        for r in results
    ]


def finish(results: Iterable[FileResult], table: Table, target: Optional[Version] = None,
           target_max: Optional[Version] = None, select: Sequence[str] = (),
           ignore: Sequence[str] = ()) -> Report:
    """Selection and target applied to raw per-file results."""
    chosen = select_findings(results, table, select, ignore)
    return Report(apply_target(chosen, target, target_max), target, target_max=target_max)


def check_paths(paths: Iterable[str], *, target: Optional[Version] = None,
                target_max: Optional[Version] = None, select: Sequence[str] = (),
                ignore: Sequence[str] = (), exclude: Sequence[str] = (),
                jobs: Optional[int] = None, cache: bool = False, cache_dir: Optional[str] = None,
                table: Optional[Table] = None) -> Report:
    table = table or default_table()
    files = discover(paths, exclude)
    results = run_files(files, table, jobs, cache_dir, use_cache=cache)
    return finish(results, table, target, target_max, select, ignore)
