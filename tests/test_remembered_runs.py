"""A run over an unchanged tree answers from the results the last such run kept (the cache's
`.runs` folder): without parsing, without libcst, without reading the summaries' entries; and
any change at all (a file's bytes, the files named, how they are named) checks again."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, List, Tuple

import pytest

from poolcompat.engine.findings import FileResult
from poolcompat.project import cache as cache_module
from poolcompat.project.cache import Cache
from poolcompat.reading.limits import TIMED_OUT
from tests._tools import ENV, USER, WORKERS, cached_run, parsed_files, pool_project

Seen = List[Tuple[str, Tuple[Tuple[int, str], ...], Any]]

def _seen(results: List[FileResult]) -> Seen:
    return [(Path(r.path).name, tuple((f.line, f.code) for f in r.findings), r.error)
            for r in results]


def test_an_unchanged_tree_parses_nothing_and_reads_no_entries(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = pool_project(tmp_path)
    cache = tmp_path / "cache"
    cold = cached_run([str(package)], cache)
    assert any(r.findings for r in cold)
    parsed = parsed_files(monkeypatch)
    opened: List[str] = []
    real = Cache.entries.fget  # type: ignore[attr-defined]
    monkeypatch.setattr(Cache, "entries", property(lambda self: opened.append("x") or real(self)))
    assert _seen(cached_run([str(package)], cache)) == _seen(cold)
    assert parsed == [] and opened == []


def test_an_unchanged_tree_imports_no_libcst(tmp_path: Path) -> None:
    package = pool_project(tmp_path)
    cache = tmp_path / "cache"
    script = ("import sys\nfrom poolcompat.cli import main\ntry:\n    main()\n"
              "except SystemExit:\n    pass\nprint('libcst' in sys.modules, file=sys.stderr)\n")
    command = [sys.executable, "-c", script, "check", "-j1", "--cache-dir", str(cache), str(package)]
    runs = [subprocess.run(command, env=ENV, capture_output=True, text=True, timeout=600)
            for _ in range(2)]
    assert [r.stderr.split()[-1] for r in runs] == ["True", "False"]
    assert runs[0].stdout == runs[1].stdout and "PCP" in runs[0].stdout


@pytest.mark.parametrize("edit, expected", [
    pytest.param(lambda p: (p / "workers.py").write_text(WORKERS.replace("maxtasksperchild=2", "")),
                 ["workers.py"], id="an-imported-module-exporting-the-same"),
    pytest.param(lambda p: (p / "workers.py").write_text(
        "import concurrent.futures\n\ndef pool():\n    return concurrent.futures.ThreadPoolExecutor()\n"),
        ["workers.py", "user.py"], id="an-imported-module-exporting-another-pool"),
    pytest.param(lambda p: (p / "user.py").write_text(USER + "\n# one more line\n"),
                 ["user.py"], id="an-importer"),
    pytest.param(lambda p: (p / "new.py").write_text("import os\n"), [], id="a-new-unrelated-file"),
    pytest.param(lambda p: (p / "user.py").unlink(), [], id="a-removed-file"),
])
def test_a_change_checks_again_what_it_touches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              edit: Any, expected: List[str]) -> None:
    package = pool_project(tmp_path)
    cache = tmp_path / "cache"
    cached_run([str(package)], cache)
    edit(package)
    parsed = parsed_files(monkeypatch)
    warm = cached_run([str(package)], cache)
    assert sorted(parsed) == sorted(expected)
    assert _seen(warm) == _seen(cached_run([str(package)], tmp_path / "fresh"))


def test_the_same_files_named_otherwise_are_reported_as_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = pool_project(tmp_path)
    cache = tmp_path / "cache"
    absolute = cached_run([str(package)], cache)
    monkeypatch.chdir(tmp_path)
    relative = cached_run(["pkg"], cache)
    assert [r.path for r in relative] == [os.path.relpath(r.path, tmp_path) for r in absolute]
    assert [f.path for r in relative for f in r.findings] == \
        [os.path.relpath(f.path, tmp_path) for r in absolute for f in r.findings]


def test_a_damaged_kept_run_is_run_again(tmp_path: Path) -> None:
    package = pool_project(tmp_path)
    cache = tmp_path / "cache"
    cold = cached_run([str(package)], cache)
    for kept in cache.glob("*.runs/*.json"):
        kept.write_text('{"files": [["x", null, [{"#": 7}]]], "records": []}')
    assert _seen(cached_run([str(package)], cache)) == _seen(cold)


def test_a_run_where_a_file_ran_out_of_time_is_not_kept(tmp_path: Path) -> None:
    store = Cache(tmp_path, "table")
    store.remember("late", [FileResult("a.py", error=f"{TIMED_OUT} 1 s")])
    store.remember("done", [FileResult("a.py")])
    assert store.remembered("late") is None
    assert store.remembered("done") == [FileResult("a.py")]


def test_only_the_last_runs_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "KEPT_RUNS", 2)
    store = Cache(tmp_path, "table")
    for number in range(4):
        store.remember(f"run{number}", [FileResult(f"{number}.py")])
        os.utime(store.runs / f"run{number}.json", (number, number))  # mtimes a second apart
    assert sorted(p.stem for p in store.runs.glob("*.json")) == ["run2", "run3"]


def test_a_file_edited_while_the_run_reads_it_is_not_kept_under_its_old_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key is made from the bytes first read; results made from the edited bytes must not
    be kept under it, else putting the old bytes back would answer from the edit."""
    from poolcompat.project.schedule import Scheduler
    package = pool_project(tmp_path)
    workers = package / "workers.py"
    fresh = _seen(cached_run([str(package)], tmp_path / "fresh"))
    real = Scheduler.run_key

    def edit_after_hashing(self: Scheduler) -> str:
        key = real(self)
        workers.write_text("import os\n")
        return key

    monkeypatch.setattr(Scheduler, "run_key", edit_after_hashing)
    edited = cached_run([str(package)], tmp_path / "cache")
    monkeypatch.setattr(Scheduler, "run_key", real)
    workers.write_text(WORKERS)
    assert _seen(edited) != fresh
    assert _seen(cached_run([str(package)], tmp_path / "cache")) == fresh
