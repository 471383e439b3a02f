"""The checker reads code and never runs it: not the scanned files, not a local `multiprocessing.py`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests._tools import ENV

TRAP = """\
import pathlib, os
pathlib.Path({marker!r}).write_text("imported {name}")
os._exit(42)
"""

# The console script's sys.path starts with its own directory, not the one it checks.
SCRIPT = [sys.executable, "-c", "import sys; sys.path.pop(0); from poolcompat.cli import main; main()"]
MODULE = [sys.executable, "-m", "poolcompat"]
CASES = [
    pytest.param(SCRIPT, ["victim.py"], True, id="file"),
    # checked together, the local multiprocessing.py shadows the stdlib's: no finding, by design
    pytest.param(SCRIPT, ["."], False, id="directory"),
    pytest.param(SCRIPT, ["-"], True, id="stdin"),
    pytest.param(MODULE, ["."], False, id="python-m-in-the-checked-dir"),
]


@pytest.mark.parametrize(("command", "args", "found"), CASES)
def test_scanned_code_is_never_imported(tmp_path: Path, command: list[str], args: list[str],
                                        found: bool) -> None:
    marker = tmp_path / "marker"
    victim = TRAP.format(marker=str(marker), name="victim") + (
        "from multiprocessing import Pool\nwith Pool() as p:\n    p.starmap(f, [])\n")
    (tmp_path / "victim.py").write_text(victim)
    (tmp_path / "multiprocessing.py").write_text(TRAP.format(marker=str(marker), name="stdlib"))
    (tmp_path / "conftest.py").write_text(TRAP.format(marker=str(marker), name="conftest"))
    done = subprocess.run(
        [*command, "check", "--no-cache", *args],
        cwd=tmp_path, input=victim, capture_output=True, text=True, env=ENV, timeout=120)
    assert not marker.exists(), marker.read_text()
    assert done.returncode != 42 and "Traceback" not in done.stderr
    assert done.returncode == 0, done.stdout + done.stderr
    assert ("PCP102" in done.stdout) == found, done.stdout
