"""Operations on values that need no syntax tree: what an attribute, a call, a `with` or an item
of a value is, and what two possible values have in common.

The per-module evaluator (`evaluate`) extends it with what a libcst tree tells about the
module's own classes and functions; the project's linker (`link`) with what other modules
export. A value neither can settle yet stays a `Later` that records the operations."""
from __future__ import annotations

from typing import Iterable, Iterator, Optional, Set, Tuple

from poolcompat.engine.values import (
    NONE, AnyClass, Bound, Classes, Either, Managed, Prop, UserFunc, Elements, ExtClass, ExtFunc, Inst, Items, Later, Mapping, OpKind,
    Partial,
    Ref, UserClass, UserInst, Value, Wrapped,
)
from poolcompat.table.model import Model, Passthrough, Returned


_METHODS = (UserFunc, ExtFunc, Prop, Managed)  # a method: the class's own, whatever overrides it
_CALLABLES = (UserFunc, ExtFunc, Bound)  # what a join calls to join what both give


def options(value: Value) -> Tuple[Value, ...]:
    return value.options if isinstance(value, Either) else (value,)


class Algebra:
    def __init__(self, model: Model) -> None:
        self.model = model

    # -- what the subclasses know better ---------------------------------------------------

    def ref(self, qname: str) -> Value:
        """A name taken from a module, by its qualified name."""
        return Ref(self.model.canonical(qname))

    def bases(self, cls: AnyClass) -> Iterable[Value]:
        return cls.bases if isinstance(cls, ExtClass) else ()

    def own_defined(self, cls: AnyClass) -> Set[str]:
        return set(cls.defined)

    def own_attribute(self, cls: AnyClass, name: str) -> Tuple[bool, Value]:
        """Whether the class itself binds `name`, and to what."""
        if not isinstance(cls, ExtClass):
            return False, None
        value = dict(cls.attrs).get(name)
        return name in cls.defined or value is not None, value

    def call_user(self, func: Value) -> Value:
        """What calling a function of the checked module returns."""
        return None

    def derived_attribute(self, cls: AnyClass, name: str) -> Tuple[bool, Value]:
        """Whether classes deriving from `cls` bind the attribute, and what they bind."""
        return False, None

    # -- joins -------------------------------------------------------------------------------

    def join(self, a: Value, b: Value) -> Value:
        """Both are possible: keep what holds for both, else unknown. `None` literals are no
        obstacle; sibling classes join to their common base (`Executor` for both executors)."""
        if a is None or b is None:
            return None
        if a is NONE or a == b:
            return b
        if b is NONE:
            return a
        if isinstance(a, (Later, Either)) or isinstance(b, (Later, Either)):
            return Either(tuple(dict.fromkeys([*options(a), *options(b)])))
        if isinstance(a, _CALLABLES) and isinstance(b, _CALLABLES):
            # one function or another (`submit_func` is each executor's own submit): calling
            # it gives what both give
            result = self.join(self.call(a), self.call(b))
            return ExtFunc(result) if result is not None and result is not NONE else None
        if isinstance(a, (Inst, UserInst)) and isinstance(b, (Inst, UserInst)) and (
                isinstance(a, Inst) or isinstance(b, Inst)):
            # a project subclass joins a stdlib instance as its stdlib base (README: Joins)
            left, right = (x.cls if isinstance(x, Inst) else self.stdlib_base(x.cls)
                           for x in (a, b))
            common = self.model.common_base(left, right) if left and right else ""
            return Inst(common) if common else None
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            value = self.join(a.value, b.value)
            return Mapping(value) if value is not None else None  # which keys: not known
        if isinstance(a, Items) and isinstance(b, Items) and len(a.values) == len(b.values):
            return Items(tuple(self.join(x, y) for x, y in zip(a.values, b.values)))
        if isinstance(a, (Elements, Items)) and isinstance(b, (Elements, Items)):
            item = self.join(self.item(a), self.item(b))
            return Elements(item) if item is not None else None
        if isinstance(a, (Ref, Classes, UserClass, ExtClass)) and isinstance(
                b, (Ref, Classes, UserClass, ExtClass)) and (
                isinstance(a, (Ref, Classes)) or isinstance(b, (Ref, Classes))):
            ours, theirs = self.classes(a), self.classes(b)
            names = tuple(dict.fromkeys([*ours, *theirs]))
            if ours and theirs:
                return Classes(names) if self.common(names) else None
            # a subclass with its own `__init__`: its arguments are its own, but what calling
            # either class makes is an instance of their common stdlib class
            bases = tuple(self.common(self.classes(x)) if isinstance(x, (Ref, Classes))
                          else self.stdlib_base(x) for x in (a, b))
            made = self.common(bases) if all(bases) else ""
            return ExtFunc(Inst(made)) if made else None
        return None

    def classes(self, value: Value) -> Tuple[str, ...]:
        """The stdlib classes a value may be (none when it is not one). A project subclass
        that makes its instances the stdlib's way (no `__init__` or `__new__` of its own)
        counts as its stdlib base."""
        if isinstance(value, Classes):
            return value.names
        if isinstance(value, (UserClass, ExtClass)):
            base = self.stdlib_base(value)
            own = self.user_defined(value)
            return (base,) if base and not own & {"__init__", "__new__"} else ()
        return (value.qname,) if isinstance(value, Ref) and value.qname in self.model.classes else ()

    def common(self, names: Tuple[str, ...]) -> str:
        """The nearest class all of them derive from, or ""."""
        found = names[0] if names else ""
        for name in names[1:]:
            found = self.model.common_base(found, name) if found else ""
        return found

    def join_all(self, values: Iterable[Value]) -> Value:
        joined: Value = NONE
        for value in values:
            joined = self.join(joined, value)
            if joined is None:
                return None
        return joined

    # -- operations --------------------------------------------------------------------------

    def later(self, value: Value, kind: OpKind, name: str = "") -> Value:
        """An operation on a value not known yet: recorded, to be applied once it is."""
        if isinstance(value, Later):
            return value.then(kind, name)
        return Later(value, ((kind, name),))

    def attribute(self, base: Value, name: str) -> Value:
        if base is NONE:  # None has no attribute a rule is about: nothing flows from here
            return NONE
        if isinstance(base, (Later, Either)):
            return self.later(base, "attr", name)
        if isinstance(base, Ref):
            return self.ref(f"{base.qname}.{name}")
        if isinstance(base, Classes):
            return self.ref(f"{self.common(base.names)}.{name}")
        if name == "__class__" and isinstance(base, (Inst, UserInst)):
            return Ref(base.cls) if isinstance(base, Inst) else base.cls
        if isinstance(base, Inst):
            mirror = self.model.mirrors.get(base.cls)
            if mirror:
                return self.ref(f"{mirror}.{name}")
            return Bound(base.cls, name)
        if isinstance(base, (UserInst, UserClass, ExtClass)):
            cls = base.cls if isinstance(base, UserInst) else base
            if not self.settled(cls):  # known where a class before the unknown base binds it
                known, value = self._before_unknown(cls, name, set())
                if isinstance(value, Prop) and isinstance(base, UserInst):
                    return self.call(value.func)
                return value if known else self.later(base, "attr", name)
            found, value = self.user_attribute(cls, name)
            if isinstance(value, Prop) and isinstance(base, UserInst):
                return self.call(value.func)
            stdlib = "" if found else self.stdlib_base(cls)
            if not stdlib:
                if isinstance(base, UserInst) and not isinstance(value, _METHODS):
                    # a mixin's, or a base's, that subclasses (also) set: `self` may be one
                    derived, other = self.derived_attribute(cls, name)
                    if derived:
                        return self.join(value, other) if found else other
                return value
            return Bound(stdlib, name) if isinstance(base, UserInst) else Ref(f"{stdlib}.{name}")
        return None

    def call(self, func: Value) -> Value:
        """What calling `func` returns (arguments aside)."""
        if func is NONE:
            return NONE
        if isinstance(func, (Later, Either)):
            return self.later(func, "call")
        if isinstance(func, Partial):
            return self.call(func.func)
        if isinstance(func, Classes):
            return Inst(self.common(func.names))
        if isinstance(func, Ref):
            if func.qname in self.model.classes:
                return Inst(func.qname)
            returned = self.model.returns.get(func.qname)
            return self.instance(returned) if returned else None
        if isinstance(func, Bound):
            returned = self.model.returns_of(func.cls, func.name)
            return self.instance(returned) if returned else None
        if isinstance(func, (UserClass, ExtClass)):
            return UserInst(func)
        if isinstance(func, ExtFunc):
            return func.result
        return self.call_user(func)

    def instance(self, returned: Returned) -> Value:
        """A value of a type types.toml names."""
        if isinstance(returned, str):
            return Inst(returned) if returned in self.model.classes else None
        if returned[0] == "tuple":
            return Items(tuple(self.instance(part) for part in returned[1]))
        item = self.instance(returned[1])
        return Elements(item) if item is not None else None

    def enter(self, value: Value) -> Value:
        """What `with value as x` binds x to."""
        if value is NONE:
            return NONE
        if isinstance(value, (Later, Either)):
            return self.later(value, "enter")
        if isinstance(value, Wrapped):
            return value.inner
        if isinstance(value, Inst) and self.model.enter(value.cls) == "self":
            return value
        if isinstance(value, UserInst) and "__enter__" not in self.user_defined(value.cls):
            stdlib = self.stdlib_base(value.cls)
            return value if stdlib and self.model.enter(stdlib) == "self" else None
        return None

    def item(self, container: Value) -> Value:
        if container is NONE:
            return NONE
        if isinstance(container, (Later, Either)):
            return self.later(container, "item")
        if isinstance(container, Items):
            return self.join_all(container.values)
        return container.item if isinstance(container, Elements) else None

    def index(self, value: Value, key: str = "") -> Value:
        """`value[key]` (key: a string literal's text, "" when not one): a class subscripted is
        the class itself (a generic alias, `Future[T]`), a mapping gives that key's value or
        any of its values, any other container an item."""
        if isinstance(value, (Later, Either)):
            return self.later(value, "index", key)
        if isinstance(value, (UserClass, ExtClass, Classes)) or (
                isinstance(value, Ref) and value.qname in self.model.classes):
            return value
        if isinstance(value, Mapping):
            found = dict(value.keyed).get(key) if key else None
            return found if found is not None else value.value
        return self.item(value)

    def part(self, container: Value, index: int, size: int) -> Value:
        """Element `index` when a value is unpacked into `size` names."""
        if isinstance(container, (Later, Either)):
            return self.later(container, "part", f"{index}/{size}")
        if isinstance(container, Items):
            return container.values[index] if len(container.values) == size else None
        return self.item(container)

    def apply(self, value: Value, kind: OpKind, name: str) -> Value:
        if kind == "attr":
            return self.attribute(value, name)
        if kind == "call":
            return self.call(value)
        if kind == "enter":
            return self.enter(value)
        if kind == "index":
            return self.index(value, name)
        if kind == "part":
            index, _, size = name.partition("/")
            return self.part(value, int(index), int(size))
        return self.item(value)

    def passthrough(self, func: Value) -> Passthrough:
        """How a call derives its result from its first argument (see types.toml), or ""."""
        if isinstance(func, Ref):
            return self.model.passthrough.get(func.qname, "")
        if isinstance(func, Bound):
            return self.model.passthrough_of(func.cls, func.name)
        return ""

    # -- classes -----------------------------------------------------------------------------

    def _before_unknown(self, cls: AnyClass, name: str, seen: Set[int]) -> Tuple[Optional[bool],
                                                                                Value]:
        """Look `name` up along the class's bases, depth first, until a base only the link
        knows: (True, value) found, (False, None) found nowhere, (None, None) not known yet."""
        if id(cls) in seen:
            return False, None
        seen.add(id(cls))
        found, value = self.own_attribute(cls, name)
        if found:
            return True, value
        for base in self.bases(cls):
            if isinstance(base, (Later, Either)):
                return None, None
            if isinstance(base, (UserClass, ExtClass)):
                known, value = self._before_unknown(base, name, seen)
                if known is not False:
                    return known, value
        return False, None

    def class_chain(self, cls: AnyClass) -> Iterator[AnyClass]:
        """The class and its project bases, depth first, each once."""
        seen: Set[int] = set()
        todo = [cls]
        while todo:
            current = todo.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            yield current
            todo.extend(reversed([b for b in self.bases(current)
                                  if isinstance(b, (UserClass, ExtClass))]))

    def stdlib_base(self, cls: AnyClass, seen: Optional[Set[int]] = None) -> str:
        """The first stdlib class this project class derives from (depth-first, as the MRO
        mostly is), or ""."""
        seen = seen if seen is not None else set()
        if id(cls) in seen:
            return ""
        seen.add(id(cls))
        for base in self.bases(cls):
            if isinstance(base, Ref) and base.qname in self.model.classes:
                return base.qname
            if isinstance(base, (UserClass, ExtClass)):
                found = self.stdlib_base(base, seen)
                if found:
                    return found
        return ""

    def user_defined(self, cls: AnyClass) -> Set[str]:
        """Names the class or its project bases define, which shadow the stdlib's."""
        names: Set[str] = set()
        for klass in self.class_chain(cls):
            names |= self.own_defined(klass)
        return names

    def user_attribute(self, cls: AnyClass, name: str) -> Tuple[bool, Value]:
        """Whether the class (or a project base) binds `name`, and its value if so."""
        for klass in self.class_chain(cls):
            found, value = self.own_attribute(klass, name)
            if found:
                return True, value
        return False, None

    def settled(self, value: Value) -> bool:
        """Whether nothing in the value waits for another module."""
        if isinstance(value, (Later, Either)):
            return False
        if isinstance(value, (Elements, ExtFunc)):
            return self.settled(value.item if isinstance(value, Elements) else value.result)
        if isinstance(value, Items):
            return all(self.settled(part) for part in value.values)
        if isinstance(value, Mapping):
            return self.settled(value.value) and all(self.settled(v) for _, v in value.keyed)
        if isinstance(value, Partial):
            return self.settled(value.func)
        if isinstance(value, Wrapped):
            return self.settled(value.inner)
        if isinstance(value, UserInst):
            return self.settled(value.cls)
        if isinstance(value, (UserClass, ExtClass)):
            return all(not isinstance(base, (Later, Either))
                       for klass in self.class_chain(value) for base in self.bases(klass))
        return True
