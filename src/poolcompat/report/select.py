"""`--select` / `--ignore` by code prefix; off-by-default rules need a select that names them."""
from __future__ import annotations

import dataclasses
import difflib
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


_LOOKALIKES = str.maketrans("OILS", "0115")


def _nearest(code: str, known: Sequence[str]) -> List[str]:
    """Known codes close to a mistyped one, those of its own length first (PCP3O1 -> PCP301)."""
    if not code.startswith("PCP"):
        return []
    digits = "PCP" + code[3:].translate(_LOOKALIKES)
    if digits in known:
        return [digits]
    same = [k for k in known if len(k) == len(code)]
    return difflib.get_close_matches(code, same, n=3, cutoff=0.6) or \
        difflib.get_close_matches(code, known, n=3, cutoff=0.6)


def unknown_codes(codes: Iterable[str], table: Table) -> List[str]:
    """One message per code or prefix that no rule has, with the nearest known codes."""
    known = sorted({rule.code[:i] for rule in table.rules for i in range(3, len(rule.code) + 1)})
    messages = []
    for code in codes:
        wanted = code.strip().upper()
        if wanted and wanted not in known:
            close = _nearest(wanted, known)
            hint = f"; did you mean {' or '.join(close)}?" if close else \
                " (poolcompat's codes are PCPnnn or a prefix of one: see `poolcompat rules`)"
            messages.append(f"unknown rule code {code.strip()!r}{hint}")
    return messages
