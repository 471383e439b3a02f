"""The type model (`rules/types.toml`): the stdlib classes the engine tracks instances of, what
calls return, other spellings of the same object."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, Literal, Mapping, Optional, Tuple, TypeVar

T = TypeVar("T")
Enter = Literal["", "self"]  # what `with instance as x` binds: nothing known, or the instance
Passthrough = Literal["", "partial", "closing", "enter"]


@dataclass(frozen=True)
class ClassInfo:
    bases: Tuple[str, ...] = ()
    enter: Enter = ""
    processes: Optional[bool] = None  # runs work in other processes (None: as its bases do)


@dataclass(frozen=True)
class Model:
    classes: Mapping[str, ClassInfo]
    returns: Mapping[str, str]
    aliases: Mapping[str, str]
    mirrors: Mapping[str, str]
    passthrough: Mapping[str, Passthrough] = field(default_factory=dict)

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

    def along(self, cls: str, find: Callable[[str], Optional[T]]) -> Optional[T]:
        """The first answer `find` gives (not None, not empty) for the class or one of its bases,
        in method resolution order: where a method's rules, a call's result, ... are found."""
        for klass in self.mro(cls):
            found = find(klass)
            if found:
                return found
        return None

    def processes(self, cls: str) -> bool:
        """Whether instances run their work in other processes (so callables get pickled)."""
        for klass in self.mro(cls):  # False is an answer too: not `along`
            info = self.classes.get(klass)
            if info is not None and info.processes is not None:
                return info.processes
        return False

    def enter(self, cls: str) -> Enter:
        return self.along(cls, lambda k: self.classes.get(k, ClassInfo()).enter) or ""

    def returns_of(self, cls: str, method: str) -> str:
        """The class of what calling `method` on an instance of `cls` returns, or ""."""
        return self.along(cls, lambda k: self.returns.get(f"{k}.{method}")) or ""

    def passthrough_of(self, cls: str, method: str) -> Passthrough:
        return self.along(cls, lambda k: self.passthrough.get(f"{k}.{method}")) or ""

    def common_base(self, a: str, b: str) -> str:
        """The nearest class both derive from (`Executor` for the two executors), or ""."""
        theirs = self.mro(b)
        return next((klass for klass in self.mro(a) if klass in theirs), "")
