"""The checked project's own modules: their dotted names and what each exports that is a pool.

Checking several files is two passes. The first checks every file alone and summarises, per
module, the names that are pools, pool factories, pool subclasses or re-exported stdlib names.
The second re-checks only the files that may import such a module, with the summaries in hand
(repeated while re-exports reveal more). One file checked alone says nothing it cannot prove.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Tuple

from poolcompat._values import (
    NONE, Elements, ExtClass, ExtFunc, Inst, Ref, UserClass, UserFunc, UserInst, Value,
)

if TYPE_CHECKING:
    from poolcompat._evaluate import Evaluator
    from poolcompat._scopes import Scope

Exports = Mapping[str, Value]  # qualified name (module.name) -> what it is


def module_name(path: str) -> Tuple[str, bool]:
    """The dotted name a file is imported under, from the `__init__.py` files above it."""
    directory, filename = os.path.split(os.path.abspath(path))
    stem = filename[:-3] if filename.endswith(".py") else filename
    is_package = stem == "__init__"
    parts = [] if is_package else [stem]
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, package = os.path.split(directory)
        parts.insert(0, package)
    return ".".join(parts), is_package


def absolute(module: str, is_package: bool, level: int, name: str) -> str:
    """Resolve `from {'.' * level}{name} import ...` inside `module`; "" if it climbs too high."""
    if level == 0:
        return name
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    if level - 1 > len(parts) or not parts:
        return ""
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, name] if name else base)


@dataclass(frozen=True)
class Context:
    """What one file's check knows of the rest of the project (picklable, for the workers)."""

    module: str = ""
    is_package: bool = False
    local: frozenset[str] = frozenset()  # top-level names of the project's own modules
    modules: frozenset[str] = frozenset()
    exports: Tuple[Tuple[str, Value], ...] = ()

    @property
    def exported(self) -> Dict[str, Value]:
        return dict(self.exports)

    @property
    def needles(self) -> Tuple[str, ...]:
        """Module names an import of an exporting module mentions (for the byte gate)."""
        names = {qname.rsplit(".", 2)[-2] for qname, _ in self.exports if "." in qname}
        return tuple(sorted(names))


@dataclass
class Project:
    """The modules of a run. A package named like a tracked one (a `multiprocessing/` directory)
    is taken for a copy of the stdlib's, as when checking CPython's `Lib/`; a single file named
    so (`multiprocessing.py`) shadows the stdlib for the project's absolute imports."""

    modules: Dict[str, str] = field(default_factory=dict)  # module name -> path
    local: frozenset[str] = frozenset()

    @classmethod
    def of(cls, paths: Iterable[str], packages: Iterable[str]) -> "Project":
        project = cls()
        copies = set()
        for path in paths:
            name, is_package = module_name(path)
            if name:
                project.modules.setdefault(name, path)
                if "." in name or is_package:
                    copies.add(name.partition(".")[0])
        tops = {m.partition(".")[0] for m in project.modules}
        project.local = frozenset(tops - (copies & set(packages)))
        return project

    def context(self, path: str, exports: Optional[Exports] = None) -> Context:
        name, is_package = module_name(path)
        return Context(name if name.partition(".")[0] in self.local else "", is_package,
                       self.local, frozenset(self.modules),
                       tuple(sorted((exports or {}).items(), key=lambda item: item[0])))


def _portable(value: Value, evaluator: "Evaluator", packages: Tuple[str, ...],
              depth: int = 0) -> Value:
    """The part of a value another module can use: no libcst nodes, only what is tracked."""
    if depth > 5:
        return None
    model = evaluator.model
    if isinstance(value, Ref):  # a re-exported pool class or factory (not every constant)
        return value if value.qname in model.classes or value.qname in model.returns else None
    if isinstance(value, Inst):  # pools, executors, managers: what a `with` or a method needs
        return value if evaluator.stdlib_enter(value.cls) == "self" else None
    if isinstance(value, (ExtClass, ExtFunc)):
        return value
    if isinstance(value, UserClass):
        base = evaluator.stdlib_base(value)
        return ExtClass(base, frozenset(evaluator.user_defined(value))) if base else None
    if isinstance(value, UserInst):
        cls = _portable(value.cls, evaluator, packages, depth + 1)
        return UserInst(cls) if isinstance(cls, ExtClass) else None
    if isinstance(value, UserFunc):
        result = _portable(evaluator.call(value), evaluator, packages, depth + 1)
        return ExtFunc(result) if result is not None else None
    if isinstance(value, Elements):
        item = _portable(value.item, evaluator, packages, depth + 1)
        return Elements(item) if item is not None else None
    return None


def summarize(module: str, scope: "Scope", evaluator: "Evaluator",
              packages: Tuple[str, ...]) -> Dict[str, Value]:
    """What a module exports that another module's check can use."""
    if not module:
        return {}
    found: Dict[str, Value] = {}
    for name in scope.bindings:
        value = _portable(evaluator.name(name, scope), evaluator, packages)
        if value is not None:
            found[f"{module}.{name}"] = value
    return found


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
