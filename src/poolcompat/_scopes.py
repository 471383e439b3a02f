"""Scopes and bindings, gathered in one pass and evaluated lazily once the whole module is seen."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, NamedTuple, Optional, Set

import libcst as cst

from poolcompat._values import UserClass, UserFunc, Value


class Binding(NamedTuple):
    """One way a name gets its value. `how` says how to read `node`:

    value: `value` itself; expr: the expression `node`; enter: what `with node as x` binds;
    item: an item of the container `node` (`for x in node`); ann: the annotation `node`, else the
    expression `extra`.
    """

    how: str
    node: Optional[cst.CSTNode] = None
    scope: Optional["Scope"] = None
    value: Value = None
    extra: Optional[cst.CSTNode] = None


UNKNOWN = Binding("value")


class Guard(NamedTuple):
    """A condition around a use: `test` holds (or, with positive False, fails) where it runs."""

    kind: str  # "if" or "try"
    node: cst.CSTNode  # the test expression, or the Try statement
    scope: Scope
    positive: bool = True


@dataclass(eq=False)
class Scope:
    kind: str  # module, class, function, comprehension
    parent: Optional["Scope"]
    bindings: Dict[str, List[Binding]] = field(default_factory=dict)
    declared_global: Set[str] = field(default_factory=set)
    declared_nonlocal: Set[str] = field(default_factory=set)
    stars: List[str] = field(default_factory=list)  # `from m import *`, in order ("" when unknown)
    cls: Optional[UserClass] = None  # the class of a class body, or of a method's `self`
    func: Optional[UserFunc] = None
    self_name: str = ""  # a method's first parameter, when it is `self`
    comprehensions: Dict[int, "Scope"] = field(default_factory=dict)  # by id of the node

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
        self.owner_of(name).bindings.setdefault(name, []).append(binding)

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
