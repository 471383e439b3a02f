"""The checked project's own modules: their dotted names and what each exports that is a pool.

Checking several files is two passes. The first checks every file alone and summarises, per
module, the names that are pools, pool factories, pool subclasses or re-exported stdlib names.
The second re-checks only the files that may import such a module, with the summaries in hand
(repeated while re-exports reveal more). One file checked alone says nothing it cannot prove.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Dict, Iterable, Optional, Tuple

from poolcompat.engine.context import Context, Exports


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


