"""The order a run checks its files in (which files wait to be checked is `ready.py`, the
worker processes are `workers.py`).

Every file is read once, and parsed at most once. A module is checked after the project modules
it imports (an import cycle's modules together, in waves), so that what they export is known
when it is read; and only if it can hold a finding: it imports a tracked package, or a project
module that exports something useful (a pool factory, a re-exported `multiprocessing`).
Modules from which no tracked package can be reached are never parsed. A module is handed to
the workers as soon as the modules it imports are done, so both cores stay busy.
"""
from __future__ import annotations

import os
import sys
from bisect import bisect_left
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from poolcompat.engine.context import Context
from poolcompat.engine.link import Linker
from poolcompat.engine.summary import Summary
from poolcompat.engine.values import Value
from poolcompat.project.cache import Cache, Gated, context_key, digest
from poolcompat.project.codec import Fingerprints, Shared
from poolcompat.project.layout import Project
from poolcompat.project.order import components, reaching
from poolcompat.project.ready import File, Readiness, Reading
from poolcompat.project.workers import PARALLEL_FROM, Workers
from poolcompat.reading.files import display, read_source
from poolcompat.reading.gate import relevant
from poolcompat.reading.imports import imported_modules, imports, within
from poolcompat.reading.limits import Limits
from poolcompat.table.load import Table


def _reaches(reading: Reading, module: str) -> bool:
    return module in reading.reach[0] or within(module, reading.reach[1])


def _under(modules: List[str], name: str) -> List[str]:
    """The modules (a sorted list) that are `name` or inside it."""
    start = bisect_left(modules, name)
    found = []
    for module in modules[start:]:
        if module != name and not module.startswith(name + "."):
            if not module.startswith(name):  # `a.b` < `a.b.c` < `a.b0`: past the prefix
                break
            continue
        found.append(module)
    return found


def _prefixes(name: str) -> List[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


class Scheduler(Readiness):
    def __init__(self, files: Sequence[str], table: Table, cache: Optional[Cache],
                 workers: int) -> None:
        self.table = table
        self.cache = cache
        self.project = Project.of(files, table.packages)
        self.limits = Limits.from_env()
        self.entries = [File(path, display(path)) for path in files]
        for file in self.entries:  # its place in the project: the key and the graph need it
            context = self.project.context(file.path)
            file.module, file.is_package = context.module, context.is_package
        self.modules = sorted(self.project.modules)
        self.linked = Linker(table, {}, frozenset(self.project.modules), self.project.local)
        self.sources: Dict[int, bytes] = {}  # kept until checked: most files never are
        self.changed = False  # a file's bytes changed since `run_key` read them
        self.jobs = Workers(table, workers)
        self.outstanding: Dict[int, int] = {}  # component: jobs still running
        self.owner: Dict[str, int] = {}  # module: its component
        self.needs: List[Set[int]] = []  # component: the components it imports
        self._before: Dict[int, Set[int]] = {}
        self.prints = Fingerprints()
        self.shared = Shared()
        self._final: Dict[str, List[Tuple[str, Value]]] = {}
        self._read_back: Dict[str, bytes] = {}  # read for `_mentions`, until `_ready` decides

    def read(self, file: File, use_cache: bool = True) -> Optional[bytes]:
        """The file's bytes (b"" when hashed already and the cache says it imports nothing
        tracked: they are not needed), its hash and what the gate says of it."""
        if file.hashed and self.cache and use_cache:
            known = self.cache.gated(file.path, file.hashed)
            if known is not None and not known.stdlib:
                file.gated = known
                return b""
        data, reason = read_source(file.path, self.limits.max_bytes)
        if data is None:
            file.error = reason
            return None
        hashed = digest(data)
        self.changed |= bool(file.hashed) and hashed != file.hashed
        file.hashed = hashed
        gated = self.cache.gated(file.path, file.hashed) if self.cache and use_cache else None
        file.gated = gated or Gated(relevant(data), imports(data))
        return data

    def run_key(self) -> str:
        """What the run's results depend on besides the tool and its rules (`Cache.remembered`):
        every file's path, bytes and place in the project, and the running Python."""
        parts = [sys.version, str(self.limits.max_bytes), *sorted(self.project.local)]
        for file in self.entries:
            data, reason = read_source(file.path, self.limits.max_bytes)
            file.hashed = "" if data is None else digest(data)
            parts += [file.path, os.path.abspath(file.path), file.module, str(file.is_package),
                      file.hashed or reason]
        return digest("\0".join(parts).encode("utf-8", "surrogateescape"))

    def graph(self) -> List[Set[int]]:
        """Which files each file imports, among the run's own modules."""
        index: Dict[str, int] = {}
        for i, file in enumerate(self.entries):
            if file.module:
                index.setdefault(file.module, i)
        deps: List[Set[int]] = []
        for i, file in enumerate(self.entries):
            imported = imported_modules(file.gated.imports, file.module, file.is_package)
            file.own = tuple(sorted(name for name in imported if name in index))
            deps.append({index[name] for name in file.own} - {i})
        return deps

    def run(self) -> List[Summary]:
        try:
            self._check()
        finally:
            self.jobs.shutdown()
        return [f.summary or Summary(f.shown, f.module, error=f.error) for f in self.entries]

    def _check(self) -> None:
        to_parse = 0  # files the cache has no summary of (a guess: their context may change)
        for i, file in enumerate(self.entries):
            data = self.read(file)
            if data is not None and file.gated.stdlib:
                self.sources[i] = data
                if not (self.cache and self.cache.analysed(file.path, file.hashed)):
                    to_parse += 1
                    if to_parse == PARALLEL_FROM:
                        self.jobs.start()
        deps = self.graph()
        ordered = components(reaching(self.sources, deps), deps)
        owner = {node: number for number, members in enumerate(ordered) for node in members}
        self._let_go(i for i in range(len(self.entries)) if i not in owner)
        self.owner = {self.entries[node].module: number for node, number in owner.items()}
        self.needs = [{owner[d] for n in members for d in deps[n] if d in owner} - {number}
                      for number, members in enumerate(ordered)]
        blocking = [len(need) for need in self.needs]
        users: Dict[int, Set[int]] = {}
        for number, need in enumerate(self.needs):
            for dep in need:
                users.setdefault(dep, set()).add(number)
        ready = [number for number, count in enumerate(blocking) if count == 0]
        while ready or self.jobs.busy:
            while ready:
                number = ready.pop()
                if not self._advance(ordered[number], number):
                    self._let_go(ordered[number])
                    for user in sorted(users.get(number, ())):
                        blocking[user] -= 1
                        if blocking[user] == 0:
                            ready.append(user)
            self.jobs.feed()
            if self.jobs.busy:  # after `feed`, anything queued has a job running before it
                ready += self._collect()

    def _let_go(self, done: Iterable[int]) -> None:
        """Files no step looks at again (their component is done, or they reach no tracked
        package): their gate goes to the cache now, and what their imports gave goes (on a
        big tree, a quarter of the parent's memory before the link)."""
        for i in done:
            file = self.entries[i]
            if self.cache and file.error is None and file.summary is None:
                self.cache.put(file.path, file.hashed, file.gated)
            file.gated = Gated(file.gated.stdlib, ())
            file.reading = None
            file.mentioned = {}

    def _collect(self) -> List[int]:
        """Wait for a job; the components whose wave it completed, to advance again."""
        finished = []
        for (i, number), summary in self.jobs.finished():
            self._done(i, summary)
            self.outstanding[number] -= 1
            if self.outstanding[number] == 0:
                finished.append(number)
        return finished

    def _advance(self, members: List[int], number: int) -> bool:
        """Start the next wave of a component's members; False when none is left to check.
        In an import cycle, the members that import what exports go first; the others' names
        stay `Later` for them."""
        chosen = [i for i in members if self._ready(i, number)]
        later = frozenset(self.entries[i].module for i in members
                          if self.entries[i].summary is None)
        started = False
        hits: List[Tuple[int, Summary]] = []
        for i in chosen:
            file = self.entries[i]
            data = self.sources.pop(i, None) or self._read_back.pop(file.path, None)
            if data is None:
                data = self.read(file, use_cache=False) or b""
            context = self._context(file, later - {file.module}, number)
            file.key = context_key(context, self.prints)
            hit = self.cache.summary(file.path, file.hashed, file.key, file.shown) \
                if self.cache else None
            if hit is not None:
                hits.append((i, hit))
                continue
            self.jobs.submit((data, file.shown, context), (i, number))
            self.outstanding[number] = self.outstanding.get(number, 0) + 1
            started = True
        for i, hit in hits:  # after the wave's contexts, as a cold run's results come
            self._done(i, hit, fresh=False)
        if chosen and not started:  # every one from the cache: on to the next wave
            return self._advance(members, number)
        return started

    def _checked_before(self, number: int) -> Set[int]:
        """The component and those it imports, directly or not: always checked before
        its files (earlier waves of the component itself included), whatever the order of the
        rest, so that a file's context, and so its cache key, is the same on every run."""
        if number not in self._before:
            found, todo = {number}, [number]
            while todo:
                for dep in self.needs[todo.pop()]:
                    if dep not in found:
                        found.add(dep)
                        todo.append(dep)
            self._before[number] = found
        return self._before[number]

    def _settled(self, module: str, later: frozenset[str], before: Set[int]) -> bool:
        """Whether the module's summary is in before the file's, on every run: not one of
        the wave's (a wave's members served by the cache are linked as the wave starts)."""
        return module not in later and self.owner.get(module) in before

    def _context(self, file: File, later: frozenset[str], number: int) -> Context:
        """What the file may take from the project: the settled exports of the modules it
        imports (and of their submodules, for `import pkg` then `pkg.sub.name`)."""
        before = self._checked_before(number)
        reading = self._reading(file)
        reached = set(reading.reach[0]) | {m for tree in reading.reach[1]
                                        for m in _under(self.modules, tree)}
        exports = []
        for module in sorted(reached & self.linked.by_module.keys()):
            if self._settled(module, later, before):
                exports += self._exported(module, number)
        modules = {m for name in reading.imported for m in _under(self.modules, name)}
        modules |= {prefix for name in reading.imported for prefix in _prefixes(name)
                    if prefix in self.project.modules}  # `import pkg.sub` binds `pkg`
        awaiting = frozenset(name for module, names in self.linked.awaiting.items()
                             if _reaches(reading, module) and self._settled(module, later, before)
                             for name in names)
        return Context(file.module, file.is_package, self.project.local, tuple(exports), later,
                       frozenset(modules), awaiting)

    def _done(self, i: int, summary: Summary, fresh: bool = True) -> None:
        file = self.entries[i]
        file.summary = summary = self.shared.summary(summary)
        self.linked.add(summary)
        if self.cache and fresh:
            self.cache.put(file.path, file.hashed, file.gated, file.key, summary)
