"""An unannotated parameter is what its callers pass.

When every call of a function in the module passes a pool for a parameter (or leaves it out and
its default is one), the parameter is a pool. A function that is also used another way (stored,
returned, handed to unknown code) may be called by anyone: its parameters stay unknown, except
where the other use is a known callback registration (`future.add_done_callback(f)` calls
`f(future)`, also through `functools.partial(f, ...)`)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Set, Tuple

import libcst as cst

from poolcompat.engine.syntax import dotted
from poolcompat.engine.values import (
    NONE, Binding, Bound, Either, Guard, Later, Managed, Param, Scope, UserClass, UserFunc, UserInst, Value,
)

if TYPE_CHECKING:
    from poolcompat.engine.evaluate import Evaluator

# Methods that call their argument with the object itself: `future.add_done_callback(f)`.
CALLS_BACK = frozenset({"add_done_callback"})
Site = Tuple[cst.Call, Scope]


class References:
    """Where each name is read in the module (also as an attribute: `self.handle`), and which
    reads are the callee or an argument of a call."""

    def __init__(self) -> None:
        self.loads: Dict[str, List[Tuple[cst.CSTNode, Scope, int]]] = {}  # with its top
        self.calls: Dict[str, List[Site]] = {}  # by the callee's last name
        self.callees: Set[int] = set()
        self.arguments: Dict[int, Site] = {}
        self.guards: Dict[int, Tuple[Guard, ...]] = {}  # by id of a call under conditions

    def load(self, name: str, node: cst.CSTNode, scope: Scope, top: int) -> None:
        self.loads.setdefault(name, []).append((node, scope, top))

    def call(self, node: cst.Call, scope: Scope, guards: Tuple[Guard, ...] = ()) -> None:
        if guards:  # `if isinstance(pool, Pool): Wrapper(pool)` passes a Pool
            self.guards[id(node)] = guards
        func = node.func
        name = func.value if isinstance(func, cst.Name) else (
            func.attr.value if isinstance(func, cst.Attribute) else "")
        if name:
            self.calls.setdefault(name, []).append((node, scope))
            self.callees.add(id(func))
        for arg in node.args:
            self.arguments[id(arg.value)] = (node, scope)


def parameter(binding: Binding, evaluator: "Evaluator") -> Value:
    """The join of what every call passes for the parameter (see the module's docstring)."""
    func, param = binding.value, binding.node
    if not isinstance(func, UserFunc) or not isinstance(param, cst.Param):
        return None
    passed: List[Value] = []
    for value in _passed(func, binding, evaluator):
        if value is None:
            return None
        passed.append(value)
    if importable(func, evaluator.context.module):  # other modules' calls: see the link
        key = f"param:{func.qualname}:{binding.position}:{param.name.value}"
        default = _default(binding, evaluator) if param.default is not None else None
        evaluator.params[key] = Param(default, bool(passed))
        return evaluator.join_all([*passed, Later(key)])
    if not passed:  # nobody in the module calls it: its default, if any
        return _default(binding, evaluator)
    return evaluator.join_all(passed)


def importable(func: UserFunc, module: str) -> bool:
    """Whether another module of the project can call the function (module-level, or a method
    of a module-level class)."""
    return bool(module) and func.qualname.startswith(f"{module}.") and (
        "<locals>" not in func.qualname)


def _passed(func: UserFunc, binding: Binding,
            evaluator: "Evaluator") -> Iterator[Value]:
    """What each call passes (None when a call, or another use, makes it unknowable)."""
    references = evaluator.references
    name = func.node.name.value
    names = [name] + ([cls.node.name.value for cls in _classes_of(func)]
                      if name == "__init__" else [])
    for callee_name in names:
        for call, scope in references.calls.get(callee_name, ()):
            shift = _calls(call, scope, func, evaluator)
            if shift is not None:
                yield _argument(call, scope, binding, shift, evaluator)
    for node, scope, _ in references.loads.get(name, ()):
        if id(node) in references.callees or not _refers(node, scope, func, evaluator):
            continue
        yield _called_back(node, references, binding, _bound(func), evaluator)


def _classes_of(func: UserFunc) -> List[UserClass]:
    """The class a method is defined in (its instances' construction calls `__init__`)."""
    owner = func.scope.parent if func.scope is not None else None
    return [owner.cls] if owner is not None and owner.cls is not None else []


def _kind(func: UserFunc) -> str:
    """"function", "method", "static" or "class" (for classmethods)."""
    if not _classes_of(func):
        return "function"
    names = {dotted(d.decorator) for d in func.node.decorators}
    return "static" if "staticmethod" in names else "class" if "classmethod" in names \
        else "method"


def _bound(func: UserFunc) -> bool:
    return _kind(func) in ("method", "class")


def _calls(call: cst.Call, scope: Scope, func: UserFunc, evaluator: "Evaluator") -> Optional[int]:
    """How many of the function's parameters the call fills before its own arguments (1 for
    `self` in `obj.method(...)` or `Klass(...)`), or None when it does not call the function."""
    callee = evaluator.expr(call.func, scope)
    if isinstance(callee, Managed):  # `@contextmanager`: calling it calls the generator
        callee = callee.func
    if isinstance(callee, UserClass):  # `Klass(...)` runs `Klass.__init__`
        found, value = evaluator.user_attribute(callee, "__init__")
        return 1 if found and value is func else None
    if callee is not func:
        return None
    kind = _kind(func)
    if kind in ("function", "static"):
        return 0
    if not isinstance(call.func, cst.Attribute):
        return None
    owner = evaluator.expr(call.func.value, scope)
    if isinstance(owner, UserInst):
        return 1
    return (1 if kind == "class" else 0) if isinstance(owner, UserClass) else None


def _refers(node: cst.CSTNode, scope: Scope, func: UserFunc, evaluator: "Evaluator") -> bool:
    """Whether a read of the function's name is the function (not another of that name)."""
    if not isinstance(node, (cst.Name, cst.Attribute)):
        return False
    return evaluator.expr(node, scope) is func or (
        isinstance(node, cst.Attribute) and _method_of(node, scope, func, evaluator))


def _method_of(node: cst.Attribute, scope: Scope, func: UserFunc,
               evaluator: "Evaluator") -> bool:
    owner = evaluator.expr(node.value, scope)
    if not isinstance(owner, UserInst):
        return False
    found, value = evaluator.user_attribute(owner.cls, node.attr.value)
    return found and value is func


def _called_back(node: cst.CSTNode, references: References, binding: Binding, bound: bool,
                 evaluator: "Evaluator") -> Value:
    """The function is read without being called: fine only where a known registration
    will call it (`future.add_done_callback(f)` or `(partial(f, a))`), with what that passes."""
    site = references.arguments.get(id(node))
    if site is None:
        return None
    call, scope = site
    given: List[Value] = []
    func = evaluator.expr(call.func, scope)
    if isinstance(func, Bound) or evaluator.passthrough(func) != "partial":
        registration = call
    else:  # functools.partial(f, a, b) handed to the registration
        given = [evaluator.expr(a.value, scope) for a in call.args[1:]
                 if a.keyword is None and not a.star]
        outer = references.arguments.get(id(call))
        if outer is None:
            return None
        registration, scope = outer
    registered = registration.func
    if not (isinstance(registered, cst.Attribute) and registered.attr.value in CALLS_BACK):
        return None
    subject = evaluator.expr(registered.value, scope)
    if not isinstance(evaluator.attribute(subject, registered.attr.value), (Bound, Later, Either)):
        return None  # a Future's, or one only the link knows
    arguments = [*given, subject]
    position = binding.position - (1 if bound and isinstance(node, cst.Attribute) else 0)
    return arguments[position] if 0 <= position < len(arguments) else None


def _argument(call: cst.Call, scope: Scope, binding: Binding, shift: int,
              evaluator: "Evaluator") -> Value:
    """What the call passes for the parameter, by position or keyword, else the default."""
    assert isinstance(binding.node, cst.Param)
    name = binding.node.name.value
    positional: List[cst.BaseExpression] = []
    starred = False  # after a `*args`, positions are unknown; after a `**kwargs`, keywords
    for arg in call.args:
        if arg.star:
            starred = True
        elif arg.keyword is not None and arg.keyword.value == name:
            return evaluator.argument(arg.value, scope, call)
        elif arg.keyword is None and not starred:
            positional.append(arg.value)
    position = binding.position - shift
    if 0 <= position < len(positional) and binding.position >= 0:
        given = positional[position]
        if isinstance(given, cst.Name) and given.value == name and scope.resolve(name) is (
                scope if scope.func is not None and binding.value is scope.func else None):
            return NONE  # a recursive call passing the parameter on: no new value
        return evaluator.argument(given, scope, call)
    return None if starred else _default(binding, evaluator)


def _default(binding: Binding, evaluator: "Evaluator") -> Value:
    param = binding.node
    if isinstance(param, cst.Param) and param.default is not None and binding.scope is not None:
        return evaluator.expr(param.default, binding.scope)
    return None

