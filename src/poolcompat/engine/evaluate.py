"""Evaluate expressions to values, lazily and memoized, from the bindings `resolve` gathered."""
from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Set, Tuple

import libcst as cst

from poolcompat.engine.annotations import Annotations
from poolcompat.engine.containers import (
    constructor, empty, holding, inside, keys_of, read, replaced, stored,
)
from poolcompat.engine.decorators import decorated, yielded
from poolcompat.engine.fixpoint import Memo
from poolcompat.engine.flow import Flow
from poolcompat.engine.params import References, parameter
from poolcompat.engine.context import Context
from poolcompat.engine.importing import IMPORTERS
from poolcompat.engine.syntax import dotted, literal
from poolcompat.engine.values import (
    NONE, AnyClass, Binding, Elements, ExtClass, Items, Later, Managed, Mapping, Param, Partial, Ref, Scope, UserClass, UserFunc,
    UserInst, Value, Wrapped,
)
from poolcompat.table.model import Model

_NUMBERS = frozenset({"int", "float", "bool", "len"})
_COPIES = frozenset({"list", "tuple", "set", "frozenset", "sorted", "reversed", "iter"})


class Evaluator(Annotations):
    def __init__(self, model: Model, exported: frozenset[str],
                 context: Context = Context()) -> None:
        super().__init__(model)
        self.exported = exported  # qualified names a `from m import *` is known to bring
        self.context = context
        self.known = context.known
        self.references = References()  # the resolver's, for what callers pass
        self.module_classes: List[UserClass] = []  # for mixins
        self.params: Dict[str, Param] = {}  # parameters other modules' calls decide
        self.flow: Optional[Flow] = None  # the resolver's: which bindings reach a read
        self.memo = Memo()
        self._names: Dict[Tuple[int, str], Value] = self.memo.table()
        self._derived: Dict[Tuple[int, str], Tuple[bool, Value]] = self.memo.table()
        self._exprs: Dict[int, Value] = self.memo.table()
        self._subclasses: Optional[Dict[int, List[UserClass]]] = None

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
        if qname.rpartition(".")[0] in self.context.later or qname in self.context.awaiting:
            return Later(qname)  # what the link finds: not checked yet, or fed by our calls
        return None  # checked before, and it exports nothing that leads to a pool

    def name(self, name: str, scope: Scope) -> Value:
        if name == "None":
            return NONE
        owner = scope.resolve(name)
        if owner is None:
            return self._star(name, scope.module)
        return self.memo.fixed((id(owner), name), self._names,
                               lambda: self.bindings(owner.bindings[name]))

    def _read(self, node: cst.Name, scope: Scope) -> Value:
        """A name where it is read: the join of the bindings that reach there (see `flow`),
        and whatever fills the container since."""
        owner = scope.resolve(node.value) if self.flow is not None else None
        reaching = self.flow.reaches(node, owner) if self.flow is not None and owner else None
        if owner is None or reaching is None:
            return self.name(node.value, scope)
        every = owner.bindings[node.value]
        chosen = [b for i, b in enumerate(every) if i in reaching or b.how == "add"]
        if len(chosen) == len(every):
            return self.name(node.value, scope)
        return self.memo.fixed((id(owner), node.value, reaching), self._names,
                               lambda: self.bindings(chosen))

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
        every = list(bindings)
        value = self.join_all(self.binding(b) for b in every if b.how != "add")
        for add in (b for b in every if b.how == "add" and b.parent is not None):
            value = self._grow(value, add, add.size, keys_of(add.node))
        return value

    def _grow(self, container: Value, add: Binding, depth: int,
              keys: List[Optional[str]]) -> Value:
        """The container once the added value is in it, `depth` levels down (`keys`: the
        string key stored to at each level, `c["a"][k] = v`, for the dicts that know their
        keys' values)."""
        assert add.parent is not None
        key = keys[0] if keys else None
        if depth > 1:
            current = self.index(container, key or "") if isinstance(container, Mapping) \
                else inside(container)
            grown = self._grow(current, add, depth - 1, keys[1:])
            return replaced(container, key, grown, self.join)
        new = self.binding(add.parent)
        if isinstance(container, Mapping) and container.keyed:  # `CONTEXTS["fork"] = ...`
            return stored(container, key, new, self.join)
        return holding(container, self.join(inside(container),
                                            self.item(new) if add.position else new))

    def binding(self, binding: Binding) -> Value:
        node, scope = binding.node, binding.scope
        if binding.how == "part" and binding.parent is not None:
            return self.part(self.binding(binding.parent), binding.position, binding.size)
        if binding.how == "decorated" and isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            assert scope is not None
            return decorated(binding.value, node.decorators, scope, self)
        if binding.how == "param":
            return parameter(binding, self)
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
        return self.memo.fixed(id(node), self._exprs, lambda: self._expr(node, scope))

    def _expr(self, node: cst.BaseExpression, scope: Scope) -> Value:
        if isinstance(node, (cst.Integer, cst.Float)) or (
                isinstance(node, cst.Call) and isinstance(node.func, cst.Name)
                and node.func.value in _NUMBERS and scope.resolve(node.func.value) is None):
            return NONE  # a number has no attribute a rule is about: like None, no obstacle
        if isinstance(node, cst.Name):
            return self._read(node, scope)
        if isinstance(node, cst.Attribute):
            return self.attribute(self.expr(node.value, scope), node.attr.value)
        if isinstance(node, cst.Call):
            copied = self._copy(node, scope)
            return copied if copied is not None else self.call_expr(node, scope)
        if isinstance(node, cst.Tuple) and node.elements and not any(
                isinstance(el, cst.StarredElement) for el in node.elements):
            return Items(tuple(self.expr(el.value, scope) for el in node.elements))
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            return self._items([el.value for el in node.elements
                                if not isinstance(el, cst.StarredElement)], scope)
        if isinstance(node, cst.Dict):
            return self._dict(node, scope)
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            inner = scope.comprehensions.get(id(node))  # `[Process(...) for ...]`: its elements
            elt = node.value if isinstance(node, cst.DictComp) else node.elt
            items = self._items([elt], inner) if inner is not None else None
            if isinstance(node, cst.DictComp) and isinstance(items, Elements):
                return Mapping(items.item)
            return items
        if isinstance(node, cst.Subscript):
            key = node.slice[0].slice if len(node.slice) == 1 else None
            text = literal(key.value) if isinstance(key, cst.Index) and isinstance(
                key.value, cst.SimpleString) else None
            return self.index(self.expr(node.value, scope), text or "")
        if isinstance(node, cst.IfExp):
            return self.join(self.expr(node.body, scope), self.expr(node.orelse, scope))
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            return self.join(self.expr(node.left, scope), self.expr(node.right, scope))
        if isinstance(node, cst.NamedExpr):
            return self.expr(node.value, scope)
        return None

    def _dict(self, node: cst.Dict, scope: Scope) -> Value:
        """A dict literal: what its values have in common, and each string key's value."""
        elements = [el for el in node.elements if isinstance(el, cst.DictElement)]
        values = [self.expr(el.value, scope) for el in elements]
        joined = self.join_all(values)
        keyed = tuple((literal(el.key) or "", value) for el, value in zip(elements, values)
                      if literal(el.key) is not None)
        if len(keyed) != len(node.elements):
            keyed = ()  # `**other` or a computed key: which keys it has is not known
        return Mapping(joined, keyed) if joined is not None or keyed else None

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
        made = self._container(node, scope)
        if made is None:
            made = self._builtin(node, scope)
        if made is not None:
            return made
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

    def _builtin(self, node: cst.Call, scope: Scope) -> Value:
        """`getattr(x, "name")`, `super()`, `importlib.import_module("name")` by what they give."""
        func = dotted(node.func)
        args = [a.value for a in node.args if a.keyword is None and not a.star]
        if func == "getattr" and scope.resolve(func) is None and len(args) >= 2 and isinstance(
                args[1], cst.SimpleString) and literal(args[1]) is not None:
            return self.attribute(self.expr(args[0], scope), literal(args[1]) or "")
        if func == "super" and scope.resolve(func) is None:
            return self._super(args, scope)
        importer = self.importer(node, scope)
        if importer and args and isinstance(args[0], cst.SimpleString):
            module = literal(args[0])
            if isinstance(module, str):
                return self.ref(module.partition(".")[0] if importer == "__import__" else module)
        return None

    def argument(self, node: cst.BaseExpression, scope: Scope, call: cst.Call) -> Value:
        """What a call passes: the argument's value, or what an `isinstance()` test around
        the call proves of it."""
        name = dotted(node)
        for guard in self.references.guards.get(id(call), ()) if name else ():
            if guard.kind == "if" and guard.positive and isinstance(guard.node, cst.BaseExpression):
                found = self.narrowed(guard.node, guard.scope).get(name)
                if found is not None:
                    return found
        return self.expr(node, scope)

    def narrowed(self, test: cst.BaseExpression, scope: Scope) -> Dict[str, Value]:
        """What `isinstance(x, C)` (alone or in an `and`) proves where it holds."""
        if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
            return {**self.narrowed(test.left, scope), **self.narrowed(test.right, scope)}
        if not (isinstance(test, cst.Call) and dotted(test.func) == "isinstance"
                and scope.resolve("isinstance") is None and len(test.args) == 2):
            return {}
        subject, kinds = test.args[0].value, test.args[1].value
        classes = [el.value for el in kinds.elements] if isinstance(kinds, cst.Tuple) else [kinds]
        instance = self.join_all(self.annotation(cls, scope) for cls in classes)
        name = dotted(subject)
        return {name: instance} if name and instance is not None and instance is not NONE else {}

    def importer(self, node: cst.Call, scope: Scope) -> str:
        """Which importing function a call calls (`__import__`, `importlib.import_module`...)."""
        if isinstance(node.func, cst.Name) and node.func.value == "__import__":
            return "__import__" if scope.resolve("__import__") is None else ""
        func = self.expr(node.func, scope)
        return func.qname if isinstance(func, Ref) and func.qname in IMPORTERS else ""

    def _super(self, args: List[cst.BaseExpression], scope: Scope) -> Value:
        """`super()` in a method: an instance of a class with the method's class's bases."""
        owner: Optional[Scope] = scope
        while owner is not None and owner.cls is None:
            owner = owner.parent
        cls = self.expr(args[0], scope) if args else (owner.cls if owner else None)
        if not isinstance(cls, UserClass):
            return None
        return UserInst(ExtClass(f"{cls.qualname}.<super>", tuple(self.bases(cls))))

    def _container(self, node: cst.Call, scope: Scope) -> Value:
        """A container made empty (`[]` by another name: `deque()`, `defaultdict(dict)`), or
        what a method of one gives (`futures.pop()`, `executors.values()`)."""
        func = node.func
        if isinstance(func, cst.Attribute):
            container = self.expr(func.value, scope)
            if isinstance(container, (Elements, Items, Mapping)):
                return read(container, func.attr.value)
        name = self._constructor(func, scope)
        if not name:
            return None
        if name.endswith("defaultdict"):
            factory = node.args[0].value if node.args and not node.args[0].keyword else None
            made = self._constructor(factory, scope) if factory is not None else ""
            value = empty(made) if made else (
                self.call(self.expr(factory, scope)) if factory is not None else NONE)
            return Mapping(value) if value is not None else None
        if not node.args:
            return empty(name)
        first = node.args[0]  # `deque(items, maxlen)`, `set(futures)`: a copy of the items
        if first.keyword is None and not first.star and isinstance(empty(name), Elements):
            items = self.expr(first.value, scope)
            return items if isinstance(items, Elements) else None
        return None

    def _constructor(self, node: cst.BaseExpression, scope: Scope) -> str:
        """The container a builtin or stdlib constructor makes, if `node` names one."""
        if isinstance(node, cst.Name) and scope.resolve(node.value) is None:
            return constructor(node.value)
        value = self.expr(node, scope)
        return constructor(value.qname) if isinstance(value, Ref) else ""

    def call_user(self, func: Value) -> Value:
        if isinstance(func, Managed) and isinstance(func.func, UserFunc):
            inner = yielded(func.func, self)
            return Wrapped(inner) if inner is not None else None
        if isinstance(func, UserFunc) and func.node.asynchronous is not None:
            return None  # a coroutine
        if isinstance(func, UserFunc) and func.node.returns is not None and (
                func.scope is not None and func.scope.parent is not None):  # believed
            annotated = self.annotation(func.node.returns.annotation, func.scope.parent)
            if annotated is not None:
                return annotated
        if isinstance(func, UserFunc) and func.scope is not None and not func.opaque:
            if not func.returns:
                return NONE
            return self.join_all(self.expr(result, func.scope) for result in func.returns)
        return None

    # -- the module's own classes ------------------------------------------------------------

    def bases(self, cls: AnyClass) -> List[Value]:
        if isinstance(cls, ExtClass):
            return list(cls.bases)
        return [self.expr(arg.value.value if isinstance(arg.value, cst.Subscript) else arg.value,
                          cls.outer)  # `class F(Future[T])` derives from Future
                for arg in cls.node.bases if arg.keyword is None and not arg.star]

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

    def derived_attribute(self, cls: AnyClass, name: str) -> Tuple[bool, Value]:
        """What every subclass in the module that sets the attribute sets (a mixin's
        `self.pool`), and whether any does."""
        key = (id(cls), name)
        if key not in self._derived:
            self._derived[key] = (False, None)  # a subclass's attribute that reads the mixin's
            self._derived[key] = self._derive(cls, name)
        return self._derived[key]

    def _derive(self, cls: AnyClass, name: str) -> Tuple[bool, Value]:
        if self._subclasses is None:  # once: each class under every class it derives from
            self._subclasses = {}
            for other in self.module_classes:
                for klass in self.class_chain(other):
                    if klass is not other:
                        self._subclasses.setdefault(id(klass), []).append(other)
        values = []
        for other in self._subclasses.get(id(cls), ()):
            found, value = self.own_attribute(other, name)
            if found:
                values.append(value)
        return (True, self.join_all(values)) if values else (False, None)

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
