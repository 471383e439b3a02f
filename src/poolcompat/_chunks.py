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

CHUNK_FROM_BYTES = 40_000  # smaller files parse whole: the `ast` pass would not pay for itself
_SPLIT_CLASS_FROM_LINES = 100
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_ANNOTATION = re.compile(r"[\w.\[\], |]{1,200}")  # a string that may be a forward reference
_WORD = re.compile(r"[^\W\d]\w*")


class _Names(ast.NodeVisitor):
    """What one statement mentions, and what it may bind to something tracked: module-level
    names (a function's locals never reach another statement) and assigned attributes."""

    def __init__(self, tracked: Set[str]) -> None:
        self.tracked = tracked
        self.used: Set[str] = set()
        self.bound: Set[str] = set()
        self.imported: Set[str] = set()  # names bound by imports of tracked modules
        self.refs: Set[str] = set()  # names read or written outside import statements
        # Where attributes and a function's locals get their values: `self.pool = pool` makes
        # `pool` worth following only if `pool` came from something wanted (`pool = Pool()`,
        # `pool: Pool`), not for every `self.port = 0` of a big test class.
        self.attr_stores: List[Tuple[str, Set[str]]] = []
        self.local_flows: List[Tuple[str, Set[str]]] = []
        self.star = False
        self.imports = False  # imports anything at module level: always kept (cheap, and the
        # resolver needs sys, typing, functools, contextlib... to read guards and flows)
        self._depth = 0  # inside a def, class, lambda or comprehension

    def visit_Name(self, node: ast.Name) -> None:
        self.used.add(node.id)
        self.refs.add(node.id)
        if isinstance(node.ctx, ast.Store) and not self._depth:
            self.bound.add(node.id)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and _ANNOTATION.fullmatch(node.value):
            words = _WORD.findall(node.value)  # `p: "Pool"` mentions Pool
            self.used.update(words)
            self.refs.update(words)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.used.add(node.attr)  # a stored attribute is recorded by _stores
        self.refs.add(node.attr)
        self.generic_visit(node)

    def _stores(self, targets: Sequence[Optional[ast.AST]], *sources: Optional[ast.AST]) -> None:
        uses = _Names(self.tracked)
        for source in sources:
            if source is not None:
                uses.visit(source)
        for target in targets:
            for node in ast.walk(target) if target is not None else ():
                if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                    self.attr_stores.append((node.attr, uses.used))
                elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and self._depth:
                    self.local_flows.append((node.id, uses.used))
        self.generic_visit_many([*targets, *sources])

    def generic_visit_many(self, nodes: Sequence[Optional[ast.AST]]) -> None:
        for node in nodes:
            if node is not None:
                self.visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        self._stores(node.targets, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._stores([node.target], node.value, node.annotation)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._stores([node.target], node.value)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._stores([node.target], node.value)

    def visit_For(self, node: Union[ast.For, ast.AsyncFor]) -> None:
        self._stores([node.target], node.iter)
        self.generic_visit_many([*node.body, *node.orelse])

    visit_AsyncFor = visit_For

    def visit_With(self, node: Union[ast.With, ast.AsyncWith]) -> None:
        for item in node.items:
            self._stores([item.optional_vars], item.context_expr)
        self.generic_visit_many(list(node.body))

    visit_AsyncWith = visit_With

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self._stores([node.target], node.iter)
        self.generic_visit_many(list(node.ifs))

    def visit_arg(self, node: ast.arg) -> None:
        if node.annotation is not None:  # `pool: Pool` in a signature
            uses = _Names(self.tracked)
            uses.visit(node.annotation)
            self.local_flows.append((node.arg, uses.used))
        self.generic_visit(node)

    def _imported(self, module: str, alias: ast.alias) -> None:
        self.imports |= not self._depth
        name = alias.asname or alias.name.partition(".")[0]
        self.used.add(name)  # rebinding a tracked name must be seen
        if module.partition(".")[0] in self.tracked:
            self.used.add(module.partition(".")[0])
            self.bound.add(name)
            self.imported.add(name)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._imported(alias.name, alias)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self.star |= alias.name == "*"
            self._imported(node.module or "", alias)

    def visit_Global(self, node: ast.Global) -> None:
        self.bound.update(node.names)

    def _nested(self, node: ast.AST, name: str = "") -> None:
        if name:
            self.used.add(name)
            if not self._depth:
                self.bound.add(name)
        self._depth += 1
        self.generic_visit(node)
        self._depth -= 1

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._nested(node, node.name)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._nested(node, node.name)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._nested(node, node.name)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._nested(node)

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._nested(node)

    visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_ListComp  # type: ignore[assignment]


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_WHOLE = ("all", "imports", "value")  # kept as they are; a "stub" keeps only its outline


class _Unit:
    """A statement, or several sharing a line (`a; b`), with its line span and names."""

    def __init__(self, first: ast.stmt, tracked: Set[str]) -> None:
        self.statements = [first]
        self.start, self.end = _span(first)
        self.names = _Names(tracked)
        self.names.visit(first)

    def absorb(self, other: "_Unit") -> None:
        self.statements += other.statements
        self.end = max(self.end, other.end)
        self.names.used |= other.names.used
        self.names.bound |= other.names.bound
        self.names.imported |= other.names.imported
        self.names.refs |= other.names.refs
        self.names.attr_stores += other.names.attr_stores
        self.names.local_flows += other.names.local_flows
        self.names.star |= other.names.star
        self.names.imports |= other.names.imports


def _span(statement: ast.stmt) -> Tuple[int, int]:
    decorators = getattr(statement, "decorator_list", [])
    start = min([statement.lineno, *(d.lineno for d in decorators)])
    return start, statement.end_lineno or statement.lineno


def _units(body: Sequence[ast.stmt], tracked: Set[str]) -> List[_Unit]:
    units: List[_Unit] = []
    for statement in body:
        unit = _Unit(statement, tracked)
        if units and unit.start <= units[-1].end:
            units[-1].absorb(unit)
        else:
            units.append(unit)
    return units


def _header_names(node: ast.stmt) -> Set[str]:
    """What a def or class line mentions: decorators, bases, annotations, defaults."""
    names = _Names(set())
    parts: List[ast.AST] = list(getattr(node, "decorator_list", []))
    if isinstance(node, ast.ClassDef):
        parts += [*node.bases, *node.keywords]
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        parts += [node.args] + ([node.returns] if node.returns else [])
    for part in parts:
        names.visit(part)
    return names.used


def _settle(units: List[_Unit], wanted: Set[str], always: Set[str]) -> List[str]:
    """Keep ("all") what mentions a wanted name (adding what it binds) and what binds a name kept
    code mentions (a "value": a dict literal spread into a pool's call), until nothing changes.
    A def or class kept only for its name is a "stub": its body cannot matter, only what it
    shadows."""
    # Imports always stay, but what else such a statement binds (`try: import x; HOST = ...`)
    # is wanted only once it turns out to mention something wanted itself.
    keep = ["all" if u.names.bound & always else "imports" if u.names.star or u.names.imports
            else "" for u in units]
    needed: Set[str] = set()
    flows: List[Tuple[str, Set[str]]] = []  # attributes stored by what is kept "all"
    locals_: List[Tuple[str, Set[str]]] = []  # and its functions' locals
    tracked_locals: Set[str] = set()
    for unit, kept in zip(units, keep):
        if kept:
            wanted |= unit.names.bound if kept == "all" else unit.names.imported
            needed |= unit.names.used
        if kept == "all":
            flows += unit.names.attr_stores
            locals_ += unit.names.local_flows
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
            elif not keep[i] and unit.names.bound & needed:
                changed = True
                if isinstance(only, _DEFS):
                    keep[i] = "stub"
                    needed |= _header_names(only)
                else:  # kept for its value (`OPTIONS = {...}`): what else uses it cannot matter
                    keep[i] = "value"
                    needed |= unit.names.used
    return keep


def first_lines(source: Union[str, bytes]) -> Optional[List[int]]:
    """The line each module-level statement starts on (decorators included; `a; b` counts once),
    or None when `ast` cannot parse what libcst did."""
    try:
        tree = ast.parse(source)
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


def skeleton(data: bytes, modules: Iterable[str],
             shadowing: Iterable[str] = ()) -> Optional[Tuple[str, List[int]]]:
    """The source with irrelevant statements blanked and the first line of each statement kept,
    or None to parse the file whole. `shadowing` names class members that must stay (they may
    override a stdlib method)."""
    if len(data) < CHUNK_FROM_BYTES:
        return None
    try:
        tree = ast.parse(data)
        text = decode(data)
    except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError, LookupError):
        return None  # libcst parses it whole and reports what is wrong
    lines = _LINES.findall(text)
    out = ["\n"] * len(lines)
    tracked, always = set(modules), set(shadowing)
    wanted = set(tracked)
    units = _units(tree.body, tracked)
    if any(unit.names.star for unit in units):
        wanted |= always  # `from m import *` may bind any name a rule is about
    starts: List[int] = []  # as first_lines() would find them, without parsing again
    for unit, kept in zip(units, _settle(units, wanted, set())):
        if not kept:
            continue
        starts.append(unit.start)
        out[unit.start - 1:unit.end] = lines[unit.start - 1:unit.end]
        only = unit.statements[0]
        if kept == "stub" and isinstance(only, ast.ClassDef):
            _prune_class(only, lines, out, tracked, set(), always)
        elif kept == "stub":
            _blank_body(only, lines, out)
        elif isinstance(only, ast.ClassDef) and len(unit.statements) == 1 and (
                unit.end - unit.start > _SPLIT_CLASS_FROM_LINES):
            _prune_class(only, lines, out, tracked, wanted, always)
    return "".join(out), starts


def _blank_body(node: ast.stmt, lines: List[str], out: List[str]) -> None:
    body: List[ast.stmt] = getattr(node, "body", [])
    first = body[0].lineno if body else node.lineno
    if first <= node.lineno or first <= _span(node)[0]:
        return  # `def f(): return 1`: one line
    end = _span(node)[1]
    text = lines[first - 1]
    out[first - 1] = text[:len(text) - len(text.lstrip(" \t"))] + "pass\n"
    out[first:end] = ["\n"] * (end - first)


def _prune_class(node: ast.ClassDef, lines: List[str], out: List[str], tracked: Set[str],
                 wanted: Set[str], always: Set[str]) -> None:
    members = _units(node.body, tracked)
    for member, kept in zip(members, _settle(members, set(wanted), always)):
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
