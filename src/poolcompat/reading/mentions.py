"""What one top-level statement mentions and binds, for the skeleton (`skeleton`) to decide
whether a finding could involve it. Read from `ast`, which is cheap next to libcst."""
from __future__ import annotations

import ast
import functools
import re
from typing import FrozenSet, List, NamedTuple, Optional, Sequence, Set, Tuple, Union

from poolcompat.reading.imports import absolute, within

_ANNOTATION = re.compile(r"[\w.\[\], |]{1,200}")  # a string that may be a forward reference
_WORD = re.compile(r"[^\W\d]\w*")


class Tracked(NamedTuple):
    """The modules whose imports a skeleton follows (tracked packages, and project modules that
    export something), and where the file sits, for its relative imports."""

    modules: FrozenSet[str]
    module: str = ""
    is_package: bool = False
    rule_names: FrozenSet[str] = frozenset()  # attributes some rule is about (`submit`)
    # Of the project modules checked before this file, only the names they export matter
    # (`pkg.tasks.run_pool`); every name of the others may (None: of every module).
    exported: FrozenSet[str] = frozenset()
    open: Optional[FrozenSet[str]] = None

    @property
    def distinctive(self) -> FrozenSet[str]:
        """The rule names no common type has (`submit`, `starmap`, `set_result`, not `close`,
        `join` or `get`): a parameter used with one is worth keeping the function for."""
        return _distinctive(self.rule_names)

    def narrowed(self, level: int, module: str, name: str = "") -> Optional[Set[str]]:
        """What matters of what an import binds: None for the name itself, else the names
        exported under it (`from pkg import tasks` where `pkg.tasks` was checked before: only
        statements that mention one of its exported names can involve it)."""
        base = absolute(self.module, self.is_package, level, module) if level else module
        full = f"{base}.{name}" if name and base else base
        if self.open is None or not full or full in self.exported or within(full, self.open):
            return None
        prefix = f"{full}."
        return {qname.rpartition(".")[2] for qname in self.exported if qname.startswith(prefix)}

    def covers(self, level: int, module: str, name: str = "") -> bool:
        base = absolute(self.module, self.is_package, level, module) if level else module
        return bool(base) and (within(base, self.modules) or (
            bool(name) and within(f"{base}.{name}", self.modules)))


class Names(ast.NodeVisitor):
    """What one statement mentions, and what it may bind to something tracked: module-level
    names (a function's locals never reach another statement) and assigned attributes."""

    def __init__(self, tracked: Tracked) -> None:
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
        # A call whose arguments mention something wanted makes the callee's body matter (its
        # parameters are what callers pass) and the functions passed along (callbacks).
        self.call_flows: List[Tuple[Set[str], Set[str]]] = []
        self.defines: Set[str] = set()  # functions and classes defined here, at any depth
        # In a project, another module may pass a pool to a function: a parameter (or what
        # it is stored in) used with a rule's attribute name keeps the statement.
        self.params: Set[str] = set()
        self.param_attrs: Set[str] = set()
        self.rule_bases: Set[str] = set()
        self.star = False
        self.imports = False  # imports anything at module level: always kept (cheap, and the
        # resolver needs sys, typing, functools, contextlib... to read guards and flows)
        self.local_imports = False  # imports something tracked inside a def or class
        self._depth = 0  # inside a def, class, lambda or comprehension
        # The outermost function we are in ("" at module or class level): a local is followed
        # within it, never into another function that happens to use the same name.
        self._function = ""

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
        if node.attr in self.tracked.distinctive:
            self.rule_bases.add(_last(node.value))
        self.generic_visit(node)

    def merge(self, other: "Names") -> None:
        self.used |= other.used
        self.bound |= other.bound
        self.imported |= other.imported
        self.refs |= other.refs
        self.attr_stores += other.attr_stores
        self.local_flows += other.local_flows
        self.call_flows += other.call_flows
        self.defines |= other.defines
        self.params |= other.params
        self.param_attrs |= other.param_attrs
        self.rule_bases |= other.rule_bases
        self.star |= other.star
        self.imports |= other.imports
        self.local_imports |= other.local_imports

    def _sources(self, *sources: Optional[ast.AST]) -> Set[str]:
        """Visit what a store takes its value from, once; what those expressions mention."""
        uses = Names(self.tracked)
        uses._depth, uses._function = self._depth, self._function
        uses.generic_visit_many(sources)
        self.merge(uses)
        return uses.used | {self._local(name) for name in uses.used}

    def _local(self, name: str) -> str:
        return f"{self._function}:{name}" if self._function else name

    def _stores(self, targets: Sequence[Optional[ast.AST]], *sources: Optional[ast.AST]) -> None:
        uses = self._sources(*sources)
        for target in targets:
            for node in ast.walk(target) if target is not None else ():
                if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                    self.attr_stores.append((node.attr, uses))
                    if uses & self.params:
                        self.param_attrs.add(node.attr)
                elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and self._depth:
                    self.local_flows.append((self._local(node.id), uses))
        self.generic_visit_many(targets)

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

    def visit_Call(self, node: ast.Call) -> None:
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        inner = len(self.call_flows)
        passed = self._sources(*arguments)
        uses = passed | self._sources(node.func)
        for targets, used in self.call_flows[inner:]:  # `f(partial(g, a))`: g is passed on too
            used |= uses
        # The callee's body matters when what it is passed does (`self.run(pool)`), not for
        # being called on something that matters (`process.start()`: a class of ours with a
        # `start` is kept anyway, as it mentions what it derives from); what is passed along
        # (`pool.submit(work)`, `future.add_done_callback(done)`) matters in both cases.
        self.call_flows.append(({_last(node.func)} - {""}, passed))
        self.call_flows.append(({_last(a.value if isinstance(a, ast.Starred) else a)
                                 for a in arguments} - {""}, uses))

    def visit_arguments(self, node: ast.arguments) -> None:
        """A default is where a parameter may take its value from (`executor_cls=
        ThreadPoolExecutor`, then `self._executor_cls = executor_cls`)."""
        positional = [*node.posonlyargs, *node.args]
        defaulted = [*zip(positional[len(positional) - len(node.defaults):], node.defaults),
                     *zip(node.kwonlyargs, node.kw_defaults)]
        for arg, default in defaulted:
            if default is not None:
                self.local_flows.append((self._local(arg.arg), self._sources(default)))
        self.generic_visit_many([*positional, node.vararg, *node.kwonlyargs, node.kwarg])

    def visit_arg(self, node: ast.arg) -> None:
        if node.annotation is not None:  # `pool: Pool` in a signature
            self.local_flows.append((self._local(node.arg), self._sources(node.annotation)))
        elif node.arg not in ("self", "cls"):
            self.params.add(node.arg)

    def _imported(self, alias: ast.alias, module: str = "", level: int = 0) -> None:
        self.imports |= not self._depth
        name = alias.asname or alias.name.partition(".")[0]
        self.used.add(name)  # rebinding a tracked name must be seen
        tracked = (self.tracked.covers(level, module, alias.name) if module or level
                   else self.tracked.covers(0, alias.name))
        if not tracked:
            return
        self.local_imports |= bool(self._depth)
        narrowed = (self.tracked.narrowed(level, module, alias.name) if module or level
                    else self.tracked.narrowed(0, alias.name if alias.asname else name))
        if narrowed is None:
            self.bound.add(name)
            self.imported.add(name)
        else:
            self.imported |= narrowed

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._imported(alias)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self.star |= alias.name == "*"
            self._imported(alias, node.module or "", node.level)

    def visit_Global(self, node: ast.Global) -> None:
        self.bound.update(node.names)

    def _binds(self, name: Optional[str]) -> None:
        """A name bound by a form that is no `Name` node: `except E as n`, `case n`, `case [*n]`,
        `case {**n}` (the resolver rebinds it the same way)."""
        if name:
            self.used.add(name)
            self.refs.add(name)
            if not self._depth:
                self.bound.add(name)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        self._binds(node.name)
        self.generic_visit(node)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        self._binds(node.name)
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        self._binds(node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        self._binds(node.rest)
        self.generic_visit(node)

    def _nested(self, node: ast.AST, name: str = "") -> None:
        if name:
            self.used.add(name)
            self.defines.add(name)
            if not self._depth:
                self.bound.add(name)
        outer = self._function
        if not outer and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            self._function = f"{node.lineno}.{node.col_offset}"
        self._depth += 1
        self.generic_visit(node)
        self._depth -= 1
        self._function = outer

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


@functools.lru_cache(maxsize=8)
def _distinctive(rule_names: FrozenSet[str]) -> FrozenSet[str]:
    return rule_names - _common_names()


@functools.lru_cache(maxsize=1)
def _common_names() -> FrozenSet[str]:
    """Attribute names of the builtin containers and strings, files, sockets, threads, queues
    and subprocesses: used there all the time, so no sign of a pool."""
    import io
    import queue
    import socket
    import subprocess
    import threading
    kinds = (list, dict, set, str, bytes, io.TextIOWrapper, io.BufferedReader, socket.socket,
             threading.Thread, threading.Event, threading.Condition, queue.Queue, subprocess.Popen)
    return frozenset(name for kind in kinds for name in dir(kind))


def _last(node: ast.AST) -> str:
    """`f` in `f`, `module.f` or `self.f`: the name a function is known by."""
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def header_names(node: ast.stmt) -> Set[str]:
    """What a def or class line mentions: decorators, bases, annotations, defaults."""
    names = Names(Tracked(frozenset()))
    parts: List[ast.AST] = list(getattr(node, "decorator_list", []))
    if isinstance(node, ast.ClassDef):
        parts += [*node.bases, *node.keywords]
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        parts += [node.args] + ([node.returns] if node.returns else [])
    for part in parts:
        names.visit(part)
    return names.used
