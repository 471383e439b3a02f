"""Big files reach libcst as a skeleton: only the statements a finding could involve, the rest
blanked out line for line, so every position stays where it was.

A libcst tree costs several hundred bytes of memory per byte of source and most of the run time;
`ast` finds the statements for a fraction of that. A top-level statement is kept when it mentions
something that may be tracked: a tracked module, or a name or attribute bound by a statement
already kept (so factories, globals and classes defined far from the imports are followed), or
when it binds a name that kept code mentions; imports always stay. This runs to a fixpoint. Inside a big kept class, each member is judged the same
way, and members that define a name some rule is about (`starmap`, `__enter__`, ...) always stay,
since they shadow the stdlib's. The tests check that the findings equal those of the whole file.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from typing import Iterable, List, Optional, Sequence, Set, Tuple, Union

import libcst as cst

from poolcompat.reading.mentions import Names, Tracked, header_names

CHUNK_FROM_BYTES = 8_000  # smaller files parse whole: the skeleton would not pay for itself
_SPLIT_CLASS_FROM_LINES = 100
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_WHOLE = ("all", "imports", "value")  # kept as they are; a "stub" keeps only its outline


class _Unit:
    """A statement, or several sharing a line (`a; b`), with its line span and names."""

    def __init__(self, first: ast.stmt, tracked: Tracked) -> None:
        self.statements = [first]
        self.start, self.end = _span(first)
        self.names = Names(tracked)
        self.names.visit(first)

    def absorb(self, other: "_Unit") -> None:
        self.statements += other.statements
        self.end = max(self.end, other.end)
        self.names.merge(other.names)


def _span(statement: ast.stmt) -> Tuple[int, int]:
    decorators = getattr(statement, "decorator_list", [])
    start = min([statement.lineno, *(d.lineno for d in decorators)])
    return start, statement.end_lineno or statement.lineno


def _units(body: Sequence[ast.stmt], tracked: Tracked) -> List[_Unit]:
    units: List[_Unit] = []
    for statement in body:
        unit = _Unit(statement, tracked)
        if units and unit.start <= units[-1].end:
            units[-1].absorb(unit)
        else:
            units.append(unit)
    return units


def _fed(units: List[_Unit]) -> List[bool]:
    """In a project, which units a parameter may bring a pool into: one uses a parameter with a
    rule's attribute name, or stores a parameter in an attribute that some unit uses so
    (`self.future = future` in one method, `self.future.set_result(...)` in another)."""
    stored = set().union(*(u.names.param_attrs for u in units))
    used = set().union(*(u.names.rule_bases for u in units))
    return [bool((u.names.params - _BOUND) & u.names.rule_bases or u.names.param_attrs & used
                 or u.names.rule_bases & stored) for u in units]


# No caller passes these: `self.done()` matters when the class derives from a pool, and then
# its header keeps it (distributed's scheduler, 8,000 lines, kept whole for `self.running`).
_BOUND = frozenset({"self", "cls"})


def _settle(units: List[_Unit], wanted: Set[str], always: Set[str], defined: Set[str],
            project: bool = False) -> List[str]:
    """Keep ("all") what mentions a wanted name (adding what it binds) and what binds a name kept
    code mentions (a "value": a dict literal spread into a pool's call), until nothing changes.
    A def or class kept only for its name is a "stub": its body cannot matter, only what it
    shadows."""
    # Imports always stay, but what else such a statement binds (`try: import x; HOST = ...`)
    # is wanted only once it turns out to mention something wanted itself.
    fed = _fed(units) if project else [False] * len(units)
    keep = ["all" if u.names.bound & always or fed[i] or u.names.local_imports
            else "imports" if u.names.star or u.names.imports else "" for i, u in enumerate(units)]
    needed: Set[str] = set()
    flows: List[Tuple[str, Set[str]]] = []  # attributes stored by what is kept "all"
    locals_: List[Tuple[str, Set[str]]] = []  # and its functions' locals
    calls: List[Tuple[Set[str], Set[str]]] = []  # and its calls
    tracked_locals: Set[str] = set()
    for unit, kept in zip(units, keep):
        if kept:
            wanted |= unit.names.bound if kept == "all" else unit.names.imported
            needed |= unit.names.used
        if kept == "all":
            flows += unit.names.attr_stores
            locals_ += unit.names.local_flows
            calls += unit.names.call_flows
    changed = True
    while changed:
        changed = False
        for name, uses in locals_:
            if name not in tracked_locals and uses & (wanted | tracked_locals):
                tracked_locals.add(name)
                changed = True
        for attr, uses in flows:
            if attr not in wanted and uses & (wanted | tracked_locals):
                wanted.add(attr)
                changed = True
        for targets, uses in calls:  # only a body defined here can matter
            if not targets & defined <= wanted and uses & (wanted | tracked_locals):
                wanted |= targets & defined
                changed = True
        for i, unit in enumerate(units):
            if keep[i] == "all":
                continue
            only = unit.statements[0] if len(unit.statements) == 1 else None
            mentions = unit.names.refs if keep[i] == "imports" else unit.names.used
            if mentions & wanted:
                keep[i], changed = "all", True
                wanted |= unit.names.bound
                needed |= unit.names.used
                flows += unit.names.attr_stores
                locals_ += unit.names.local_flows
                calls += unit.names.call_flows
            elif not keep[i] and unit.names.bound & needed:
                changed = True
                if isinstance(only, _DEFS):
                    keep[i] = "stub"
                    needed |= header_names(only)
                else:  # kept for its value (`OPTIONS = {...}`): what else uses it cannot matter
                    keep[i] = "value"
                    needed |= unit.names.used
    return keep


def first_lines(source: Union[str, bytes, ast.Module]) -> Optional[List[int]]:
    """The line each module-level statement starts on (decorators included; `a; b` counts once),
    or None when `ast` cannot parse what libcst did."""
    try:
        tree = source if isinstance(source, ast.Module) else ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    starts: List[int] = []
    end = 0
    for statement in tree.body:
        start, last = _span(statement)
        if start > end:
            starts.append(start)
        end = max(end, last)
    return starts


def decode(data: bytes) -> str:
    """Source text as Python reads it: the PEP 263 cookie or BOM, else UTF-8."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)
    return text[1:] if text.startswith("\ufeff") else text


def skeleton(data: bytes, tracked: Tracked, shadowing: Iterable[str] = (),
             parsed: Optional[ast.Module] = None) -> Optional[Tuple[str, List[int]]]:
    """The source with irrelevant statements blanked and the first line of each statement kept,
    or None to parse the file whole. `shadowing` names class members that must stay (they may
    override a stdlib method); `parsed` is the file's `ast` tree, if the caller has it."""
    if len(data) < CHUNK_FROM_BYTES:
        return None
    try:
        tree = parsed or ast.parse(data)
        text = decode(data)
    except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError, LookupError):
        return None  # libcst parses it whole and reports what is wrong
    lines = _LINES.findall(text)
    out = ["\n"] * len(lines)
    always = set(shadowing)
    wanted = {module for module in tracked.modules if "." not in module}
    units = _units(tree.body, tracked)
    if any(unit.names.star for unit in units):
        wanted |= always  # `from m import *` may bind any name a rule is about
    starts: List[int] = []  # as first_lines() would find them, without parsing again
    defined = set().union(*(unit.names.defines for unit in units))
    for unit, kept in zip(units, _settle(units, wanted, set(), defined, bool(tracked.module))):
        if not kept:
            continue
        starts.append(unit.start)
        out[unit.start - 1:unit.end] = lines[unit.start - 1:unit.end]
        only = unit.statements[0]
        if kept == "stub" and isinstance(only, ast.ClassDef):
            _prune_class(only, lines, out, tracked, set(), always, defined)
        elif kept == "stub":
            _blank_body(only, lines, out)
        elif isinstance(only, ast.ClassDef) and len(unit.statements) == 1 and (
                unit.end - unit.start > _SPLIT_CLASS_FROM_LINES) and not (
                header_names(only) & wanted):  # a pool's subclass: `self.done()` is its API
            _prune_class(only, lines, out, tracked, wanted, always, defined)
    return "".join(out), starts


def _blank_body(node: ast.stmt, lines: List[str], out: List[str]) -> None:
    body: List[ast.stmt] = getattr(node, "body", [])
    first = body[0].lineno if body else node.lineno
    if first <= node.lineno or first <= _span(node)[0]:
        return  # `def f(): return 1`: one line
    if lines[first - 1].encode()[:body[0].col_offset].strip():  # ast counts UTF-8 bytes
        return  # `) -> int: return 1`: the body shares the signature's last line
    end = _span(node)[1]
    text = lines[first - 1]
    out[first - 1] = text[:len(text) - len(text.lstrip(" \t"))] + "pass\n"
    out[first:end] = ["\n"] * (end - first)


def _prune_class(node: ast.ClassDef, lines: List[str], out: List[str], tracked: Tracked,
                 wanted: Set[str], always: Set[str], defined: Set[str]) -> None:
    members = _units(node.body, tracked)
    for member, kept in zip(members, _settle(members, set(wanted), always, defined,
                                             bool(tracked.module))):
        if kept in _WHOLE:
            continue
        if kept == "stub":
            _blank_body(member.statements[0], lines, out)
            continue
        first = lines[member.start - 1]
        indent = first[:len(first) - len(first.lstrip(" \t"))]
        out[member.start - 1] = f"{indent}pass\n"
        out[member.start:member.end] = ["\n"] * (member.end - member.start)


def _indented(module: cst.Module) -> bool:
    return any(isinstance(getattr(s, "body", None), cst.IndentedBlock) for s in module.body)


def parse_pieces(text: str, starts: List[int]) -> cst.Module:
    """A big module parsed one top-level statement at a time (`starts`: their first lines).

    libcst's native parser holds memory in proportion to what one call parses, and glibc keeps
    it: a 200 KB test module cost 85 MB at once, its largest statement a fraction of that.
    Lines before the first statement (comments) are left out; nothing looks at them. Where the
    pieces disagree on indentation or newlines, the module is parsed whole."""
    if not starts:
        return cst.parse_module(text)
    lines = _LINES.findall(text)
    ends = [*starts[1:], len(lines) + 1]
    pieces = [cst.parse_module("".join(lines[a - 1:b - 1])) for a, b in zip(starts, ends)]
    indents = {p.default_indent for p in pieces if _indented(p)}
    newlines = {p.default_newline for p in pieces}
    if len(indents) > 1 or len(newlines) > 1:
        return cst.parse_module(text)
    body = [statement for piece in pieces for statement in piece.body]
    return cst.Module(body=body, default_indent=indents.pop() if indents else "    ",
                      default_newline=newlines.pop())
