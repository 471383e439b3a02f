"""The JSON document: one object with the minimum, the target, findings, errors and files."""
from __future__ import annotations

import json
from typing import Any, Dict, Optional

from poolcompat.engine.findings import Finding
from poolcompat.report.report import Report
from poolcompat.versions import Version


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
