"""The import statements of a module: what each binds (a stdlib module or name by its qualified
name, a project module's name by its absolute one), and the uses they are; also the calls that
import a module named by a literal (`importlib.import_module("multiprocessing")`)."""
from __future__ import annotations

from typing import Set

import libcst as cst

from poolcompat.engine.context import Context
from poolcompat.engine.syntax import dotted
from poolcompat.engine.syntax import literal as literal_value
from poolcompat.engine.values import Binding, Ref, Scope
from poolcompat.engine.walk import Use, Walker
from poolcompat.reading.imports import absolute

# Calls that import the module their first argument names.
IMPORTERS = frozenset({"importlib.import_module", "__import__", "pytest.importorskip"})
IMPORTING = frozenset(name.rpartition(".")[2] for name in IMPORTERS)


class Importing(Walker):
    """The resolver's import handlers (it sets what they fill)."""

    context: Context
    plain_imports: Set[str]
    future_annotations: bool

    def _import(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.Import)
        for alias in node.names:
            module = dotted(alias.name)
            self._use(Use("import", alias, scope, module=module))
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                value = Ref(module)
                scope.bind(alias.asname.name.value, Binding("value", value=value))
            else:
                top = module.partition(".")[0]
                scope.bind(top, Binding("value", value=Ref(top)))
                if scope is self.module:
                    self.plain_imports.add(top)

    def _import_from(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.ImportFrom)
        module = "" if node.module is None else dotted(node.module)
        if module == "__future__" and not isinstance(node.names, cst.ImportStar):
            self.future_annotations |= any(dotted(a.name) == "annotations" for a in node.names)
        if node.relative:  # the project's own module: followed only when the run knows it
            context = self.context
            module = absolute(context.module, context.is_package, len(node.relative), module)
        elif module:
            self._use(Use("from", node, scope, module=module))
        if isinstance(node.names, cst.ImportStar):
            scope.module.stars.append(module)
            return
        for alias in node.names:
            name = dotted(alias.name)
            if module and not node.relative:
                self._use(Use("from", alias, scope, module=module, name=name))
            bound = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                bound = alias.asname.name.value
            value = Ref(f"{module}.{name}") if module else None
            scope.bind(bound, Binding("value", value=value))


def literal_argument(call: cst.Call, index: int) -> str:
    """The string literal passed as the `index`-th positional argument, or ""."""
    args = [a.value for a in call.args if a.keyword is None and not a.star]
    literal = args[index] if len(args) > index else None
    return (literal_value(literal) or "") if literal is not None else ""
