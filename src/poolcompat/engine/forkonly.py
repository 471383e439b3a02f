"""What works only under the fork start method: a child that is forked inherits the parent's
objects, a child that is spawned (or started by the fork server) gets them pickled. Each check
here finds one way code leans on inheritance; `pitfalls` reports them with the start method in
force (`startmethods`)."""
from __future__ import annotations

from typing import Iterator, List, Optional, Sequence, Tuple

import libcst as cst

from poolcompat.engine.evaluate import Evaluator
from poolcompat.engine.values import Inst, Ref, Scope, UserClass, UserFunc, UserInst, Value

PROCESS = "multiprocessing.process.BaseProcess"
EXECUTOR = "concurrent.futures.ProcessPoolExecutor"
# Objects pickle refuses (a lock, a socket, an open file, a generator): fine to inherit, not to send.
_UNPICKLABLE_FACTORIES = frozenset({
    "threading.Lock", "threading.RLock", "threading.Condition", "threading.Semaphore",
    "threading.BoundedSemaphore", "threading.Event", "_thread.allocate_lock", "socket.socket",
    "socket.create_connection", "socket.socketpair", "io.open", "sqlite3.connect",
})
_DEPTH = 4


def argument(call: cst.Call, keyword: str, position: int) -> Optional[cst.BaseExpression]:
    """The argument passed as `keyword=` or at `position` (no star before it)."""
    for index, arg in enumerate(call.args):
        if arg.star:
            return None
        if (arg.keyword is not None and arg.keyword.value == keyword) or \
                (arg.keyword is None and index == position):
            return arg.value
    return None


def elements(node: Optional[cst.BaseExpression]) -> List[cst.BaseExpression]:
    """The items of a tuple or list literal, the values of a dict literal (`args=`, `kwargs=`)."""
    if isinstance(node, (cst.Tuple, cst.List)):
        return [e.value for e in node.elements if isinstance(e, cst.Element)]
    if isinstance(node, cst.Dict):
        return [e.value for e in node.elements if isinstance(e, cst.DictElement)]
    return []


def _single_bindings(node: cst.Name, scope: Scope) -> List[Tuple[cst.BaseExpression, Scope]]:
    """What a name is bound to, where every binding is an assignment or a `with ... as`."""
    owner = scope.resolve(node.value)
    bindings = owner.bindings.get(node.value, []) if owner else []
    found = [(b.node, b.scope) for b in bindings if b.how in ("expr", "enter")
             and isinstance(b.node, cst.BaseExpression) and b.scope is not None]
    return found if found and len(found) == len(bindings) else []


def _local(value: Value) -> bool:
    """A function or class defined inside a function: pickle cannot find it by name."""
    if isinstance(value, UserFunc) and value.scope is not None:
        outer = value.scope.parent
        return outer is not None and outer.kind in ("function", "comprehension")
    return isinstance(value, UserClass) and value.outer.kind in ("function", "comprehension")


class Inheritance:
    """Questions about one module's values: what is a process, what cannot be pickled."""

    def __init__(self, evaluator: Evaluator) -> None:
        self.evaluator = evaluator
        self.model = evaluator.model

    def created(self, call: cst.Call, scope: Scope) -> str:
        """"process", "pool" (a process pool or executor) or "" for what `call` makes."""
        value = self.evaluator.expr(call, scope)
        cls = value.cls if isinstance(value, Inst) else None
        if isinstance(value, UserInst):
            cls = self.evaluator.stdlib_base(value.cls) or None
        return self.created_class(cls) if cls else ""

    def created_class(self, cls: str) -> str:
        if not self.model.processes(cls):
            return ""
        return "process" if PROCESS in self.model.mro(cls) else "pool"

    def maker(self, node: cst.BaseExpression, scope: Scope) -> Optional[Tuple[cst.Call, Scope]]:
        """The one call that made the process a name holds (`p = Process(...)`)."""
        bound = _single_bindings(node, scope) if isinstance(node, cst.Name) else []
        if len(bound) == 1 and isinstance(bound[0][0], cst.Call):
            return bound[0][0], bound[0][1]
        return None

    def unpicklable_callable(self, node: cst.BaseExpression, scope: Scope) -> bool:
        """A lambda, a nested function, or a method of a class defined in a function."""
        if isinstance(node, cst.Lambda):
            return True
        if isinstance(node, cst.Name):
            return _local(self.evaluator.expr(node, scope))
        if isinstance(node, cst.Attribute):
            owner = self.evaluator.expr(node.value, scope)
            return (isinstance(owner, UserInst) and isinstance(owner.cls, UserClass)
                    and _local(owner.cls))
        return False

    def unpicklable_object(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> bool:
        """A generator, a lock, a socket or an open file, made here or bound to a name."""
        if isinstance(node, cst.GeneratorExp):
            return True
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Name) and func.value == "open":
                return scope.resolve("open") is None
            made = self.evaluator.expr(func, scope)
            return isinstance(made, Ref) and made.qname in _UNPICKLABLE_FACTORIES
        if isinstance(node, cst.Name) and depth < _DEPTH:
            bound = _single_bindings(node, scope)
            return bool(bound) and all(self.unpicklable_object(value, where, depth + 1)
                                       for value, where in bound)
        return False

    def first(self, nodes: Sequence[cst.BaseExpression], scope: Scope,
              callables: bool) -> Iterator[cst.BaseExpression]:
        """The nodes among `nodes` that cannot be pickled (callables, or other objects)."""
        for node in nodes:
            bad = self.unpicklable_callable(node, scope) if callables \
                else self.unpicklable_object(node, scope)
            if bad:
                yield node
