"""Star imports by version: what `from module import *` binds on each Python (`rules/star.toml`).

A module's `__all__` decides what a star import binds; where a module has no `__all__`, its public
names do. The data is derived from typeshed's `__all__` gates (`python -m poolcompat.table.typeshed
--write`) and checked on the interpreters by `tests/test_star.py`."""
from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from poolcompat._toml import tomllib
from poolcompat.table.stubs import FLOOR, Span, walk
from poolcompat.versions import Version, format_version, parse_version

STAR = "star.toml"
Bound = Tuple[Version, Optional[Version]]  # first version a star import binds it, first it no longer does
_MODULE = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


class StarError(Exception):
    """`rules/star.toml` is invalid; the message names the module and the name."""


def load_star_spans(directory: Path) -> Dict[str, Dict[str, Bound]]:
    """module -> name -> (first version bound, first version no longer bound or None)."""
    path = directory / STAR
    if not path.is_file():
        return {}
    raw = tomllib.loads(path.read_text(encoding="utf-8")).get("module", {})
    table: Dict[str, Dict[str, Bound]] = {}
    for module, names in raw.items():
        if not _MODULE.fullmatch(module) or not isinstance(names, dict):
            raise StarError(f"{STAR}: [module.{module!r}] must be a dotted module name holding names")
        table[module] = {}  # an empty `__all__` binds nothing, and says so
        for name, value in names.items():
            where = f"{STAR}: {module}.{name}"
            if not name.isidentifier():
                raise StarError(f"{where}: not an identifier")
            added, removed = (value, None) if isinstance(value, str) else (
                value.get("added"), value.get("removed")) if isinstance(value, dict) else (None, None)
            try:
                first = parse_version(str(added))
                until = parse_version(str(removed)) if removed is not None else None
            except ValueError as exc:
                raise StarError(f"{where}: {exc}") from None
            if until is not None and until <= first:
                raise StarError(f"{where}: removed {removed} is not after added {added}")
            table[module][name] = (first, until)
    return table


def load_star(directory: Path) -> Dict[str, Dict[str, Version]]:
    """module -> name -> the first version whose `from module import *` binds the name."""
    return {module: {name: bound[0] for name, bound in names.items()}
            for module, names in load_star_spans(directory).items()}


# ---- reading `__all__` from a stub -----------------------------------------------------------

def _strings(node: Optional[ast.AST]) -> Optional[List[str]]:
    if isinstance(node, (ast.List, ast.Tuple)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return None


def has_all(source: str) -> bool:
    return any(d.scope == "" and d.name == "__all__" for d in walk(ast.parse(source).body, ""))


def exports(module: str, source: str) -> Dict[str, List[Span]]:
    """What `from module import *` binds per the stub: name -> the spans it is bound on. That is
    `__all__` where the stub defines it, else the module's public names."""
    steps = []
    public: Dict[str, List[Span]] = {}
    for d in walk(ast.parse(source).body, module):
        if d.scope != module:
            continue
        if d.name == "__all__":
            node = d.node
            assert isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign))
            names = _strings(node.value)
            if names is not None:
                steps.append((d.span, isinstance(node, ast.AugAssign), names))
        elif not d.name.startswith("_"):
            public.setdefault(d.name, []).append(d.span)
    spans = [s for s, _, _ in steps] + [s for found in public.values() for s in found]
    cuts = sorted({FLOOR} | {s[0] for s in spans} | {s[1] for s in spans if s[1]})
    held: Dict[str, List[Span]] = {}
    for index, at in enumerate(cuts):
        current: Optional[List[str]] = None
        for (first, until), extend, names in steps:
            if first <= at and (until is None or at < until):
                current = (current or []) + names if extend else list(names)
        until = cuts[index + 1] if index + 1 < len(cuts) else None
        if current is None:  # no `__all__` on these versions: every public name defined there
            current = [n for n, found in public.items() if any(_meets(s, (at, until)) for s in found)]
        for name in current:
            held.setdefault(name, []).append((at, until))
    return held


def _meets(a: Span, b: Span) -> bool:
    return (a[1] is None or b[0] < a[1]) and (b[1] is None or a[0] < b[1])


# ---- several copies into one table --------------------------------------------------------------

def derive(copies: Sequence[Tuple[Version, Dict[str, str]]],
           baseline: Dict[str, Version]) -> Dict[str, Dict[str, Bound]]:
    """One table from several typeshed copies, oldest first: (floor, {module: stub source}).
    Each copy speaks for the versions from its floor to the next copy's (the oldest also below
    its floor, the newest for all later ones); only copies whose stub has `__all__` speak for a
    module. A name bound from the start gets its module's `baseline` version."""
    modules = sorted({m for _, stubs in copies for m, src in stubs.items() if has_all(src)})
    table: Dict[str, Dict[str, Bound]] = {}
    for module in modules:
        speakers = [(floor, exports(module, stubs[module])) for floor, stubs in copies
                    if module in stubs and has_all(stubs[module])]
        starts = [FLOOR] + [floor for floor, _ in speakers[1:]]
        ends: List[Optional[Version]] = [floor for floor, _ in speakers[1:]] + [None]
        samples = sorted({max(v, baseline.get(module, FLOOR)) for (_, held), start, end
                          in zip(speakers, starts, ends)
                          for v in [start] + [s for spans in held.values() for edge in spans
                                              for s in edge if s is not None]
                          if v >= start and (end is None or v < end)})
        names: Dict[str, Bound] = {}
        for index, at in enumerate(samples):
            speaker = next(held for (_, held), start, end in zip(speakers, starts, ends)
                           if at >= start and (end is None or at < end))
            for name, spans in speaker.items():
                if any(a <= at and (b is None or at < b) for a, b in spans):
                    names.setdefault(name, (at, None))
            for name, (first, until) in list(names.items()):
                gone = name not in speaker or not any(
                    a <= at and (b is None or at < b) for a, b in speaker[name])
                if gone and until is None and first < at:
                    names[name] = (first, at)
        table[module] = names
    return table


def render(table: Dict[str, Dict[str, Bound]], header: str) -> str:
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    for module in sorted(table):
        lines += ["", f'[module."{module}"]']
        for name, (first, until) in sorted(table[module].items()):
            value = f'"{format_version(first)}"' if until is None else (
                f'{{ added = "{format_version(first)}", removed = "{format_version(until)}" }}')
            lines.append(f"{name} = {value}")
    return "\n".join(lines) + "\n"
