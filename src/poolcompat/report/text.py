"""The text report, for people."""
from __future__ import annotations

from typing import List

from poolcompat.engine.findings import Finding
from poolcompat.report.report import Report, breaks, culprit


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
        if end is not None and end.never_works:
            summary += f" Fails on every Python: {end.path}:{end.line} {end.code}."
        elif end is not None:
            summary += f" Works below {end.removed} ({end.path}:{end.line} {end.code})."
        py2 = _py2_sentence(report)
        lines.append(f"{summary} {py2}" if py2 else summary)
    return "\n".join(lines)
