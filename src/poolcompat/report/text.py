"""The text report, for people: what fails first, then a summary that says how many files were
checked. `--show-all` lists every finding."""
from __future__ import annotations

import re
from collections import Counter
from typing import Dict, List, Optional, Tuple

from poolcompat.engine.findings import FileError, Finding
from poolcompat.report.platforms import with_ranges
from poolcompat.report.report import Report, breaks, culprit
from poolcompat.report.style import WIDTH, Display, caret, plural, wrap
from poolcompat.report.target import PY3

_POSITION = re.compile(r"(?: at |: |^)line (\d+)(?:, column (\d+))?(?=:)")


def error_position(message: str) -> Tuple[Optional[int], Optional[int], str]:
    """The line and column an error message names, and the message without them."""
    match = _POSITION.search(message)
    if match is None:
        return None, None, message
    column = int(match.group(2)) if match.group(2) else None
    rest = (message[:match.start()] + message[match.end():]).strip()
    return int(match.group(1)), column, rest.lstrip(": ")


def error_line(e: FileError, display: Display = Display()) -> str:
    line, column, rest = error_position(e.message)
    where = e.path if line is None else f"{e.path}:{line}:{column or 1}"
    label = display.paint("error", fg="red", bold=True)
    return f"{display.paint(where, bold=True)}: {label}: {rest}"


def finding_line(f: Finding, display: Display = Display(), py2: bool = False) -> str:
    marker = (" [typing-only: does not count]" if f.typing_only
              else " [guarded: does not count]" if f.guarded else "")
    if py2 and f.violation and not f.pitfall:
        marker += f" (Python 2: {f.requires_py2 or 'none'})"
    colour = "red" if f.violation else "yellow" if f.pitfall else "cyan"
    where = display.paint(f"{f.path}:{f.line}:{f.column}:", bold=True)
    message = with_ranges(f.message, f.platforms)
    return f"{where} {display.paint(f.code, fg=colour, bold=True)} {message}{marker}"


def listed(report: Report, show_all: bool = False) -> List[Finding]:
    """What the listing shows: every finding with --show-all; else what fails (violations,
    pitfalls, calls that never work) and, with no target, the lines that force the minimum."""
    if show_all:
        if report.target is None:
            return report.findings
        return report.violations + [f for f in report.findings if not f.violation]
    top = report.minimum if report.target is None else None
    shown = [f for f in report.findings
             if f.violation or (f.pitfall and not f.guarded and not f.typing_only)
             or (f.counts and f.requires == top)]
    return [f for f in shown if f.violation] + [f for f in shown if not f.violation]


def _with_source(f: Finding, display: Display) -> List[str]:
    text = display.source_line(f.path, f.line)
    if text is None:
        return []
    end = f.end_column if f.end_line == f.line else None
    return [text.rstrip(), display.paint(caret(text, f.column, end), fg="red")]


def _statistics(report: Report, display: Display) -> List[str]:
    """Counts per code, as flake8 prints them: of what fails with a target, else of all."""
    chosen = report.violations if report.target is not None and not display.show_all \
        else report.findings
    counts = Counter(f.code for f in chosen)
    messages: Dict[str, str] = {f.code: f.message for f in chosen}
    return [f"{counts[code]:<5} {code} {messages[code]}" for code in sorted(counts)]


def _by_version(report: Report) -> List[str]:
    """Per Python version, the codes that need it (what raising the minimum hinges on)."""
    per: Dict[Tuple[int, ...], Counter[str]] = {}
    for f in report.findings:
        if f.counts:
            per.setdefault(f.requires, Counter())[f.code] += 1
    lines = ["Python needed by the findings:"] if per else []
    for version in sorted(per):
        label = ".".join(map(str, version))
        items = [f"{code} x{n}" for code, n in sorted(per[version].items())]
        lines += _items(f"  {label:<5} ", items, " " * 8)
    return lines


def _items(first: str, items: List[str], indent: str) -> List[str]:
    """Comma-separated items in 80 columns, never breaking one (`PCP104 x9`) in two."""
    lines, line = [], first
    for i, item in enumerate(items):
        text = item + ("," if i < len(items) - 1 else "")
        if len(line) + len(text) > WIDTH and line not in (first, indent):
            lines.append(line.rstrip())
            line = indent
        line += text + " "
    return lines + [line.rstrip()]


def _per_file(report: Report) -> List[str]:
    per_file = [(r.path, found) for r in report.results if (found := culprit(r.findings))]
    if len(per_file) < 2:
        return []
    width = max(len(path) for path, _ in per_file)
    return ["Per file:", *(f"  {path:<{width}}  {f.requires}  (line {f.line}: {f.code})"
                           for path, f in per_file)]


def counts_sentence(report: Report, display: Display = Display()) -> str:
    """The first line of the summary: what failed, and how many files were checked."""
    checked = plural(report.checked, "file") + " checked"
    if report.target is None:
        if not report.findings:
            return f"No pool code found ({checked})."
        return (f"Found {plural(len(report.findings), 'finding')} in "
                f"{plural(report.with_findings, 'file')} ({checked}).")
    failing = report.violations
    if not failing:
        return display.paint(f"No violations of Python {report.target_text}", fg="green",
                             bold=True) + f" ({checked}, {report.with_findings} with pool code)."
    files = len({f.path for f in failing})
    found = f"Found {plural(len(failing), 'violation')} in {plural(files, 'file')}"
    return (display.paint(found, fg="red", bold=True)
            + f" ({checked}, {report.with_findings} with pool code).")


def _py2_sentence(report: Report) -> str:
    py2 = report.minimum_py2
    if py2 is not None:
        return f"Python 2: {py2} where the code is otherwise 2-compatible."
    missing = next((f for f in report.findings if f.counts and f.requires_py2 is None), None)
    if missing is None:
        return ""
    return f"Python 2: none ({missing.path}:{missing.line} {missing.code} has no 2.x equivalent)."


def _minimum(report: Report, display: Display) -> str:
    top = report.culprit
    if top is None:
        return ("Minimum Python: none forced (every finding is under a version guard, "
                "typing-only or a pitfall).") if report.findings else ""
    summary = f"Minimum Python: {top.requires} ({top.path}:{top.line})."
    end = breaks(report.findings)
    if end is not None and end.never_works:
        summary += f" Fails on every Python: {end.path}:{end.line} {end.code}."
    elif end is not None:
        summary += f" Works below {end.removed} ({end.path}:{end.line} {end.code})."
    on_py2 = report.target is not None and report.target < PY3
    if display.show_all or report.target is None or on_py2:
        summary += f" {_py2_sentence(report)}".rstrip()
    return summary


def _summary(report: Report, display: Display) -> List[str]:
    lines = [counts_sentence(report, display)]
    if report.target is not None:
        source = f", from {report.target_source}" if report.target_source else ""
        if report.platforms_source:
            source += f" (platforms: {report.platforms_source})"
        lines.append(f"Target: Python {report.target_text}{source}.")
    lines.append(_minimum(report, display))
    hidden = len(report.findings) - len(listed(report, display.show_all))
    if hidden and report.target is not None:
        lines.append(f"{plural(hidden, 'finding')} within the target not shown "
                     "(--show-all lists them).")
    elif report.target is None and report.findings:
        lines.append("No target (-t, or requires-python in pyproject.toml): only calls that "
                     "fail on every Python count as failures.")
    if report.errors:
        lines.append(f"{plural(len(report.errors), 'file')} could not be checked.")
    return [part for line in lines if line for part in wrap(line)]


def to_text(report: Report, display: Display = Display()) -> str:
    lines: List[str] = []
    py2 = report.target is not None and report.target < PY3
    header_due = report.target is not None and bool(report.violations)
    for f in listed(report, display.show_all):
        if header_due and not f.violation:
            lines.append("Within the target:")
            header_due = False
        lines.append(finding_line(f, display, py2))
        if display.show_source:
            lines.extend(_with_source(f, display))
    lines.extend(error_line(e, display) for e in report.errors)
    blocks = [_statistics(report, display) if display.statistics else [],
              _per_file(report) if display.show_all else [],
              _by_version(report) if report.target is None else [],
              _summary(report, display)]
    for block in blocks:
        if block:
            lines.extend(["", *block] if lines else block)
    return "\n".join(lines)
