"""Exported values as JSON data, for the cache."""
from __future__ import annotations

from typing import Any

from poolcompat.engine.values import NONE, Elements, ExtClass, ExtFunc, Inst, Ref, UserInst, Value


def encode(value: Value) -> Any:
    """An exported value as JSON data, for the cache."""
    if isinstance(value, Ref):
        return ["ref", value.qname]
    if isinstance(value, Inst):
        return ["inst", value.cls]
    if isinstance(value, ExtClass):
        return ["class", value.base, sorted(value.defined)]
    if isinstance(value, UserInst) and isinstance(value.cls, ExtClass):
        return ["obj", encode(value.cls)]
    if isinstance(value, ExtFunc):
        return ["func", encode(value.result)]
    if isinstance(value, Elements):
        return ["items", encode(value.item)]
    return ["none"]


def decode(data: Any) -> Value:
    tag = data[0]
    if tag == "ref":
        return Ref(data[1])
    if tag == "inst":
        return Inst(data[1])
    if tag == "class":
        return ExtClass(data[1], frozenset(data[2]))
    if tag == "obj":
        cls = decode(data[1])
        return UserInst(cls) if isinstance(cls, ExtClass) else None
    if tag == "func":
        return ExtFunc(decode(data[1]))
    if tag == "items":
        return Elements(decode(data[1]))
    return NONE
