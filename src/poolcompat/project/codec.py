"""Summaries as JSON data, for the cache: every value, site and finding type by name.

JSON rather than pickle, so that a cache directory found in a checked-out tree can never run
code. Lists come back as tuples: the engine's values are frozen and compared by contents."""
from __future__ import annotations

import dataclasses
import hashlib
import sys
from typing import Any, Dict, List, Sequence, Tuple, Type

from poolcompat.engine.facts import GuardFacts
from poolcompat.engine.findings import FileResult, Finding
from poolcompat.engine.match import CallShape, Site
from poolcompat.engine.summary import CallRecord, Pending, Summary
from poolcompat.engine.values import (
    NONE, Bound, Classes, Either, Param, Elements, ExtClass, ExtFunc, Inst, Items, Later, Mapping,
    Partial, Ref, UserInst, Wrapped,
)
from poolcompat.table.platforms import PlatformSpan
from poolcompat.versions import Version

_RECORDS: Dict[str, Type[Any]] = {cls.__name__: cls for cls in (
    Ref, Classes, Inst, Bound, ExtClass, ExtFunc, UserInst, Elements, Items, Mapping, Partial,
    Wrapped, Later, Either, Site, CallShape, GuardFacts, Pending, Finding, CallRecord, Param,
    PlatformSpan,
)}


_NAMES: Dict[type, Tuple[str, ...]] = {}


def _fields(obj: Any) -> Tuple[Any, ...]:
    kind = type(obj)
    if kind not in _NAMES:
        _NAMES[kind] = tuple(f.name for f in dataclasses.fields(obj)) \
            if dataclasses.is_dataclass(obj) else ()
    names = _NAMES[kind]
    return tuple(getattr(obj, name) for name in names) if names else tuple(obj)


class Fingerprints:
    """Digests of values with each distinct object hashed once. A class's value holds those of
    its bases and attributes, shared by many exports: the JSON of each would spell the shared
    parts out again for every use (megabytes for a deep class hierarchy)."""

    def __init__(self) -> None:
        self._seen: Dict[int, Tuple[Any, str]] = {}  # the object too: its id stays its own

    def of(self, obj: Any, keep: bool = True) -> str:
        """`keep=False` for a value that only this caller holds (a file's set of modules): the
        memo would keep it alive to the end of the run; what it holds is remembered still."""
        if obj is None or isinstance(obj, (bool, int, float, str)):
            return repr(obj)
        seen = self._seen.get(id(obj))
        if seen is not None and seen[0] is obj:
            return seen[1]
        name = type(obj).__name__
        if obj is NONE or isinstance(obj, Version):
            parts = [name, repr(tuple(obj)) if isinstance(obj, Version) else ""]
        elif _RECORDS.get(name) is type(obj):
            parts = [name, *(self.of(value) for value in _fields(obj))]
        elif isinstance(obj, (list, tuple)):
            parts = ["[", *(self.of(item) for item in obj)]
        elif isinstance(obj, frozenset):
            parts = ["{", *sorted(self.of(item) for item in obj)]
        else:
            raise TypeError(f"cannot fingerprint {name}")
        text = hashlib.blake2b("\0".join(parts).encode(), digest_size=12).hexdigest()
        if keep:
            self._seen[id(obj)] = (obj, text)
        return text


_PRIMITIVES = (bool, int, float, str, type(None))


class Shared:
    """One object for each value that summaries repeat. Every importer's summary carries its
    own copy of the classes it imports, their bases and attributes: kept as they come from the
    workers, a run over 16,000 files held 113,736 `ExtFunc`s of which 15,943 differed."""

    def __init__(self) -> None:
        self._canonical: Dict[Tuple[Any, ...], Any] = {}

    def summary(self, summary: Summary) -> Summary:
        share = _Sharing(self._canonical)
        return dataclasses.replace(
            summary, findings=[share(found) for found in summary.findings],
            # A use's wrapper and positions are its own: only what it holds can repeat.
            pending=[Pending(share(waiting.site), share(waiting.value), waiting.spans,
                             share(waiting.facts)) for waiting in summary.pending],
            exports={sys.intern(name): share(value) for name, value in summary.exports.items()},
            calls=[share(record) for record in summary.calls],
            escapes=[share(value) for value in summary.escapes],
            params={key: share(value) for key, value in summary.params.items()})


class _Sharing:
    """One summary's pass: its objects are shared within it too, so each is looked at once."""

    def __init__(self, canonical: Dict[Tuple[Any, ...], Any]) -> None:
        self.canonical = canonical
        self._done: Dict[int, Tuple[Any, Any]] = {}  # id: (the object, its shared one)

    def __call__(self, obj: Any) -> Any:
        if isinstance(obj, str):
            return sys.intern(obj)
        if isinstance(obj, _PRIMITIVES) or obj is NONE:
            return obj
        done = self._done.get(id(obj))
        if done is not None and done[0] is obj:
            return done[1]
        kind = type(obj)
        if _RECORDS.get(kind.__name__) is kind:
            old = _fields(obj)
        elif isinstance(obj, (tuple, frozenset)) and not isinstance(obj, Version):
            old = tuple(obj)
        else:  # a `Version`, a list: as it is
            return obj
        parts = tuple(self(part) for part in old)
        # The parts are shared already: their ids tell them apart (and the types a part's
        # `True` from a `1`, either from an object's id).
        key = (kind, *(x for part in parts for x in (
            type(part), part if isinstance(part, _PRIMITIVES) else id(part))))
        shared = self.canonical.get(key)
        if shared is None:
            same = all(a is b for a, b in zip(old, parts))
            shared = obj if same else (kind(*parts) if kind not in (tuple, frozenset) else
                                       kind(parts))
            self.canonical[key] = shared
        self._done[id(obj)] = (obj, shared)
        return shared


class _Encoder:
    """Values as JSON with each record written once, in a table, and referred to by number
    (`{"#": n}`) wherever it recurs: a class's value holds its bases' and attributes', shared
    by many others, and written out as a tree they grew to megabytes per module. The table is
    in post-order, so a record only refers to ones before it."""

    def __init__(self) -> None:
        self.table: List[Any] = []
        self._index: Dict[int, int] = {}
        self._keep: List[Any] = []  # the objects numbered: their ids stay theirs

    def __call__(self, obj: Any) -> Any:
        if obj is None or isinstance(obj, (bool, int, float, str)):
            return obj
        if obj is NONE:
            return {"@": "NONE"}
        if isinstance(obj, Version):
            return {"@": "Version", "v": list(obj)}
        name = type(obj).__name__
        if _RECORDS.get(name) is type(obj):
            number = self._index.get(id(obj))
            if number is None:
                record = {"@": name, "v": [self(value) for value in _fields(obj)]}
                number = self._index[id(obj)] = len(self.table)
                self.table.append(record)
                self._keep.append(obj)
            return {"#": number}
        if isinstance(obj, (list, tuple)):
            return [self(item) for item in obj]
        if isinstance(obj, frozenset):
            return {"@": "frozenset", "v": sorted((self(item) for item in obj), key=repr)}
        raise TypeError(f"cannot encode {name} for the cache")


class _Decoder:
    def __init__(self, table: List[Any]) -> None:
        self.records: List[Any] = []
        for record in table:  # each refers only to earlier ones
            self.records.append(_RECORDS[record["@"]](*(self(value) for value in record["v"])))

    def __call__(self, data: Any) -> Any:
        if isinstance(data, list):
            return tuple(self(item) for item in data)
        if not isinstance(data, dict):
            return data
        if "#" in data:
            return self.records[data["#"]]
        tag = data["@"]
        if tag == "NONE":
            return NONE
        if tag == "Version":
            return Version(data["v"])
        if tag == "frozenset":
            return frozenset(self(item) for item in data["v"])
        raise ValueError(f"unknown record {tag!r} in the cache")


def encode_summary(summary: Summary) -> Dict[str, Any]:
    encode = _Encoder()
    data = {
        "path": summary.path, "module": summary.module, "error": summary.error,
        "findings": encode(summary.findings), "pending": encode(summary.pending),
        "exports": {name: encode(value) for name, value in summary.exports.items()},
        "noqa": {str(line): sorted(codes) for line, codes in summary.noqa.items()},
        "silenced": summary.silenced, "calls": encode(summary.calls),
        "escapes": encode(summary.escapes),
        "params": {key: encode(value) for key, value in summary.params.items()},
    }
    data["records"] = encode.table
    return data


def decode_summary(data: Dict[str, Any], path: str) -> Summary:
    """A cached summary, reported under `path` (as the run shows it now)."""
    decode = _Decoder(data["records"])
    findings = [dataclasses.replace(f, path=path) for f in decode(data["findings"])]
    return Summary(
        path, data["module"], data["error"], findings, list(decode(data["pending"])),
        {name: decode(value) for name, value in data["exports"].items()},
        {int(line): frozenset(codes) for line, codes in data["noqa"].items()},
        bool(data["silenced"]), list(decode(data["calls"])), list(decode(data["escapes"])),
        {key: decode(value) for key, value in data["params"].items()},
    )


def encode_results(results: Sequence[FileResult]) -> Dict[str, Any]:
    encode = _Encoder()
    files = [[result.path, result.error, encode(result.findings)] for result in results]
    return {"files": files, "records": encode.table}


def decode_results(data: Dict[str, Any]) -> List[FileResult]:
    decode = _Decoder(data["records"])
    return [FileResult(path, list(decode(findings)), error) for path, error, findings in data["files"]]
