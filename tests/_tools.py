"""The linters and hooks the plugin tests run as real processes, with this checkout importable;
and a spy on which files a run parses."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, List

import pytest

import poolcompat
import poolcompat.engine.check

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


def parsed_files(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """The names of the files the engine parses from now on, in this process, in order."""
    parsed: List[str] = []
    real = poolcompat.engine.check.summarize

    def spy(source: bytes, path: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(Path(path).name)
        return real(source, path, *args, **kwargs)

    monkeypatch.setattr(poolcompat.engine.check, "summarize", spy)
    return parsed
