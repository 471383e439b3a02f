"""Version guards: the conditions under which a use only runs on Pythons that have the feature.

A guard never removes a finding; it marks it `guarded`, and a guarded finding raises no minimum.
Only what the condition proves counts: `sys.version_info >= (3, 3)` proves 3.3 for its body and
`< 3.3` for its `else`; `hasattr(x, "starmap")` proves `x.starmap` exists; `try/except
AttributeError` proves a fallback for a missing attribute, and so on.
"""
from __future__ import annotations

from typing import FrozenSet, Optional, Tuple, Union

import libcst as cst

from poolcompat.engine.evaluate import Evaluator
from poolcompat.engine.facts import GuardFacts
from poolcompat.engine.values import Guard, Ref, Scope
from poolcompat.engine.syntax import dotted, literal
from poolcompat.engine.walk import UseKind
from poolcompat.table.load import KINDS, RuleKind

Range = Tuple[Tuple[int, ...], Optional[Tuple[int, ...]]]  # at least, below (None: no bound)
EVERYTHING: Range = ((0,), None)

# What each exception class proves a fallback for, by the kind of rule a use matched.
# What each exception proves a fallback for, by what the use does: `from m import name` raises
# ImportError, `m.name` AttributeError, a keyword a call does not take TypeError, `with` on an
# object that is not a context manager AttributeError (TypeError from 3.11), `Class[int]` and
# `proxy | d` TypeError. Broader handlers (`except Exception:`, a bare `except:`) handle errors;
# they are no proof that the code was written for an older Python, and nor is a handler that
# raises again.
_CATCHES: dict[str, FrozenSet[UseKind]] = {
    "ImportError": frozenset({"import", "from", "import-call"}),
    "ModuleNotFoundError": frozenset({"import", "from", "import-call"}),
    "AttributeError": frozenset({"attr", "getattr", "with"}),
    "TypeError": frozenset({"call", "with", "subscript", "operator"}),
}


def _ints(node: cst.BaseExpression) -> Optional[Tuple[int, ...]]:
    if isinstance(node, cst.Integer):
        return (node.evaluated_value,)  # 0x10, 1_000: as Python reads them
    if isinstance(node, cst.Tuple):
        parts = [_ints(el.value) for el in node.elements]
        if parts and all(p is not None and len(p) == 1 for p in parts):
            return tuple(p[0] for p in parts if p is not None)
    return None


def _is_version_info(node: cst.BaseExpression, evaluator: Evaluator, scope: Scope) -> int:
    """How many leading fields of `sys.version_info` the expression exposes (0: it is not it)."""
    if isinstance(node, cst.Attribute) and node.attr.value == "major":
        return 1 if _is_version_info(node.value, evaluator, scope) else 0
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        inner = node.slice[0].slice
        if not _is_version_info(node.value, evaluator, scope):
            return 0
        if isinstance(inner, cst.Index) and isinstance(inner.value, cst.Integer):
            return 1 if inner.value.value == "0" else 0
        if isinstance(inner, cst.Slice) and inner.lower is None and inner.step is None:
            return 3
        return 0
    value = evaluator.expr(node, scope)
    return 3 if isinstance(value, Ref) and value.qname == "sys.version_info" else 0


def _bump(version: Tuple[int, ...]) -> Tuple[int, ...]:
    return (*version[:-1], version[-1] + 1)


_OPS = {cst.GreaterThanEqual: ">=", cst.GreaterThan: ">", cst.LessThan: "<", cst.LessThanEqual: "<="}
_MIRRORED = {">=": "<=", ">": "<", "<": ">", "<=": ">=", "==": "=="}
_NEGATED = {">=": "<", ">": "<=", "<": ">=", "<=": ">"}


def _compare(op: str, bound: Tuple[int, ...], fields: int) -> Range:
    """The versions for which `version_info OP bound` holds."""
    found = _compare_fields(op, bound[:1] if fields == 1 else bound)
    if found is EVERYTHING:
        return found
    low, high = found
    return (_pad(low), None if high is None else _pad(high))


def _pad(version: Tuple[int, ...]) -> Tuple[int, ...]:
    """`(3,)` as the rules write it, `(3, 0)`: as a tuple it sorts below, and would not prove 3.0."""
    return version + (0,) * (2 - len(version))


def _compare_fields(op: str, bound: Tuple[int, ...]) -> Range:
    if op == ">=":
        return (bound, None)
    if op == ">":  # 3.3.1 > (3, 3): only a one-field bound moves to the next release
        return (_bump(bound) if len(bound) == 1 else bound, None)
    if op == "<":
        return ((0,), bound)
    if op == "<=":
        return ((0,), _bump(bound))
    if op == "==" and len(bound) == 1:
        return (bound, _bump(bound))
    return EVERYTHING


def version_range(test: cst.BaseExpression, positive: bool, evaluator: Evaluator,
                  scope: Scope, depth: int = 0) -> Range:
    """The Python versions the test (or its negation) proves; EVERYTHING when it proves none."""
    if depth > 20:
        return EVERYTHING
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return version_range(test.expression, not positive, evaluator, scope, depth + 1)
    if isinstance(test, cst.BooleanOperation):
        if isinstance(test.operator, cst.And) == positive:  # `a and b` holds, `a or b` fails
            return _intersect(version_range(test.left, positive, evaluator, scope, depth + 1),
                              version_range(test.right, positive, evaluator, scope, depth + 1))
        return EVERYTHING
    if isinstance(test, cst.Name):
        owner = scope.resolve(test.value)
        bindings = owner.bindings.get(test.value, []) if owner else []
        if len(bindings) == 1 and bindings[0].how == "expr" and bindings[0].scope is not None:
            node = bindings[0].node
            if isinstance(node, cst.BaseExpression):
                return version_range(node, positive, evaluator, bindings[0].scope, depth + 1)
        return EVERYTHING
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return EVERYTHING
    target = test.comparisons[0]
    op = "==" if isinstance(target.operator, cst.Equal) else _OPS.get(type(target.operator), "")
    fields, bound = _is_version_info(test.left, evaluator, scope), _ints(target.comparator)
    if not fields:
        fields, bound = _is_version_info(target.comparator, evaluator, scope), _ints(test.left)
        op = _MIRRORED.get(op, "")
    if not (fields and bound and op):
        return EVERYTHING
    if not positive:
        op = _NEGATED.get(op, "")
    return _compare(op, bound, fields)


def _intersect(a: Range, b: Range) -> Range:
    low = max(a[0], b[0])
    highs = [h for h in (a[1], b[1]) if h is not None]
    return (low, min(highs) if highs else None)


def _hasattr_proves(test: cst.BaseExpression, positive: bool, use_node: cst.CSTNode) -> bool:
    """`hasattr(obj, "name")` in force proves `obj.name` exists (same spelling of obj)."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And) and positive:
        return (_hasattr_proves(test.left, positive, use_node)
                or _hasattr_proves(test.right, positive, use_node))
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _hasattr_proves(test.expression, not positive, use_node)
    if not positive or not isinstance(test, cst.Call) or len(test.args) != 2:
        return False
    if not (isinstance(test.func, cst.Name) and test.func.value == "hasattr"):
        return False
    obj, name = test.args[0].value, test.args[1].value
    if not isinstance(use_node, cst.Attribute) or not isinstance(name, cst.SimpleString):
        return False
    return (literal(name) == use_node.attr.value
            and cst.Module([]).code_for_node(obj) == cst.Module([]).code_for_node(use_node.value))


def _import_proves(test: cst.BaseExpression, positive: bool, use_node: cst.CSTNode,
                   scope: Scope, evaluator: Evaluator) -> bool:
    """`if module:` (or `module is not None`) where `try: import ... as module` falls back to
    `module = None` on ImportError proves the import worked, so `module.name` exists."""
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(
            test.comparisons[0].operator, cst.IsNot) and dotted(test.comparisons[0].comparator) \
            == "None":
        test = test.left
    if not positive or not isinstance(test, cst.Name) or not isinstance(use_node, cst.Attribute):
        return False
    if dotted(use_node.value) != test.value:
        return False
    owner = scope.resolve(test.value)
    bindings = owner.bindings.get(test.value, []) if owner else []
    imported = [b for b in bindings if b.how == "value" and isinstance(b.value, Ref)]
    nothing = [b for b in bindings if b.how == "expr" and isinstance(b.node, cst.Name)
               and b.node.value == "None"]
    return bool(imported) and bool(nothing) and len(imported) + len(nothing) == len(bindings)


def _try_catches(node: Union[cst.Try, cst.TryStar], scope: Scope) -> FrozenSet[UseKind]:
    """The kinds of use whose missing feature a handler of the `try` deals with."""
    kinds: FrozenSet[UseKind] = frozenset()
    for handler in node.handlers:
        if handler.type is None or _raises(handler.body):
            continue
        names = handler.type.elements if isinstance(handler.type, cst.Tuple) else None
        types = [el.value for el in names] if names is not None else [handler.type]
        for caught in types:
            if isinstance(caught, cst.Name) and scope.resolve(caught.value) is None:
                kinds |= _CATCHES.get(caught.value, frozenset())
    return kinds


def _raises(body: cst.BaseSuite) -> bool:
    """Whether a handler raises again (at its top level: not in a function it defines)."""
    if isinstance(body, cst.SimpleStatementSuite):  # `except E: raise`
        return any(isinstance(s, cst.Raise) for s in body.body)
    return any(isinstance(statement, cst.SimpleStatementLine)
               and any(isinstance(s, cst.Raise) for s in statement.body)
               for statement in body.body)


def guard_facts(guards: Tuple[Guard, ...], use_node: cst.CSTNode, use_kind: UseKind,
                evaluator: Evaluator) -> GuardFacts:
    """What the guards around a use prove, whatever rule it turns out to match."""
    low: Tuple[int, ...] = (0,)
    high: Optional[Tuple[int, ...]] = None
    proven = False
    catches: FrozenSet[RuleKind] = frozenset()
    for guard in guards:
        if guard.kind == "try":
            assert isinstance(guard.node, (cst.Try, cst.TryStar))
            if use_kind in _try_catches(guard.node, guard.scope):
                catches = frozenset(KINDS)
            continue
        assert isinstance(guard.node, cst.BaseExpression)
        proven = proven or _hasattr_proves(guard.node, guard.positive, use_node) or \
            _import_proves(guard.node, guard.positive, use_node, guard.scope, evaluator)
        low, high = _intersect((low, high), version_range(guard.node, guard.positive, evaluator,
                                                          guard.scope))
    return GuardFacts(low, high, proven, tuple(sorted(catches)))
