"""Which start method a pool or process the module creates runs under, where the code says so.

`get_context("fork").Pool()`, a name bound to such a context, `ProcessPoolExecutor(mp_context=
get_context("spawn"))`, `Pool(context=...)`, and `multiprocessing.set_start_method("spawn")`
anywhere in the module (for what is created through the default context). The answer is a
method, `DEFAULT` where nothing is set (each platform's default applies), or `UNKNOWN` where the
code chooses one the checker cannot read (a variable, two different literals): a pitfall that
depends on the method is then not reported."""
from __future__ import annotations

from typing import Iterable, Optional, Set

import libcst as cst

from poolcompat.engine.evaluate import Evaluator
from poolcompat.engine.syntax import literal
from poolcompat.engine.values import Inst, Ref, Scope
from poolcompat.engine.walk import Use
from poolcompat.table.platforms import START_METHODS

DEFAULT = ""
UNKNOWN = "?"
_GET_CONTEXT = "multiprocessing.get_context"
_SET_START_METHOD = "multiprocessing.set_start_method"
_CONTEXT_KEYWORDS = ("mp_context", "context")  # ProcessPoolExecutor, multiprocessing.pool.Pool
_CONTEXT = "multiprocessing.context.BaseContext"


def _method_argument(call: cst.Call) -> Optional[cst.BaseExpression]:
    """The `method` argument of `get_context(...)` / `set_start_method(...)`, if passed."""
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is None or arg.keyword.value == "method":
            return arg.value
    return None


def _named(node: Optional[cst.BaseExpression]) -> str:
    """A literal method name, `DEFAULT` for none / `None`, else `UNKNOWN`."""
    if node is None or (isinstance(node, cst.Name) and node.value == "None"):
        return DEFAULT
    text = literal(node) if isinstance(node, cst.SimpleString) else None
    return text if text in START_METHODS else UNKNOWN


class StartMethods:
    """The start method in force for each pool or process created in one module."""

    def __init__(self, evaluator: Evaluator, uses: Iterable[Use]) -> None:
        self.evaluator = evaluator
        self.module_method = self._set_in_module(uses)

    def _calls(self, node: cst.BaseExpression, scope: Scope, qname: str) -> bool:
        return isinstance(node, cst.Call) and self.evaluator.expr(node.func, scope) == Ref(qname)

    def _set_in_module(self, uses: Iterable[Use]) -> str:
        """`set_start_method(m)` in the module: it sets the default context's method for the
        whole program (two different ones, or one not written as a literal: unknown)."""
        found: Set[str] = set()
        for use in uses:
            node = use.node
            if use.kind == "call" and isinstance(node, cst.Call) \
                    and self._calls(node, use.scope, _SET_START_METHOD):
                found.add(_named(_method_argument(node)) or UNKNOWN)
        if not found:
            return DEFAULT
        return found.pop() if len(found) == 1 else UNKNOWN

    def of_context(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> str:
        """The method of a context object: `get_context("spawn")`, or a name bound only to
        such calls; `get_context()` is the default context."""
        if isinstance(node, cst.Name) and node.value == "None":
            return DEFAULT
        if isinstance(node, cst.Call) and self._calls(node, scope, _GET_CONTEXT):
            chosen = _named(_method_argument(node))
            return self.module_method if chosen == DEFAULT else chosen
        if isinstance(node, cst.Name) and depth < 4:
            owner = scope.resolve(node.value)
            bindings = owner.bindings.get(node.value, []) if owner else []
            methods = {self.of_context(b.node, b.scope, depth + 1) for b in bindings
                       if b.how == "expr" and isinstance(b.node, cst.BaseExpression)
                       and b.scope is not None}
            if len(methods) == 1 and len(bindings) == len([b for b in bindings if b.how == "expr"]):
                return methods.pop()
        return UNKNOWN

    def of_creation(self, call: cst.Call, scope: Scope) -> str:
        """The method a pool or process made by `call` starts its workers with."""
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in _CONTEXT_KEYWORDS:
                return self.of_context(arg.value, scope)
        func = call.func
        if isinstance(func, cst.Attribute):
            receiver = self.evaluator.expr(func.value, scope)
            if isinstance(receiver, Inst) and _CONTEXT in self.evaluator.model.mro(receiver.cls):
                return self.of_context(func.value, scope)
        return self.module_method
