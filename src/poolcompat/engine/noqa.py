"""`# noqa` comments: flake8's line-level form and a file-level `# poolcompat: noqa`."""
from __future__ import annotations

import re
from typing import Dict, FrozenSet, Iterable, List, Mapping, Optional

from poolcompat.engine.findings import Finding
from poolcompat.reading.comments import file_silenced

_LINE = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.IGNORECASE)
_FILE = re.compile(r"#\s*poolcompat:\s*noqa\b", re.IGNORECASE)
_NEWLINE = re.compile(r"\r\n?|\n")

ALL: FrozenSet[str] = frozenset({""})  # a bare `# noqa`: every code (the empty prefix)


def directives(text: str, lines: Iterable[int]) -> Dict[int, FrozenSet[str]]:
    """The codes a `# noqa` on each of these lines silences (ALL for a bare one)."""
    wanted = set(lines)
    found: Dict[int, FrozenSet[str]] = {}
    if "noqa" not in text.lower():
        return found
    for number, line in enumerate(_NEWLINE.split(text), start=1):
        if number not in wanted or "#" not in line:
            continue
        match = _LINE.search(line)
        if match:
            codes = match.group("codes")
            found[number] = ALL if not codes else frozenset(
                c.upper() for c in re.split(r"[,\s]+", codes) if c)
    return found


def silenced(text: str) -> bool:
    """Whether a `# poolcompat: noqa` comment silences the whole file (not those words in a
    string: a docstring quoting the directive silences nothing)."""
    return "noqa" in text.lower() and _FILE.search(text) is not None and file_silenced(text)


def allowed(finding: Finding, noqa: Mapping[int, FrozenSet[str]], whole_file: bool) -> bool:
    """Whether no noqa comment silences the finding (codes match by prefix)."""
    return not whole_file and not any(finding.code.startswith(prefix)
                                      for prefix in noqa.get(finding.line, ()))


def suppress(findings: List[Finding], text: Optional[str]) -> List[Finding]:
    """Drop findings silenced by a noqa comment on their line or in the file."""
    if not findings or text is None:
        return findings
    noqa, whole_file = directives(text, [f.line for f in findings]), silenced(text)
    return [f for f in findings if allowed(f, noqa, whole_file)]
