"""Portability pitfalls (the 6xx rules, off by default): code that works on one platform or start
method and breaks under another. Each check is keyed by its rule's `target`."""
from __future__ import annotations

from typing import Iterator, List, Tuple

import libcst as cst

from poolcompat.engine.evaluate import Evaluator
from poolcompat.engine.walk import Use
from poolcompat.table.load import Rule, Table
from poolcompat.engine.syntax import literal
from poolcompat.engine.values import Guard
from poolcompat.engine.values import Bound, Inst, UserFunc, UserInst, Value

Match = Tuple[Use, cst.CSTNode, Rule]
# Methods that send their first argument to the workers (pickled, for a process pool).
_SENDS_CALLABLE = frozenset({
    "apply", "apply_async", "map", "map_async", "imap", "imap_unordered", "starmap",
    "starmap_async", "submit",
})


def _is_main_guard(guard: Guard) -> bool:
    test = guard.node
    if guard.kind != "if" or not guard.positive or not isinstance(test, cst.Comparison):
        return False
    if len(test.comparisons) != 1 or not isinstance(test.comparisons[0].operator, cst.Equal):
        return False
    sides = {test.left, test.comparisons[0].comparator}
    names = {s.value for s in sides if isinstance(s, cst.Name)}
    strings = {literal(s) for s in sides if isinstance(s, cst.SimpleString)}
    return names == {"__name__"} and strings == {"__main__"}


class Pitfalls:
    def __init__(self, table: Table, evaluator: Evaluator) -> None:
        self.evaluator = evaluator
        self.model = table.model
        self.rules = {r.target: r for r in table.rules if r.kind == "pitfall"}

    def _spawns(self, value: Value) -> bool:
        if isinstance(value, UserInst):
            base = self.evaluator.stdlib_base(value.cls)
            return bool(base) and self.model.processes(base)
        return isinstance(value, Inst) and self.model.processes(value.cls)

    def run(self, uses: List[Use]) -> Iterator[Match]:
        at_import = self.rules.get("start-at-import")
        unpicklable = self.rules.get("unpicklable-callable")
        for use in uses:
            if use.kind != "call" or not isinstance(use.node, cst.Call):
                continue
            call = use.node
            if at_import and use.scope.kind == "module" and not any(
                    _is_main_guard(g) for g in use.guards):
                created = self.evaluator.expr(call, use.scope)
                process = isinstance(created, Inst) and created.cls == "multiprocessing.Process"
                if self._spawns(created) and not process:  # a Process only starts on .start()
                    yield use, call, at_import
            if unpicklable:
                sent = self._unpicklable(call, use)
                if sent is not None:
                    yield use, sent, unpicklable

    def _unpicklable(self, call: cst.Call, use: Use) -> cst.CSTNode | None:
        func = self.evaluator.expr(call.func, use.scope)
        if not (isinstance(func, Bound) and func.name in _SENDS_CALLABLE):
            return None
        if not self.model.processes(func.cls) or not call.args or call.args[0].keyword:
            return None
        sent = call.args[0].value
        if isinstance(sent, cst.Lambda):
            return sent
        value = self.evaluator.expr(sent, use.scope) if isinstance(sent, cst.Name) else None
        if isinstance(value, UserFunc) and value.scope is not None:
            outer = value.scope.parent
            if outer is not None and outer.kind in ("function", "comprehension"):
                return sent
        return None
