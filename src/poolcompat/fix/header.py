"""What a fix adds at the top of a module: `import sys` for its version test, the modules its
fallback names, the helpers it calls; and, after a raise fix, taking away what nothing uses."""
from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Sequence, Set, Union

import libcst as cst
from libcst.metadata import Assignment, MetadataWrapper, ScopeProvider

from poolcompat.fix.helpers import HELPERS
from poolcompat.fix.syntax import code

_BLANK = cst.EmptyLine(indent=False)


def _imports_module(statement: cst.BaseStatement, name: str) -> bool:
    """`import name` (or `import name as name`) on a line of its own."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    node = statement.body[0]
    return isinstance(node, cst.Import) and any(
        code(alias.name) == name and (alias.asname is None or code(alias.asname.name) == name)
        for alias in node.names)


def _is_helper(statement: cst.BaseStatement, name: str) -> bool:
    return (isinstance(statement, (cst.FunctionDef, cst.ClassDef)) and statement.name.value == name
            and code(statement.with_changes(leading_lines=())).strip() == HELPERS[name].strip())


class Names:
    """Every binding of every name in the module, in any scope (computed once, on demand)."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        scopes = {s for s in wrapper.resolve(ScopeProvider).values() if s is not None}
        self.bindings: Dict[str, List[cst.CSTNode]] = {}
        self.uses: Set[str] = set()
        for scope in scopes:
            for assignment in scope.assignments:
                if isinstance(assignment, Assignment):
                    self.bindings.setdefault(assignment.name, []).append(assignment.node)
            for access in scope.accesses:
                self.uses.add(access.node.value if isinstance(access.node, cst.Name) else "")

    def module_free_for(self, name: str) -> Optional[str]:
        """Why `import name` cannot be relied on or added (None: it can)."""
        for node in self.bindings.get(name, []):
            if not (isinstance(node, cst.Import) and any(
                    code(a.name) == name and (a.asname is None or code(a.asname.name) == name)
                    for a in node.names)):
                return f"the module binds `{name}` to something else"
        return None

    def helper_free(self, name: str) -> Optional[str]:
        for node in self.bindings.get(name, []):
            if not (isinstance(node, cst.BaseStatement) and _is_helper(node, name)):
                return f"the module binds `{name}` to something else"
        return None


def _header_end(body: Sequence[cst.BaseStatement], imports_too: bool) -> int:
    """Where the module's header ends: after the docstring and `__future__` imports, and, with
    `imports_too`, after the imports (also those under `if`/`try`) that follow them."""
    index = 0
    for index, statement in enumerate(body):
        if isinstance(statement, cst.SimpleStatementLine):
            small = statement.body[0]
            if index == 0 and isinstance(small, cst.Expr) and \
                    isinstance(small.value, cst.BaseString):
                continue
            if isinstance(small, cst.ImportFrom) and small.module is not None and \
                    code(small.module) == "__future__":
                continue
            if imports_too and _only_imports(statement):
                continue
        elif imports_too and isinstance(statement, (cst.If, cst.Try)) and _only_imports(statement):
            continue
        return index
    return len(body)


def _only_imports(node: cst.CSTNode) -> bool:
    if isinstance(node, cst.SimpleStatementLine):
        return all(isinstance(s, (cst.Import, cst.ImportFrom, cst.Pass)) for s in node.body)
    if isinstance(node, (cst.If, cst.Try, cst.Else, cst.IndentedBlock, cst.ExceptHandler)):
        return all(_only_imports(c) for c in node.children
                   if isinstance(c, (cst.BaseStatement, cst.BaseSuite, cst.If, cst.Else,
                                     cst.ExceptHandler)))
    return True


def _insert(module: cst.Module, index: int, new: List[cst.BaseStatement],
            blank_lines: int) -> cst.Module:
    """Insert statements; the statement that was at `index` keeps at least `blank_lines` blank
    lines above it; with none asked, the new statements take over its leading lines."""
    body = list(module.body)
    if index < len(body):
        after = body[index]
        lines = list(after.leading_lines)
        if blank_lines:
            missing = blank_lines - sum(1 for _ in _leading_blanks(lines))
            body[index] = after.with_changes(leading_lines=[_BLANK] * max(missing, 0) + lines)
        else:
            new[0] = new[0].with_changes(leading_lines=lines)
            body[index] = after.with_changes(leading_lines=())
    return module.with_changes(body=[*body[:index], *new, *body[index:]])


def _leading_blanks(lines: Sequence[cst.EmptyLine]) -> Iterable[cst.EmptyLine]:
    for line in lines:
        if line.comment is not None:
            return
        yield line


def _plain_import(statement: cst.BaseStatement) -> str:
    """The module of an `import m` line ("" for anything else)."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 and \
            isinstance(statement.body[0], cst.Import):
        return code(statement.body[0].names[0].name)
    return ""


def _import_slot(body: Sequence[cst.BaseStatement], start: int, name: str) -> int:
    """Where `import name` goes: in order among the `import m` lines that open the module,
    else before its first import (or statement)."""
    block = start
    while block < len(body) and isinstance(body[block], cst.SimpleStatementLine) and \
            _only_imports(body[block]):
        block += 1
    plain = [i for i in range(start, block) if _plain_import(body[i])]
    later = [i for i in plain if _plain_import(body[i]) > name]
    if later:
        return later[0]
    return plain[-1] + 1 if plain else start


def with_imports(module: cst.Module, modules: Iterable[str]) -> cst.Module:
    """`import m` for each module the module does not import yet (callers checked the name is
    free with `Names.module_free_for`)."""
    missing = sorted(m for m in set(modules) if not any(_imports_module(s, m) for s in module.body))
    for name in missing:
        body = list(module.body)
        start = _header_end(body, imports_too=False)
        index = _import_slot(body, start, name)
        new = cst.SimpleStatementLine([cst.Import([cst.ImportAlias(cst.Name(name))])])
        if index == start and index < len(body):  # it opens the imports: the blank lines above
            lines = list(body[index].leading_lines)  # move up to it, the comments stay put
            blank = len(list(_leading_blanks(lines)))
            new = new.with_changes(leading_lines=lines[:blank])
            body[index] = body[index].with_changes(leading_lines=lines[blank:])
        body.insert(index, new)
        module = module.with_changes(body=body)
    return module


def with_helpers(module: cst.Module, names: Iterable[str]) -> cst.Module:
    for name in sorted(set(names)):
        if any(_is_helper(s, name) for s in module.body):
            continue
        helper = cst.parse_module(HELPERS[name].lstrip("\n")).body[0]
        blank = [_BLANK, _BLANK]
        index = _header_end(module.body, imports_too=True)
        module = _insert(module, index, [helper.with_changes(leading_lines=blank)],
                         2 if index < len(module.body) else 0)
    return module


def without_unused(module: cst.Module, imported: Iterable[str]) -> cst.Module:
    """Drop our helpers that nothing calls any more, and the imports fixes add (`import sys`
    and the modules of the fallbacks) where nothing uses them; an import's leading lines pass
    to the statement after it."""
    names = Names(module)
    unused = {name for name in imported if name not in names.uses}
    body: List[cst.BaseStatement] = []
    handed: List[cst.EmptyLine] = []
    for statement in module.body:
        if any(_is_helper(statement, h) and h not in names.uses for h in HELPERS):
            continue
        if any(_imports_module(statement, name) for name in unused):
            handed += statement.leading_lines
            continue
        if handed:
            statement = statement.with_changes(
                leading_lines=[*handed, *statement.leading_lines])
            handed = []
        body.append(statement)
    if len(body) == len(module.body):
        return module
    return module.with_changes(body=body)


def refused_names(names: Names, modules: Iterable[str], helpers: Iterable[str]) -> Union[str, None]:
    for module in modules:
        why = names.module_free_for(module.partition(".")[0])
        if why:
            return why
    for helper in helpers:
        why = names.helper_free(helper)
        if why:
            return why
    return None
