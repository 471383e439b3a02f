"""The type model (`rules/types.toml`): the stdlib classes the engine tracks instances of, what
calls return, other spellings of the same object."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, Literal, Mapping, Optional, Tuple, TypeVar, Union

T = TypeVar("T")
# What a call returns: a class, a tuple of them, or a container of them (`tuple[A, B]`,
# `iterator[A]`, `list[A]`, `set[A]` in types.toml).
Returned = Union[str, Tuple[Literal["tuple"], Tuple["Returned", ...]], Tuple[Literal["items"], "Returned"]]
Enter = Literal["", "self"]  # what `with instance as x` binds: nothing known, or the instance
# How a call takes its meaning from its arguments: `partial(f, ...)` (calling it calls f),
# `closing(x)` (`with` binds x), `stack.enter_context(x)` (enters x), `atexit.register(f,
# ...)` (calls f with the rest: "calls"), `weakref.finalize(obj, f, ...)` ("calls-second").
Passthrough = Literal["", "partial", "closing", "enter", "calls", "calls-second"]


@dataclass(frozen=True)
class ClassInfo:
    bases: Tuple[str, ...] = ()
    enter: Enter = ""
    processes: Optional[bool] = None  # runs work in other processes (None: as its bases do)


@dataclass(frozen=True)
class Model:
    classes: Mapping[str, ClassInfo]
    returns: Mapping[str, Returned]
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

    def returns_of(self, cls: str, method: str) -> Optional[Returned]:
        """What calling `method` on an instance of `cls` returns, or None."""
        for klass in self.mro(cls):
            found = self.returns.get(f"{klass}.{method}")
            if found:
                return found
        return None

    def passthrough_of(self, cls: str, method: str) -> Passthrough:
        return self.along(cls, lambda k: self.passthrough.get(f"{k}.{method}")) or ""

    def common_base(self, a: str, b: str) -> str:
        """The nearest class both derive from (`Executor` for the two executors), or ""."""
        theirs = self.mro(b)
        return next((klass for klass in self.mro(a) if klass in theirs), "")


def parse_returned(text: str) -> Returned:
    """`tuple[A, B]`, `iterator[A]` (also `list[A]`, `set[A]`) or a class's name; ValueError
    for anything else."""
    text = text.strip()
    head, bracket, rest = text.partition("[")
    if not bracket:
        if not text or not all(part.isidentifier() for part in text.split(".")):
            raise ValueError(f"not a class name: {text!r}")
        return text
    if not rest.endswith("]"):
        raise ValueError(f"unbalanced brackets in {text!r}")
    inner = _split(rest[:-1])
    if head == "tuple":
        return ("tuple", tuple(parse_returned(part) for part in inner))
    if head in ("iterator", "list", "set") and len(inner) == 1:
        return ("items", parse_returned(inner[0]))
    raise ValueError(f"unknown type {head!r} in {text!r} (tuple, iterator, list or set)")


def _split(text: str) -> Tuple[str, ...]:
    """Split at the commas outside brackets."""
    parts, depth, start = [], 0, 0
    for at, char in enumerate(text):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(text[start:at])
            start = at + 1
    parts.append(text[start:])
    return tuple(parts)
