"""The checked project's own modules: their dotted names and what each one exports that is a pool.

Checking a directory is two passes. The first checks every file alone and summarises, per module,
the names that are pools, pool factories, pool subclasses or re-exported stdlib names. The second
re-checks only the files that import a module with such exports, now with the summaries in hand.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Dict, Iterable, Mapping, Optional, Tuple

from poolcompat._values import Value

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
    if level - 1 > len(parts):
        return ""
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, name] if name else base)


@dataclass(frozen=True)
class Context:
    """What one file's check knows about the rest of the project. Hashable: part of cache keys."""

    module: str = ""
    is_package: bool = False
    local: frozenset[str] = frozenset()  # top-level names of the project's own modules
    exports: Tuple[Tuple[str, Value], ...] = ()

    @property
    def exported(self) -> Dict[str, Value]:
        return dict(self.exports)


@dataclass
class Project:
    modules: Dict[str, str] = field(default_factory=dict)  # module name -> path
    packages: Dict[str, bool] = field(default_factory=dict)

    @classmethod
    def of(cls, paths: Iterable[str]) -> "Project":
        project = cls()
        for path in paths:
            name, is_package = module_name(path)
            if name:
                project.modules.setdefault(name, path)
                project.packages[path] = is_package
        return project

    @property
    def tops(self) -> frozenset[str]:
        return frozenset(name.partition(".")[0] for name in self.modules)

    def context(self, path: str, exports: Optional[Exports] = None) -> Context:
        name, is_package = module_name(path)
        return Context(name, is_package, self.tops, tuple(sorted((exports or {}).items(),
                                                                 key=lambda item: item[0])))
