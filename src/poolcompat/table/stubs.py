"""Read typeshed's version gates for the pool modules, as data.

Two kinds of fact come out of a typeshed `stdlib/` directory:

* `stdlib/VERSIONS`: the first (and last) version of each module;
* every `sys.version_info >= / <` test in the stubs of `multiprocessing`, `concurrent.futures`
  and `concurrent.interpreters`: which module names and class members exist only on some
  versions, which parameters appear, vanish, become positional- or keyword-only or change their
  default, which classes gain `__class_getitem__` (subscripting at run time), and what each
  module's `__all__` holds on each version.

Each fact is a `Gate`; nothing here knows the rule table (see `typeshed.py` for the mapping).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple

from poolcompat.versions import Version, format_version

SCOPE = ("multiprocessing", "concurrent.futures", "concurrent.interpreters")
FLOOR = Version((0,))  # "before anything this copy tells apart"
Span = Tuple[Version, Optional[Version]]  # [first, until): until None is "still there"
ALWAYS: Span = (FLOOR, None)


@dataclass(frozen=True, order=True)
class Gate:
    what: str  # module, name, member, subscript, parameter (or keyword-only, positional-only), default, all
    api: str  # "pkg.mod.Class.member", "pkg.mod.func(param)", "pkg.mod:Name" for `__all__`
    change: str  # "added", "removed" or "changed"
    version: str  # where the change happens

    @property
    def key(self) -> str:
        return f"{self.what} {self.api} {self.change} {self.version}"


def in_scope(module: str) -> bool:
    return any(module == s or module.startswith(s + ".") for s in SCOPE)


def read_versions(stdlib: Path) -> List[Gate]:
    """The VERSIONS lines of the modules in scope (and their parents `concurrent`)."""
    gates = []
    for line in (stdlib / "VERSIONS").read_text(encoding="utf-8").splitlines():
        line = line.partition("#")[0].strip()
        if not line:
            continue
        module, _, span = (part.strip() for part in line.partition(":"))
        if not (in_scope(module) or module == "concurrent"):
            continue
        first, _, last = span.partition("-")
        gates.append(Gate("module", module, "added", first.strip()))
        if last.strip():
            gates.append(Gate("module", module, "removed", last.strip()))
    return gates


def stub_modules(stdlib: Path) -> Iterator[Tuple[str, Path]]:
    """(module name, stub file) for every stub in scope."""
    for path in sorted(stdlib.rglob("*.pyi")):
        parts = list(path.relative_to(stdlib).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        module = ".".join(parts)
        if in_scope(module):
            yield module, path


# ---- walking a stub under its version tests ------------------------------------------------

@dataclass
class Definition:
    scope: str  # the module or class it is defined in
    name: str
    node: ast.AST
    span: Span


def _narrow(test: ast.expr, span: Span) -> Tuple[Span, Span]:
    """The spans of an `if`'s body and its `else` under `test` (unchanged for other tests)."""
    first, until = span
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        body = span
        for value in test.values:
            body, _ = _narrow(value, body)
        return body, span  # `else` of a conjunction is not a version range: keep it whole
    bound = _version_test(test)
    if bound is None:
        return span, span
    op, version = bound
    later = (max(first, version), until)
    earlier = (first, version if until is None else min(until, version))
    return (later, earlier) if op == ">=" else (earlier, later)


def _version_test(test: ast.expr) -> Optional[Tuple[str, Version]]:
    """`sys.version_info >= (3, 8)` -> (">=", 3.8); `< (3, 8)` -> ("<", 3.8); else None."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1
            and ast.unparse(test.left) == "sys.version_info"):
        return None
    op = {ast.GtE: ">=", ast.Lt: "<"}.get(type(test.ops[0]))
    right = test.comparators[0]
    if op is None or not isinstance(right, ast.Tuple):
        return None
    numbers = [e.value for e in right.elts if isinstance(e, ast.Constant) and isinstance(e.value, int)]
    return op, Version(numbers)


def _empty(span: Span) -> bool:
    return span[1] is not None and span[1] <= span[0]


def walk(body: Sequence[ast.stmt], scope: str, span: Span = ALWAYS) -> Iterator[Definition]:
    """Every definition in `body` (classes' members too) with the versions it exists on."""
    for node in body:
        if isinstance(node, ast.If):
            inside, outside = _narrow(node.test, span)
            if not _empty(inside):
                yield from walk(node.body, scope, inside)
            if not _empty(outside):
                yield from walk(node.orelse, scope, outside)
        elif _stub_only(node):
            continue
        elif isinstance(node, ast.ClassDef):
            yield Definition(scope, node.name, node, span)
            yield from walk(node.body, f"{scope}.{node.name}", span)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield Definition(scope, node.name, node, span)
        elif isinstance(node, (ast.AnnAssign, ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    yield Definition(scope, target.id, node, span)
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:  # a stub re-exports only `import x as x`
                if alias.asname is not None and alias.asname == alias.name:
                    yield Definition(scope, alias.asname, node, span)


_TYPING = {"TypeVar", "ParamSpec", "TypeVarTuple", "NewType", "TypeAlias"}


def _stub_only(node: ast.stmt) -> bool:
    """Typing machinery that exists in the stub, not at run time: type variables, aliases,
    `@type_check_only` classes and functions."""
    if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return any(ast.unparse(d).endswith("type_check_only") for d in node.decorator_list)
    if isinstance(node, ast.AnnAssign):
        return ast.unparse(node.annotation).endswith("TypeAlias")
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
        return ast.unparse(node.value.func).rpartition(".")[2] in _TYPING
    return False


# ---- from definitions to gates ----------------------------------------------------------------

def _edges(spans: Sequence[Span]) -> Tuple[Version, Optional[Version]]:
    first = min(s[0] for s in spans)
    untils = [s[1] for s in spans]
    return first, None if any(u is None for u in untils) else max(u for u in untils if u)


def lifetime_gates(what: str, api: str, spans: Sequence[Span], outer: Span) -> Iterator[Gate]:
    first, until = _edges(spans)
    if first > outer[0]:
        yield Gate(what, api, "added", format_version(first))
    if until is not None and (outer[1] is None or until < outer[1]):
        yield Gate(what, api, "removed", format_version(until))


Param = Tuple[str, str, str]  # kind ("positional-only", "", "keyword-only"), annotation, default


def _params(node: ast.AST) -> Dict[str, Param]:
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    args = node.args
    found: Dict[str, Param] = {}
    positional = [(a, "positional-only") for a in args.posonlyargs] + [(a, "") for a in args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for index, ((arg, kind), default) in enumerate(zip(positional, defaults)):
        if index == 0 and arg.arg in ("self", "cls"):
            continue
        name = arg.arg
        if name.startswith("__") and not name.endswith("__"):  # the old spelling of `/`
            name, kind = name[2:], "positional-only"
        found[name] = (kind, _text(arg.annotation), _text(default))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        found[arg.arg] = ("keyword-only", _text(arg.annotation), _text(default))
    return found


def _text(node: Optional[ast.AST]) -> str:
    return "" if node is None else ast.unparse(node)


def _signature_gates(api: str, versions: Sequence[Tuple[Span, List[ast.AST]]]) -> Iterator[Gate]:
    """Compare a function's parameters between the spans it is defined on, oldest first."""
    ordered = sorted(versions, key=lambda v: v[0][0])
    for (_, older), (span, newer) in zip(ordered, ordered[1:]):
        before, after = _merged(older), _merged(newer)
        at = format_version(span[0])
        for name in after.keys() - before.keys():  # a new keyword-only one says so
            yield Gate(after[name][0] or "parameter", f"{api}({name})", "added", at)
        for name in before.keys() - after.keys():
            yield Gate("parameter", f"{api}({name})", "removed", at)
        for name in after.keys() & before.keys():
            (was, was_type, was_default), (kind, new_type, default) = before[name], after[name]
            if kind != was:
                yield Gate(kind or "positional-or-keyword", f"{api}({name})", "changed", at)
            if (new_type, default) != (was_type, was_default):
                yield Gate("default", f"{api}({name})", "changed", at)


def _merged(overloads: List[ast.AST]) -> Dict[str, Param]:
    """The parameters of a function's overloads together (the first spelling of each wins)."""
    merged: Dict[str, Param] = {}
    for node in overloads:
        for name, param in _params(node).items():
            merged.setdefault(name, param)
    return merged


def read_module(module: str, source: str) -> List[Gate]:
    """Every gate in one stub."""
    definitions = list(walk(ast.parse(source).body, module))
    spans: Dict[Tuple[str, str], List[Span]] = {}
    functions: Dict[Tuple[str, str], Dict[Span, List[ast.AST]]] = {}
    for d in definitions:
        if d.name == "__all__":
            continue
        spans.setdefault((d.scope, d.name), []).append(d.span)
        if isinstance(d.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.setdefault((d.scope, d.name), {}).setdefault(d.span, []).append(d.node)
    classes = {f"{d.scope}.{d.name}": d.span for d in definitions if isinstance(d.node, ast.ClassDef)}
    gates: Set[Gate] = set()
    for (scope, name), found in spans.items():
        outer = _edges([classes[scope]]) if scope in classes else ALWAYS
        what = "member" if scope in classes else "name"
        if name == "__class_getitem__":
            what, api = "subscript", scope
        else:
            api = f"{scope}.{name}"
        gates.update(lifetime_gates(what, api, found, outer))
    for (scope, name), by_span in functions.items():
        if len(by_span) > 1:
            gates.update(_signature_gates(f"{scope}.{name}", list(by_span.items())))
    return sorted(gates)
