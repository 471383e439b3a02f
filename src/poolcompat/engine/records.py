"""What a module tells the rest of the project about the calls it makes to other modules'
functions and classes (so that their unannotated parameters can be what every caller passes),
and about the other modules' functions it uses without calling them (whose parameters, then,
nobody in the project can vouch for)."""
from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from poolcompat.engine.evaluate import Evaluator
from poolcompat.engine.params import CALLS_BACK, References
from poolcompat.engine.summary import CallRecord, Portable
from poolcompat.engine.values import Bound, Either, ExtClass, ExtFunc, Later, Scope, Value


def _foreign(value: Value) -> bool:
    """A function or class of another module of the project, by name (`helpers.make_pool`),
    not a value met along the way (a method of a parameter)."""
    if isinstance(value, Later):
        return isinstance(value.root, str) and not value.root.startswith("param:") and all(
            kind == "attr" for kind, _ in value.ops)
    return isinstance(value, (ExtFunc, ExtClass))


def calls(references: References, evaluator: Evaluator,
          portable: Portable) -> Tuple[List[CallRecord], List[Value]]:
    """The module's calls of other modules' functions, and its other uses of them."""
    found: List[CallRecord] = []
    registered: set[int] = set()
    for sites in references.calls.values():
        for call, scope in sites:
            callee = evaluator.expr(call.func, scope)
            if _foreign(callee):
                found.append(_record(call, callee, scope, evaluator, portable))
            found += _callback(call, scope, evaluator, portable, registered)
    escapes: List[Value] = []
    for loads in references.loads.values():
        for node, scope, _ in loads:
            if (not isinstance(node, cst.Name) or id(node) in references.callees
                    or id(node) in registered):
                continue
            value = evaluator.expr(node, scope)
            if _foreign(value) and not isinstance(value, ExtClass):
                escapes.append(portable.value(value))
    return found, escapes


def _arguments(call: cst.Call, scope: Scope, evaluator: Evaluator,
               portable: Portable) -> Tuple[Tuple[Value, ...], Tuple[Tuple[str, Value], ...], bool]:
    args = list(call.args)
    positional: List[Value] = []
    keywords: List[Tuple[str, Value]] = []
    starred = False
    for arg in args:
        if arg.star:
            starred = True
        elif arg.keyword is not None:
            keywords.append((arg.keyword.value, portable.value(
                evaluator.argument(arg.value, scope, call))))
        elif not starred:
            positional.append(portable.value(evaluator.argument(arg.value, scope, call)))
    return tuple(positional), tuple(keywords), starred


def _record(call: cst.Call, callee: Value, scope: Scope, evaluator: Evaluator,
            portable: Portable) -> CallRecord:
    owner: Value = None
    if isinstance(call.func, cst.Attribute):
        owner = portable.value(evaluator.expr(call.func.value, scope))
    positional, keywords, starred = _arguments(call, scope, evaluator, portable)
    return CallRecord(portable.value(callee), owner, positional, keywords, starred)


def _callback(call: cst.Call, scope: Scope, evaluator: Evaluator, portable: Portable,
              registered: set[int]) -> List[CallRecord]:
    """`future.add_done_callback(other.handle)` calls `handle(future)`; through
    `functools.partial(other.handle, a)` it calls `handle(a, future)`."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value in CALLS_BACK and call.args):
        return []
    subject = evaluator.expr(func.value, scope)
    if not isinstance(evaluator.attribute(subject, func.attr.value), (Bound, Later, Either)):
        return []
    given, target = _unwrap(call.args[0].value, scope, evaluator)
    callee = evaluator.expr(target, scope)
    if not _foreign(callee):
        return []
    registered.add(id(target))
    owner: Optional[Value] = None
    if isinstance(target, cst.Attribute):
        owner = evaluator.expr(target.value, scope)
    values = tuple(portable.value(v) for v in [*given, subject])
    return [CallRecord(portable.value(callee), portable.value(owner), values)]


def _unwrap(node: cst.BaseExpression, scope: Scope,
            evaluator: Evaluator) -> Tuple[List[Value], cst.BaseExpression]:
    """`partial(f, a, b)`: the arguments it fixes, and f."""
    if isinstance(node, cst.Call) and node.args and evaluator.passthrough(
            evaluator.expr(node.func, scope)) == "partial":
        given = [evaluator.expr(a.value, scope) for a in node.args[1:]
                 if a.keyword is None and not a.star]
        return given, node.args[0].value
    return [], node
