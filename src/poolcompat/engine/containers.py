"""Containers filled after they are made: `futures.append(executor.submit(...))`,
`executors[name] = ThreadPoolExecutor()`, `self.tasks.put(task)`, and what reading them gives
(`futures.pop()`, `executors.values()`, `tasks.get()`)."""
from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple

import libcst as cst

from poolcompat.engine.syntax import literal

from poolcompat.engine.values import NONE, Binding, Elements, Items, Mapping, Scope, Value

# Methods that put their argument in the container: the argument's index, and whether each of
# its items goes in (`extend`) rather than the argument itself.
ADDS: Dict[str, Tuple[int, bool]] = {
    "append": (0, False), "appendleft": (0, False), "add": (0, False), "insert": (1, False),
    "put": (0, False), "put_nowait": (0, False), "extend": (0, True), "extendleft": (0, True),
    "setdefault": (1, False),
}
# Methods that give one of the container's items (a dict's value), or a view of them.
_ONE = frozenset({"pop", "popleft", "get", "get_nowait", "setdefault", "popitem"})
_SAME = frozenset({"copy"})
_EMPTY = {"list": "list", "set": "list", "frozenset": "list", "deque": "list", "dict": "dict",
          "OrderedDict": "dict", "Queue": "list", "SimpleQueue": "list", "LifoQueue": "list"}
# Where those live (a `from collections import deque` counts as well as the builtins).
CONSTRUCTORS = frozenset({"collections.deque", "collections.OrderedDict",
                          "collections.defaultdict", "queue.Queue", "queue.SimpleQueue",
                          "queue.LifoQueue"})


def container_root(target: cst.BaseExpression) -> Tuple[Optional[cst.BaseExpression], int]:
    """The name or `self.attr` a (subscripted) container expression starts at, and how many
    levels deep `target` is: `pools[t][n]` is `pools`, 2 (a value stored there is 2 deep)."""
    depth = 1
    while isinstance(target, cst.Subscript):
        target, depth = target.value, depth + 1
    if isinstance(target, cst.Name) or (isinstance(target, cst.Attribute)
                                         and isinstance(target.value, cst.Name)):
        return target, depth
    return None, 0


def added(call: cst.Call, scope: Scope) -> Optional[Tuple[cst.BaseExpression, Binding]]:
    """`x.append(v)` and the like: the container expression and what goes in (the binding's
    `size` is left for the caller, who knows how deep the container is)."""
    if not isinstance(call.func, cst.Attribute) or call.func.attr.value not in ADDS:
        return None
    index, each = ADDS[call.func.attr.value]
    args = [a for a in call.args if a.keyword is None and not a.star]
    if len(args) <= index:
        return None
    return call.func.value, Binding("add", parent=Binding("expr", args[index].value, scope),
                                    position=int(each))


def empty(kind: str) -> Value:
    """What calling a container's constructor with no argument gives."""
    return Mapping(NONE) if _EMPTY.get(kind.rpartition(".")[2]) == "dict" else Elements(NONE)


def constructor(name: str) -> str:
    """The qualified name of a container constructor, `list` or `collections.deque` ("" for
    anything else)."""
    return name if name in _EMPTY or name in CONSTRUCTORS else ""


def read(container: Value, method: str) -> Value:
    """What calling a reading method of a container gives."""
    if isinstance(container, Mapping):
        if method in _ONE:
            return container.value
        if method == "values":
            return Elements(container.value)
        if method == "items":
            return Elements(Items((None, container.value)))
        return container if method in _SAME else None
    if isinstance(container, (Elements, Items)):
        if method in _ONE:
            return container.item if isinstance(container, Elements) else None
        return container if method in _SAME else None
    return None


def holding(container: Value, item: Value) -> Value:
    """The container with `item` as what it holds now."""
    if item is None:
        return None
    return Mapping(item) if isinstance(container, Mapping) else Elements(item)


def inside(container: Value) -> Value:
    """What a container holds: a list's items, a dict's values."""
    if isinstance(container, Mapping):
        return container.value
    return container.item if isinstance(container, Elements) else None


def keys_of(target: Optional[cst.CSTNode]) -> List[Optional[str]]:
    """The key a subscript store uses at each level, outermost container first, each a string
    literal's text or None: `c["a"][k] = v` gives ["a", None]."""
    keys: List[Optional[str]] = []
    while isinstance(target, cst.Subscript):
        key = None
        index = target.slice[0].slice if len(target.slice) == 1 else None
        if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
            text = literal(index.value)
            key = text if isinstance(text, str) else None
        keys.append(key)
        target = target.value
    return keys[::-1]


def stored(container: Mapping, key: Optional[str], new: Value,
           join: Callable[[Value, Value], Value]) -> Value:
    """A dict that knows its keys' values once `container[key] = new` may have run: a string
    key's value joins the new one (a new key holds just it); any other key, or another way of
    filling it, leaves only what all its values have in common."""
    value = join(container.value, new)
    if key is None:
        return Mapping(value) if value is not None else None
    keyed = dict(container.keyed)
    keyed[key] = join(keyed[key], new) if key in keyed else new
    return Mapping(value, tuple(keyed.items()))


def replaced(container: Value, key: Optional[str], grown: Value,
             join: Callable[[Value, Value], Value]) -> Value:
    """The container once what it holds at `key` (any of its items, for None) grew into
    `grown`: the same object, filled further."""
    if grown is None:
        return None
    if isinstance(container, Mapping) and container.keyed and key is not None:
        keyed = dict(container.keyed)
        if key in keyed:
            keyed[key] = grown
            return Mapping(join(container.value, grown), tuple(keyed.items()))
    return holding(container, grown)
