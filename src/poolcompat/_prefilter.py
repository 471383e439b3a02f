"""The cheap gate before libcst: a file whose bytes cannot hold a relevant use is never parsed."""
from __future__ import annotations

# Every rule's target lives in one of these packages: a file without the text cannot match.
_NEEDLES = (b"multiprocessing", b"concurrent")


def relevant(source: bytes) -> bool:
    return any(needle in source for needle in _NEEDLES)
