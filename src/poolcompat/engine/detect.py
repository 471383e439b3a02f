"""Match the resolved uses of one module against the rule table."""
from __future__ import annotations

from typing import Dict, Iterator, List, NamedTuple, Optional, Sequence, Tuple

import libcst as cst

from poolcompat.engine.evaluate import Evaluator
from poolcompat.engine.guards import guarded
from poolcompat.engine.pitfalls import Pitfalls
from poolcompat.engine.context import Context
from poolcompat.engine.summary import summarize
from poolcompat.engine.resolve import Resolver, Use
from poolcompat.table.load import Rule, Table
from poolcompat.engine.values import Scope
from poolcompat.engine.values import Bound, Inst, Ref, UserClass, UserInst, Value

Match = Tuple[cst.CSTNode, Rule]


class Found(NamedTuple):
    node: cst.CSTNode  # what to report
    rule: Rule
    guarded: bool
    top: int  # index of the module-level statement it is in


def _exported(table: Table) -> frozenset[str]:
    names = {r.target for r in table.rules if r.kind != "method"}
    names |= set(table.model.classes) | set(table.model.returns)
    return frozenset(names)


class Detector:
    def __init__(self, table: Table, context: Context = Context()) -> None:
        self.table = table
        self.context = context
        self.model = table.model
        self.exported = _exported(table)

    def run(self, module: cst.Module) -> List[Found]:
        resolver = Resolver(self.model, self.table.names, self.context)
        resolver.run(module)
        self.evaluator = Evaluator(self.model, self.exported, self.context)
        self.evaluator.fold_attribute_stores(resolver.attr_stores)
        found: Dict[Tuple[int, str], Found] = {}
        for use in resolver.uses:
            for node, rule in self._match(use):
                safe = bool(use.guards) and guarded(use.guards, rule, use.node, self.evaluator)
                key = (id(node), rule.code)
                if key not in found or (found[key].guarded and not safe):
                    found[key] = Found(node, rule, safe, use.top)
        for use, node, rule in Pitfalls(self.table, self.evaluator).run(resolver.uses):
            found.setdefault((id(node), rule.code), Found(node, rule, False, use.top))
        self.exports = summarize(self.context.module, resolver.module, self.evaluator,
                                 self.table.packages)
        return list(found.values())

    def _match(self, use: Use) -> Iterator[Match]:
        if use.module.partition(".")[0] in self.context.local:
            return  # the project's own module shadows the stdlib's
        if use.kind == "import":
            assert isinstance(use.node, cst.ImportAlias)
            yield from self._rules(use.node.name, "import", use.module)
        elif use.kind == "from":
            yield from self._from(use)
        elif use.kind == "attr":
            assert isinstance(use.node, cst.Attribute)
            base = self.evaluator.expr(use.node.value, use.scope)
            yield from self._attribute(use.node.attr, base, use.node.attr.value)
        elif use.kind == "call":
            assert isinstance(use.node, cst.Call)
            yield from self._call(use.node, self.evaluator.expr(use.node.func, use.scope), use.scope)
        elif use.kind == "with":
            assert isinstance(use.node, cst.WithItem)
            yield from self._with(use.node.item, self.evaluator.expr(use.node.item, use.scope))

    def _rules(self, node: cst.CSTNode, kind: str, target: str) -> Iterator[Match]:
        for rule in self.table.lookup(kind, self.model.canonical(target)):
            yield node, rule

    def _from(self, use: Use) -> Iterator[Match]:
        if isinstance(use.node, cst.ImportFrom):
            assert use.node.module is not None
            yield from self._rules(use.node.module, "import", use.module)
            return
        assert isinstance(use.node, cst.ImportAlias)
        qname = f"{use.module}.{use.name}"
        yield from self._rules(use.node.name, "import", qname)
        yield from self._rules(use.node.name, "attr", qname)

    def _stdlib_class(self, value: Value) -> str:
        """The stdlib class whose rules apply to an instance, unless user code overrides them."""
        if isinstance(value, Inst):
            return value.cls
        if isinstance(value, UserInst):
            return self.evaluator.stdlib_base(value.cls)
        return ""

    def _method_rules(self, cls: str, kind: str, name: str) -> List[Rule]:
        for klass in self.model.mro(cls):
            found = [r for r in self.table.lookup(kind, klass) if r.name == name]
            if found:
                return found
        return []

    def _attribute(self, node: cst.CSTNode, base: Value, name: str) -> Iterator[Match]:
        if isinstance(base, Ref):
            yield from self._rules(node, "attr", f"{base.qname}.{name}")
            if base.qname in self.model.classes:
                for rule in self._method_rules(base.qname, "method", name):
                    yield node, rule
            return
        if isinstance(base, Inst) and base.cls in self.model.mirrors:
            yield from self._rules(node, "attr", f"{self.model.mirrors[base.cls]}.{name}")
            return
        if isinstance(base, UserInst) and name in self.evaluator.user_defined(base.cls):
            return
        cls = self._stdlib_class(base)
        if cls:
            for rule in self._method_rules(cls, "method", name):
                yield node, rule

    def _callee(self, func: Value) -> Optional[Tuple[str, List[Rule]]]:
        if isinstance(func, Ref):
            target = self.model.canonical(func.qname)
            return target, self.table.lookup("argument", target)
        if isinstance(func, Bound):
            for klass in self.model.mro(func.cls):
                target = f"{klass}.{func.name}"
                found = self.table.lookup("argument", target)
                if found:
                    return target, found
        if isinstance(func, UserClass) and "__init__" not in self.evaluator.user_defined(func):
            base = self.evaluator.stdlib_base(func)
            if base:
                return base, self.table.lookup("argument", base)
        return None

    def _call(self, node: cst.Call, func: Value, scope: Scope) -> Iterator[Match]:
        args: Sequence[cst.Arg] = node.args
        how = self.evaluator.passthrough(func)
        first = args[0] if args and args[0].keyword is None and not args[0].star else None
        if how == "enter" and first is not None:
            yield from self._with(first.value, self.evaluator.expr(first.value, scope))
        if how != "partial" or first is None:
            yield from self._arguments(node.func, args, self._callee(func), scope, complete=True)
            return
        # partial(f, *args, **kwargs): the arguments given here are f's; more may come later
        wrapped = self._callee(self.evaluator.expr(first.value, scope))
        yield from self._arguments(node.func, args[1:], wrapped, scope, complete=False)

    def _arguments(self, func: cst.CSTNode, args: Sequence[cst.Arg],
                   callee: Optional[Tuple[str, List[Rule]]], scope: Scope,
                   complete: bool) -> Iterator[Match]:
        if callee is None:
            return
        positional = [a for a in args if a.keyword is None and not a.star]
        opaque_args = any(a.star == "*" for a in args)
        keywords: Dict[str, cst.CSTNode] = {
            a.keyword.value: a.keyword for a in args if a.keyword is not None
        }
        opaque_kwargs = False
        for arg in args:
            if arg.star == "**":
                spelled = _literal_keywords(arg.value, scope)
                opaque_kwargs |= spelled is None
                keywords.update(spelled or {})
        values = {a.keyword.value: a.value for a in args if a.keyword is not None}
        for rule in callee[1]:
            passed = keywords.get(rule.name) if rule.name else None
            by_position = rule.position is not None and len(positional) > rule.position and not (
                opaque_args and args.index(positional[rule.position]) > _first_star(args)
            )
            if rule.omitted:
                if complete and passed is None and not by_position and not (
                        opaque_args or opaque_kwargs):
                    yield func, rule
                continue
            given = values.get(rule.name) if passed is not None else None
            if by_position and passed is None and rule.position is not None:
                passed = given = positional[rule.position].value
            if passed is not None and (not rule.value or _is_string(given, rule.value)):
                yield passed, rule

    def _with(self, node: cst.CSTNode, value: Value) -> Iterator[Match]:
        if isinstance(value, UserInst) and "__enter__" in self.evaluator.user_defined(value.cls):
            return
        cls = self._stdlib_class(value)
        if cls:
            for klass in self.model.mro(cls):
                found = self.table.lookup("with", klass)
                if found:
                    yield from ((node, rule) for rule in found)
                    return


def _is_string(node: Optional[cst.CSTNode], text: str) -> bool:
    return isinstance(node, cst.SimpleString) and node.evaluated_value == text


def _literal_keywords(node: cst.BaseExpression, scope: Scope) -> Optional[Dict[str, cst.CSTNode]]:
    """The keys of `**{"k": v}` or `**name` bound once to such a literal; None when unknowable."""
    if isinstance(node, cst.Name):
        owner = scope.resolve(node.value)
        bindings = owner.bindings.get(node.value, []) if owner else []
        if len(bindings) != 1 or bindings[0].how != "expr" or bindings[0].scope is None:
            return None
        target = bindings[0].node
        spelled = _literal_keywords(target, bindings[0].scope) if isinstance(target, cst.Dict) \
            else None
        return None if spelled is None else dict.fromkeys(spelled, node)  # report at `**name`
    if not isinstance(node, cst.Dict):
        return None
    keys: Dict[str, cst.CSTNode] = {}
    for element in node.elements:
        if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
            return None
        name = element.key.evaluated_value
        if not isinstance(name, str):
            return None
        keys[name] = element.key
    return keys


def _first_star(args: Sequence[cst.Arg]) -> int:
    return next((i for i, a in enumerate(args) if a.star == "*"), len(args))

