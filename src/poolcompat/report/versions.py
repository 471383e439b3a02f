"""`--versions`: for every Python from 3.6 (or the target's start) to the newest the rule table
knows, how many findings fail there and in which files: what to read before changing
requires-python."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, Dict, List

from poolcompat.report.report import Report, fails_on
from poolcompat.report.style import Display, plural, wrap
from poolcompat.report.target import PY3
from poolcompat.report.text import counts_sentence, error_line
from poolcompat.versions import Version

FIRST = Version((3, 6))
SHOWN_FILES = 5  # per row, unless --show-all


@dataclass
class Row:
    python: Version
    in_target: bool
    files: Dict[str, int]  # path -> findings failing there, most first

    @property
    def fails(self) -> int:
        return sum(self.files.values())


def rows(report: Report, newest: Version) -> List[Row]:
    """One row per minor version (guarded findings and pitfalls are no version need)."""
    start = min(FIRST, report.target) if report.target is not None else FIRST
    pythons = [Version((3, minor)) for minor in range(max(start, PY3)[1], newest[1] + 1)]
    if start < PY3:
        pythons.insert(0, Version(start[:2]))
    counted = [f for f in report.findings if f.counts]
    table = []
    for python in pythons:
        failing = Counter(f.path for f in counted if fails_on(f, python))
        table.append(Row(python, _in_target(report, python),
                         dict(sorted(failing.items(), key=lambda item: (-item[1], item[0])))))
    return table


def _in_target(report: Report, python: Version) -> bool:
    if report.target is None:
        return False
    if python < PY3:
        return python >= report.target
    low = report.target
    if low < PY3:
        if report.target_first3 is None:
            return False
        low = report.target_first3
    return python >= low and (report.target_max is None or python <= report.target_max)


def to_versions_text(report: Report, newest: Version, display: Display = Display()) -> str:
    lines = ["Python  fails  files (findings failing there)"]
    for row in rows(report, newest):
        label = f"{row.python}{' *' if row.in_target else ''}"
        names = [f"{path} ({count})" for path, count in row.files.items()]
        if len(names) > SHOWN_FILES and not display.show_all:
            names = names[:SHOWN_FILES] + [f"{len(row.files) - SHOWN_FILES} more (--show-all)"]
        text = f"{label:<7} {row.fails:>5}  {', '.join(names) or '-'}"
        colour = "red" if row.fails and row.in_target else None
        lines.extend(display.paint(part, fg=colour) for part in wrap(text, " " * 15))
    lines += [""] + wrap(counts_sentence(report))
    if report.target is not None:
        lines += wrap(f"* marks the target, Python {report.target_text}"
                      f"{', from ' + report.target_source if report.target_source else ''}.")
    never = [f for f in report.findings if f.never_works and f.counts]
    if never:
        lines += wrap(f"{plural(len(never), 'call')} fail on every Python (counted in each row).")
    lines.extend(error_line(e, display) for e in report.errors)
    return "\n".join(lines)


def to_versions_json(report: Report, newest: Version) -> str:
    document: Dict[str, Any] = {
        "target": report.target_text,
        "versions": [{"python": str(row.python), "in_target": row.in_target,
                      "fails": row.fails, "files": row.files} for row in rows(report, newest)],
        "checked": report.checked,
        "errors": [{"path": e.path, "message": e.message} for e in report.errors],
    }
    return json.dumps(document, indent=2)
