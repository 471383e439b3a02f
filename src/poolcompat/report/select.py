"""`--select` / `--ignore` by code prefix; off-by-default rules need a select that names them."""
from __future__ import annotations

import dataclasses
from typing import Iterable, List, Sequence

from poolcompat.engine.findings import FileResult
from poolcompat.table.load import Table


def _longest(code: str, prefixes: Sequence[str]) -> int:
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


def enabled(code: str, default: bool, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """The most specific prefix wins: `--select PCP6 --ignore PCP602` keeps PCP601 only."""
    chosen = _longest(code, select)
    if chosen < 0 and not default:
        return False
    if select and chosen < 0:
        return False
    return _longest(code, ignore) <= chosen if _longest(code, ignore) >= 0 else True


def select_findings(results: Iterable[FileResult], table: Table, select: Sequence[str] = (),
                    ignore: Sequence[str] = ()) -> List[FileResult]:
    defaults = {rule.code: rule.default for rule in table.rules}
    select = [p.strip().upper() for p in select if p.strip()]
    ignore = [p.strip().upper() for p in ignore if p.strip()]
    return [
        dataclasses.replace(r, findings=[
            f for f in r.findings if enabled(f.code, defaults.get(f.code, True), select, ignore)
        ])
        for r in results
    ]
