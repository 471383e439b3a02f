"""What one file's check knows of the rest of the project (picklable, for the workers)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, Tuple

from poolcompat.engine.values import Value
from poolcompat.reading.mentions import Tracked


@dataclass(frozen=True)
class Context:
    """Where a file sits in the checked project, and what it may take from the project's other
    modules: the settled values of the names they export (those checked before it), and the
    modules checked along with it (an import cycle), whose names stay `Later` until the link.
    A module's summary depends on its bytes and this alone."""

    module: str = ""
    is_package: bool = False
    local: FrozenSet[str] = frozenset()  # top-level names of the project's own modules
    exports: Tuple[Tuple[str, Value], ...] = ()  # `pkg.workers.SHARED` -> Inst(...)
    later: FrozenSet[str] = frozenset()  # modules whose names are not known yet
    modules: FrozenSet[str] = frozenset()  # the project's modules this file may refer to
    awaiting: FrozenSet[str] = frozenset()  # their functions whose parameters callers decide

    @property
    def known(self) -> Dict[str, Value]:
        return dict(self.exports)

    def tracked(self, packages: Iterable[str], rule_names: FrozenSet[str]) -> Tracked:
        """The imports a skeleton of the file keeps statements for."""
        exported = frozenset({*(qname for qname, _ in self.exports), *self.awaiting})
        exporting = {qname.rpartition(".")[0] for qname in exported}
        opened = frozenset({*packages, *self.later})
        return Tracked(frozenset({*opened, *exporting}), self.module, self.is_package,
                       rule_names, exported, opened)
