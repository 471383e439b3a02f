"""Check one file: a pure function of its bytes, safe to run in worker processes."""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable, List, Optional, Sequence, Tuple, TypeVar, Union, cast

import libcst as cst

from poolcompat.engine.detect import Detector
from poolcompat.reading.files import display, read_source
from poolcompat.reading.limits import Limits, TimeLimitExceeded, bounded, deep, release_memory
from poolcompat.engine.noqa import suppress
from poolcompat.reading.skeleton import decode, first_lines, parse_pieces, skeleton
from poolcompat.engine.positions import spans
from poolcompat.reading.gate import relevant
from poolcompat.engine.context import Context
from poolcompat.engine.findings import FileResult, Finding
from poolcompat.table.load import Rule, Table, default_table
from poolcompat.reading.screen import Verdict, chain_verdict, libcst_only, python_verdict
from poolcompat.versions import Version

# Members that change how a user class behaves as a pool: a skeleton never drops them.
_SHADOWING = frozenset({"__init__", "__enter__", "__exit__", "__new__", "__getattr__"})


F = TypeVar("F", bound=Callable[..., FileResult])


def _one_line(exc: BaseException, python: Optional[Verdict] = None) -> str:
    if isinstance(exc, cst.ParserSyntaxError):
        if python is not None:
            return python.message  # CPython words syntax errors better than libcst
        where = f"line {exc.raw_line}, column {exc.raw_column + 1}"
        return libcst_only(f"{where}: {exc.message.splitlines()[0]}")
    if isinstance(exc, (RecursionError, MemoryError)):
        return "too deeply nested to analyse"
    if isinstance(exc, UnicodeDecodeError):
        return f"cannot decode: {exc.reason} at byte {exc.start}"
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else 'cannot be checked'}"


def _screen(data: bytes, limits: Limits) -> Tuple[Optional[str], Optional[Verdict]]:
    """Why the file is not parsed at all, and what the running Python says about it."""
    if limits.max_bytes and len(data) > limits.max_bytes:
        return (f"too large to check: {len(data) / 2**20:.1f} MB, over the limit of "
                f"{limits.max_bytes / 2**20:g} MB (POOLCOMPAT_MAX_FILE_MB)"), None
    verdict = python_verdict(data)
    return (verdict.message if verdict and verdict.final else None), verdict


def _bounded(check: F) -> F:
    """Run a check on a big stack under the time limit; whatever happens becomes `error`."""
    @wraps(check)
    def run(source: Union[bytes, str], path: str = "<string>", *args: Any,
            limits: Optional[Limits] = None, **kwargs: Any) -> FileResult:
        chosen = limits or Limits.from_env()
        if isinstance(source, bytes) and b"\0" in source:
            return FileResult(path, error="binary file: contains NUL bytes, not Python source")
        try:
            result = bounded(lambda: check(source, path, *args, limits=chosen, **kwargs),
                             chosen.seconds)
            release_memory(len(source))  # once the file's tree is gone
            return result
        except TimeLimitExceeded:
            return FileResult(path, error=f"gave up after {chosen.seconds:g} s "
                                          "(time limit per file, POOLCOMPAT_TIMEOUT)")
        except Exception as exc:
            return FileResult(path, error=_one_line(exc))
    return cast(F, run)


def _finding(path: str, rule: Rule, span: Sequence[int], guarded: bool) -> Finding:
    return Finding(
        path=path, line=span[0], column=span[1], end_line=span[2], end_column=span[3],
        code=rule.code, feature=rule.feature, requires=Version(rule.requires),
        requires_py2=Version(rule.py2) if rule.py2 else None, message=rule.message,
        removed=Version(rule.removed) if rule.removed else None, guarded=guarded,
    )


def _parse_skeleton(sparse: Tuple[str, List[int]]) -> Optional[cst.Module]:
    """The skeleton's tree; None where libcst refuses it, so that the whole file is parsed: a
    shortcut must never turn a valid file into an error (or report a fragment's lines)."""
    try:
        return parse_pieces(*sparse)
    except cst.ParserSyntaxError:
        return None


@_bounded
def check_source(source: Union[bytes, str], path: str = "<string>",
                 table: Optional[Table] = None, context: Context = Context(),
                 limits: Optional[Limits] = None) -> FileResult:
    """Findings of one module; never raises for bad input (the reason goes in `error`), never
    runs longer than `limits.seconds` (default from the environment, see `Limits`).
    `context` tells what the rest of the checked project exports."""
    table = table or default_table()
    data = source.encode("utf-8") if isinstance(source, str) else source
    modules = table.packages + context.needles
    if not relevant(data, modules):
        return FileResult(path)
    chosen = limits or Limits()
    deep.__enter__()  # our walk recurses once per level of nesting
    try:
        # A big file's skeleton comes from the running Python's parser: when it parses, the
        # screen has nothing to add; otherwise (small or unparsable files) the screen runs.
        too_big = bool(chosen.max_bytes) and len(data) > chosen.max_bytes
        python: Optional[Verdict] = None
        too_long = chain_verdict(data)
        if too_long:
            return FileResult(path, error=too_long)
        sparse = None if too_big else skeleton(data, modules, table.names | _SHADOWING)
        starts: Optional[List[int]] = None
        module = _parse_skeleton(sparse) if sparse is not None else None
        if module is None:
            refused, python = _screen(data, chosen)
            if refused:
                return FileResult(path, error=refused)
            module = cst.parse_module(data)
        else:
            starts = sparse[1] if sparse is not None else None
        detector = Detector(table, context)
        matches = detector.run(module)
        if matches and starts is None:
            starts = first_lines(data)
        where = spans(module, [(m.node, m.top) for m in matches], starts) if matches else {}
    except Exception as exc:  # libcst and our analysis: bad input must never stop a run
        return FileResult(path, error=_one_line(exc, python))
    finally:
        deep.__exit__()
    findings = [_finding(path, m.rule, where[id(m.node)], m.guarded) for m in matches]
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    if findings and b"noqa" in data.lower():
        findings = suppress(findings, decode(data))
    return FileResult(path, findings, exports=detector.exports)


def check_file(path: str, table: Optional[Table] = None,
               limits: Optional[Limits] = None) -> FileResult:
    chosen = limits or Limits.from_env()
    data, error = read_source(path, chosen.max_bytes)
    if data is None:
        return FileResult(display(path), error=error)
    return check_source(data, display(path), table, limits=chosen)
