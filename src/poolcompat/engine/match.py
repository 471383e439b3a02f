"""Match a use's value against the rule table, with no syntax tree in sight.

A `Site` says what the code does with a value (takes an attribute, calls it, enters it) and
numbers the places a finding may be reported at (its *parts*); matching gives (part, rule)
pairs. The same code serves a module's own uses and, once the project is linked, the uses that
waited for another module."""
from __future__ import annotations

from typing import Dict, Iterator, List, Literal, NamedTuple, Optional, Tuple

from poolcompat.engine.algebra import Algebra
from poolcompat.engine.values import (
    Bound, Classes, ExtClass, Inst, Ref, UserClass, UserInst, Value,
)
from poolcompat.table.load import Rule, RuleKind, Table

SiteKind = Literal["attr", "call", "with", "subscript"]
Match = Tuple[int, Rule]  # the part reported, the rule


class CallShape(NamedTuple):
    """The arguments of a call, as parts: which are positional, which keywords are passed."""

    func: int  # the callee, where a rule about a left-out argument is reported
    positional: Tuple[Tuple[int, bool], ...] = ()  # each positional argument: part, after `*args`
    keywords: Tuple[Tuple[str, int], ...] = ()  # keyword, part (the keyword or its `**name`)
    strings: Tuple[Tuple[int, str], ...] = ()  # part, the literal string passed there
    opaque_args: bool = False  # a `*args`
    opaque_kwargs: bool = False  # a `**mapping` whose keys are unknown
    complete: bool = True  # False for `partial(f, ...)`: more arguments may come later


class Site(NamedTuple):
    kind: SiteKind
    name: str = ""  # attr: the attribute's name
    shape: Optional[CallShape] = None  # call


class Matcher:
    def __init__(self, table: Table, algebra: Algebra) -> None:
        self.table = table
        self.model = table.model
        self.algebra = algebra

    def match(self, site: Site, value: Value) -> Iterator[Match]:
        if site.kind == "attr":
            yield from ((0, rule) for rule in self.attribute(value, site.name))
        elif site.kind == "with":
            yield from ((0, rule) for rule in self.entered(value))
        elif site.kind == "subscript":
            yield from ((0, rule) for rule in self.subscripted(value))
        elif site.shape is not None:
            yield from self.arguments(site.shape, self.callee(value))

    def rules(self, kind: RuleKind, target: str) -> List[Rule]:
        return self.table.lookup(kind, self.model.canonical(target))

    def _method_rules(self, cls: str, kind: RuleKind, name: str) -> List[Rule]:
        return self.model.along(
            cls, lambda klass: [r for r in self.table.lookup(kind, klass) if r.name == name]) or []

    def _stdlib_class(self, value: Value) -> str:
        """The stdlib class whose rules apply to an instance, unless user code overrides them."""
        if isinstance(value, Inst):
            return value.cls
        if isinstance(value, UserInst):
            return self.algebra.stdlib_base(value.cls)
        return ""

    def attribute(self, base: Value, name: str) -> List[Rule]:
        if isinstance(base, Classes):
            base = Ref(self.algebra.common(base.names))
        if isinstance(base, Ref):
            found = self.rules("attr", f"{base.qname}.{name}")
            if base.qname in self.model.classes:
                found += self._method_rules(base.qname, "method", name)
            return found
        if isinstance(base, Inst) and base.cls in self.model.mirrors:
            return self.rules("attr", f"{self.model.mirrors[base.cls]}.{name}")
        if isinstance(base, UserInst) and name in self.algebra.user_defined(base.cls):
            return []
        cls = self._stdlib_class(base)
        return self._method_rules(cls, "method", name) if cls else []

    def callee(self, func: Value) -> List[Rule]:
        """The argument rules of what is called: of each class it may be."""
        if isinstance(func, Classes):
            found = {r.code: r for name in func.names for r in self.rules("argument", name)}
            return list(found.values())
        if isinstance(func, Ref):
            return self.rules("argument", func.qname)
        if isinstance(func, Bound) and func.name == "__init__":  # `super().__init__(...)`
            return self.rules("argument", func.cls)
        if isinstance(func, Bound):
            return self.model.along(
                func.cls, lambda klass: self.table.lookup("argument", f"{klass}.{func.name}")) or []
        if isinstance(func, (UserClass, ExtClass)) and "__init__" not in self.algebra.user_defined(func):
            base = self.algebra.stdlib_base(func)
            return self.table.lookup("argument", base) if base else []
        return []

    def arguments(self, shape: CallShape, rules: List[Rule]) -> Iterator[Match]:
        keywords: Dict[str, int] = dict(shape.keywords)
        strings = dict(shape.strings)
        for rule in rules:
            passed = keywords.get(rule.name) if rule.name else None
            at = None
            if rule.position is not None and len(shape.positional) > rule.position:
                part, after_star = shape.positional[rule.position]
                at = None if after_star else part
            if rule.omitted:
                if (shape.complete and passed is None and at is None
                        and not (shape.opaque_args or shape.opaque_kwargs)):
                    yield shape.func, rule
                continue
            if passed is None:
                passed = at
            if passed is not None and (not rule.value or strings.get(passed) == rule.value):
                yield passed, rule

    def subscripted(self, value: Value) -> List[Rule]:
        """`Future[int]` at run time: the class's (or a project subclass's stdlib base's)."""
        if isinstance(value, (UserClass, ExtClass)):
            cls = self.algebra.stdlib_base(value)
        else:
            cls = value.qname if isinstance(value, Ref) and value.qname in self.model.classes \
                else ""
        return self.model.along(cls, lambda k: self.table.lookup("subscript", k)) or [] \
            if cls else []

    def entered(self, value: Value) -> List[Rule]:
        if isinstance(value, UserInst) and "__enter__" in self.algebra.user_defined(value.cls):
            return []
        cls = self._stdlib_class(value)
        if not cls:
            return []
        return self.model.along(cls, lambda klass: self.table.lookup("with", klass)) or []
