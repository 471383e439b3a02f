"""How the text report looks: what to show, colour, 80 columns, source lines with a caret."""
from __future__ import annotations

import io
import re
import textwrap
import tokenize
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

import click

WIDTH = 80
_NEWLINE = re.compile(r"\r\n?|\n")  # the line breaks Python counts, not str.splitlines()'s


def use_color(is_tty: bool, environ: Mapping[str, str]) -> bool:
    """Colour on a terminal; `NO_COLOR` turns it off and `FORCE_COLOR` on (no-color.org,
    force-color.org), NO_COLOR winning when both are set, as pytest has it."""
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return is_tty


@dataclass
class Display:
    """What the text report shows, and how."""

    show_all: bool = False  # every finding, not only those that fail
    statistics: bool = False  # counts per code
    show_source: bool = False  # the source line under each finding, with a caret
    color: bool = False
    sources: Mapping[str, bytes] = field(default_factory=dict)  # files not on disk (stdin)
    _lines: Dict[str, List[str]] = field(default_factory=dict)

    def paint(self, text: str, **style: Any) -> str:
        return click.style(text, **style) if self.color else text

    def source_line(self, path: str, number: int) -> Optional[str]:
        if path not in self._lines:
            self._lines[path] = _read_lines(path, self.sources.get(path))
        lines = self._lines[path]
        return lines[number - 1] if 0 < number <= len(lines) else None


def _read_lines(path: str, given: Optional[bytes]) -> List[str]:
    try:
        data = given if given is not None else open(path, "rb").read()
    except OSError:
        return []
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        text = data.decode("utf-8", errors="replace")
    return _NEWLINE.split(text.lstrip("\ufeff"))


def caret(line: str, column: int, end_column: Optional[int] = None) -> str:
    """Carets under columns [column, end_column) of the line (1-based, in characters); tabs
    before them are kept, so the carets line up however wide the terminal draws a tab."""
    start = max(column - 1, 0)
    padding = "".join(c if c == "\t" else " " for c in line[:start])
    width = max((end_column or column + 1) - column, 1)
    return padding + "^" * min(width, max(len(line) - start, 1))


def wrap(text: str, indent: str = "") -> List[str]:
    """Prose in 80 columns (finding lines are never wrapped: editors and CI parse them)."""
    return textwrap.wrap(text, WIDTH, subsequent_indent=indent, break_long_words=False,
                         break_on_hyphens=False) or [""]


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
