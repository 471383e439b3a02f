"""What one file's check knows of the rest of the project (picklable, for the workers)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Mapping, Tuple

from poolcompat.engine.values import Value

Exports = Mapping[str, Value]  # qualified name (module.name) -> what it is


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
