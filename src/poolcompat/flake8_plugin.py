"""flake8 plugin: `PCPnnn` for pool API uses that fail on the target Python.

The target is `--poolcompat-target-version` (or `poolcompat-target-version` in flake8's config),
else the CLI's pyproject discovery; with no target at all, findings above their module's
baseline (3.0 for multiprocessing, 3.2 for concurrent.futures) and calls that never work.
Each file is judged in its project's context, as `poolcompat check` on the whole tree judges
it. flake8 handles `# noqa` itself.
"""
from __future__ import annotations

import ast
import os
import sys
from typing import Any, Iterator, List, Optional, Tuple, Type

from poolcompat._meta import __version__
from poolcompat.plugins import (
    PluginError, checked_target, parse_flag, project_target, read, reportable,
)
from poolcompat.report.target import Target

OPTION = "--poolcompat-target-version"


def _refuse(error: PluginError) -> None:
    """One line and flake8's usage-error status: a bad target must not pass in silence."""
    print(f"flake8: poolcompat: {error}", file=sys.stderr)
    raise SystemExit(2)


class Plugin:
    name = "poolcompat"
    version = __version__
    target: Optional[Target] = None

    def __init__(self, tree: ast.AST, lines: List[str], filename: str = "stdin") -> None:
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        manager.add_option(
            OPTION, parse_from_config=True, default=None,
            help="Oldest Python the code must run on (3.8, py38) or a range 3.8-3.13.",
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        try:
            cls.target = parse_flag(options.poolcompat_target_version, OPTION)
            if cls.target is None:
                checked_target(os.getcwd())  # a broken pyproject.toml is said once, here
        except PluginError as error:
            _refuse(error)

    def run(self) -> Iterator[Tuple[int, int, str, Type["Plugin"]]]:
        target = self.target or project_target(self.filename)
        source = read(self.filename, self.lines)
        for f in reportable(source, self.filename, target):
            yield f.line, f.column - 1, f"{f.code} {f.message}", type(self)
