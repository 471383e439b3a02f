"""The cache's entries: a line of text per file, read back per line, so that a damaged line
costs that file alone a new check and the rest of the cache still serves."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import List

import pytest

from poolcompat.engine.findings import FileResult
from poolcompat.project.cache import Cache, Gated
from tests._tools import cached_run, parsed_files, pool_project


def _check(package: Path, cache: Path) -> List[FileResult]:
    """Without the kept runs: a run over an unchanged tree would never open the entries."""
    shutil.rmtree(next(iter(cache.glob("*.runs")), cache / "none"), ignore_errors=True)
    return cached_run([str(package)], cache)


@pytest.mark.parametrize("damage", [
    pytest.param(lambda line: line[: len(line) // 2], id="cut-short"),
    pytest.param(lambda line: "{" + line, id="a-path-that-is-not-json"),
    pytest.param(lambda line: line.replace('"@"', '"?"'), id="a-summary-of-unknown-records"),
    pytest.param(lambda line: line.rsplit("\t", 1)[0], id="a-field-missing"),
])
def test_a_damaged_line_checks_its_file_again_and_no_other(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: object) -> None:
    package = pool_project(tmp_path)
    cache = tmp_path / "cache"
    cold = _check(package, cache)
    (entries,) = cache.glob("*.lines")
    lines = entries.read_text().splitlines()
    assert len(lines) == 3 and all(line.count("\t") == 4 for line in lines)
    assert callable(damage)
    entries.write_text("".join(damage(line) + "\n" if "user.py" in line else line + "\n"
                               for line in lines))
    checked = parsed_files(monkeypatch)
    again = _check(package, cache)
    assert checked == ["user.py"]
    assert [(r.path, r.findings, r.error) for r in again] == \
        [(r.path, r.findings, r.error) for r in cold]


def test_entries_keep_what_each_file_said(tmp_path: Path) -> None:
    store = Cache(tmp_path, "table")
    gated = Gated(True, ((0, "multiprocessing", ("Pool",)), (1, "", ("tab\there",))))
    store.put("a.py", "hash-a", gated)
    store.put("b\nc.py", "hash-b", Gated(False, ()))
    store.save()
    again = Cache(tmp_path, "table")
    assert again.gated("a.py", "hash-a") == gated
    assert again.gated("b\nc.py", "hash-b") == Gated(False, ())
    assert again.gated("a.py", "other bytes") is None
    assert again.summary("a.py", "hash-a", "", "a.py") is None  # gated, never analysed


def test_files_never_analysed_keep_their_imports_in_the_cache(tmp_path: Path) -> None:
    """The run lets a file's imports go once nothing looks at them again: its entry, with the
    imports that decide what a later run reads, must be written before that."""
    package = pool_project(tmp_path)
    (package / "plain.py").write_text("import json\nfrom pkg import user\n")  # reaches no pool
    (package / "alone.py").write_text("import os.path\n")  # imports nothing of the project
    cache = tmp_path / "cache"
    cached_run([str(package)], cache)
    (entries,) = cache.glob("*.lines")
    lines = entries.read_text().splitlines()
    gates = {Path(json.loads(path)).name: json.loads(gate)
             for path, _, gate, _, _ in (line.split("\t") for line in lines)}
    assert gates["plain.py"] == [False, [[0, "json", []], [0, "pkg", ["user"]]]]
    assert gates["alone.py"] == [False, [[0, "os.path", []]]]
    assert gates["workers.py"][0] is True
