"""`# noqa` comments: flake8's line-level form and a file-level `# poolcompat: noqa`."""
from __future__ import annotations

import re
from typing import Dict, FrozenSet, List, Optional, Sequence

from poolcompat.engine.findings import Finding

_LINE = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.IGNORECASE)
_FILE = re.compile(r"#\s*poolcompat:\s*noqa\b", re.IGNORECASE)
_NEWLINE = re.compile(r"\r\n?|\n")

ALL: FrozenSet[str] = frozenset({""})  # a bare `# noqa`: every code (the empty prefix)


def _directives(text: str, lines: Sequence[int]) -> Dict[int, FrozenSet[str]]:
    wanted = set(lines)
    found: Dict[int, FrozenSet[str]] = {}
    for number, line in enumerate(_NEWLINE.split(text), start=1):
        if number not in wanted or "#" not in line:
            continue
        match = _LINE.search(line)
        if match:
            codes = match.group("codes")
            found[number] = ALL if not codes else frozenset(
                c.upper() for c in re.split(r"[,\s]+", codes) if c)
    return found


def suppress(findings: List[Finding], text: Optional[str]) -> List[Finding]:
    """Drop findings silenced by a noqa comment on their line (codes match by prefix)."""
    if not findings or text is None or "noqa" not in text.lower():
        return findings
    if _FILE.search(text):
        return []
    directives = _directives(text, [f.line for f in findings])
    return [f for f in findings
            if not any(f.code.startswith(prefix) for prefix in directives.get(f.line, ()))]
