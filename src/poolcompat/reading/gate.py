"""The cheap gate before libcst: a file whose bytes cannot hold a relevant use is never parsed.

Every finding hangs off a name imported from a tracked package (or, across the project, from a
module that exports a pool), so a file needs an import statement naming one. The pattern is
looser than Python (it also fires inside strings and comments), never tighter: it follows
backslash continuations, parenthesised name lists (the module comes first), `;` and
one-line compound statements (`if x: import y`).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Pattern

DEFAULT_MODULES = ("multiprocessing", "concurrent")


@lru_cache(maxsize=32)
def _pattern(modules: tuple[str, ...]) -> Pattern[bytes]:
    names = b"|".join(re.escape(m.encode()) for m in sorted(set(modules)))
    return re.compile(
        rb"(?:^(?:\xef\xbb\xbf)?|[;:])[ \t]*(?:from|import)\b"  # a BOM may open the file
        rb"(?:[^\n\\;#]|\\.|\\\n)*?\b(?:" + names + rb")\b",
        re.MULTILINE,
    )


def relevant(source: bytes, modules: Iterable[str] = DEFAULT_MODULES) -> bool:
    """Whether an import statement in the source could name one of the modules."""
    wanted = tuple(modules)
    if not any(m.encode() in source for m in wanted):
        return False
    return _pattern(wanted).search(source) is not None
