"""The linters and hooks the plugin tests run as real processes, with this checkout importable;
a spy on which files a run parses; a small project whose findings cross modules, run cached."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, List, Mapping

import pytest

import poolcompat
import poolcompat.engine.check
from poolcompat.engine.findings import FileResult
from poolcompat.project.run import run_files
from poolcompat.reading.files import discover
from poolcompat.table.load import default_table

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


WORKERS = """import multiprocessing

def pool():
    return multiprocessing.Pool(maxtasksperchild=2)
"""
USER = """from pkg.workers import pool

def run(items):
    with pool() as p:
        return p.starmap(max, items)
"""


def write_package(root: Path, modules: Mapping[str, str]) -> Path:
    """`root/pkg/`, a package of these modules (by file name)."""
    package = root / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, source in modules.items():
        (package / name).write_text(source)
    return package


def pool_project(root: Path) -> Path:
    """A project's `pkg/`, where `user.py` finds its pool through `workers.py`."""
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    return write_package(root, {"workers.py": WORKERS, "user.py": USER})


def cached_run(paths: List[str], cache: Path) -> List[FileResult]:
    """The raw results of one run over the paths, in-process, with this cache directory."""
    return run_files(discover(paths), default_table(), 1, str(cache))
