"""Link the summaries of a run's modules: settle what each left for the others, and match the
uses that waited for it. Works on summaries alone: nothing is parsed, libcst is never loaded."""
from __future__ import annotations

import dataclasses
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

from poolcompat.engine.algebra import Algebra
from poolcompat.engine.callers import Callers
from poolcompat.engine.findings import FileResult, Finding, finding
from poolcompat.engine.match import Matcher
from poolcompat.engine.noqa import allowed
from poolcompat.engine.summary import Summary
from poolcompat.engine.values import (
    NONE, Bound, Classes, Either, Param, Elements, ExtClass, ExtFunc, Inst, Items, Later, Mapping, Partial, Ref,
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
        self.callers = Callers()
        self.params: Dict[str, Param] = {}
        self.awaiting: Dict[str, Set[str]] = {}  # module: its names whose parameters callers decide
        self._known: Dict[str, Value] = {}
        self._classes: Dict[str, Value] = {}
        self._busy: Set[str] = set()

    def add(self, summary: Summary) -> None:
        """Take a module's exports and calls in (as a run checks its modules one by one)."""
        if not summary.module:
            return
        for name, value in summary.exports.items():
            self.exports[f"{summary.module}.{name}"] = value
            self.by_module.setdefault(summary.module, []).append(name)
        # A test module calls the package's functions with fakes (a `SequentialExecutor`
        # for `executor_cls`): what it passes says nothing of what the package runs with.
        self.callers.add(summary)
        self.params.update(summary.params)
        waiting = _param_roots([*(p.value for p in summary.pending), *summary.exports.values()])
        for key in summary.params.keys() & waiting:  # `param:pkg.mod.Cls.__init__:1:pool`
            inner = key.split(":")[1][len(summary.module) + 1:]  # waits on `pkg.mod.Cls`
            self.awaiting.setdefault(summary.module, set()).add(
                f"{summary.module}.{inner.partition('.')[0]}")
        self._known.clear()  # a name left `Later` may now be known
        self._classes.clear()
        self._exporting.clear()

    def ref(self, qname: str) -> Value:
        if qname.startswith("param:"):
            if qname in self._busy:  # fed by itself (a recursion): adds nothing to what the
                return NONE  # other callers pass (the least fixpoint)
            self._busy.add(qname)
            try:
                return self.parameter(qname)
            finally:
                self._busy.discard(qname)
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
            result = self.settle(value.result)
            return ExtFunc(result, value.qualname) if result is not None or value.qualname \
                else None
        if isinstance(value, Elements):
            return _rewrap(value, self.settle(value.item))
        if isinstance(value, Items):
            return Items(tuple(self.settle(part) for part in value.values))
        if isinstance(value, Mapping):
            keyed = tuple((key, self.settle(part)) for key, part in value.keyed)
            inner = self.settle(value.value)
            return Mapping(inner, keyed) if inner is not None or keyed else None
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

    def parameter(self, key: str) -> Value:
        """`param:pkg.mod.func:1:pool`: what the project's calls from other modules pass."""
        _, qualname, position, name = key.split(":", 3)
        if self.callers.escaped(qualname, self.identify):  # then anybody may call it
            return None
        info = self.params.get(key, Param(None, False))
        values: List[Value] = []
        for record, shift in self.callers.of(qualname, self.identify):
            given = dict(record.keywords).get(name)
            at = int(position) - shift
            if given is None and 0 <= at < len(record.positional) and int(position) >= 0:
                given = record.positional[at]
            if given is None:
                given = None if record.starred else info.default
            values.append(self.settle(given))
        if values:
            return self.join_all(values)
        return NONE if info.called else self.settle(info.default)  # the module's own callers

    def identify(self, value: Value, depth: int = 0) -> Tuple[str, int]:
        """The qualified name of the function a name leads to (a class: its `__init__`, which
        takes `self` first), from the exports as written: no value is settled, so a class
        whose attribute is a parameter does not wait for itself."""
        if depth > 8:
            return "", 0
        if isinstance(value, Later) and isinstance(value.root, str) and all(
                kind == "attr" for kind, _ in value.ops):
            qname = ".".join([value.root, *(name for _, name in value.ops)])
            return self.identify(self.exports.get(qname), depth + 1)
        if isinstance(value, ExtFunc):
            return value.qualname, 0
        if isinstance(value, ExtClass):
            for klass in [value, *value.bases]:
                init = dict(klass.attrs).get("__init__") if isinstance(klass, ExtClass) else None
                if isinstance(init, ExtFunc):
                    return init.qualname, 1
        return "", 0

    def useful(self, value: Value, depth: int = 0) -> bool:
        """Whether a settled value can lead to a finding in a module that imports it: a tracked
        name, an instance of a tracked class, a project class deriving from one or holding one
        in an attribute, a function returning one."""
        if depth > 6:
            return False
        if isinstance(value, Ref):
            if value.qname.partition(".")[0] in self.local:  # a project module
                return self.exporting(value.qname)
            return self.tracked(value.qname)
        if isinstance(value, (Inst, Bound)):
            return self.tracked(value.cls)  # not an `ExitStack`: it only passes values along
        if isinstance(value, Classes):
            return True
        if isinstance(value, ExtClass):
            return self.tracked(self.stdlib_base(value)) or any(
                self.useful(attr, depth + 1) for _, attr in value.attrs)
        if isinstance(value, UserInst):
            return self.useful(value.cls, depth + 1)
        if isinstance(value, Items):
            return any(self.useful(part, depth + 1) for part in value.values)
        if isinstance(value, Mapping):
            return any(self.useful(part, depth + 1)
                       for part in [value.value, *(part for _, part in value.keyed)])
        if isinstance(value, (ExtFunc, Elements, Partial, Wrapped)):
            return self.useful(_inner(value), depth + 1)
        return False

    def reached_through(self, value: Value) -> Optional[FrozenSet[str]]:
        """The attribute names through which alone an importer of a useful value can come to
        a finding (a project class that only holds a pool in `self._queue`: a module that
        never writes `_queue` cannot touch it); None when using the value itself can (a pool,
        a factory, a subclass of a stdlib class, a class whose dunders are useful)."""
        return self._through(value, set())

    def _through(self, value: Value, busy: Set[str]) -> Optional[FrozenSet[str]]:
        if isinstance(value, UserInst):
            value = value.cls
        if not isinstance(value, ExtClass) or self.tracked(self.stdlib_base(value)) or any(
                value.qualname in names for names in self.awaiting.values()):
            return None  # (an awaited class: what its callers pass decides its parameters)
        if value.qualname in busy:  # its names are counted where it started
            return frozenset()
        if len(busy) > 6:
            return None  # too deep to tell: as if used itself
        busy.add(value.qualname)
        try:
            names: Set[str] = set()
            for name, attr in value.attrs:
                if not self.useful(attr, len(busy)):
                    continue
                found = self._attribute_through(attr, busy)
                if found is None and name.startswith("__") and name.endswith("__"):
                    return None  # `with`, calls, iteration reach them without naming them
                names |= {name} if found is None else found
            for base in value.bases:
                if base is None or isinstance(base, Ref) and (
                        base.qname.partition(".")[0] not in self.local):
                    continue  # a stdlib class, not a tracked one, or one nobody knows
                inherited = self._through(base, busy)
                if inherited is None:
                    return None
                names |= inherited
            return frozenset(names)
        finally:
            busy.discard(value.qualname)

    def _attribute_through(self, attr: Value, busy: Set[str]) -> Optional[FrozenSet[str]]:
        """`loop.current()`, `self.loop` or `Client()` (its `__new__`) give a project object:
        what leads further is what that object is reached through, not the attribute's name."""
        inner = attr.result if isinstance(attr, ExtFunc) else attr
        return self._through(inner, busy) if isinstance(inner, (UserInst, ExtClass)) else None

    def tracked(self, qname: str) -> bool:
        return qname.partition(".")[0] in self.packages

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
        return ExtFunc(inner, outer.qualname)
    if isinstance(outer, Elements):
        return Elements(inner)
    if isinstance(outer, Partial):
        return Partial(inner)
    return Wrapped(inner)


def linker(summaries: Iterable[Summary], table: Table, modules: Iterable[str] = (),
           local: Iterable[str] = ()) -> Linker:
    linked = Linker(table, {}, frozenset(modules), frozenset(local))
    for summary in summaries:
        linked.add(summary)
    return linked


def link(summaries: Sequence[Summary], table: Table, modules: Iterable[str] = (),
         local: Iterable[str] = ()) -> List[FileResult]:
    """Each module's findings: its own, and those of the uses that waited for the others."""
    linker_ = linker(summaries, table, modules, local)
    matcher = Matcher(table, linker_)
    results = []
    for summary in summaries:
        try:
            findings = _linked_findings(summary, linker_, matcher)
        except Exception as exc:  # a bug of ours: the file's error line, not the run's end
            reason = f"internal error while linking ({type(exc).__name__}: {exc})"
            results.append(FileResult(summary.path, list(summary.findings),
                                      summary.error or reason))
            continue
        results.append(FileResult(summary.path, findings, summary.error))
    return results


def _linked_findings(summary: Summary, linker_: Linker, matcher: Matcher) -> List[Finding]:
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
    return findings


__all__ = ["Finding", "Linker", "link"]


def _param_roots(values: Iterable[Value]) -> Set[str]:
    """The parameters (`param:...` keys) some of the values wait on: only their functions'
    callers can tell the link something (a parameter merely read, `assert_eq(a, b)`, cannot)."""
    found: Set[str] = set()
    seen: Set[int] = set()
    todo: List[object] = list(values)
    while todo:
        value = todo.pop()
        if value is None or isinstance(value, (str, int, float, bool)) or id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, Later) and isinstance(value.root, str):
            if value.root.startswith("param:"):
                found.add(value.root)
        elif isinstance(value, (tuple, list, frozenset)):
            todo.extend(value)
        elif dataclasses.is_dataclass(value):
            todo.extend(getattr(value, field.name) for field in dataclasses.fields(value))
    return found
