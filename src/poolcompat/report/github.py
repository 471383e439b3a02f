"""GitHub Actions workflow annotations: `::error` for violations, `::notice` for the rest."""
from __future__ import annotations

from poolcompat.report.report import Report


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def to_github(report: Report) -> str:
    lines = []
    for f in report.findings:
        kind = "error" if f.violation else "notice"
        lines.append(f"::{kind} file={_escape(f.path, True)},line={f.line},col={f.column},"
                     f"endLine={f.end_line},endColumn={f.end_column},"
                     f"title={f.code}::{_escape(f.message)}")
    lines.extend(f"::error file={_escape(e.path, True)},title=poolcompat::{_escape(e.message)}"
                 for e in report.errors)
    return "\n".join(lines)
