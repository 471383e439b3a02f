"""Check many paths: discovery, the cache, the schedule of checks, the link that settles what
modules take from each other, then selection and the target."""
from __future__ import annotations

import dataclasses
import os
from typing import Iterable, List, Optional, Sequence

from poolcompat.engine.findings import FileResult
from poolcompat.engine.link import link
from poolcompat.project.cache import open_cache
from poolcompat.project.schedule import Scheduler
from poolcompat.reading.files import discover
from poolcompat.report.report import Report, violates
from poolcompat.report.select import select_findings
from poolcompat.table.load import Table
from poolcompat.versions import Version


def run_files(files: Sequence[str], table: Table, workers: Optional[int] = None,
              cache_dir: Optional[str] = None, use_cache: bool = True) -> List[FileResult]:
    """Raw results for the files, in their order, identical whatever `workers` and the cache."""
    cache = open_cache(files, table.digest, cache_dir) if use_cache and files else None
    scheduler = Scheduler(files, table, cache, workers or os.cpu_count() or 1)
    key = scheduler.run_key() if cache else ""
    remembered = cache.remembered(key) if cache else None
    if remembered is not None:
        return remembered
    summaries = scheduler.run()
    results = link(summaries, table, scheduler.project.modules, scheduler.project.local)
    if cache:  # every file's entry is in (see `Scheduler._let_go`)
        cache.save()
        if not scheduler.changed:  # else the key names bytes the results were not made from
            cache.remember(key, results)
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


def check_paths(paths: Iterable[str], table: Table, *, target: Optional[Version] = None,
                target_max: Optional[Version] = None, select: Sequence[str] = (),
                ignore: Sequence[str] = (), exclude: Sequence[str] = (),
                jobs: Optional[int] = None, cache: bool = False,
                cache_dir: Optional[str] = None) -> Report:
    files = discover(paths, exclude)
    results = run_files(files, table, jobs, cache_dir, use_cache=cache)
    return finish(results, table, target, target_max, select, ignore)
