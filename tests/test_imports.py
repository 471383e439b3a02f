"""The command line and a warm run never load libcst: only a file that has to be parsed does.
Nor does a run load what only some runs need (every cold run on a small project pays for it)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import List, Set

import pytest

from tests._tools import ENV

PROBE = ("import sys\nfrom poolcompat.cli import main\ntry:\n    main()\nexcept SystemExit:\n"
         "    pass\nprint('loaded:', *sorted(m for m in sys.modules if '_' not in m[:1]))\n")


def _loaded(args: List[str], cwd: Path) -> Set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, env=ENV,
                          capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("loaded:")]
    assert lines, done.stdout + done.stderr
    return set(lines[-1].split()[1:])


def _loads_libcst(args: List[str], cwd: Path) -> bool:
    return "libcst" in _loaded(args, cwd)


# What only some runs need, and which runs: a small run has none of them.
_NEEDED_BY = {
    "pathspec": "a .gitignore or an `exclude` pattern",
    "packaging": "a `requires-python` to read",
    "multiprocessing": "worker processes",
    "concurrent.futures": "worker processes",
}


def test_a_small_run_loads_only_what_it_needs(tmp_path: Path) -> None:
    (tmp_path / "jobs.py").write_text("import multiprocessing\nmultiprocessing.Pool(2)\n")
    loaded = _loaded(["check", "--no-cache", str(tmp_path)], tmp_path)
    assert {module: _NEEDED_BY[module] for module in _NEEDED_BY.keys() & loaded} == {}


@pytest.mark.parametrize("args", [
    pytest.param(["--help"], id="help"),
    pytest.param(["rules"], id="rules"),
    pytest.param(["explain", "PCP102"], id="explain"),
])
def test_commands_that_parse_nothing(args: List[str], tmp_path: Path) -> None:
    assert not _loads_libcst(args, tmp_path)


def test_a_warm_run_loads_no_libcst(tmp_path: Path) -> None:
    (tmp_path / "jobs.py").write_text("import multiprocessing\nmultiprocessing.Pool(2)\n")
    (tmp_path / "other.py").write_text("print('no pools here')\n")
    check = ["check", "--cache-dir", str(tmp_path / "cache"), str(tmp_path)]
    assert _loads_libcst(check, tmp_path)  # cold: the pool file is parsed
    assert not _loads_libcst(check, tmp_path)  # warm: answered from the cache


def _cyclic_project(root: Path) -> None:
    """An import cycle whose members export pools to each other and to the rest, and more
    files than it takes to start worker processes: what a member is told of the others must
    not depend on which finished first."""
    package = root / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from pkg import a, b\n")
    (package / "a.py").write_text("import multiprocessing\nfrom pkg import b\n"
                                  "POOL = multiprocessing.Pool(2)\n"
                                  "def run(pool):\n    return pool.starmap(max, [(1, 2)])\n")
    (package / "b.py").write_text("import concurrent.futures\nfrom pkg import a\n"
                                  "EX = concurrent.futures.ThreadPoolExecutor(2)\n"
                                  "def go():\n    return a.run(a.POOL)\n")
    for i in range(10):
        (package / f"user{i}.py").write_text(
            f"import multiprocessing\nfrom pkg import a, b\n"
            f"b.EX.submit(print, {i})\na.POOL.imap(abs, [])\n")


@pytest.mark.parametrize(("cold", "warm"), [
    pytest.param("-j2", "-j1", id="parallel cold, serial warm"),
    pytest.param("-j1", "-j2", id="serial cold, parallel warm"),
])
def test_a_warm_run_after_any_cold_one_parses_nothing(cold: str, warm: str,
                                                      tmp_path: Path) -> None:
    _cyclic_project(tmp_path)
    check = ["check", "--cache-dir", str(tmp_path / "cache"), str(tmp_path)]
    parsed_here = _loads_libcst([*check, cold], tmp_path)
    assert parsed_here == (cold == "-j1")  # -j2: the workers parse
    assert not _loads_libcst([*check, warm], tmp_path)


def test_a_run_served_by_the_cache_starts_no_workers(tmp_path: Path) -> None:
    """A file that nothing imports changed, so the run is not remembered as a whole: every
    pool file still comes from the cache, and worker processes would load libcst for nothing."""
    _cyclic_project(tmp_path)
    (tmp_path / "notes.py").write_text("print('no pools here')\n")
    check = ["check", "--cache-dir", str(tmp_path / "cache"), str(tmp_path), "-j2"]
    assert "concurrent.futures" in _loaded(check, tmp_path)  # cold: the workers parse
    (tmp_path / "notes.py").write_text("print('still no pools here')\n")
    loaded = _loaded(check, tmp_path)
    assert "concurrent.futures" not in loaded and "libcst" not in loaded
