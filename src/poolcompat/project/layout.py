"""The checked project's own modules: the dotted name each file is imported under, and the
project's top-level names (whose imports are followed, not taken for third-party code)."""
from __future__ import annotations

import os
import sys
import sysconfig
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, Tuple

from poolcompat.engine.context import Context


@lru_cache(maxsize=4096)
def _package_parts(directory: str) -> Tuple[str, ...]:
    """The dotted package a directory is, from the `__init__.py` files above it (or ())."""
    if not os.path.isfile(os.path.join(directory, "__init__.py")):
        return ()
    parent, name = os.path.split(directory)
    return (*_package_parts(parent), name) if parent != directory else (name,)


def module_name(path: str) -> Tuple[str, bool]:
    """The dotted name a file is imported under, and whether it is a package's `__init__`."""
    directory, filename = os.path.split(os.path.abspath(path))
    stem = filename[:-3] if filename.endswith(".py") else filename
    is_package = stem == "__init__"
    parts = _package_parts(directory)
    return ".".join(parts if is_package else (*parts, stem)), is_package


@lru_cache(maxsize=1)
def _stdlib() -> FrozenSet[str]:
    """The standard library's top-level module names (the running Python's)."""
    names = getattr(sys, "stdlib_module_names", None)  # Python 3.10+
    if names is not None:
        return frozenset(names)
    directory = sysconfig.get_paths()["stdlib"]  # pragma: no cover (Python 3.9)
    return frozenset({*sys.builtin_module_names, *(  # pragma: no cover
        entry[:-3] if entry.endswith(".py") else entry for entry in os.listdir(directory))})


@dataclass
class Project:
    """The modules of a run. A package named like a tracked one (a `multiprocessing/` directory)
    is taken for a copy of the stdlib's, as when checking CPython's `Lib/`; a single file named
    so (`multiprocessing.py`) shadows the stdlib for the project's absolute imports. Any other
    module named like the stdlib's (a test's `functools.py` in a folder that is no package) is
    the project's own only in such a copy: elsewhere `import functools` means the stdlib's, as
    it does at run time (and a run over several projects gave one project's data file to all)."""

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
        copied = copies & set(packages)
        stdlib = set() if copied else _stdlib() - set(packages)
        project.local = frozenset(tops - copied - stdlib)
        return project

    def context(self, path: str) -> Context:
        name, is_package = module_name(path)
        return Context(name if name.partition(".")[0] in self.local else "", is_package,
                       self.local)
