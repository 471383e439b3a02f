"""Evaluate expressions to values, lazily and memoized, from the bindings `_resolve` gathered."""
from __future__ import annotations

from typing import Dict, Iterable, Optional, Set, Tuple

import libcst as cst

from poolcompat.engine.resolve import dotted
from poolcompat.table.model import Model
from poolcompat.engine.values import Binding, Scope
from poolcompat.engine.context import Context
from poolcompat.engine.values import (
    NONE, AnyClass, Bound, Elements, ExtClass, ExtFunc, Inst, Partial, Ref, UserClass, UserFunc,
    UserInst, Value, Wrapped, join,
)

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


class Evaluator:
    def __init__(self, model: Model, exported: frozenset[str],
                 context: Context = Context()) -> None:
        self.model = model
        self.exported = exported  # qualified names a `from m import *` is known to bring
        self.context = context
        self.project_exports = context.exported
        # the tracked modules themselves (not worth exporting across the project)
        self.modules = frozenset(q.rpartition(".")[0] for q in exported) | frozenset(
            q.partition(".")[0] for q in exported)
        self._names: Dict[Tuple[int, str], Value] = {}
        self._exprs: Dict[int, Value] = {}
        self._busy: Set[object] = set()

    # -- names and bindings ------------------------------------------------------------------

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
                found = self.project_exports.get(f"{source}.{name}")
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
        value: Value = NONE
        for binding in bindings:
            value = join(self.model, value, self.binding(binding))
            if value is None:
                return None
        return value

    def ref(self, qname: str) -> Value:
        """A name taken from a module: the stdlib's object, or what a project module exports."""
        if qname.partition(".")[0] not in self.context.local:
            return Ref(self.model.canonical(qname))
        if qname in self.project_exports:
            return self.project_exports[qname]
        return Ref(qname) if qname in self.context.modules else None

    def binding(self, binding: Binding) -> Value:
        node, scope = binding.node, binding.scope
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
            return copied if copied is not None else self.call(self.expr(node.func, scope), node, scope)
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
            return join(self.model, self.expr(node.body, scope), self.expr(node.orelse, scope))
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            return join(self.model, self.expr(node.left, scope), self.expr(node.right, scope))
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
        item: Value = NONE
        for node in nodes:
            item = join(self.model, item, self.expr(node, scope))
        return Elements(item) if item is not None else None

    def item(self, container: Value) -> Value:
        return container.item if isinstance(container, Elements) else None

    def attribute(self, base: Value, name: str) -> Value:
        if isinstance(base, Ref):
            return self.ref(f"{base.qname}.{name}")
        if isinstance(base, Inst):
            mirror = self.model.mirrors.get(base.cls)
            if mirror:
                return Ref(self.model.canonical(f"{mirror}.{name}"))
            return Bound(base.cls, name)
        if isinstance(base, (UserInst, UserClass, ExtClass)):
            cls = base.cls if isinstance(base, UserInst) else base
            found, value = self.user_attribute(cls, name)
            stdlib = "" if found else self.stdlib_base(cls)
            if not stdlib:
                return value
            return Bound(stdlib, name) if isinstance(base, UserInst) else Ref(f"{stdlib}.{name}")
        return None

    def call(self, func: Value, node: Optional[cst.Call] = None,
             scope: Optional[Scope] = None) -> Value:
        if isinstance(func, Partial):
            return self.call(func.func)
        how = self.passthrough(func)
        if how:
            first = node.args[0] if node is not None and node.args else None
            if first is None or first.keyword is not None or first.star or scope is None:
                return None
            inner = self.expr(first.value, scope)
            if how == "partial":
                return Partial(inner)
            return Wrapped(inner) if how == "closing" else self.enter(inner)
        if isinstance(func, Ref):
            if func.qname in self.model.classes:
                return Inst(func.qname)
            returned = self.model.returns.get(func.qname)
            return Inst(returned) if returned else None
        if isinstance(func, Bound):
            for cls in self.model.mro(func.cls):
                returned = self.model.returns.get(f"{cls}.{func.name}")
                if returned:
                    return Inst(returned)
            return None
        if isinstance(func, (UserClass, ExtClass)):
            return UserInst(func)
        if isinstance(func, ExtFunc):
            return func.result
        if isinstance(func, UserFunc) and func.scope is not None and not func.opaque:
            if not func.returns:
                return NONE
            value: Value = NONE
            for result in func.returns:
                value = join(self.model, value, self.expr(result, func.scope))
            return value
        return None

    def passthrough(self, func: Value) -> str:
        """How a call derives its result from its first argument (see types.toml), or ""."""
        if isinstance(func, Ref):
            return self.model.passthrough.get(func.qname, "")
        if isinstance(func, Bound):
            for cls in self.model.mro(func.cls):
                how = self.model.passthrough.get(f"{cls}.{func.name}")
                if how:
                    return how
        return ""

    def enter(self, value: Value) -> Value:
        """What `with value as x` binds x to."""
        if isinstance(value, Wrapped):
            return value.inner
        if isinstance(value, Inst) and self.stdlib_enter(value.cls) == "self":
            return value
        if isinstance(value, UserInst) and "__enter__" not in self.user_defined(value.cls):
            stdlib = self.stdlib_base(value.cls)
            return value if stdlib and self.stdlib_enter(stdlib) == "self" else None
        return None

    def stdlib_enter(self, cls: str) -> str:
        for base in self.model.mro(cls):
            info = self.model.classes.get(base)
            if info is not None and info.enter:
                return info.enter
        return ""

    def annotation(self, node: cst.BaseExpression, scope: Scope) -> Value:
        """The value a name annotated with `node` holds: an instance of the annotated class."""
        if isinstance(node, cst.SimpleString):
            try:
                node = cst.parse_expression(node.evaluated_value)  # type: ignore[arg-type]
            except Exception:  # a string annotation that is not an expression proves nothing
                return None
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            return join(self.model, self.annotation(node.left, scope),
                        self.annotation(node.right, scope))
        if isinstance(node, cst.Subscript):
            outer = self.expr(node.value, scope)
            qname = outer.qname if isinstance(outer, Ref) else ""
            parts = [el.slice.value for el in node.slice if isinstance(el.slice, cst.Index)]
            if qname in _OPTIONAL and len(parts) == 1:
                return self.annotation(parts[0], scope)
            if qname in _UNION and parts:
                value: Value = NONE
                for part in parts:
                    value = join(self.model, value, self.annotation(part, scope))
                return value
            builtin = (isinstance(node.value, cst.Name) and node.value.value in _BUILTIN_COLLECTIONS
                       and scope.resolve(node.value.value) is None)
            if (qname in _COLLECTIONS or builtin) and parts:
                item = self.annotation(parts[-1] if len(parts) == 2 else parts[0], scope)
                return Elements(item) if item is not None and item is not NONE else None
            return None
        if isinstance(node, cst.Name) and node.value == "None":
            return NONE
        value = self.expr(node, scope) if dotted(node) else None
        if isinstance(value, Ref) and value.qname in self.model.classes:
            return Inst(value.qname)
        if isinstance(value, UserClass):
            return UserInst(value)
        return None

    # -- user classes ------------------------------------------------------------------------

    def user_bases(self, cls: AnyClass) -> Iterable[Value]:
        if isinstance(cls, ExtClass):
            return
        for arg in cls.node.bases:
            if arg.keyword is None and not arg.star:
                yield self.expr(arg.value, cls.outer)

    def stdlib_base(self, cls: AnyClass, seen: Optional[Set[int]] = None) -> str:
        """The first stdlib class this user class derives from (depth-first, as the MRO mostly is)."""
        if isinstance(cls, ExtClass):
            return cls.base
        seen = seen or set()
        if id(cls) in seen:
            return ""
        seen.add(id(cls))
        for base in self.user_bases(cls):
            if isinstance(base, Ref) and base.qname in self.model.classes:
                return base.qname
            if isinstance(base, (UserClass, ExtClass)):
                found = self.stdlib_base(base, seen)
                if found:
                    return found
        return ""

    def user_defined(self, cls: AnyClass) -> Set[str]:
        """Names defined by the user class or its user bases, which shadow the stdlib's."""
        if isinstance(cls, ExtClass):
            return set(cls.defined)
        names = set(cls.defined) | set(cls.body.bindings if cls.body else ())
        for base in self.user_bases(cls):
            if isinstance(base, (UserClass, ExtClass)) and base is not cls:
                names |= self.user_defined(base)
        return names

    def user_attribute(self, cls: AnyClass, name: str) -> Tuple[bool, Value]:
        """Whether the user class (or a user base) defines `name`, and its value if so."""
        if isinstance(cls, ExtClass):
            return name in cls.defined, None
        bindings = list(cls.attrs.get(name, ()))
        if cls.body is not None:
            bindings += cls.body.bindings.get(name, ())
        if bindings:
            return True, self.bindings(bindings)
        for base in self.user_bases(cls):
            if isinstance(base, (UserClass, ExtClass)) and base is not cls:
                found, value = self.user_attribute(base, name)
                if found:
                    return True, value
        return False, None

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
