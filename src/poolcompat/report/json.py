"""The JSON document: one object with the minimum, the target, findings, errors and files."""
from __future__ import annotations

import json
from typing import Any, Dict, Optional

from poolcompat.engine.findings import FileError, Finding
from poolcompat.report.report import Report
from poolcompat.report.style import Display
from poolcompat.report.text import error_position
from poolcompat.versions import Version


def _v(version: Optional[Version]) -> Optional[str]:
    return str(version) if version is not None else None


def finding_dict(f: Finding) -> Dict[str, Any]:
    return {
        "path": f.path, "line": f.line, "column": f.column, "end_line": f.end_line,
        "end_column": f.end_column, "code": f.code, "feature": f.feature,
        "requires": str(f.requires), "requires_py2": _v(f.requires_py2), "message": f.message,
        "violation": f.violation, "guarded": f.guarded, "typing_only": f.typing_only,
        "removed": _v(f.removed),
        "start_method": f.method or None,
        "platforms": [{"platform": s.platform, "from": str(s.start), "below": _v(s.end),
                       "start_method": s.method, "available": s.available, "fails": s.fails}
                      for s in f.platforms],
    }


def error_dict(e: FileError) -> Dict[str, Any]:
    line, column, message = error_position(e.message)
    return {"path": e.path, "message": e.message, "line": line, "column": column}


def to_json(report: Report, display: Display = Display()) -> str:
    """Every finding, whatever `display` says: a program filters on `violation` itself."""
    document = {
        "minimum": _v(report.minimum),
        "below": _v(report.below),
        "target": report.target_text,
        "findings": [finding_dict(f) for f in report.findings],
        "errors": [error_dict(e) for e in report.errors],
        "files": {path: _v(v) for path, v in report.files.items()},
        "summary": {"checked": report.checked, "with_findings": report.with_findings,
                    "violations": len(report.violations), "errors": len(report.errors)},
    }
    return json.dumps(document, indent=2)
