"""The keys a `**mapping` argument certainly passes: a dict literal with string keys, or a name
bound once to one or to `dict(key=...)`, which later only grows (`.update(...)`,
`.setdefault(...)`, `name[key] = ...`: keys are added, or their values replaced, never
removed). A name also read as `.pop`, `.popitem` or `.clear` may lose keys: nothing is certain."""
from __future__ import annotations

from typing import Dict, Optional

import libcst as cst

from poolcompat.engine.params import References
from poolcompat.engine.syntax import literal
from poolcompat.engine.values import Scope

_SHRINKS = ("pop", "popitem", "clear")


def literal_keywords(node: cst.BaseExpression, scope: Scope,
                     references: References) -> Optional[Dict[str, cst.CSTNode]]:
    """The keys of `**{"k": v}`, `**name` (see the module's docstring); None when unknowable."""
    if isinstance(node, cst.Name):
        owner = scope.resolve(node.value)
        bindings = owner.bindings.get(node.value, []) if owner else []
        made = [b for b in bindings if b.how != "add"]
        if len(made) != 1 or made[0].how != "expr" or made[0].scope is None or owner is None:
            return None
        if _shrinks(node.value, owner, references):
            return None
        target = made[0].node
        spelled: Optional[Dict[str, cst.CSTNode]] = None
        if isinstance(target, cst.Dict):
            spelled = literal_keywords(target, made[0].scope, references)
        elif isinstance(target, cst.Call):
            spelled = _dict_call(target, made[0].scope)
        return None if spelled is None else dict.fromkeys(spelled, node)  # report at `**name`
    if not isinstance(node, cst.Dict):
        return None
    keys: Dict[str, cst.CSTNode] = {}
    for element in node.elements:
        if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
            return None
        name = literal(element.key)
        if not isinstance(name, str):
            return None
        keys[name] = element.key
    return keys


def _dict_call(call: cst.Call, scope: Scope) -> Optional[Dict[str, cst.CSTNode]]:
    """`dict(processes=n)` (the builtin, keywords only): its keys."""
    if not (isinstance(call.func, cst.Name) and call.func.value == "dict"
            and scope.resolve("dict") is None):
        return None
    if any(arg.keyword is None for arg in call.args):
        return None
    return {arg.keyword.value: arg.keyword for arg in call.args if arg.keyword is not None}


def _shrinks(name: str, owner: Scope, references: References) -> bool:
    """Whether the name is read somewhere as `name.pop` (or another method that drops keys)."""
    for method in _SHRINKS:
        for node, scope, _ in references.loads.get(method, ()):
            if (isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)
                    and node.value.value == name and scope.resolve(name) is owner):
                return True
    return False
