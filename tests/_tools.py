"""The linters and hooks the plugin tests run as real processes, with this checkout importable."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

import poolcompat

ENV = {**os.environ, "PYTHONPATH": str(Path(poolcompat.__file__).resolve().parents[1])}
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install '.[test]')")
    return found


def run(args: List[str], cwd: Path, timeout: float = 600) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=ENV,
                          timeout=timeout)
