"""What the engine knows: scopes and bindings gathered in one pass, and the values expressions
evaluate to. `None` means unknown: no finding is ever drawn from it.

Values that outlive a module's check (what it exports, the uses only the whole project can
decide) hold no libcst node: `Later` stands for what another module binds, and is resolved once
every module has been summarised (`link`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, FrozenSet, List, Literal, NamedTuple, Optional, Set, Tuple, Union


if TYPE_CHECKING:  # only annotations: a warm (cached) run never loads libcst
    import libcst as cst

    from poolcompat.engine.flow import Flow


BindingHow = Literal["value", "expr", "enter", "item", "ann", "part", "add", "decorated", "param"]
ScopeKind = Literal["module", "class", "function", "comprehension"]
GuardKind = Literal["if", "try"]
OpKind = Literal["attr", "call", "enter", "item", "part", "index"]
Op = Tuple[OpKind, str]  # an operation applied to a value not known yet (name: for "attr")


class Binding(NamedTuple):
    """One way a name gets its value. `how` says how to read `node`:

    value: `value` itself; expr: the expression `node`; enter: what `with node as x` binds;
    item: an item of the container `node` (`for x in node`); ann: the annotation `node`, else the
    expression `extra`; part: element `position` of `size` of what `parent` binds (`a, b = x`);
    add: what `parent` binds goes into the container (`x.append(v)`, `x[k] = v`; `position` 1:
    each item of it, `x.extend(v)`; `size`: how deep, 2 for `x[a][b] = v`); decorated: `value`
    (a function or class) with the decorators of `node`, its definition, in `scope`; param: the
    parameter `node` of the function `value` (at `position` among the positional ones, -1 for a
    keyword-only one): what every call of the function passes, or its default.
    """

    how: BindingHow
    node: Optional[cst.CSTNode] = None
    scope: Optional["Scope"] = None
    value: Value = None
    extra: Optional[cst.CSTNode] = None
    parent: Optional["Binding"] = None
    position: int = 0
    size: int = 0


UNKNOWN = Binding("value")


class Guard(NamedTuple):
    """A condition around a use: `test` holds (or, with positive False, fails) where it runs."""

    kind: GuardKind  # the test of an `if`, or the `try` statement whose handlers may catch
    node: cst.CSTNode
    scope: Scope
    positive: bool = True


@dataclass(eq=False)
class Scope:
    kind: ScopeKind
    parent: Optional["Scope"]
    bindings: Dict[str, List[Binding]] = field(default_factory=dict)
    declared_global: Set[str] = field(default_factory=set)
    declared_nonlocal: Set[str] = field(default_factory=set)
    stars: List[str] = field(default_factory=list)  # `from m import *`, in order ("" when unknown)
    cls: Optional[UserClass] = None  # the class of a class body, or of a method's `self`
    func: Optional[UserFunc] = None
    self_name: str = ""  # a method's first parameter, when it is `self`
    comprehensions: Dict[int, "Scope"] = field(default_factory=dict)  # by id of the node
    qualname: str = ""  # dotted path from the module: `Outer.method`
    flow: Optional["Flow"] = None  # the module's, while the resolver walks it

    @property
    def module(self) -> "Scope":
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def owner_of(self, name: str) -> "Scope":
        """The scope an assignment to `name` here binds in."""
        if name in self.declared_global:
            return self.module
        if name in self.declared_nonlocal:
            scope = self.parent
            while scope is not None and (scope.kind == "class" or name not in scope.bindings):
                scope = scope.parent
            return scope or self.module
        return self

    def bind(self, name: str, binding: Binding) -> None:
        owner = self.owner_of(name)
        bound = owner.bindings.setdefault(name, [])
        bound.append(binding)
        flow = self.module.flow
        if flow is not None:  # which bindings reach where: see `flow`
            flow.bound(owner, name, len(bound) - 1)

    def resolve(self, name: str) -> Optional["Scope"]:
        """The scope whose binding `name` refers to here (Python's LEGB, class bodies skipped)."""
        if name in self.declared_global:
            return self.module if name in self.module.bindings else None
        scope: Optional[Scope] = self
        first = True
        while scope is not None:
            if (first or scope.kind != "class") and name in scope.bindings:
                return scope
            first = False
            scope = scope.parent
        return None


@dataclass(frozen=True)
class Ref:
    """A stdlib object by canonical qualified name: a module, function, class or class attribute."""

    qname: str


@dataclass(frozen=True)
class Classes:
    """One of several stdlib classes (`for cls in (ThreadPoolExecutor, ProcessPoolExecutor)`, a
    class parameter): calling it passes the arguments to whichever it is."""

    names: Tuple[str, ...]


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
    """A class defined in the checked module."""

    node: cst.ClassDef
    outer: Scope
    qualname: str = ""  # `module.Outer.Name`, as another module would import it
    body: Optional[Scope] = None
    defined: Set[str] = field(default_factory=set)  # names def'd in the body: they shadow the stdlib
    attrs: Dict[str, List[Binding]] = field(default_factory=dict)  # self.x / cls.x assignments


@dataclass(frozen=True)
class ExtClass:
    """A class as other modules see it: its bases (a stdlib class's `Ref`, another `ExtClass`,
    or what another module binds), the names it defines, which shadow the stdlib's, and what
    its attributes hold where that is known."""

    qualname: str
    bases: Tuple["Value", ...] = ()
    defined: FrozenSet[str] = frozenset()
    attrs: Tuple[Tuple[str, "Value"], ...] = ()


@dataclass(frozen=True)
class ExtFunc:
    """A function of another module of the project: what it returns (None: unknown) and its
    qualified name (`pkg.mod.Class.method`), which its calls in other modules are linked by."""

    result: "Value"
    qualname: str = ""


@dataclass(frozen=True)
class UserInst:
    cls: Union[UserClass, ExtClass]


@dataclass(eq=False)
class UserFunc:
    node: cst.FunctionDef
    scope: Optional[Scope] = None
    qualname: str = ""  # `pkg.mod.Class.method`; with `<locals>` when no other module sees it
    returns: List[cst.BaseExpression] = field(default_factory=list)
    yields: List[cst.BaseExpression] = field(default_factory=list)
    opaque: bool = False  # a generator, or a bare `return`: no single value


@dataclass(frozen=True)
class Prop:
    """`@property def pool(self)`: reading the attribute on an instance calls `func`."""

    func: "Value"


@dataclass(frozen=True)
class Managed:
    """`@contextmanager def scope()`: calling it gives a context manager that binds what the
    generator yields."""

    func: "Value"


@dataclass(frozen=True)
class Elements:
    """A container (list, tuple, dict values, annotated collection) whose items are all `item`."""

    item: "Value"


@dataclass(frozen=True)
class Mapping:
    """A dict (or defaultdict) whose values are all `value`; iterating it gives its keys. A
    literal with string keys, never filled later, also knows each key's value."""

    value: "Value"
    keyed: Tuple[Tuple[str, "Value"], ...] = ()


@dataclass(frozen=True)
class Items:
    """A tuple of known length: `(pool, queue)`, what `Pipe()` returns. Unpacking takes one
    element; iterating, any of them."""

    values: Tuple["Value", ...]


@dataclass(frozen=True)
class Partial:
    """`functools.partial(func, ...)`: calling it calls `func`."""

    func: "Value"


@dataclass(frozen=True)
class Wrapped:
    """`contextlib.closing(inner)`: not `inner`'s own context manager, but `with` binds `inner`."""

    inner: "Value"


@dataclass(frozen=True)
class Later:
    """What only the whole project can tell: the name `root` (`pkg.mod.name`) of a project module,
    or a value whose class derives from one, with `ops` applied to it in order."""

    root: Union[str, "Value"]
    ops: Tuple[Op, ...] = ()

    def then(self, kind: OpKind, name: str = "") -> "Later":
        return Later(self.root, (*self.ops, (kind, name)))


@dataclass(frozen=True)
class Either:
    """One of `options`, some of them `Later`: their join, once they are known."""

    options: Tuple["Value", ...]


class Param(NamedTuple):
    """What a module knows of a parameter other modules' calls decide: its default (None: none,
    or not known), and whether calls in its own module pass it (then a call elsewhere is not
    needed for it to have a value)."""

    default: "Value"
    called: bool


class _NoneValue:
    """The literal `None`: no obstacle to a join (`pool = None` then `pool = Pool()`)."""

    def __repr__(self) -> str:
        return "NONE"

    def __reduce__(self) -> str:
        return "NONE"  # one instance, also across worker processes


NONE = _NoneValue()
Value = Union[Ref, Classes, Inst, Bound, UserClass, UserInst, UserFunc, Elements, Items, Mapping, Partial,
              Wrapped, Prop, Managed, ExtClass, ExtFunc, Later, Either, _NoneValue, None]
AnyClass = Union[UserClass, ExtClass]
