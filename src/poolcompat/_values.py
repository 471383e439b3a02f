"""What the resolver knows an expression to be. `None` means unknown: no finding is ever drawn from it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, List, Optional, Set, Union


from poolcompat._rules import Model

if TYPE_CHECKING:  # only annotations: a warm (cached) run never loads libcst
    import libcst as cst

if TYPE_CHECKING:
    from poolcompat._scopes import Binding, Scope


@dataclass(frozen=True)
class Ref:
    """A stdlib object by canonical qualified name: a module, function, class or class attribute."""

    qname: str


@dataclass(frozen=True)
class Inst:
    """An instance of a stdlib class."""

    cls: str


@dataclass(frozen=True)
class Bound:
    """Attribute `name` taken from an instance of the stdlib class `cls`."""

    cls: str
    name: str


@dataclass(eq=False)
class UserClass:
    """A class defined in the checked code."""

    node: cst.ClassDef
    outer: Scope
    body: Optional[Scope] = None
    defined: Set[str] = field(default_factory=set)  # names def'd in the body: they shadow the stdlib
    attrs: Dict[str, List[Binding]] = field(default_factory=dict)  # self.x / cls.x assignments


@dataclass(frozen=True)
class ExtClass:
    """A user class from another module of the project that derives from the stdlib class
    `base`; `defined` are the names it (or a user base) defines, which shadow the stdlib's."""

    base: str
    defined: frozenset[str]


@dataclass(frozen=True)
class ExtFunc:
    """A function from another module of the project whose result is known."""

    result: "Value"


@dataclass(frozen=True)
class UserInst:
    cls: Union[UserClass, ExtClass]


@dataclass(eq=False)
class UserFunc:
    node: cst.FunctionDef
    scope: Optional[Scope] = None
    returns: List[cst.BaseExpression] = field(default_factory=list)
    opaque: bool = False  # a generator, or a bare `return`: no single value


@dataclass(frozen=True)
class Elements:
    """A container (list, tuple, dict values, annotated collection) whose items are all `item`."""

    item: "Value"


@dataclass(frozen=True)
class Partial:
    """`functools.partial(func, ...)`: calling it calls `func`."""

    func: "Value"


@dataclass(frozen=True)
class Wrapped:
    """`contextlib.closing(inner)`: not `inner`'s own context manager, but `with` binds `inner`."""

    inner: "Value"


class _NoneValue:
    def __repr__(self) -> str:
        return "NONE"


NONE = _NoneValue()
Value = Union[Ref, Inst, Bound, UserClass, UserInst, UserFunc, Elements, Partial, Wrapped,
              ExtClass, ExtFunc, _NoneValue, None]
AnyClass = Union[UserClass, ExtClass]


def join(model: Model, a: Value, b: Value) -> Value:
    """Both are possible: keep what holds for both, else unknown. `None` literals are no obstacle."""
    if a is None or b is None:
        return None
    if a is NONE or a == b:
        return b
    if b is NONE:
        return a
    if isinstance(a, Inst) and isinstance(b, Inst):
        if a.cls in model.mro(b.cls):
            return a
        if b.cls in model.mro(a.cls):
            return b
    if isinstance(a, Elements) and isinstance(b, Elements):
        item = join(model, a.item, b.item)
        return Elements(item) if item is not None else None
    return None
