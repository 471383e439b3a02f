"""Check one file: a pure function of its bytes, safe to run in worker processes."""
from __future__ import annotations

from typing import Optional, Sequence, Union

import libcst as cst

from poolcompat._detect import Detector
from poolcompat._files import display
from poolcompat._noqa import suppress
from poolcompat._chunks import decode, first_lines, skeleton
from poolcompat._positions import spans
from poolcompat._prefilter import relevant
from poolcompat._project import Context
from poolcompat._report import FileResult, Finding
from poolcompat._rules import Rule, Table, default_table
from poolcompat._version import Version

# Members that change how a user class behaves as a pool: a skeleton never drops them.
_SHADOWING = frozenset({"__init__", "__enter__", "__exit__", "__new__", "__getattr__"})


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, cst.ParserSyntaxError):
        return f"syntax error at line {exc.raw_line}, column {exc.raw_column + 1}: {exc.message}"
    if isinstance(exc, RecursionError):
        return "too deeply nested to analyse"
    if isinstance(exc, UnicodeDecodeError):
        return f"cannot decode: {exc.reason} at byte {exc.start}"
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else 'cannot be checked'}"


def _finding(path: str, rule: Rule, span: Sequence[int], guarded: bool) -> Finding:
    return Finding(
        path=path, line=span[0], column=span[1], end_line=span[2], end_column=span[3],
        code=rule.code, feature=rule.feature, requires=Version(rule.requires),
        requires_py2=Version(rule.py2) if rule.py2 else None, message=rule.message,
        removed=Version(rule.removed) if rule.removed else None, guarded=guarded,
    )


def check_source(source: Union[bytes, str], path: str = "<string>",
                 table: Optional[Table] = None, context: Context = Context()) -> FileResult:
    """Findings of one module; never raises for bad input (the reason goes in `error`).
    `context` tells what the rest of the checked project exports."""
    table = table or default_table()
    data = source.encode("utf-8") if isinstance(source, str) else source
    modules = table.packages + context.needles
    if not relevant(data, modules):
        return FileResult(path)
    try:
        sparse = skeleton(data, modules, table.names | _SHADOWING)
        parsed = data if sparse is None else sparse
        module = cst.parse_module(parsed)
        detector = Detector(table, context)
        matches = detector.run(module)
        where = spans(module, [(m.node, m.top) for m in matches],
                      first_lines(parsed)) if matches else {}
    except Exception as exc:  # libcst and our analysis: bad input must never stop a run
        return FileResult(path, error=_one_line(exc))
    findings = [_finding(path, m.rule, where[id(m.node)], m.guarded) for m in matches]
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    if findings and b"noqa" in data.lower():
        findings = suppress(findings, decode(data))
    return FileResult(path, findings, exports=detector.exports)


def check_file(path: str, table: Optional[Table] = None) -> FileResult:
    shown = display(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except IsADirectoryError:
        return FileResult(shown, error="is a directory")
    except OSError as exc:
        return FileResult(shown, error=f"cannot read: {exc.strerror or exc}")
    return check_source(data, shown, table)
