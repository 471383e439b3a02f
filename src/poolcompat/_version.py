"""Python versions as tuples: parsing and printing."""
from __future__ import annotations

import re
from typing import Tuple

Version = Tuple[int, ...]


def parse_version(text: str) -> Version:
    """Parse `3.8`, `3.8.1` or `py38`; ValueError with a one-line reason otherwise."""
    text = text.strip()
    if re.fullmatch(r"(?:py)?[23]\d{1,2}", text, re.IGNORECASE) and not text.isdigit():
        digits = text[2:]
        return (int(digits[0]), int(digits[1:]))
    if not re.fullmatch(r"[23](?:\.\d+){1,2}", text):
        raise ValueError(f"not a Python version: {text!r} (expected e.g. 3.8, 3.8.1 or py38)")
    return tuple(int(part) for part in text.split("."))


def format_version(version: Version) -> str:
    return ".".join(map(str, version))
