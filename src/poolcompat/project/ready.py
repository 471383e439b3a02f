"""Which files wait to be checked (the schedule's half that reads the project's exports).

A file that imports a tracked package always does. One that does not is parsed only when a
name it imports from a checked module can lead to a finding: it names that name (a module held
as an object reaches only what the file writes) and, for a project object useful only through
an attribute (`IOLoop.current()` reaches a pool only as `._executor`), that attribute; unless
it calls a function whose parameters its callers decide, which may be handed the object.
"""
from __future__ import annotations

import dataclasses
from typing import AbstractSet, Dict, FrozenSet, List, Optional, Set, Tuple

from poolcompat.engine.link import Linker
from poolcompat.engine.summary import Summary
from poolcompat.engine.values import Value
from poolcompat.project.cache import Gated
from poolcompat.reading.files import read_source
from poolcompat.reading.imports import imported_modules, named, reached
from poolcompat.reading.limits import Limits


@dataclasses.dataclass(frozen=True)
class Reading:
    """What a file's imports reach of the project (see `reading.imports`)."""

    imported: Set[str]
    names: Dict[str, Optional[FrozenSet[str]]]
    reach: Tuple[FrozenSet[str], FrozenSet[str]]


@dataclasses.dataclass
class File:
    path: str
    shown: str
    module: str = ""
    is_package: bool = False
    hashed: str = ""
    gated: Gated = dataclasses.field(default_factory=lambda: Gated(False, ()))
    error: Optional[str] = None
    own: Tuple[str, ...] = ()  # the project modules it imports, sorted
    reading: Optional[Reading] = None  # see `Readiness._reading`
    mentioned: Dict[str, bool] = dataclasses.field(default_factory=dict)  # word: in its bytes
    summary: Optional[Summary] = None
    key: str = ""  # the cache key it was checked under


class Readiness:
    """The scheduler's checks of whether a file can hold a finding, over what it sets up."""

    entries: List[File]
    linked: Linker
    limits: Limits
    owner: Dict[str, int]  # module: its component
    sources: Dict[int, bytes]
    _final: Dict[str, List[Tuple[str, Value]]]
    _read_back: Dict[str, bytes]  # read for `_mentions`, until `_ready` decides

    def _reading(self, file: File) -> Reading:
        """Worked out for the files that get that far: kept for every file of a big tree, it
        took a third of the run's memory."""
        if file.reading is None:
            found, module, is_package = file.gated.imports, file.module, file.is_package
            file.reading = Reading(imported_modules(found, module, is_package),
                                   named(found, module, is_package),
                                   reached(found, module, is_package))
        return file.reading

    def _ready(self, i: int, number: int) -> bool:
        """Whether the file can hold a finding and waits to be checked."""
        file = self.entries[i]
        ready = file.summary is None and file.error is None and (
            i in self.sources or self._reaches_any(file, number))
        if not ready:
            self._read_back.pop(file.path, None)
        return ready

    def _reaches_any(self, file: File, number: int) -> bool:
        modules = [m for m in file.own if m in self.linked.by_module]
        passes = bool(modules) and self._passes(file)
        return any(self._reaches_useful(file, m, number, passes) for m in modules)

    def _passes(self, file: File) -> bool:
        """Whether the file imports a function whose parameters its callers decide: what it
        passes may hold a pool without the file naming the attribute that holds it."""
        reading = self._reading(file)
        for module in file.own:
            short = {qname.rpartition(".")[2] for qname in self.linked.awaiting.get(module, ())}
            if not short:
                continue
            if module not in reading.names:  # held as an object: `mod.func(...)`
                if self._mentions(file, short):
                    return True
                continue
            names = reading.names[module]
            if names is None or short & names:
                return True
        return False

    def _reaches_useful(self, file: File, module: str, number: int, passes: bool) -> bool:
        """Whether the file imports a name of the module that can lead to a finding (`from m
        import a` reaches only `a`: not a pool class `m` happens to import for itself), and
        mentions the attribute through which alone it can (`display._final_q`), unless it
        passes values to the project's functions. A module it holds as an object reaches only
        the names the file writes."""
        reading = self._reading(file)
        held = module not in reading.names  # as an object (`names` None either way)
        names = reading.names.get(module)
        words: Set[str] = set()
        for qname, value in self._exported(module, number):
            name = qname.rpartition(".")[2]
            if names is not None and name not in names:
                continue
            through = None if passes else self.linked.reached_through(value)
            if held:  # `mod.name`
                if self._mentions(file, {name}) and self._mentions(file, through or {name}):
                    return True
                continue
            if through is None:
                return True
            words |= through
        return bool(words) and self._mentions(file, words)

    def _mentions(self, file: File, words: AbstractSet[str]) -> bool:
        """Whether the file's bytes hold one of the words (read again: only the files that
        import a tracked package are kept in memory)."""
        unknown = words - file.mentioned.keys()
        if unknown:
            data = self._read_back.get(file.path)
            if data is None:
                data, _ = read_source(file.path, self.limits.max_bytes)
                if data is not None:  # kept for the parse, if this makes the file ready
                    self._read_back[file.path] = data
            for word in unknown:
                file.mentioned[word] = data is None or word.encode() in data
        return any(file.mentioned[word] for word in words)

    def _exported(self, module: str, number: int) -> List[Tuple[str, Value]]:
        """The module's names that can lead to a finding elsewhere, with their values; kept
        once its component is done (any but the one being checked: it comes before)."""
        final = self.owner.get(module) != number
        if final and module in self._final:
            return self._final[module]
        found: List[Tuple[str, Value]] = []
        try:
            if self.linked.exporting(module):
                for name in self.linked.by_module[module]:
                    value = self.linked.ref(f"{module}.{name}")
                    if self.linked.useful(value):
                        found.append((f"{module}.{name}", value))
        except Exception as exc:  # a bug of ours: the module's error line, not the run's end
            self._failed(module, exc)
            found = []
        if final:
            self._final[module] = found
        return found

    def _failed(self, module: str, exc: Exception) -> None:
        """Its exports cannot be read: the importers get nothing from it, and it says why."""
        reason = f"internal error while reading its exports ({type(exc).__name__}: {exc})"
        for file in self.entries:
            if file.module == module and file.summary is not None and not file.summary.error:
                file.summary = dataclasses.replace(file.summary, error=reason)
