"""Summaries as JSON data, for the cache: every value, site and finding type by name.

JSON rather than pickle, so that a cache directory found in a checked-out tree can never run
code. Lists come back as tuples: the engine's values are frozen and compared by contents."""
from __future__ import annotations

import dataclasses
from typing import Any, Dict, Tuple, Type

from poolcompat.engine.facts import GuardFacts
from poolcompat.engine.findings import Finding
from poolcompat.engine.match import CallShape, Site
from poolcompat.engine.summary import CallRecord, Pending, Summary
from poolcompat.engine.values import (
    NONE, Bound, Classes, Either, Param, Elements, ExtClass, ExtFunc, Inst, Items, Later, Mapping,
    Partial, Ref, UserInst, Wrapped,
)
from poolcompat.versions import Version

_RECORDS: Dict[str, Type[Any]] = {cls.__name__: cls for cls in (
    Ref, Classes, Inst, Bound, ExtClass, ExtFunc, UserInst, Elements, Items, Mapping, Partial,
    Wrapped, Later, Either, Site, CallShape, GuardFacts, Pending, Finding, CallRecord, Param,
)}


def _fields(obj: Any) -> Tuple[Any, ...]:
    if dataclasses.is_dataclass(obj):
        return tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))
    return tuple(obj)


def encode(obj: Any) -> Any:
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if obj is NONE:
        return {"@": "NONE"}
    if isinstance(obj, Version):
        return {"@": "Version", "v": list(obj)}
    name = type(obj).__name__
    if _RECORDS.get(name) is type(obj):
        return {"@": name, "v": [encode(value) for value in _fields(obj)]}
    if isinstance(obj, (list, tuple)):
        return [encode(item) for item in obj]
    if isinstance(obj, frozenset):
        return {"@": "frozenset", "v": sorted(encode(item) for item in obj)}
    raise TypeError(f"cannot encode {name} for the cache")


def decode(data: Any) -> Any:
    if isinstance(data, list):
        return tuple(decode(item) for item in data)
    if not isinstance(data, dict):
        return data
    tag = data["@"]
    if tag == "NONE":
        return NONE
    if tag == "Version":
        return Version(data["v"])
    if tag == "frozenset":
        return frozenset(decode(item) for item in data["v"])
    return _RECORDS[tag](*(decode(value) for value in data["v"]))


def encode_summary(summary: Summary) -> Dict[str, Any]:
    return {
        "path": summary.path, "module": summary.module, "error": summary.error,
        "findings": encode(summary.findings), "pending": encode(summary.pending),
        "exports": {name: encode(value) for name, value in summary.exports.items()},
        "noqa": {str(line): sorted(codes) for line, codes in summary.noqa.items()},
        "silenced": summary.silenced, "calls": encode(summary.calls),
        "escapes": encode(summary.escapes),
        "params": {key: encode(value) for key, value in summary.params.items()},
    }


def decode_summary(data: Dict[str, Any], path: str) -> Summary:
    """A cached summary, reported under `path` (as the run shows it now)."""
    findings = [dataclasses.replace(f, path=path) for f in decode(data["findings"])]
    return Summary(
        path, data["module"], data["error"], findings, list(decode(data["pending"])),
        {name: decode(value) for name, value in data["exports"].items()},
        {int(line): frozenset(codes) for line, codes in data["noqa"].items()},
        bool(data["silenced"]), list(decode(data["calls"])), list(decode(data["escapes"])),
        {key: decode(value) for key, value in data["params"].items()},
    )
