"""What a decorated function or class is: the decorators whose effect is known.

`@staticmethod`, `@classmethod`, `@functools.lru_cache`/`@cache`, `@functools.wraps`-style
wrappers that return the wrapped call's result, and any class decorator (as type checkers
assume) leave it as it was; `@property` and `@functools.cached_property` make an attribute
whose value is the function's result; `@contextlib.contextmanager` makes a function whose call, entered in
a `with`, gives what the generator yields. Any other decorator makes the result unknown."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Sequence

import libcst as cst

from poolcompat.engine.values import Managed, Prop, Ref, Scope, UserClass, UserFunc, Value

if TYPE_CHECKING:
    from poolcompat.engine.evaluate import Evaluator

_SAME = frozenset({
    "staticmethod", "classmethod", "functools.lru_cache", "functools.cache", "functools.wraps",
    "dataclasses.dataclass", "functools.total_ordering", "typing.final", "typing.overload",
    "typing_extensions.final", "abc.abstractmethod",
})
_PROPERTY = frozenset({"property", "functools.cached_property", "abc.abstractproperty"})
_MANAGED = frozenset({"contextlib.contextmanager", "contextlib.asynccontextmanager"})


def _known(node: cst.BaseExpression, scope: Scope, evaluator: "Evaluator") -> str:
    """The qualified name of a decorator (`lru_cache(maxsize=2)` is `functools.lru_cache`)."""
    if isinstance(node, cst.Call):
        node = node.func
    if isinstance(node, cst.Name) and scope.resolve(node.value) is None:
        return node.value  # a builtin: staticmethod, classmethod, property
    value = evaluator.expr(node, scope)
    return value.qname if isinstance(value, Ref) else ""


def decorated(value: Value, decorators: Sequence[cst.Decorator], scope: Scope,
              evaluator: "Evaluator") -> Value:
    """The decorated function or class (decorators apply bottom up)."""
    for decorator in reversed(decorators):
        name = _known(decorator.decorator, scope, evaluator)
        if name in _SAME or _transparent(decorator.decorator, scope, evaluator):
            continue
        if name in _PROPERTY and isinstance(value, UserFunc):
            value = Prop(value)
        elif name in _MANAGED and isinstance(value, UserFunc):
            value = Managed(value)
        elif not isinstance(value, UserClass):  # a class decorator gives the class, as type
            return None  # checkers assume (`@removals.removed_class(...)` patches and returns it)
    return value


def _transparent(node: cst.BaseExpression, scope: Scope, evaluator: "Evaluator") -> bool:
    """A decorator of the module's own that returns a wrapper calling the function it wraps
    and returning that call's result: `def deco(f): @wraps(f) def inner(*a, **k): return f(*a,
    **k); return inner`."""
    decorator = evaluator.expr(node, scope)
    if not isinstance(decorator, UserFunc) or decorator.scope is None:
        return False
    params = [*decorator.node.params.posonly_params, *decorator.node.params.params]
    if not params or not decorator.returns:
        return False
    wrapped = params[0].name.value
    for returned in decorator.returns:
        inner = evaluator.expr(returned, decorator.scope) if isinstance(returned, cst.Name) \
            else None
        if not isinstance(inner, UserFunc) or not inner.returns or not all(
                _calls(result, wrapped) for result in inner.returns):
            return False
    return True


def _calls(node: cst.BaseExpression, name: str) -> bool:
    """`name(...)`, possibly awaited."""
    if isinstance(node, cst.Await):
        node = node.expression
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and (
        node.func.value == name)


def yielded(func: UserFunc, evaluator: "Evaluator") -> Optional[Value]:
    """What a generator function yields (its single value, joined)."""
    if func.scope is None or not func.yields:
        return None
    return evaluator.join_all(evaluator.expr(node, func.scope) for node in func.yields)
