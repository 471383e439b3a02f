"""Module globals that only the parent process ever sets: assigned under
`if __name__ == "__main__":` or by `main()` through `global`, and nowhere else at module level.
A forked worker inherits them; a spawned one (spawn, forkserver) imports the module afresh,
as `__mp_main__`, and finds them unset."""
from __future__ import annotations

from typing import Iterable, Iterator, Optional, Set

import libcst as cst

from poolcompat.engine.syntax import literal

_MAIN = "main"


def is_main_test(test: cst.BaseExpression) -> bool:
    """`__name__ == "__main__"` (either way round)."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    if not isinstance(test.comparisons[0].operator, cst.Equal):
        return False
    sides = (test.left, test.comparisons[0].comparator)
    names = {s.value for s in sides if isinstance(s, cst.Name)}
    strings = {literal(s) for s in sides if isinstance(s, cst.SimpleString)}
    return names == {"__name__"} and strings == {"__main__"}


def _targets(node: cst.BaseExpression) -> Iterator[str]:
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, (cst.Tuple, cst.List)):
        for element in node.elements:
            yield from _targets(element.value)


def _bound(statements: Iterable[cst.CSTNode]) -> Iterator[str]:
    """Names the statements bind directly (assignments, loops, `with ... as`, imports, defs),
    without entering nested functions or classes."""
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign):
                    for target in small.targets:
                        yield from _targets(target.target)
                elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                    yield from _targets(small.target)
                elif isinstance(small, (cst.Import, cst.ImportFrom)) and \
                        not isinstance(small.names, cst.ImportStar):
                    for alias in small.names:
                        bound = alias.asname.name if alias.asname else alias.name
                        if isinstance(bound, cst.Name):
                            yield bound.value
                        elif isinstance(bound, cst.Attribute):
                            yield str(cst.Module([]).code_for_node(bound)).partition(".")[0]
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            yield statement.name.value
        elif isinstance(statement, cst.For):
            yield from _targets(statement.target)
            yield from _bound(_body(statement.body))
        elif isinstance(statement, cst.With):
            for item in statement.items:
                if item.asname is not None and isinstance(item.asname.name, cst.BaseExpression):
                    yield from _targets(item.asname.name)
            yield from _bound(_body(statement.body))
        elif isinstance(statement, (cst.If, cst.While, cst.Try)):
            yield from _bound(_body(statement.body))
            orelse = getattr(statement, "orelse", None)
            if isinstance(orelse, (cst.Else, cst.If)):
                yield from _bound(_body(orelse.body) if isinstance(orelse, cst.Else)
                                  else [orelse])


def _body(block: cst.BaseSuite) -> Iterable[cst.CSTNode]:
    return block.body if isinstance(block, cst.IndentedBlock) else []


def _globals_of(function: cst.FunctionDef) -> Set[str]:
    declared: Set[str] = set()
    for statement in _body(function.body):
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Global):
                    declared.update(n.name.value for n in small.names)
    return declared


def parent_only(module: Optional[cst.Module]) -> Set[str]:
    """The module globals only the parent sets (see the module's docstring)."""
    if module is None:
        return set()
    guarded: Set[str] = set()
    elsewhere: Set[str] = set()
    for statement in module.body:
        if isinstance(statement, cst.If) and is_main_test(statement.test):
            guarded.update(_bound(_body(statement.body)))
            if statement.orelse is not None:
                elsewhere.update(_bound([statement.orelse]))
            continue
        if isinstance(statement, cst.FunctionDef) and statement.name.value == _MAIN:
            declared = _globals_of(statement)
            guarded.update(declared & set(_bound(_body(statement.body))))
        elsewhere.update(_bound([statement]))
    return guarded - elsewhere
