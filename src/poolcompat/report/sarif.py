"""SARIF 2.1.0: the findings the text report lists (`--show-all`: every one), violations as
`error` and the rest as `note`; files that could not be checked are tool notifications."""
from __future__ import annotations

import json
from typing import Any, Dict, List

from poolcompat._meta import __version__
from poolcompat.engine.findings import FileError
from poolcompat.report.platforms import with_ranges
from poolcompat.report.report import Report
from poolcompat.report.style import Display
from poolcompat.report.text import error_position, listed
from poolcompat.table.load import Table, default_table

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule(table: Table, code: str) -> Dict[str, Any]:
    rule = table.get(code)
    if rule is None:
        return {"id": code}
    full = rule.message + (f" {rule.note}" if rule.note else "")
    return {
        "id": rule.code,
        "name": rule.feature.strip("`"),
        "shortDescription": {"text": rule.feature.replace("`", "")},
        "fullDescription": {"text": full},
        "help": {"text": rule.rewrite or f"Run `poolcompat explain {rule.code}`."},
        "properties": {"requires": str(rule.requires), "family": rule.family},
    }


def _notification(e: FileError) -> Dict[str, Any]:
    line, column, _ = error_position(e.message)
    location: Dict[str, Any] = {"artifactLocation": {"uri": e.path}}
    if line is not None:
        location["region"] = {"startLine": line, "startColumn": column or 1}
    return {"level": "error", "message": {"text": e.message},
            "locations": [{"physicalLocation": location}]}


def to_sarif(report: Report, display: Display = Display(), table: Table | None = None) -> str:
    table = table or default_table()
    findings = listed(report, display.show_all)
    codes = sorted({f.code for f in findings})
    index = {code: i for i, code in enumerate(codes)}
    results: List[Dict[str, Any]] = []
    for f in findings:
        results.append({
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": "error" if f.violation else "note",
            "message": {"text": with_ranges(f.message, f.platforms)},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": f.path},
                "region": {"startLine": f.line, "startColumn": f.column,
                           "endLine": f.end_line, "endColumn": f.end_column},
            }}],
            "properties": {"requires": str(f.requires), "guarded": f.guarded,
                           "typing_only": f.typing_only},
        })
    notifications = [_notification(e) for e in report.errors]
    run = {
        "tool": {"driver": {
            "name": "poolcompat", "version": __version__,
            "informationUri": "https://pypi.org/project/poolcompat/",
            "rules": [_rule(table, code) for code in codes],
        }},
        "invocations": [{"executionSuccessful": not report.errors,
                         "toolExecutionNotifications": notifications}],
        "results": results,
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)
