"""One pass over a libcst tree: scopes, bindings, and the candidate uses to match against the rules.

Nothing is evaluated here; `evaluate` reads the bindings once the whole module has been seen. A
name read where `flow` knows which of its bindings reach is the join of those; elsewhere the join
of every binding it has in its scope (a name that is sometimes something else is not proved to be
a pool).
"""
from __future__ import annotations

from typing import List, Optional, Set, Tuple

import libcst as cst

from poolcompat.engine.containers import added, container_root
from poolcompat.engine.context import Context
from poolcompat.engine.flow import merge
from poolcompat.engine.importing import IMPORTING, Importing, literal_argument
from poolcompat.engine.params import References
from poolcompat.engine.syntax import dotted
from poolcompat.engine.values import (
    UNKNOWN, Binding, BindingHow, Scope, UserClass, UserFunc, UserInst,
)
from poolcompat.engine.walk import Use
from poolcompat.table.model import Model


class Resolver(Importing):
    def __init__(self, model: Model, names: frozenset[str], context: Context = Context()) -> None:
        super().__init__()
        self.model = model
        self.context = context
        self.names = names  # attribute names some rule is about: other attributes are not uses
        self.attr_stores: List[Tuple[cst.Attribute, Binding, Scope]] = []
        # Module-level names bound by `import a.b` alone: the module's own imports, which no
        # other module takes from it (`import multiprocessing as mp` or `from a import b` are
        # re-exports, and are followed).
        self.plain_imports: Set[str] = set()
        self.adds: List[Tuple[str, Scope, Binding]] = []  # `x.append(v)`: to x's own scope
        self.references = References()
        self.classes: List[UserClass] = []
        self.future_annotations = False  # `from __future__ import annotations`
        self.handlers.update({
            cst.FunctionDef: self._function, cst.Lambda: self._lambda, cst.ClassDef: self._class,
            cst.ListComp: self._comprehension, cst.SetComp: self._comprehension,
            cst.GeneratorExp: self._comprehension, cst.DictComp: self._comprehension,
            cst.Import: self._import, cst.ImportFrom: self._import_from, cst.Assign: self._assign,
            cst.AnnAssign: self._ann_assign, cst.AugAssign: self._aug_assign, cst.For: self._for,
            cst.With: self._with, cst.Global: self._global, cst.Nonlocal: self._nonlocal,
            cst.NamedExpr: self._named_expr, cst.ExceptHandler: self._except,
            cst.ExceptStarHandler: self._except, cst.Return: self._return,
            cst.Yield: self._yield, cst.Attribute: self._attribute, cst.Call: self._call,
            cst.MatchAs: self._match_capture, cst.MatchStar: self._match_capture,
            cst.MatchMapping: self._match_capture, cst.TypeAlias: self._type_alias,
            cst.Name: self._name, cst.Subscript: self._subscript,
            cst.BinaryOperation: self._operator,
        })

    def run(self, module: cst.Module) -> Scope:
        self._block(module.body, self.module, top=True)
        for name, scope, binding in self.adds:  # filling a container does not rebind its name
            owner = scope.resolve(name)
            if owner is not None:
                owner.bindings[name].append(binding)
        return self.module

    def _add(self, container: cst.BaseExpression, binding: Binding, scope: Scope) -> None:
        """Something goes into the container: the value grows what its name or attribute holds."""
        root, depth = container_root(container)
        binding = binding._replace(size=depth)
        if isinstance(root, cst.Name):
            self.adds.append((root.value, scope, binding))
        elif isinstance(root, cst.Attribute):
            self.attr_stores.append((root, binding, scope))

    # -- definitions -------------------------------------------------------------------------

    def _params(self, params: cst.Parameters, outer: Scope, inner: Scope,
                func: Optional[UserFunc] = None) -> None:
        positional = [*params.posonly_params, *params.params]
        for position, param in enumerate([*positional, *params.kwonly_params]):
            if param.default is not None:
                self.walk(param.default, outer)
            if param.annotation is not None:
                self.annotation(param.annotation.annotation, outer, not self.future_annotations)
                inner.bind(param.name.value, Binding("ann", param.annotation.annotation, outer))
            elif func is not None:  # what its callers pass: see `params`
                inner.bind(param.name.value, Binding(
                    "param", param, outer, value=func,
                    position=position if position < len(positional) else -1))
            else:
                inner.bind(param.name.value, UNKNOWN)
        for extra in (params.star_arg, params.star_kwarg):
            if isinstance(extra, cst.Param):
                inner.bind(extra.name.value, UNKNOWN)

    def _function(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.FunctionDef)
        decorators = {dotted(d.decorator) for d in node.decorators}
        self.walk_all([d.decorator for d in node.decorators], scope)
        if node.returns is not None:
            self.annotation(node.returns.annotation, scope, not self.future_annotations)
        local = f"{scope.qualname}.{node.name.value}" if scope.qualname else node.name.value
        func = UserFunc(node, qualname=f"{self.context.module}.{local}" if self.context.module
                        else local)
        scope.bind(node.name.value, Binding("decorated" if node.decorators else "value", node,
                                            scope, value=func))
        inner = Scope("function", scope, func=func, qualname=(
            f"{scope.qualname}.{node.name.value}.<locals>" if scope.qualname
            else f"{node.name.value}.<locals>"))
        func.scope = inner
        self.flow.enter(inner)
        self._params(node.params, scope, inner, func)
        if scope.kind == "class" and scope.cls is not None:
            scope.cls.defined.add(node.name.value)
            first = [*node.params.posonly_params, *node.params.params][:1]
            if first and first[0].annotation is None and "staticmethod" not in decorators:
                me = scope.cls if "classmethod" in decorators else UserInst(scope.cls)
                inner.bindings[first[0].name.value] = [Binding("value", value=me)]
                inner.self_name, inner.cls = first[0].name.value, scope.cls
        self.walk(node.body, inner)
        self.flow.exit()

    def _lambda(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.Lambda)
        inner = Scope("function", scope)
        self.flow.enter(inner)
        self._params(node.params, scope, inner)
        self.walk(node.body, inner)
        self.flow.exit()

    def _class(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.ClassDef)
        self.walk_all([d.decorator for d in node.decorators], scope)
        self.walk_all([arg.value for arg in (*node.bases, *node.keywords)], scope)
        qualname = f"{scope.qualname}.{node.name.value}" if scope.qualname else node.name.value
        module = self.context.module
        cls = UserClass(node, scope, f"{module}.{qualname}" if module else qualname)
        scope.bind(node.name.value, Binding("decorated" if node.decorators else "value", node,
                                            scope, value=cls))
        cls.body = Scope("class", scope, cls=cls, qualname=qualname)
        self.classes.append(cls)
        self.flow.enter(cls.body)
        self.walk(node.body, cls.body)
        self.flow.exit()

    def _comprehension(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp))
        inner = Scope("comprehension", scope)
        scope.comprehensions[id(node)] = inner
        comp: Optional[cst.CompFor] = node.for_in
        first = True
        while comp is not None:
            self.walk(comp.iter, scope if first else inner)
            self._store(comp.target, Binding("item", comp.iter, scope if first else inner), inner)
            self.walk_all([test.test for test in comp.ifs], inner)
            comp, first = comp.inner_for_in, False
        if isinstance(node, cst.DictComp):
            self.walk_all([node.key, node.value], inner)
        else:
            self.walk(node.elt, inner)

    # -- bindings ----------------------------------------------------------------------------

    def _store(self, target: cst.BaseExpression, binding: Binding, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            scope.bind(target.value, binding)
        elif isinstance(target, cst.Attribute):
            self.walk(target.value, scope)
            self.attr_stores.append((target, binding, scope))
        elif isinstance(target, (cst.Tuple, cst.List)):
            source = binding.node
            pairwise = (
                binding.how == "expr" and isinstance(source, (cst.Tuple, cst.List))
                and len(source.elements) == len(target.elements)
                and not any(isinstance(e, cst.StarredElement) for e in source.elements)
            )
            starred = any(isinstance(e, cst.StarredElement) for e in target.elements)
            for i, element in enumerate(target.elements):
                part = UNKNOWN
                if pairwise and isinstance(source, (cst.Tuple, cst.List)):
                    part = Binding("expr", source.elements[i].value, binding.scope)
                elif not starred and binding is not UNKNOWN:  # `a, b = Pipe()`
                    part = Binding("part", parent=binding, position=i,
                                   size=len(target.elements))
                self._store(element.value, part, scope)
        elif isinstance(target, cst.StarredElement):
            self._store(target.value, UNKNOWN, scope)
        elif isinstance(target, cst.Subscript):  # `executors[name] = ThreadPoolExecutor()`
            self.walk(target, scope)
            if binding is not UNKNOWN:  # the key, for a dict that knows its keys' values
                self._add(target.value, Binding("add", target, parent=binding), scope)
        else:
            self.walk(target, scope)

    def _assign(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.Assign)
        self.walk(node.value, scope)
        for target in node.targets:
            self._store(target.target, Binding("expr", node.value, scope), scope)

    def _ann_assign(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.AnnAssign)
        annotation = node.annotation.annotation
        # a local variable's annotation never runs; a module's or class's does, unless postponed
        self.annotation(annotation, scope, scope.kind in ("module", "class")
                        and not self.future_annotations)
        if node.value is not None:
            self.walk(node.value, scope)
        self._store(node.target, Binding("ann", annotation, scope, extra=node.value), scope)

    def _aug_assign(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.AugAssign)
        self.walk(node.value, scope)
        if isinstance(node.operator, cst.BitOrAssign):  # `proxy |= other`: still the proxy
            self._use(Use("operator", node, scope))
            return
        self._store(node.target, UNKNOWN, scope)

    def _for(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.For)
        self.walk(node.iter, scope)
        before, loop = self.flow.loop_start()
        self._store(node.target, Binding("item", node.iter, scope), scope)
        self.walk(node.body, scope)
        self.flow.loop_body_done(before, loop)
        if node.orelse is not None:
            self.walk(node.orelse, scope)
        self.flow.loop_end(loop)

    def _with(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.With)
        for item in node.items:
            self.walk(item.item, scope)
            if node.asynchronous is None:
                self._use(Use("with", item, scope))
            if item.asname is not None:
                how: BindingHow = "enter" if node.asynchronous is None else "value"
                self._store(item.asname.name, Binding(how, item.item, scope), scope)
        entered = self.flow.fork()  # `with suppress(...)`: the body may stop anywhere
        self.walk(node.body, scope)
        if any(dotted(i.item.func if isinstance(i.item, cst.Call) else i.item).endswith(
                "suppress") for i in node.items):
            self.flow.state = merge(entered, self.flow.state)

    def _global(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.Global)
        scope.declared_global.update(n.name.value for n in node.names)

    def _nonlocal(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.Nonlocal)
        scope.declared_nonlocal.update(n.name.value for n in node.names)

    def _named_expr(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.NamedExpr)
        self.walk(node.value, scope)
        owner = scope
        while owner.kind == "comprehension" and owner.parent is not None:
            owner = owner.parent
        self._store(node.target, Binding("expr", node.value, scope), owner)

    def _except(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, (cst.ExceptHandler, cst.ExceptStarHandler))
        if node.type is not None:
            self.walk(node.type, scope)
        if node.name is not None:
            self._store(node.name.name, UNKNOWN, scope)
        self.walk(node.body, scope)

    def _match_capture(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, (cst.MatchAs, cst.MatchStar, cst.MatchMapping))
        if isinstance(node, cst.MatchMapping):
            self.walk_all(node.elements, scope)
            captured = node.rest
        else:
            if isinstance(node, cst.MatchAs) and node.pattern is not None:
                self.walk(node.pattern, scope)
            captured = node.name
        if captured is not None:
            scope.bind(captured.value, UNKNOWN)

    def _type_alias(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.TypeAlias)
        self.walk(node.value, scope)
        scope.bind(node.name.value, UNKNOWN)

    # -- function results --------------------------------------------------------------------

    def _return(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.Return)
        if node.value is not None:
            self.walk(node.value, scope)
        if scope.func is not None:
            if node.value is None:
                scope.func.returns.append(cst.Name("None"))
            else:
                scope.func.returns.append(node.value)
        self.flow.jump("return")

    def _yield(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.Yield)
        if scope.func is not None:
            scope.func.opaque = True
            if isinstance(node.value, cst.BaseExpression):  # not `yield from`
                scope.func.yields.append(node.value)
        if node.value is not None:
            self.walk(node.value, scope)

    # -- loads -------------------------------------------------------------------------------

    def _attribute(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.Attribute)
        if node.attr.value in self.names:
            self._use(Use("attr", node, scope))
        self.references.load(node.attr.value, node, scope, self.top)
        self.walk(node.value, scope)

    def _subscript(self, node: cst.CSTNode, scope: Scope) -> None:
        """`Future[int]` outside an annotation that never runs: the class is subscripted."""
        assert isinstance(node, cst.Subscript)
        self._use(Use("subscript", node, scope))
        self.walk(node.value, scope)
        self.walk_all(node.slice, scope)

    def _operator(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.BinaryOperation)
        if isinstance(node.operator, cst.BitOr):  # `proxy | other`: the proxies' `__or__`
            self._use(Use("operator", node, scope))
        self.walk_all([node.left, node.right], scope)

    def _name(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.Name)
        self.references.load(node.value, node, scope, self.top)
        self.flow.read(node)

    def _call(self, node: cst.CSTNode, scope: Scope) -> None:
        assert isinstance(node, cst.Call)
        if not isinstance(node.func, (cst.Lambda, cst.SimpleString, cst.Integer)):
            self._use(Use("call", node, scope))  # `pool.map()`, `partial(f)()`, `getattr(x, n)()`
        self.references.call(node, scope, tuple(self.guards))
        self.walk(node.func, scope)
        self.walk_all([arg.value for arg in node.args], scope)
        filled = added(node, scope)
        if filled is not None:
            self._add(*filled, scope)
        called = dotted(node.func).rpartition(".")[2]
        if called == "getattr" and (attribute := literal_argument(node, 1)):
            self._use(Use("getattr", node, scope, name=attribute))
        elif called in IMPORTING and (module := literal_argument(node, 0)):
            self._use(Use("import-call", node, scope, module=module))
