"""Portability pitfalls (the 6xx rules, off by default): code that works on one platform or start
method and breaks under another. Each check is keyed by its rule's `target`; each match carries
the start method the code sets for that pool or process ("" for the platform's default), which
the report turns into where it fails on each platform."""
from __future__ import annotations

from typing import Dict, Iterator, List, Optional, Tuple

import libcst as cst

from poolcompat.engine.evaluate import Evaluator
from poolcompat.engine.forkonly import EXECUTOR, Inheritance, argument, elements
from poolcompat.engine.mainonly import is_main_test, parent_only
from poolcompat.engine.startmethods import DEFAULT, UNKNOWN, StartMethods
from poolcompat.engine.values import Bound, Guard, Inst, Scope, UserFunc
from poolcompat.engine.walk import Use
from poolcompat.table.load import Rule, Table

Match = Tuple[Use, cst.CSTNode, Rule, str]  # ..., the start method in force ("": default)
# Methods that send their first argument to the workers (pickled, for a process pool).
_SENDS_CALLABLE = frozenset({
    "apply", "apply_async", "map", "map_async", "imap", "imap_unordered", "starmap",
    "starmap_async", "submit",
})


def _is_main_guard(guard: Guard) -> bool:
    test = guard.node
    return guard.kind == "if" and guard.positive and isinstance(test, cst.BaseExpression) \
        and is_main_test(test)


class Pitfalls:
    def __init__(self, table: Table, evaluator: Evaluator,
                 module: Optional[cst.Module] = None) -> None:
        self.evaluator = evaluator
        self.model = table.model
        self.rules: Dict[str, Rule] = {r.target: r for r in table.rules if r.kind == "pitfall"}
        self.inheritance = Inheritance(evaluator)
        self.parent_only = parent_only(module) if "parent-only-global" in self.rules else set()

    def run(self, uses: List[Use]) -> Iterator[Match]:
        if not self.rules:
            return
        methods = StartMethods(self.evaluator, uses)
        for use in uses:
            if use.kind != "call" or not isinstance(use.node, cst.Call):
                continue
            call = use.node
            made = self.inheritance.created(call, use.scope)
            method = methods.of_creation(call, use.scope) if made else DEFAULT
            found = list(self._at_import(use, call, made, methods))
            if made == "process":
                found += self._process(call, use.scope)
            elif made == "pool":
                found += self._initializer(call, use.scope)
            sent = self._unpicklable(call, use)
            if sent is not None:
                found.append((sent, "unpicklable-callable"))
            worker = self._worker(call, use.scope, made)
            reads = self._reads(worker, use.scope) if worker is not None else []
            if reads and not made:
                method = self._started_method(call, use.scope, methods)
            if reads and method != UNKNOWN and "parent-only-global" in self.rules:
                for read, top in reads:  # reported where the worker reads it
                    yield use._replace(top=top), read, self.rules["parent-only-global"], method
            for node, target in found:
                chosen = DEFAULT if target == "unpicklable-callable" else method
                if target == "start-at-import" and not made:
                    chosen = self._started_method(call, use.scope, methods)
                if target in self.rules and chosen != UNKNOWN:
                    yield use, node, self.rules[target], chosen

    def _at_import(self, use: Use, call: cst.Call, made: str,
                   methods: StartMethods) -> Iterator[Tuple[cst.CSTNode, str]]:
        """A pool made, or a process started, while the module is imported: under spawn and
        forkserver the child imports it again and starts its own."""
        if use.scope.kind != "module" or any(_is_main_guard(g) for g in use.guards):
            return
        if made == "pool":
            yield call, "start-at-import"
        elif not made:
            func = self.evaluator.expr(call.func, use.scope)
            if isinstance(func, Bound) and func.name == "start" and \
                    self.inheritance.created_class(func.cls) == "process":
                yield call, "start-at-import"

    def _started_method(self, call: cst.Call, scope: Scope, methods: StartMethods) -> str:
        """`p.start()`: the method of the process `p` was made by, where one call made it."""
        func = call.func
        if isinstance(func, cst.Attribute):
            made = self.inheritance.maker(func.value, scope)
            if made is not None:
                return methods.of_creation(made[0], made[1])
        return methods.module_method

    def _process(self, call: cst.Call, scope: Scope) -> List[Tuple[cst.CSTNode, str]]:
        inherit = self.inheritance
        target = argument(call, "target", 1)
        passed = elements(argument(call, "args", 3)) + elements(argument(call, "kwargs", 4))
        found: List[Tuple[cst.CSTNode, str]] = []
        if target is not None and inherit.unpicklable_callable(target, scope):
            found.append((target, "process-target"))
        found += [(node, "process-target") for node in inherit.first(passed, scope, True)]
        found += [(node, "process-arguments") for node in inherit.first(passed, scope, False)]
        return found

    def _initializer(self, call: cst.Call, scope: Scope) -> List[Tuple[cst.CSTNode, str]]:
        value = self.evaluator.expr(call, scope)
        executor = isinstance(value, Inst) and EXECUTOR in self.model.mro(value.cls)
        initializer = argument(call, "initializer", 2 if executor else 1)
        if initializer is not None and self.inheritance.unpicklable_callable(initializer, scope):
            return [(initializer, "pool-initializer")]
        return []

    def _worker(self, call: cst.Call, scope: Scope, made: str) -> Optional[cst.Name]:
        """The function a process or pool will run, named where it is handed over: a Process's
        target, a pool's initializer, a task sent to a process pool."""
        if made == "process":
            node = argument(call, "target", 1)
        elif made == "pool":
            value = self.evaluator.expr(call, scope)
            executor = isinstance(value, Inst) and EXECUTOR in self.model.mro(value.cls)
            node = argument(call, "initializer", 2 if executor else 1)
        else:
            func = self.evaluator.expr(call.func, scope)
            sends = isinstance(func, Bound) and func.name in _SENDS_CALLABLE \
                and self.model.processes(func.cls)
            node = call.args[0].value if sends and call.args and not call.args[0].keyword \
                else None
        return node if isinstance(node, cst.Name) else None

    def _reads(self, worker: cst.Name, scope: Scope) -> List[Tuple[cst.CSTNode, int]]:
        """Where the module-level function `worker` reads a global only the parent sets (with
        the index of the module-level statement that holds the read)."""
        if not self.parent_only:
            return []
        function = self.evaluator.expr(worker, scope)
        body = function.scope if isinstance(function, UserFunc) else None
        if body is None or body.parent is None or body.parent.kind != "module":
            return []
        loads = self.evaluator.references.loads
        return [(node, top) for name in sorted(self.parent_only)
                for node, where, top in loads.get(name, [])
                if where is body and body.resolve(name) is body.parent]

    def _unpicklable(self, call: cst.Call, use: Use) -> Optional[cst.CSTNode]:
        """A lambda or nested function sent to a pool method: pickled under every method."""
        func = self.evaluator.expr(call.func, use.scope)
        if not (isinstance(func, Bound) and func.name in _SENDS_CALLABLE):
            return None
        if not self.model.processes(func.cls) or not call.args or call.args[0].keyword:
            return None
        sent = call.args[0].value
        if isinstance(sent, cst.Lambda) or (isinstance(sent, cst.Name) and
                                            self.inheritance.unpicklable_callable(sent, use.scope)):
            return sent
        return None
