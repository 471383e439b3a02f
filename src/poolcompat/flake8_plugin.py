"""flake8 plugin: `PCPnnn` for pool API uses that fail on the target Python.

The target is `--poolcompat-target-version` (or `poolcompat-target-version` in flake8's config),
else the CLI's pyproject discovery; with no target at all, findings above their module's
baseline (3.0 for multiprocessing, 3.2 for concurrent.futures). flake8 handles `# noqa` itself.
"""
from __future__ import annotations

import ast
from typing import Any, Iterator, List, Optional, Tuple, Type

from poolcompat._meta import __version__
from poolcompat.plugins import parse_flag, project_target, read, reportable


class Plugin:
    name = "poolcompat"
    version = __version__
    target: Optional[str] = None

    def __init__(self, tree: ast.AST, lines: List[str], filename: str = "stdin") -> None:
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        manager.add_option(
            "--poolcompat-target-version", parse_from_config=True, default=None,
            help="Oldest Python the code must run on (3.8, py38) or a range 3.8-3.13.",
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        cls.target = options.poolcompat_target_version

    def run(self) -> Iterator[Tuple[int, int, str, Type["Plugin"]]]:
        low, high = parse_flag(self.target) if self.target else project_target(self.filename)
        source = read(self.filename, self.lines)
        for f in reportable(source, self.filename, low, high):
            yield f.line, f.column - 1, f"{f.code} {f.message}", type(self)
