"""The modules of tests/fix_cases/ and how to run them on the interpreters here.

Each case states what it is about in its first comment lines:

    # fix: PCP266, ...      the rules whose fixes it exercises (each must be applied)
    # target: 3.8           the target it is fixed for
    # unsafe: why           apply unsafe fixes too (and why the behaviour may differ)
    # forced: no: why       the fallback branches cannot run on the newest Python
    # expect: line          what it prints, line by line, wherever it works

A run goes through `poolcompat.table.verify.run_probe`: the probe writes the module next to
itself, runs it with the same interpreter and fails, naming the difference, unless it exits 0
and prints exactly the expected lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from poolcompat.report.target import parse_target
from poolcompat.table.verify import Interpreter, Outcome, run_probe

CASES = Path(__file__).parent / "fix_cases"
_HEADER = re.compile(r"^# (fix|target|unsafe|forced|expect): ?(.*)$", re.M)
_GUARD = re.compile(r"sys\.version_info >= \(\d+, \d+(?:, \d+)?\)")
_RUNNER = '''
import subprocess, sys
with open("case.py", "wb") as handle:
    handle.write(%r)
process = subprocess.Popen([sys.executable, "case.py"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
out, err = process.communicate()
lines = out.decode("utf-8").splitlines()
if process.returncode != 0:
    last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    sys.stderr.write("exit status %%d: %%s\\n" %% (process.returncode, last[0]))
    sys.exit(1)
if lines != %r:
    sys.stderr.write("printed %%r\\n" %% (lines,))
    sys.exit(1)
'''


@dataclass(frozen=True)
class Case:
    name: str
    source: str
    codes: Tuple[str, ...]
    target: str
    unsafe: bool
    forced: bool  # whether the fallback branches can be forced on the newest Python
    expect: Tuple[str, ...]

    def interpreters(self, found: List[Interpreter]
                     ) -> Tuple[Optional[Interpreter], Optional[Interpreter]]:
        """The oldest and newest interpreters here inside the target."""
        target = parse_target(self.target)
        inside = [i for i in found if i.version[:len(target.low)] >= target.low
                  and (target.high is None or i.version[:2] <= target.high)]
        return (inside[0], inside[-1]) if inside else (None, None)


def load(path: Path) -> Case:
    source = path.read_text(encoding="utf-8")
    fields: Dict[str, List[str]] = {}
    for key, value in _HEADER.findall(source):
        fields.setdefault(key, []).append(value)
    return Case(path.stem, source, tuple(c.strip() for c in fields["fix"][0].split(",")),
                fields["target"][0], "unsafe" in fields, not fields.get("forced", [""])[0]
                .startswith("no"), tuple(fields.get("expect", ())))


def cases() -> List[Case]:
    return [load(path) for path in sorted(CASES.glob("*.py"))]


def forced_fallback(source: str) -> str:
    """The fixed module with every version guard a fix wrote made false: the fallbacks run."""
    return _GUARD.sub("sys.version_info >= (99,)", source)


def run(source: str, expect: Tuple[str, ...], interpreter: Interpreter) -> Outcome:
    return run_probe(_RUNNER % (source.encode("utf-8"), list(expect)), interpreter, timeout=30)
