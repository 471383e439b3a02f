"""Render a Report: text for people, JSON for machines."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from poolcompat._report import Finding, Report, breaks, culprit
from poolcompat._version import Version


def _v(version: Optional[Version]) -> Optional[str]:
    return str(version) if version is not None else None


def finding_dict(f: Finding) -> Dict[str, Any]:
    return {
        "path": f.path, "line": f.line, "column": f.column, "end_line": f.end_line,
        "end_column": f.end_column, "code": f.code, "feature": f.feature,
        "requires": str(f.requires), "requires_py2": _v(f.requires_py2), "message": f.message,
        "violation": f.violation, "guarded": f.guarded, "removed": _v(f.removed),
    }


def to_json(report: Report) -> str:
    document = {
        "minimum": _v(report.minimum),
        "below": _v(report.below),
        "target": report.target_text,
        "findings": [finding_dict(f) for f in report.findings],
        "errors": [{"path": e.path, "message": e.message} for e in report.errors],
        "files": {path: _v(v) for path, v in report.files.items()},
    }
    return json.dumps(document, indent=2)


def finding_line(f: Finding) -> str:
    marker = " [guarded: does not count]" if f.guarded else ""
    return f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}{marker}"


def _py2_sentence(report: Report) -> str:
    py2 = report.minimum_py2
    if py2 is not None:
        return f"Python 2: {py2} where the code is otherwise 2-compatible."
    missing = next((f for f in report.findings if f.counts and f.requires_py2 is None), None)
    if missing is None:
        return ""
    return f"Python 2: none ({missing.path}:{missing.line} {missing.code} has no 2.x equivalent)."


def to_text(report: Report) -> str:
    lines: List[str] = []
    if report.target is not None:
        source = f" from {report.target_source}" if report.target_source else ""
        lines.append(f"Target Python: {report.target_text}{source}; "
                     f"{len(report.violations)} finding(s) fail on it.")
        lines.extend(finding_line(f) for f in report.violations)
        rest = [f for f in report.findings if not f.violation]
        if report.violations and rest:
            lines.append("Within the target:")
        lines.extend(finding_line(f) for f in rest)
    else:
        lines.extend(finding_line(f) for f in report.findings)
    lines.extend(f"{e.path}: error: {e.message}" for e in report.errors)
    per_file = [(r.path, found) for r in report.results if (found := culprit(r.findings))]
    if len(per_file) > 1:
        lines.append("")
        lines.append("Per file:")
        width = max(len(path) for path, _ in per_file)
        lines.extend(f"  {path:<{width}}  {f.requires}  (line {f.line}: {f.code})"
                     for path, f in per_file)
    top = report.culprit
    if lines:
        lines.append("")
    if top is None and report.findings:
        lines.append("Minimum Python: none forced (every finding is under a version guard or "
                     "a pitfall).")
    elif top is None:
        lines.append("Minimum Python: no pool API use found.")
    else:
        summary = f"Minimum Python: {top.requires} ({top.path}:{top.line})."
        end = breaks(report.findings)
        if end is not None and end.removed is not None and end.removed <= end.requires:
            summary += f" Fails on every Python: {end.path}:{end.line} {end.code}."
        elif end is not None:
            summary += f" Works below {end.removed} ({end.path}:{end.line} {end.code})."
        py2 = _py2_sentence(report)
        lines.append(f"{summary} {py2}" if py2 else summary)
    return "\n".join(lines)
