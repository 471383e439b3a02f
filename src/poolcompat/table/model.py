"""The type model (`rules/types.toml`): the stdlib classes the engine tracks instances of, what
calls return, other spellings of the same object."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Mapping, Optional, Tuple


@dataclass(frozen=True)
class ClassInfo:
    bases: Tuple[str, ...] = ()
    enter: str = ""
    processes: Optional[bool] = None  # runs work in other processes (None: as its bases do)


@dataclass(frozen=True)
class Model:
    classes: Mapping[str, ClassInfo]
    returns: Mapping[str, str]
    aliases: Mapping[str, str]
    mirrors: Mapping[str, str]
    passthrough: Mapping[str, str] = field(default_factory=dict)

    def processes(self, cls: str) -> bool:
        """Whether instances run their work in other processes (so callables get pickled)."""
        for klass in self.mro(cls):
            info = self.classes.get(klass)
            if info is not None and info.processes is not None:
                return info.processes
        return False

    def canonical(self, qname: str) -> str:
        return self.aliases.get(qname, qname)

    _mro: Dict[str, Tuple[str, ...]] = field(default_factory=dict, compare=False)

    def mro(self, cls: str) -> Tuple[str, ...]:
        if cls not in self._mro:
            order = [cls]
            for base in self.classes.get(cls, ClassInfo()).bases:
                order.extend(b for b in self.mro(base) if b not in order)
            self._mro[cls] = tuple(order)
        return self._mro[cls]
