"""Check one file: a pure function of its bytes, safe to run in worker processes.

`summarize` gives what a run needs of the module (its findings, exports and the uses other
modules decide); `check_source` links that one summary alone, for a file checked by itself."""
from __future__ import annotations

from typing import List, Optional, Tuple, Union

import libcst as cst

from poolcompat.engine.context import Context
from poolcompat.engine.detect import Detector
from poolcompat.engine.findings import FileResult, finding
from poolcompat.engine.link import link
from poolcompat.engine.noqa import directives, silenced, suppress
from poolcompat.engine.positions import spans
from poolcompat.engine.summary import Pending, Summary
from poolcompat.reading.gate import relevant
from poolcompat.reading.limits import (
    TIMED_OUT, Limits, TimeLimitExceeded, bounded, collector_paused, deep, release_memory,
)
from poolcompat.reading.screen import Verdict, chain_verdict, libcst_only, python_tree
from poolcompat.reading.skeleton import decode, first_lines, parse_pieces, skeleton
from poolcompat.table.load import Table

# Members that change how a user class behaves as a pool: a skeleton never drops them.
_SHADOWING = frozenset({"__init__", "__enter__", "__exit__", "__new__", "__getattr__"})


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


def _parse_skeleton(sparse: Tuple[str, List[int]]) -> Optional[cst.Module]:
    """The skeleton's tree; None where libcst refuses it, so that the whole file is parsed: a
    shortcut must never turn a valid file into an error (or report a fragment's lines)."""
    try:
        return parse_pieces(*sparse)
    except cst.ParserSyntaxError:
        return None


def summarize(source: Union[bytes, str], path: str, table: Table, context: Context = Context(),
              limits: Optional[Limits] = None) -> Summary:
    """The module's summary; never raises for bad input (the reason goes in `error`), never
    runs longer than `limits.seconds` (default: from the environment, see `Limits`)."""
    chosen = limits or Limits.from_env()
    data = source.encode("utf-8") if isinstance(source, str) else source
    if b"\0" in data:
        return Summary(path, context.module, error="binary file: contains NUL bytes, not Python source")
    try:
        with collector_paused():
            summary = bounded(lambda: _summarize(data, path, table, context, chosen),
                              chosen.seconds)
        release_memory(len(data))  # once the file's tree is gone
        return summary
    except TimeLimitExceeded:
        return Summary(path, context.module, error=f"{TIMED_OUT} {chosen.seconds:g} s "
                                                   "(time limit per file, POOLCOMPAT_TIMEOUT)")
    except Exception as exc:
        return Summary(path, context.module, error=_one_line(exc))


def _summarize(data: bytes, path: str, table: Table, context: Context,
               limits: Limits) -> Summary:
    if limits.max_bytes and len(data) > limits.max_bytes:
        return Summary(path, context.module, error=(
            f"too large to check: {len(data) / 2**20:.1f} MB, over the limit of "
            f"{limits.max_bytes / 2**20:g} MB (POOLCOMPAT_MAX_FILE_MB)"))
    python: Optional[Verdict] = None
    deep.__enter__()  # our walk recurses once per level of nesting
    try:
        # The running Python's parser first, once: it refuses what would overflow libcst's,
        # words syntax errors better, and gives the lines of statements and of findings.
        tree, python = python_tree(data)
        if python is not None and python.final:
            return Summary(path, context.module, error=python.message)
        too_long = chain_verdict(data, tree) if tree is not None else None
        if too_long:
            return Summary(path, context.module, error=too_long)
        tracked = context.tracked(table.packages, table.names)
        sparse = skeleton(data, tracked, table.names | _SHADOWING, tree) \
            if tree is not None else None
        module = _parse_skeleton(sparse) if sparse is not None else None
        starts: Optional[List[int]] = sparse[1] if sparse is not None and module else None
        if starts is not None:
            tree = None  # a big file's: no longer needed, and libcst's tree is built next
        if module is None:
            module = cst.parse_module(data)
        detector = Detector(table, context)
        matches = detector.run(module)
        wanted = [(m.node, m.top) for m in matches]
        wanted += [(part, w.top) for w in detector.waiting for part in w.parts]
        if wanted and starts is None:
            starts = first_lines(tree if tree is not None else data)
        where = spans(module, wanted, starts) if wanted else {}
    except Exception as exc:  # libcst and our analysis: bad input must never stop a run
        return Summary(path, context.module, error=_one_line(exc, python))
    finally:
        deep.__exit__()
    findings = sorted((finding(path, m.rule, where[id(m.node)], m.guarded, m.typing_only,
                               m.method) for m in matches),
                      key=lambda f: (f.line, f.column, f.code))
    pending = [Pending(w.site, w.value, tuple(where[id(part)] for part in w.parts), w.facts)
               for w in detector.waiting]
    summary = Summary(path, context.module, findings=findings, pending=pending,
                      exports=detector.exports, calls=detector.calls, escapes=detector.escapes,
                      params=detector.params)
    if b"noqa" in data.lower():
        text = decode(data)
        summary.findings = suppress(findings, text)
        summary.noqa = directives(text, {span[0] for p in pending for span in p.spans})
        summary.silenced = silenced(text)
    return summary


def check_source(source: Union[bytes, str], path: str, table: Table,
                 context: Context = Context(), limits: Optional[Limits] = None) -> FileResult:
    """Findings of one module checked by itself (the gate first: no import, no finding)."""
    data = source.encode("utf-8") if isinstance(source, str) else source
    if b"\0" not in data and not relevant(data, table.packages):
        return FileResult(path)
    summary = summarize(data, path, table, context, limits)
    return link([summary], table, local=context.local)[0]


__all__ = ["TimeLimitExceeded", "check_source", "summarize"]
