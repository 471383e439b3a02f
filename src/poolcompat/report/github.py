"""GitHub Actions workflow annotations: `::error` for what fails (violations, calls that never
work, pitfalls reached) and for files that could not be checked; nothing for the rest, which
would bury them (`--show-all`: notices for the rest). A last plain line says how many files
were checked."""
from __future__ import annotations

from poolcompat.report.platforms import with_ranges
from poolcompat.report.report import Report
from poolcompat.report.style import Display
from poolcompat.report.text import counts_sentence, error_position


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def to_github(report: Report, display: Display = Display()) -> str:
    lines = []
    for f in report.findings if display.show_all else report.violations:
        kind = "error" if f.violation else "notice"
        lines.append(f"::{kind} file={_escape(f.path, True)},line={f.line},col={f.column},"
                     f"endLine={f.end_line},endColumn={f.end_column},"
                     f"title={f.code}::{_escape(with_ranges(f.message, f.platforms))}")
    for e in report.errors:
        line, column, message = error_position(e.message)
        where = f",line={line},col={column or 1}" if line is not None else ""
        lines.append(f"::error file={_escape(e.path, True)}{where},title=poolcompat::"
                     f"{_escape(message)}")
    lines.append(f"poolcompat: {counts_sentence(report)}")
    return "\n".join(lines)
