"""Read the expectations a fixture states about itself, flake8-bugbear style.

`# expect: PCP102, PCP301` at the end of a line: exactly these codes are found on that line.
`# minimum: 3.3` (or `none`) anywhere: the file's minimum Python.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional, Set, Tuple

EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ()a-z]+?)\s*$")
MINIMUM = re.compile(r"^#\s*minimum:\s*(\S+)\s*$", re.MULTILINE)


def expectations(path: Path) -> Tuple[Set[Tuple[int, str]], Optional[str]]:
    text = path.read_text(encoding="utf-8")
    found = set()
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            for code in match.group(1).split(","):
                found.add((number, code.strip()))
    minimum = MINIMUM.search(text)
    return found, (minimum.group(1) if minimum else None)
