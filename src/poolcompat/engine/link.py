"""Link the summaries of a run's modules: settle what each left for the others, and match the
uses that waited for it. Works on summaries alone: nothing is parsed, libcst is never loaded."""
from __future__ import annotations

from typing import Dict, FrozenSet, Iterable, List, Sequence, Set

from poolcompat.engine.algebra import Algebra
from poolcompat.engine.findings import FileResult, Finding, finding
from poolcompat.engine.match import Matcher
from poolcompat.engine.noqa import allowed
from poolcompat.engine.summary import Summary
from poolcompat.engine.values import (
    NONE, Bound, Classes, Either, Elements, ExtClass, ExtFunc, Inst, Items, Later, Mapping, Partial, Ref,
    UserInst,
    Value,
    Wrapped,
)
from poolcompat.table.load import Table


class Linker(Algebra):
    """The algebra with every module's exports at hand: a project name is what its module
    binds, followed through re-exports of re-exports."""

    def __init__(self, table: Table, exports: Dict[str, Value], modules: FrozenSet[str],
                 local: FrozenSet[str]) -> None:
        super().__init__(table.model)
        self.packages = table.packages
        self.exports = exports
        self.modules = modules
        self.local = local
        self.by_module: Dict[str, List[str]] = {}
        for qname in exports:
            module, _, name = qname.rpartition(".")
            self.by_module.setdefault(module, []).append(name)
        self._exporting: Dict[str, bool] = {}
        self._known: Dict[str, Value] = {}
        self._classes: Dict[str, Value] = {}
        self._busy: Set[str] = set()

    def add(self, summary: Summary) -> None:
        """Take a module's exports in (as a run checks its modules one by one)."""
        if not summary.module or not summary.exports:
            return
        for name, value in summary.exports.items():
            self.exports[f"{summary.module}.{name}"] = value
            self.by_module.setdefault(summary.module, []).append(name)
        self._known.clear()  # a name left `Later` may now be known
        self._classes.clear()
        self._exporting.clear()

    def ref(self, qname: str) -> Value:
        if qname.partition(".")[0] not in self.local:
            return super().ref(qname)
        if qname in self._known:
            return self._known[qname]
        if qname in self._busy:  # a cycle of re-exports proves nothing
            return None
        self._busy.add(qname)
        if qname in self.exports:
            value = self.settle(self.exports[qname])
        else:
            value = Ref(qname) if qname in self.modules else None
        self._busy.discard(qname)
        self._known[qname] = value
        return value

    def settle(self, value: Value) -> Value:
        """The value with everything another module decides filled in."""
        if isinstance(value, Later):
            settled = self.ref(value.root) if isinstance(value.root, str) else self.settle(value.root)
            for kind, name in value.ops:
                settled = self.apply(settled, kind, name)
                if settled is None:
                    return None
            return settled
        if isinstance(value, Either):
            return self.join_all(self.settle(option) for option in value.options)
        if isinstance(value, ExtClass):
            return self._settle_class(value)
        if isinstance(value, UserInst):
            cls = self.settle(value.cls)
            return UserInst(cls) if isinstance(cls, ExtClass) else None
        if isinstance(value, ExtFunc):
            return _rewrap(value, self.settle(value.result))
        if isinstance(value, Elements):
            return _rewrap(value, self.settle(value.item))
        if isinstance(value, Items):
            return Items(tuple(self.settle(part) for part in value.values))
        if isinstance(value, Mapping):
            inner = self.settle(value.value)
            return Mapping(inner) if inner is not None else None
        if isinstance(value, Partial):
            return _rewrap(value, self.settle(value.func))
        if isinstance(value, Wrapped):
            return _rewrap(value, self.settle(value.inner))
        return value

    def _settle_class(self, cls: ExtClass) -> Value:
        if cls.qualname in self._classes:
            return self._classes[cls.qualname]
        self._classes[cls.qualname] = cls  # a class whose attributes hold its own kind
        bases = tuple(self.settle(base) for base in cls.bases)
        attrs = tuple((name, self.settle(attr)) for name, attr in cls.attrs)
        done = ExtClass(cls.qualname, bases, cls.defined,
                        tuple((name, attr) for name, attr in attrs if attr is not None))
        self._classes[cls.qualname] = done
        return done


    def useful(self, value: Value, depth: int = 0) -> bool:
        """Whether a settled value can lead to a finding in a module that imports it: a tracked
        name, an instance of a tracked class, a project class deriving from one or holding one
        in an attribute, a function returning one."""
        if depth > 6:
            return False
        if isinstance(value, Ref):
            if value.qname.partition(".")[0] in self.local:  # a project module
                return self.exporting(value.qname)
            return value.qname.partition(".")[0] in self.packages or (
                value.qname in self.model.classes)
        if isinstance(value, (Inst, Bound, Classes)):
            return True
        if isinstance(value, ExtClass):
            return bool(self.stdlib_base(value)) or any(
                self.useful(attr, depth + 1) for _, attr in value.attrs)
        if isinstance(value, UserInst):
            return self.useful(value.cls, depth + 1)
        if isinstance(value, Items):
            return any(self.useful(part, depth + 1) for part in value.values)
        if isinstance(value, Mapping):
            return self.useful(value.value, depth + 1)
        if isinstance(value, (ExtFunc, Elements, Partial, Wrapped)):
            return self.useful(_inner(value), depth + 1)
        return False

    def exporting(self, module: str) -> bool:
        """Whether some name the module binds is useful to a module that imports it."""
        if module not in self._exporting:
            self._exporting[module] = False  # a cycle of modules proves nothing
            names = self.by_module.get(module, ())
            self._exporting[module] = any(self.useful(self.ref(f"{module}.{name}"))
                                          for name in names)
        return self._exporting[module]


def _inner(value: Value) -> Value:
    if isinstance(value, ExtFunc):
        return value.result
    if isinstance(value, Elements):
        return value.item
    if isinstance(value, Partial):
        return value.func
    return value.inner if isinstance(value, Wrapped) else None


def _rewrap(outer: Value, inner: Value) -> Value:
    if inner is None:
        return None
    if isinstance(outer, ExtFunc):
        return ExtFunc(inner)
    if isinstance(outer, Elements):
        return Elements(inner)
    if isinstance(outer, Partial):
        return Partial(inner)
    return Wrapped(inner)


def linker(summaries: Iterable[Summary], table: Table, modules: Iterable[str] = (),
           local: Iterable[str] = ()) -> Linker:
    exports = {f"{s.module}.{name}": value for s in summaries if s.module
               for name, value in s.exports.items()}
    return Linker(table, exports, frozenset(modules), frozenset(local))


def link(summaries: Sequence[Summary], table: Table, modules: Iterable[str] = (),
         local: Iterable[str] = ()) -> List[FileResult]:
    """Each module's findings: its own, and those of the uses that waited for the others."""
    linker_ = linker(summaries, table, modules, local)
    matcher = Matcher(table, linker_)
    results = []
    for summary in summaries:
        findings = list(summary.findings)
        seen = {(f.line, f.column, f.code) for f in findings}
        for waiting in summary.pending:
            value = linker_.settle(waiting.value)
            if value is None or value is NONE:
                continue
            for part, rule in matcher.match(waiting.site, value):
                found = finding(summary.path, rule, waiting.spans[part],
                                waiting.facts.guarded(rule), waiting.facts.typing_only)
                key = (found.line, found.column, found.code)
                if key not in seen and allowed(found, summary.noqa, summary.silenced):
                    seen.add(key)
                    findings.append(found)
        findings.sort(key=lambda f: (f.line, f.column, f.code))
        results.append(FileResult(summary.path, findings, summary.error))
    return results


__all__ = ["Finding", "Linker", "link"]
