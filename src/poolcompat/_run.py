"""Check many paths: discovery, the per-file checks, and the target applied to the results."""
from __future__ import annotations

import dataclasses
from typing import Iterable, List, Optional, Sequence

from poolcompat._check import check_file
from poolcompat._files import discover
from poolcompat._report import FileResult, Report, violates
from poolcompat._rules import Table, default_table
from poolcompat._select import select_findings
from poolcompat._version import Version


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


def check_paths(paths: Iterable[str], *, target: Optional[Version] = None,
                target_max: Optional[Version] = None, select: Sequence[str] = (),
                ignore: Sequence[str] = (), exclude: Sequence[str] = (),
                table: Optional[Table] = None) -> Report:
    table = table or default_table()
    results = [check_file(path, table) for path in discover(paths, exclude)]
    return finish(results, table, target, target_max, select, ignore)


def finish(results: Iterable[FileResult], table: Table, target: Optional[Version] = None,
           target_max: Optional[Version] = None, select: Sequence[str] = (),
           ignore: Sequence[str] = ()) -> Report:
    """Selection and target applied to raw per-file results."""
    chosen = select_findings(results, table, select, ignore)
    return Report(apply_target(chosen, target, target_max), target, target_max=target_max)
