"""Match the resolved uses of one module against the rule table.

Each use becomes one or more sites (what is done to which value, and where); a site whose value
the module settles is matched now, the others wait for the project's other modules."""
from __future__ import annotations

from typing import Dict, Iterator, List, NamedTuple, Optional, Sequence, Tuple

import libcst as cst

from poolcompat.engine.context import Context
from poolcompat.engine.evaluate import Evaluator
from poolcompat.engine.facts import GuardFacts
from poolcompat.engine.guards import guard_facts
from poolcompat.engine.kwargs import literal_keywords
from poolcompat.engine.params import References
from poolcompat.engine.match import CallShape, Matcher, Site
from poolcompat.engine.pitfalls import Pitfalls
from poolcompat.engine.resolve import Resolver
from poolcompat.engine.walk import Use
from poolcompat.engine.records import calls as records
from poolcompat.engine.summary import CallRecord, Portable, exports
from poolcompat.engine.syntax import dotted, literal
from poolcompat.engine.values import Later, Param, Partial, Ref, Scope, Value
from poolcompat.table.load import Rule, Table


class Found(NamedTuple):
    node: cst.CSTNode  # what to report
    rule: Rule
    guarded: bool
    top: int  # index of the module-level statement it is in
    typing_only: bool = False
    method: str = ""  # a pitfall: the start method the code sets there ("": the default)


class Waiting(NamedTuple):
    """A site whose value waits for another module, with the nodes of its parts."""

    site: Site
    value: Value  # portable
    parts: Tuple[cst.CSTNode, ...]
    facts: GuardFacts
    top: int


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
        self.waiting: List[Waiting] = []
        self.narrowing: Dict[str, Value] = {}
        self.exports: Dict[str, Value] = {}
        self.calls: List[CallRecord] = []
        self.escapes: List[Value] = []
        self.params: Dict[str, Param] = {}

    def run(self, module: cst.Module) -> List[Found]:
        resolver = Resolver(self.model, self.table.names, self.context)
        resolver.run(module)
        self.evaluator = evaluator = Evaluator(self.model, self.exported, self.context)
        evaluator.references, evaluator.module_classes = resolver.references, resolver.classes
        evaluator.flow = resolver.flow
        evaluator.fold_attribute_stores(resolver.attr_stores)
        matcher = Matcher(self.table, evaluator)
        portable = Portable(evaluator, self.table.packages)
        found: Dict[Tuple[int, str], Found] = {}

        def keep(node: cst.CSTNode, rule: Rule, safe: bool, use: Use) -> None:
            key = (id(node), rule.code)
            if key not in found or (found[key].guarded and not safe):
                found[key] = Found(node, rule, safe, use.top, use.typing_only)

        for use in resolver.uses:
            facts = guard_facts(use.guards, use.node, use.kind, evaluator) if use.guards \
                else GuardFacts()
            facts = facts._replace(typing_only=use.typing_only)
            if use.kind in ("import", "from", "import-call"):
                for node, rule in self._imports(use):
                    keep(node, rule, facts.guarded(rule), use)
                continue
            self.narrowing = self._narrowing(use)
            for site, value, parts in self._sites(use):
                if not evaluator.settled(value):
                    self._wait(site, portable.value(value), parts, facts, use.top)
                    continue
                for part, rule in matcher.match(site, value):
                    keep(parts[part], rule, facts.guarded(rule), use)
        for node, use in self._starred(resolver):
            qname = self.model.canonical(f"{use.module}.{use.name}")
            for rule in [*self.table.lookup("attr", qname), *self.table.lookup("star", qname)]:
                keep(node, rule, False, use)
        pitfalls = Pitfalls(self.table, evaluator, module)
        for use, node, rule, method in pitfalls.run(resolver.uses):
            found.setdefault((id(node), rule.code), Found(node, rule, False, use.top,
                                                          method=method))
        if self.context.module:
            self.calls, self.escapes = records(resolver.references, evaluator, portable)
            self.params = {key: Param(portable.value(info.default), info.called)
                           for key, info in evaluator.params.items()}
            names = {name for name, bound in resolver.module.bindings.items()
                     if name not in resolver.plain_imports or len(bound) > 1}
            self.exports = exports(names,
                                   lambda name: evaluator.name(name, resolver.module), portable)
        return list(found.values())

    def _starred(self, resolver: Resolver) -> Iterator[Tuple[cst.CSTNode, Use]]:
        """Names a `from multiprocessing import *` binds, where they are read: each is that
        module's name (`parent_process()` is `multiprocessing.parent_process`)."""
        if not resolver.module.stars:
            return
        for name, loads in resolver.references.loads.items():
            for node, scope, top in loads:
                if not isinstance(node, cst.Name) or scope.resolve(name) is not None:
                    continue
                value = self.evaluator.name(name, scope)
                if isinstance(value, Ref):
                    module = value.qname.rpartition(".")[0]
                    yield node, Use("attr", node, scope, module=module, name=name, top=top)

    def _narrowing(self, use: Use) -> Dict[str, Value]:
        """`isinstance()` tests in force around the use."""
        found: Dict[str, Value] = {}
        for guard in use.guards:
            if guard.kind == "if" and guard.positive and isinstance(guard.node, cst.BaseExpression):
                found.update(self.evaluator.narrowed(guard.node, guard.scope))
        return found

    def _wait(self, site: Site, value: Value, parts: Tuple[cst.CSTNode, ...], facts: GuardFacts,
              top: int) -> None:
        if value is not None and self._may_match(site, value):
            self.waiting.append(Waiting(site, value, parts, facts, top))

    def _may_match(self, site: Site, value: Value) -> bool:
        """A call of an object's method can only match as a stdlib method with argument rules:
        `self.assertEqual(...)` on a class from another module need not wait."""
        if site.kind != "call" or not isinstance(value, Later) or not value.ops:
            return True
        kind, name = value.ops[-1]
        on_object = not isinstance(value.root, str) or any(k != "attr" for k, _ in value.ops[:-1])
        return kind != "attr" or not on_object or name in self.table.methods_with_arguments

    # -- imports -----------------------------------------------------------------------------

    def _imports(self, use: Use) -> Iterator[Tuple[cst.CSTNode, Rule]]:
        if use.module.partition(".")[0] in self.context.local:
            return  # the project's own module shadows the stdlib's
        canonical = self.model.canonical
        if use.kind == "import-call":  # `importlib.import_module("multiprocessing.pool")`
            assert isinstance(use.node, cst.Call)
            if self.evaluator.importer(use.node, use.scope):
                yield from ((use.node.args[0].value, r)
                            for r in self.table.lookup("import", canonical(use.module)))
        elif use.kind == "import":
            assert isinstance(use.node, cst.ImportAlias)
            yield from ((use.node.name, r) for r in self.table.lookup("import", canonical(use.module)))
        elif isinstance(use.node, cst.ImportFrom):
            assert use.node.module is not None
            yield from ((use.node.module, r)
                        for r in self.table.lookup("import", canonical(use.module)))
        else:
            assert isinstance(use.node, cst.ImportAlias)
            qname = canonical(f"{use.module}.{use.name}")
            for kind in ("import", "attr"):
                yield from ((use.node.name, r) for r in self.table.lookup(kind, qname))

    # -- sites -------------------------------------------------------------------------------

    def _value(self, node: cst.BaseExpression, scope: Scope) -> Value:
        """The value of a use's own object, where an `isinstance()` test around it says more:
        `if isinstance(x, Executor): x.submit(...)`."""
        if self.narrowing:
            if dotted(node) in self.narrowing:
                return self.narrowing[dotted(node)]
            if isinstance(node, cst.Attribute) and dotted(node.value) in self.narrowing:
                return self.evaluator.attribute(self.narrowing[dotted(node.value)],
                                                node.attr.value)
        return self.evaluator.expr(node, scope)

    def _sites(self, use: Use) -> Iterator[Tuple[Site, Value, Tuple[cst.CSTNode, ...]]]:
        value = self._value
        if use.kind == "attr":
            assert isinstance(use.node, cst.Attribute)
            yield Site("attr", use.node.attr.value), value(use.node.value, use.scope), (
                use.node.attr,)
        elif use.kind == "with":
            assert isinstance(use.node, cst.WithItem)
            yield Site("with"), value(use.node.item, use.scope), (use.node.item,)
        elif use.kind == "subscript":  # `Future[int]` evaluated at run time
            assert isinstance(use.node, cst.Subscript)
            yield Site("subscript"), value(use.node.value, use.scope), (use.node,)
        elif use.kind == "operator":  # `proxy | other`, `other | proxy`, `proxy |= other`
            if isinstance(use.node, cst.BinaryOperation):
                yield Site("attr", "__or__"), value(use.node.left, use.scope), (use.node,)
                yield Site("attr", "__ror__"), value(use.node.right, use.scope), (use.node,)
            elif isinstance(use.node, cst.AugAssign):
                yield Site("attr", "__ior__"), value(use.node.target, use.scope), (use.node,)
        elif use.kind == "getattr":  # `getattr(executor, "shutdown")`
            assert isinstance(use.node, cst.Call)
            yield Site("attr", use.name), value(use.node.args[0].value, use.scope), (
                use.node.args[1].value,)
        else:
            assert isinstance(use.node, cst.Call)
            yield from self._call_sites(use.node, use.scope)

    def _call_sites(self, node: cst.Call, scope: Scope
                    ) -> Iterator[Tuple[Site, Value, Tuple[cst.CSTNode, ...]]]:
        func = self._value(node.func, scope)
        how = self.evaluator.passthrough(func)
        references = self.evaluator.references
        args: Sequence[cst.Arg] = node.args
        plain = [a for a in args if a.keyword is None and not a.star]
        if dotted(node.func) == "reversed" and scope.resolve("reversed") is None and plain:
            yield Site("attr", "__reversed__"), self._value(plain[0].value, scope), (node,)
        if how == "enter" and plain:
            yield Site("with"), self.evaluator.expr(plain[0].value, scope), (plain[0].value,)
        skip = {"partial": 1, "calls": 1, "calls-second": 2}.get(how, 0)
        if skip and len(plain) >= skip and list(args[:skip]) == plain[:skip]:
            # partial(f, *args, **kwargs), atexit.register(f, *args, **kwargs): the arguments
            # given here are f's (for partial, more may come when it is called)
            called = plain[skip - 1].value
            shape, parts = _shape(node.func, args[skip:], scope, how != "partial", references)
            yield Site("call", shape=shape), self._value(called, scope), parts
            if how == "partial":
                return
        if isinstance(func, Partial):  # `partial(f, a=1)(b=2)`: keywords only, positions moved
            shape, parts = _shape(node.func, [a for a in args if a.keyword or a.star], scope,
                                  False, references)
            yield Site("call", shape=shape), func.func, parts
            return
        shape, parts = _shape(node.func, args, scope, True, references)
        yield Site("call", shape=shape), func, parts


def _shape(func: cst.CSTNode, args: Sequence[cst.Arg], scope: Scope, complete: bool,
           references: References) -> Tuple[CallShape, Tuple[cst.CSTNode, ...]]:
    """The call's arguments as a shape, and the node of each part (part 0: the callee)."""
    parts: List[cst.CSTNode] = [func]
    positional: List[Tuple[int, bool]] = []
    keywords: Dict[str, int] = {}
    strings: List[Tuple[int, str]] = []
    starred = opaque_kwargs = False

    def part(node: cst.CSTNode, value: Optional[cst.BaseExpression] = None) -> int:
        parts.append(node)
        text = literal(value) if isinstance(value, cst.SimpleString) else None
        if text is not None:
            strings.append((len(parts) - 1, text))
        elif isinstance(value, cst.Name) and value.value == "None":  # rules spell it "None"
            strings.append((len(parts) - 1, "None"))
        return len(parts) - 1

    for arg in args:
        if arg.star == "*":
            starred = True
        elif arg.star == "**":
            spelled = literal_keywords(arg.value, scope, references)
            opaque_kwargs |= spelled is None
            for name, node in (spelled or {}).items():
                keywords[name] = part(node)
        elif arg.keyword is not None:
            keywords[arg.keyword.value] = part(arg.keyword, arg.value)
        else:
            positional.append((part(arg.value, arg.value), starred))
    shape = CallShape(0, tuple(positional), tuple(keywords.items()), tuple(strings),
                      starred, opaque_kwargs, complete)
    return shape, tuple(parts)
