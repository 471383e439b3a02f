"""Read the expectations a fixture states about itself, flake8-bugbear style.

`# expect: PCP102, PCP301` at the end of a line: exactly these codes are found on that line;
`PCP401 (guarded)` says the finding is under a version guard. `# minimum: 3.3` (or `none`) at the
start of a line: the file's minimum Python. `# select: PCP, PCP6` checks the file on its own with
that selection (for the off-by-default pitfall rules).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import List, Optional, Set, Tuple

EXPECT = re.compile(r"#\s*expect:\s*(.+?)\s*$")
CODE = re.compile(r"^(PCP\d{3})(\s*\(guarded\))?$")
MINIMUM = re.compile(r"^#\s*minimum:\s*(\S+)\s*$", re.MULTILINE)
SELECT = re.compile(r"^#\s*select:\s*(.+?)\s*$", re.MULTILINE)

Expected = Set[Tuple[int, str, bool]]  # line, code, guarded


def expectations(path: Path) -> Tuple[Expected, Optional[str]]:
    text = path.read_text(encoding="utf-8")
    found: Expected = set()
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECT.search(line)
        if not match:
            continue
        for item in match.group(1).split(","):
            code = CODE.match(item.strip())
            if code is None:
                raise ValueError(f"{path.name}:{number}: cannot read expectation {item.strip()!r}")
            found.add((number, code.group(1), bool(code.group(2))))
    minimum = MINIMUM.search(text)
    return found, (minimum.group(1) if minimum else None)


def selection(path: Path) -> List[str]:
    """The codes a fixture asks to be checked with; empty for the defaults."""
    match = SELECT.search(path.read_text(encoding="utf-8"))
    return [c.strip() for c in match.group(1).split(",") if c.strip()] if match else []
