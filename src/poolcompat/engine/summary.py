"""What a module exports that another module's check can use: pool classes, factories,
pool-like instances and re-exported stdlib names, without any libcst node."""
from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Tuple

from poolcompat.engine.values import (
    Elements, ExtClass, ExtFunc, Inst, Ref, UserClass, UserFunc, UserInst, Value,
)

if TYPE_CHECKING:
    from poolcompat.engine.evaluate import Evaluator
    from poolcompat.engine.values import Scope


def _portable(value: Value, evaluator: "Evaluator", packages: Tuple[str, ...],
              depth: int = 0) -> Value:
    """The part of a value another module can use: no libcst nodes, only what is tracked."""
    if depth > 5:
        return None
    model = evaluator.model
    if isinstance(value, Ref):  # a re-exported pool class or factory (not every constant)
        return value if value.qname in model.classes or value.qname in model.returns else None
    if isinstance(value, Inst):  # pools, executors, managers: what a `with` or a method needs
        return value if evaluator.stdlib_enter(value.cls) == "self" else None
    if isinstance(value, (ExtClass, ExtFunc)):
        return value
    if isinstance(value, UserClass):
        base = evaluator.stdlib_base(value)
        return ExtClass(base, frozenset(evaluator.user_defined(value))) if base else None
    if isinstance(value, UserInst):
        cls = _portable(value.cls, evaluator, packages, depth + 1)
        return UserInst(cls) if isinstance(cls, ExtClass) else None
    if isinstance(value, UserFunc):
        result = _portable(evaluator.call(value), evaluator, packages, depth + 1)
        return ExtFunc(result) if result is not None else None
    if isinstance(value, Elements):
        item = _portable(value.item, evaluator, packages, depth + 1)
        return Elements(item) if item is not None else None
    return None


def summarize(module: str, scope: "Scope", evaluator: "Evaluator",
              packages: Tuple[str, ...]) -> Dict[str, Value]:
    """What a module exports that another module's check can use."""
    if not module:
        return {}
    found: Dict[str, Value] = {}
    for name in scope.bindings:
        value = _portable(evaluator.name(name, scope), evaluator, packages)
        if value is not None:
            found[f"{module}.{name}"] = value
    return found
