"""Python versions as int tuples that print as `3.3`."""
from __future__ import annotations

import re
from typing import Tuple


class Version(Tuple[int, ...]):
    """`(3, 3)`: compares as a tuple, `str()` gives `"3.3"`."""

    def __str__(self) -> str:
        return ".".join(map(str, self))

    def __repr__(self) -> str:
        return f"Version({str(self)!r})"


def parse_version(text: str) -> Version:
    """Parse `3.8`, `3.8.1` or `py38`; ValueError with a one-line reason otherwise."""
    text = text.strip()
    if re.fullmatch(r"py[23]\d{1,2}", text, re.IGNORECASE):
        return Version((int(text[2]), int(text[3:])))
    if not re.fullmatch(r"[23](?:\.\d+){1,2}", text):
        raise ValueError(f"not a Python version: {text!r} (expected e.g. 3.8, 3.8.1 or py38)")
    return Version(int(part) for part in text.split("."))


def format_version(version: Tuple[int, ...]) -> str:
    return ".".join(map(str, version))
