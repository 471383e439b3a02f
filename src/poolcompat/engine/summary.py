"""A module's summary: all that the rest of a run needs of it, without its syntax tree.

Checking a module gives its findings, what it exports (pool classes, factories, pool-like
instances, stdlib names it re-exports), and the uses that only other modules can decide
(`pkg.helpers.make_pool().starmap`). The project links summaries (`link`): no module is
parsed twice, and a cached summary stands for an unchanged file."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, FrozenSet, List, NamedTuple, Optional, Set, Tuple

from poolcompat.engine.algebra import Algebra
from poolcompat.engine.facts import GuardFacts
from poolcompat.engine.findings import Finding
from poolcompat.engine.match import Site
from poolcompat.engine.values import (
    NONE, Bound, Classes, Either, Managed, Param, Prop, Elements, ExtClass, ExtFunc, Inst, Items, Later, Mapping, Partial, Ref,
    UserClass,
    UserFunc, UserInst, Value, Wrapped,
)

Span = Tuple[int, int, int, int]  # start line, start column, end line, end column; 1-based


class Pending(NamedTuple):
    """A use whose value another module decides: matched once the project is linked."""

    site: Site
    value: Value  # portable: no libcst node
    spans: Tuple[Span, ...]  # where each part of the site is
    facts: GuardFacts


class CallRecord(NamedTuple):
    """A call of another module's function or class, for what its parameters are: the callee,
    what it was taken from (`obj` in `obj.method(...)`: a bound method fills `self`), and what
    the call passes."""

    callee: Value
    owner: Value
    positional: Tuple[Value, ...]
    keywords: Tuple[Tuple[str, Value], ...] = ()
    starred: bool = False  # `*args` or `**kwargs`: other parameters may get anything


@dataclass
class Summary:
    path: str  # as shown to users
    module: str = ""  # its dotted name in the project, "" when it has none
    error: Optional[str] = None
    findings: List[Finding] = field(default_factory=list)  # settled in the module itself
    pending: List[Pending] = field(default_factory=list)
    exports: Dict[str, Value] = field(default_factory=dict)  # name -> portable value
    noqa: Dict[int, FrozenSet[str]] = field(default_factory=dict)  # on the lines pending reports at
    silenced: bool = False  # `# poolcompat: noqa`
    calls: List[CallRecord] = field(default_factory=list)
    escapes: List[Value] = field(default_factory=list)  # functions used other than by a call
    params: Dict[str, Param] = field(default_factory=dict)  # by `param:...` key


class Portable:
    """Turns a module's values into ones that outlive its tree: a class becomes an `ExtClass`
    (bases, defined names, what its attributes hold), a function the value it returns."""

    def __init__(self, algebra: Algebra, packages: Tuple[str, ...]) -> None:
        self.algebra = algebra
        self.packages = packages
        self._classes: Dict[int, Optional[ExtClass]] = {}

    def value(self, value: Value, depth: int = 0) -> Value:
        if depth > 8:
            return None
        if isinstance(value, (Ref, Classes, Inst, Bound)) or value is NONE:
            return value
        if isinstance(value, ExtFunc):  # one made by a join holds what the module's calls give
            result = self.value(value.result, depth + 1)
            return ExtFunc(result, value.qualname) if result is not None or value.qualname \
                else None
        if isinstance(value, UserClass):
            return self.cls(value, depth)
        if isinstance(value, ExtClass):  # `super()` in a method: bases of the module's own
            bases = tuple(self.value(base, depth + 1) for base in value.bases)
            return ExtClass(value.qualname, bases, value.defined, value.attrs)
        if isinstance(value, UserInst):
            cls = self.value(value.cls, depth + 1)
            return UserInst(cls) if isinstance(cls, ExtClass) else None
        if isinstance(value, (UserFunc, Managed)):
            func = value.func if isinstance(value, Managed) else value
            result = self.value(self.algebra.call(value), depth + 1)
            qualname = func.qualname if isinstance(func, UserFunc) else ""
            return ExtFunc(result, qualname) if result is not None or qualname else None
        if isinstance(value, Prop):  # an attribute that gives what the function returns
            return self.value(self.algebra.call(value.func), depth + 1)
        if isinstance(value, Later):
            root = value.root if isinstance(value.root, str) else self.value(value.root, depth + 1)
            return Later(root, value.ops) if root is not None else None
        if isinstance(value, Either):
            found = [self.value(option, depth + 1) for option in value.options]
            return Either(tuple(found)) if all(v is not None for v in found) else None
        if isinstance(value, Elements):
            item = self.value(value.item, depth + 1)
            return Elements(item) if item is not None else None
        if isinstance(value, Mapping):
            inner = self.value(value.value, depth + 1)
            keyed = tuple((key, self.value(part, depth + 1)) for key, part in value.keyed)
            return Mapping(inner, keyed) if inner is not None or keyed else None
        if isinstance(value, Items):
            parts = tuple(self.value(part, depth + 1) for part in value.values)
            return Items(parts) if any(part is not None for part in parts) else None
        if isinstance(value, Partial):
            func = self.value(value.func, depth + 1)
            return Partial(func) if func is not None else None
        if isinstance(value, Wrapped):
            inner = self.value(value.inner, depth + 1)
            return Wrapped(inner) if inner is not None else None
        return None

    def cls(self, cls: UserClass, depth: int) -> Optional[ExtClass]:
        key = id(cls)
        if key in self._classes:  # already done, or under way (a class holding its own kind)
            return self._classes[key]
        bases = tuple(self.value(base, depth + 1) for base in self.algebra.bases(cls))
        defined = frozenset(self.algebra.own_defined(cls))
        self._classes[key] = ExtClass(cls.qualname, bases, defined)
        attrs = []
        for name in sorted(set(cls.attrs) | set(cls.body.bindings if cls.body else ())):
            found = self.value(self.algebra.own_attribute(cls, name)[1], depth + 1)
            if found is not None and found is not NONE:
                attrs.append((name, found))
        done = ExtClass(cls.qualname, bases, defined, tuple(attrs))
        self._classes[key] = done
        return done

    def worth_exporting(self, value: Value) -> bool:
        """Whether another module could draw a finding from it."""
        if isinstance(value, Ref):
            return value.qname.partition(".")[0] in self.packages or (
                value.qname in self.algebra.model.classes)
        if isinstance(value, Classes):
            return True
        if isinstance(value, ExtClass):
            return bool(value.attrs) or any(self._leads_somewhere(b) for b in value.bases)
        if isinstance(value, UserInst):
            return isinstance(value.cls, ExtClass) and self.worth_exporting(value.cls)
        if isinstance(value, ExtFunc):  # what it returns, or what other modules pass it
            return self.worth_exporting(value.result) or (
                "<locals>" not in value.qualname and bool(value.qualname))
        if isinstance(value, Items):
            return any(self.worth_exporting(part) for part in value.values)
        if isinstance(value, Mapping):
            return any(self.worth_exporting(part)
                       for part in [value.value, *(part for _, part in value.keyed)])
        if isinstance(value, (Elements, Partial, Wrapped)):
            inner = value.item if isinstance(value, Elements) else (
                value.func if isinstance(value, Partial) else value.inner)
            return self.worth_exporting(inner)
        return value is not None and value is not NONE

    def _leads_somewhere(self, base: Value) -> bool:
        if isinstance(base, Ref):
            return base.qname in self.algebra.model.classes
        return isinstance(base, (Later, Either)) or (
            isinstance(base, ExtClass) and self.worth_exporting(base))


def exports(names: Set[str], value_of: Callable[[str], Value],
            portable: Portable) -> Dict[str, Value]:
    """The module-level names worth another module's while, as portable values."""
    found: Dict[str, Value] = {}
    for name in sorted(names):
        value = portable.value(value_of(name))
        if value is not None and portable.worth_exporting(value):
            found[name] = value
    return found
