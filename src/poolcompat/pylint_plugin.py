"""pylint plugin: `load-plugins=poolcompat.pylint_plugin`.

One message per rule family (`W9301` … `W9309`), each naming the PCP code; the target is
pylint's own `py-version`. Each file is judged in its project's context, as `poolcompat check`
on the whole tree judges it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Tuple

from pylint.checkers import BaseRawFileChecker

from poolcompat.plugins import read, reportable
from poolcompat.report.target import Target
from poolcompat.versions import Version

if TYPE_CHECKING:
    from astroid import nodes  # type: ignore[import-untyped]
    from pylint.lint import PyLinter

FAMILIES: Dict[str, Tuple[str, str, str]] = {
    "PCP1": ("W9301", "pool-api-too-new", "a pool or executor method or module function"),
    "PCP2": ("W9302", "pool-argument-too-new", "an argument of a pool API"),
    "PCP3": ("W9303", "pool-context-manager-too-new", "a pool used as a context manager"),
    "PCP4": ("W9304", "pool-start-method-too-new", "a context or start method API"),
    "PCP5": ("W9305", "multiprocessing-api-too-new", "another multiprocessing API"),
    "PCP6": ("W9306", "pool-portability-pitfall", "a portability pitfall"),
    "PCP9": ("W9309", "pool-module-too-new", "a module import"),
}


class PoolcompatChecker(BaseRawFileChecker):
    name = "poolcompat"
    msgs = {
        code: ("%s", symbol, f"Used when {what} does not exist on the configured py-version "
                             "(or stopped working before the newest one). Run `poolcompat explain "
                             "PCPnnn` for the rule.")
        for code, symbol, what in FAMILIES.values()
    }

    def process_module(self, node: "nodes.Module") -> None:
        target = Target(Version(getattr(self.linter.config, "py_version", (3, 0))))
        with node.stream() as stream:
            source = stream.read()
        path = node.file or "<unknown>"
        for f in reportable(source if isinstance(source, bytes) else read(path), path, target):
            code = FAMILIES[f.code[:4]][0]
            self.add_message(code, line=f.line, col_offset=f.column - 1,
                             args=(f"{f.code} {f.message}",))


def register(linter: "PyLinter") -> None:
    linter.register_checker(PoolcompatChecker(linter))
