"""What an annotation says a name holds: `pool: Pool`, `Optional[Executor]`, `list[Future]`."""
from __future__ import annotations

import libcst as cst

from poolcompat.engine.algebra import Algebra
from poolcompat.engine.syntax import dotted
from poolcompat.engine.values import (
    NONE, Either, Elements, ExtClass, Later, Mapping, Ref, Scope, UserClass, UserInst, Value,
)

_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
_UNION = frozenset({"typing.Union", "typing_extensions.Union"})
# Generic collections whose last parameter is the item type: `list[Pool]`, `Dict[str, Pool]`.
_COLLECTIONS = set(
    [f"typing.{n}" for n in ("List", "Tuple", "Set", "FrozenSet", "Sequence", "Iterable",
                             "Deque", "MutableSequence")]
    + [f"collections.abc.{n}" for n in ("Sequence", "Iterable", "MutableSequence")]
)
_COLLECTIONS |= {"list", "tuple", "set", "frozenset", "typing.Iterator", "typing.AsyncIterator",
                 "typing.Collection", "typing.AbstractSet", "typing.MutableSet",
                 "collections.abc.Iterator", "collections.abc.Collection", "collections.abc.Set",
                 "collections.deque", "typing.Generator"}
_MAPPINGS = frozenset({"dict", "typing.Dict", "typing.Mapping", "typing.MutableMapping",
                       "typing.DefaultDict", "typing.OrderedDict", "collections.abc.Mapping",
                       "collections.abc.MutableMapping", "collections.defaultdict",
                       "collections.OrderedDict"})
_TYPE = frozenset({"type", "typing.Type"})
_WRAPPERS = frozenset({"typing.Annotated", "typing.ClassVar", "typing.Final",
                       "typing_extensions.Annotated", "typing_extensions.Final"})

class Annotations(Algebra):
    """The algebra, able to read annotations with the expressions the evaluator reads."""

    def expr(self, node: cst.BaseExpression, scope: Scope) -> Value:
        raise NotImplementedError  # the evaluator's

    def annotation(self, node: cst.BaseExpression, scope: Scope) -> Value:
        """The value a name annotated with `node` holds: an instance of the annotated class."""
        if isinstance(node, cst.SimpleString):
            try:
                node = cst.parse_expression(node.evaluated_value)  # type: ignore[arg-type]
            except Exception:  # a string annotation that is not an expression proves nothing
                return None
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            return self.join(self.annotation(node.left, scope), self.annotation(node.right, scope))
        if isinstance(node, cst.Subscript):
            return self._generic(node, scope)
        if isinstance(node, cst.Name) and node.value == "None":
            return NONE
        value = self.expr(node, scope) if dotted(node) else None
        if isinstance(value, Ref) and value.qname in self.model.classes:
            return self.call(value)
        if isinstance(value, (Later, Either)):  # a class another module defines
            return self.call(value)
        if isinstance(value, (UserClass, ExtClass)):  # the module's own class, or another's
            return UserInst(value)
        return None

    def _generic(self, node: cst.Subscript, scope: Scope) -> Value:
        """`Optional[X]`, `Union[...]`, `list[X]`, `dict[K, X]`, `type[X]`, `Future[int]`."""
        outer = self.expr(node.value, scope)
        builtin = node.value.value if isinstance(node.value, cst.Name) and scope.resolve(
            node.value.value) is None else ""
        qname = outer.qname if isinstance(outer, Ref) else builtin
        parts = [el.slice.value for el in node.slice if isinstance(el.slice, cst.Index)]
        if not parts:
            return None
        if qname in _OPTIONAL and len(parts) == 1 or qname in _WRAPPERS:
            return self.annotation(parts[0], scope)
        if qname in _UNION:
            return self.join_all(self.annotation(part, scope) for part in parts)
        if qname in _TYPE:  # the class itself, not an instance
            return self.join_all(self.expr(part, scope) for part in parts)
        if qname in _MAPPINGS:
            value = self.annotation(parts[-1], scope)
            return Mapping(value) if value is not None and value is not NONE else None
        if qname in _COLLECTIONS:
            item = self.annotation(parts[-1] if len(parts) == 2 else parts[0], scope)
            return Elements(item) if item is not None and item is not NONE else None
        return self.annotation(node.value, scope)  # `Future[int]`: a generic class's instance
