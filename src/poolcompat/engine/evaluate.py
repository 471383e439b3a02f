"""Evaluate expressions to values, lazily and memoized, from the bindings `resolve` gathered."""
from __future__ import annotations

from typing import Dict, Iterable, List, Set, Tuple

import libcst as cst

from poolcompat.engine.algebra import Algebra
from poolcompat.engine.context import Context
from poolcompat.engine.resolve import dotted
from poolcompat.engine.values import (
    NONE, AnyClass, Binding, Either, Elements, ExtClass, Items, Later, Partial, Ref, Scope, UserClass, UserFunc,
    UserInst, Value, Wrapped,
)
from poolcompat.table.model import Model

_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
_UNION = frozenset({"typing.Union", "typing_extensions.Union"})
# Generic collections whose last parameter is the item type: `list[Pool]`, `Dict[str, Pool]`.
_COLLECTIONS = frozenset(
    [f"typing.{n}" for n in ("List", "Tuple", "Set", "FrozenSet", "Sequence", "Iterable",
                             "Dict", "Mapping", "MutableMapping", "Deque", "MutableSequence")]
    + [f"collections.abc.{n}" for n in ("Sequence", "Iterable", "Mapping", "MutableMapping",
                                       "MutableSequence")]
)
_BUILTIN_COLLECTIONS = frozenset({"list", "tuple", "set", "frozenset", "dict"})
_COPIES = frozenset({"list", "tuple", "set", "frozenset", "sorted", "reversed", "iter"})


class Evaluator(Algebra):
    def __init__(self, model: Model, exported: frozenset[str],
                 context: Context = Context()) -> None:
        super().__init__(model)
        self.exported = exported  # qualified names a `from m import *` is known to bring
        self.context = context
        self.known = context.known
        self._names: Dict[Tuple[int, str], Value] = {}
        self._exprs: Dict[int, Value] = {}
        self._busy: Set[object] = set()

    # -- names and bindings ------------------------------------------------------------------

    def ref(self, qname: str) -> Value:
        """A name taken from a module: the stdlib's object, or what a project module binds,
        where its check came first (`Later` where it comes along with this one)."""
        if qname.partition(".")[0] not in self.context.local:
            return super().ref(qname)
        known = self.known.get(qname)
        if known is not None:
            return known
        if qname in self.context.later or qname in self.context.modules:
            return Ref(qname)  # a project module: its names are what matters
        return Later(qname) if qname.rpartition(".")[0] in self.context.later else None

    def name(self, name: str, scope: Scope) -> Value:
        if name == "None":
            return NONE
        owner = scope.resolve(name)
        if owner is None:
            return self._star(name, scope.module)
        key = (id(owner), name)
        if key not in self._names:
            if key in self._busy:
                return None
            self._busy.add(key)
            self._names[key] = self.bindings(owner.bindings[name])
            self._busy.discard(key)
        return self._names[key]

    def _star(self, name: str, module: Scope) -> Value:
        for source in reversed(module.stars):  # the last star import providing it wins
            if source and source.partition(".")[0] in self.context.local:
                found = self.ref(f"{source}.{name}")
                if found is not None:
                    return found
                continue
            qname = self.model.canonical(f"{source}.{name}")
            if qname in self.exported:
                return Ref(qname)
            if not source.startswith(("multiprocessing", "concurrent")):
                return None
        return None

    def bindings(self, bindings: Iterable[Binding]) -> Value:
        return self.join_all(self.binding(binding) for binding in bindings)

    def binding(self, binding: Binding) -> Value:
        node, scope = binding.node, binding.scope
        if binding.how == "part" and binding.parent is not None:
            return self.part(self.binding(binding.parent), binding.position, binding.size)
        if binding.how == "value" or node is None or scope is None:
            return self.ref(binding.value.qname) if isinstance(binding.value, Ref) else binding.value
        assert isinstance(node, cst.BaseExpression)
        if binding.how == "expr":
            return self.expr(node, scope)
        if binding.how == "enter":
            return self.enter(self.expr(node, scope))
        if binding.how == "item":
            return self.item(self.expr(node, scope))
        annotated = self.annotation(node, scope)
        if annotated is None and isinstance(binding.extra, cst.BaseExpression):
            return self.expr(binding.extra, scope)
        return annotated

    # -- expressions -------------------------------------------------------------------------

    def expr(self, node: cst.BaseExpression, scope: Scope) -> Value:
        key = id(node)
        if key in self._exprs:
            return self._exprs[key]
        if key in self._busy:
            return None
        self._busy.add(key)
        value = self._expr(node, scope)
        self._busy.discard(key)
        self._exprs[key] = value
        return value

    def _expr(self, node: cst.BaseExpression, scope: Scope) -> Value:
        if isinstance(node, cst.Name):
            return self.name(node.value, scope)
        if isinstance(node, cst.Attribute):
            return self.attribute(self.expr(node.value, scope), node.attr.value)
        if isinstance(node, cst.Call):
            copied = self._copy(node, scope)
            return copied if copied is not None else self.call_expr(node, scope)
        if isinstance(node, cst.Tuple) and node.elements and not any(
                isinstance(el, cst.StarredElement) for el in node.elements):
            return Items(tuple(self.expr(el.value, scope) for el in node.elements))
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)) and node.elements:
            return self._items([el.value for el in node.elements
                                if not isinstance(el, cst.StarredElement)], scope)
        if isinstance(node, cst.Dict) and node.elements:
            return self._items([el.value for el in node.elements
                                if isinstance(el, cst.DictElement)], scope)
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            inner = scope.comprehensions.get(id(node))  # `[Process(...) for ...]`: its elements
            elt = node.value if isinstance(node, cst.DictComp) else node.elt
            return self._items([elt], inner) if inner is not None else None
        if isinstance(node, cst.Subscript):
            return self.item(self.expr(node.value, scope))
        if isinstance(node, cst.IfExp):
            return self.join(self.expr(node.body, scope), self.expr(node.orelse, scope))
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            return self.join(self.expr(node.left, scope), self.expr(node.right, scope))
        if isinstance(node, cst.NamedExpr):
            return self.expr(node.value, scope)
        return None

    def _copy(self, node: cst.Call, scope: Scope) -> Value:
        """`list(pools)`, `sorted(pools, key=...)`: a builtin that copies the items it is given."""
        func = node.func
        if not (isinstance(func, cst.Name) and func.value in _COPIES and node.args
                and node.args[0].keyword is None and not node.args[0].star
                and scope.resolve(func.value) is None):
            return None
        items = self.expr(node.args[0].value, scope)
        return items if isinstance(items, Elements) else None

    def _items(self, nodes: Iterable[cst.BaseExpression], scope: Scope) -> Value:
        item = self.join_all(self.expr(node, scope) for node in nodes)
        return Elements(item) if item is not None else None

    def call_expr(self, node: cst.Call, scope: Scope) -> Value:
        """What a call in the module returns: `partial(f, ...)`, `closing(x)` and
        `enter_context(x)` take their meaning from their first argument."""
        func = self.expr(node.func, scope)
        how = self.passthrough(func)
        if not how:
            return self.call(func)
        first = node.args[0] if node.args else None
        if first is None or first.keyword is not None or first.star:
            return None
        inner = self.expr(first.value, scope)
        if how == "partial":
            return Partial(inner)
        return Wrapped(inner) if how == "closing" else self.enter(inner)

    def call_user(self, func: Value) -> Value:
        if isinstance(func, UserFunc) and func.scope is not None and not func.opaque:
            if not func.returns:
                return NONE
            return self.join_all(self.expr(result, func.scope) for result in func.returns)
        return None

    def annotation(self, node: cst.BaseExpression, scope: Scope) -> Value:
        """The value a name annotated with `node` holds: an instance of the annotated class."""
        if isinstance(node, cst.SimpleString):
            try:
                node = cst.parse_expression(node.evaluated_value)  # type: ignore[arg-type]
            except Exception:  # a string annotation that is not an expression proves nothing
                return None
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            return self.join(self.annotation(node.left, scope), self.annotation(node.right, scope))
        if isinstance(node, cst.Subscript):
            return self._generic(node, scope)
        if isinstance(node, cst.Name) and node.value == "None":
            return NONE
        value = self.expr(node, scope) if dotted(node) else None
        if isinstance(value, Ref) and value.qname in self.model.classes:
            return self.call(value)
        if isinstance(value, (Later, Either)):  # a class another module defines
            return self.call(value)
        if isinstance(value, UserClass):
            return UserInst(value)
        return None

    def _generic(self, node: cst.Subscript, scope: Scope) -> Value:
        outer = self.expr(node.value, scope)
        qname = outer.qname if isinstance(outer, Ref) else ""
        parts = [el.slice.value for el in node.slice if isinstance(el.slice, cst.Index)]
        if qname in _OPTIONAL and len(parts) == 1:
            return self.annotation(parts[0], scope)
        if qname in _UNION and parts:
            return self.join_all(self.annotation(part, scope) for part in parts)
        builtin = (isinstance(node.value, cst.Name) and node.value.value in _BUILTIN_COLLECTIONS
                   and scope.resolve(node.value.value) is None)
        if (qname in _COLLECTIONS or builtin) and parts:
            item = self.annotation(parts[-1] if len(parts) == 2 else parts[0], scope)
            return Elements(item) if item is not None and item is not NONE else None
        return None

    # -- the module's own classes ------------------------------------------------------------

    def bases(self, cls: AnyClass) -> List[Value]:
        if isinstance(cls, ExtClass):
            return list(cls.bases)
        return [self.expr(arg.value, cls.outer) for arg in cls.node.bases
                if arg.keyword is None and not arg.star]

    def own_defined(self, cls: AnyClass) -> Set[str]:
        if isinstance(cls, ExtClass):
            return set(cls.defined)
        return set(cls.defined) | set(cls.body.bindings if cls.body else ())

    def own_attribute(self, cls: AnyClass, name: str) -> Tuple[bool, Value]:
        if isinstance(cls, ExtClass):
            return super().own_attribute(cls, name)
        bindings = list(cls.attrs.get(name, ()))
        if cls.body is not None:
            bindings += cls.body.bindings.get(name, ())
        return (True, self.bindings(bindings)) if bindings else (False, None)

    def fold_attribute_stores(self, stores: Iterable[Tuple[cst.Attribute, Binding, Scope]]) -> None:
        """`self.x = ...`, `cls.x = ...`, `Klass.x = ...`: give user classes their attributes."""
        for target, binding, scope in stores:
            if isinstance(target.value, cst.Name):
                owner = self.name(target.value.value, scope)
                cls = owner.cls if isinstance(owner, UserInst) else owner
                if isinstance(cls, UserClass):
                    cls.attrs.setdefault(target.attr.value, []).append(binding)
        self._names.clear()
        self._exprs.clear()
