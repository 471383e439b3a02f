"""The speed machinery never changes an answer: gate, skeletons, workers and cache."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, List, Mapping, Tuple

import pytest

import poolcompat.engine.check
import poolcompat.reading.limits
import poolcompat.project.schedule
from poolcompat.reading import skeleton as _chunks
from poolcompat.reading.gate import relevant
from poolcompat.reading.mentions import Tracked
from poolcompat.report.report import Report
from poolcompat.project import run
from poolcompat.project.cache import Cache
from poolcompat.table.load import default_table
from poolcompat.api import check_source
from tests._tools import ENV, parsed_files, write_package

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def check_paths(paths: List[str], **options: Any) -> Report:
    return run.check_paths(paths, default_table(), **options)

Answer = List[Tuple[str, int, int, str, bool]]


def answer(report: Report) -> Answer:
    return [(f.path, f.line, f.column, f.code, f.guarded) for f in report.findings]


@pytest.fixture(scope="module")
def baseline() -> Answer:
    return answer(check_paths([str(FIXTURES)], jobs=1, select=["PCP"]))


def test_gate_keeps_every_file_with_a_finding(baseline: Answer,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the byte gate (every file parsed, in both passes) nothing more is found."""
    for module in (poolcompat.engine.check, poolcompat.project.schedule):
        monkeypatch.setattr(module, "relevant", lambda data, modules=(): True)
    assert answer(check_paths([str(FIXTURES)], jobs=1, select=["PCP"])) == baseline


@pytest.mark.parametrize("source, expected", [
    pytest.param(b"import multiprocessing", True, id="import"),
    pytest.param(b"import os, \\\n    multiprocessing", True, id="continuation"),
    pytest.param(b"from multiprocessing import (\n    Pool)", True, id="parenthesised"),
    pytest.param(b"x = 1; import concurrent.futures", True, id="semicolon"),
    pytest.param(b"if fast: from concurrent import futures", True, id="one-line-if"),
    pytest.param(b"# multiprocessing is not used here\nimport os", False, id="comment"),
    pytest.param(b"import multiprocessingx", False, id="longer-name"),
    pytest.param(b"text = 'concurrent'", False, id="no-import"),
])
def test_gate(source: bytes, expected: bool) -> None:
    assert relevant(source) is expected


def test_skeletons_give_the_same_findings(baseline: Answer,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_chunks, "CHUNK_FROM_BYTES", 0)
    monkeypatch.setattr(_chunks, "_SPLIT_CLASS_FROM_LINES", 0)
    assert answer(check_paths([str(FIXTURES)], jobs=1, select=["PCP"])) == baseline


def test_skeleton_blanks_what_cannot_matter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_chunks, "CHUNK_FROM_BYTES", 0)
    monkeypatch.setattr(_chunks, "_SPLIT_CLASS_FROM_LINES", 0)
    source = (b"import json\nimport multiprocessing as mp\n\ndef unrelated():\n    return json\n\n"
              b"class Job:\n    def helper(self):\n        return 1\n\n"
              b"    def run(self):\n        return mp.get_context()\n")
    sparse = _chunks.skeleton(source, Tracked(frozenset({"multiprocessing"})), ["__init__"])
    assert sparse is not None
    text, starts = sparse
    assert starts == _chunks.first_lines(text) == [1, 2, 7]
    assert text.count("\n") == source.count(b"\n")
    assert "unrelated" not in text and "helper" not in text
    assert "mp.get_context()" in text and "import multiprocessing as mp" in text


def test_workers_and_cache_give_the_same_findings(tmp_path: Path, baseline: Answer) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(FIXTURES, tree)
    copied = [(row[0].replace(str(FIXTURES), str(tree)),) + row[1:] for row in baseline]
    cache = tmp_path / "cache"
    for jobs, use_cache in [(1, False), (2, False), (2, True), (2, True), (1, True)]:
        report = check_paths([str(tree)], jobs=jobs, cache=use_cache, cache_dir=str(cache),
                             select=["PCP"])
        assert answer(report) == copied, (jobs, use_cache)
    assert any(cache.iterdir())


def test_cache_notices_a_changed_file(tmp_path: Path) -> None:
    module = tmp_path / "jobs.py"
    module.write_text("import multiprocessing\nmultiprocessing.get_context()\n")
    cache = str(tmp_path / "cache")
    assert [f.code for f in check_paths([str(module)], cache=True, cache_dir=cache).findings]
    module.write_text("import multiprocessing\n\n\n\n# nothing here any more\n")
    again = check_paths([str(module)], cache=True, cache_dir=cache)
    assert [f.code for f in again.findings if f.code != "PCP900"] == [
        f.code for f in check_paths([str(module)]).findings if f.code != "PCP900"]


def test_cache_is_keyed_on_content_not_on_mtime(tmp_path: Path) -> None:
    """A same-size edit with the mtime put back is not answered from the cache."""
    module = tmp_path / "jobs.py"
    module.write_text("import multiprocessing\nmultiprocessing.get_context()\n")
    cache = str(tmp_path / "cache")
    before = [f.code for f in check_paths([str(module)], cache=True, cache_dir=cache).findings]
    stat = module.stat()
    module.write_text("import multiprocessing\nmultiprocessing.Get_context()\n")
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert module.stat().st_size == stat.st_size and module.stat().st_mtime_ns == stat.st_mtime_ns
    after = [f.code for f in check_paths([str(module)], cache=True, cache_dir=cache).findings]
    assert "PCP401" in before and "PCP401" not in after
    assert after == [f.code for f in check_paths([str(module)]).findings]


@pytest.mark.parametrize("source", [
    pytest.param("# header\nimport multiprocessing\n\n\ndef a():\n\twith multiprocessing.Pool() as p:\n"
                 "\t\tp.starmap(f, x)\n\n\ndef b():\n    with multiprocessing.Pool() as p:\n"
                 "        return p.starmap(f, x)\n", id="tabs-and-spaces"),
    pytest.param("import multiprocessing\r\ndef a():\r\n  with multiprocessing.Pool() as p:\r\n"
                 "    p.starmap(f, x)\r\nx = 1; y = multiprocessing.get_context()\r\n", id="crlf-two-spaces"),
    pytest.param("import multiprocessing\n@decorate\nclass A:\n    '''doc'''\n\n    # comment\n"
                 "    def run(self):\n        multiprocessing.Pool().starmap(f, x)\n", id="decorated-class"),
    pytest.param("import multiprocessing\ntry:\n    import concurrent.futures as cf\n"
                 "    POOL = multiprocessing.Pool()\nexcept ImportError:\n    POOL = None\n"
                 "class Base:\n    def starmap(self, f, x):\n        return []\n"
                 "class Mixed(Base, multiprocessing.pool.ThreadPool):\n    pass\n"
                 "def run():\n    return POOL.starmap(f, x)\n"
                 "def mixed():\n    return Mixed().starmap(f, x)\n", id="import-unit-and-stub-base"),
    pytest.param("import multiprocessing\nfrom multiprocessing.pool import Pool\n"
                 "class Holder:\n    def __init__(self, pool: Pool, n):\n        self.pool = pool\n"
                 "        self.port = n\n    def run(self):\n        return self.pool.starmap(f, x)\n"
                 "class Local:\n    def __init__(self):\n        p = multiprocessing.Pool()\n"
                 "        self.workers = p\n    def go(self):\n        with self.workers as w:\n"
                 "            return w.starmap(f, x)\n"
                 "def uses_port(h):\n    return h.port + 1\n", id="attributes-through-locals"),
    pytest.param("from concurrent.futures import Future\nclass Mine(Future):\n"
                 "    def check(self):\n        return self.done()\n", id="a-pool-class-subclassed"),
])
def test_skeleton_pieces_give_the_same_findings(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def found() -> List[Tuple[int, int, int, int, str]]:
        report = check_source(source, path="big.py")
        return [(f.line, f.column, f.end_line, f.end_column, f.code) for f in report.findings]
    whole = found()
    monkeypatch.setattr(_chunks, "CHUNK_FROM_BYTES", 0)
    assert whole and found() == whole
    monkeypatch.setattr(_chunks, "_SPLIT_CLASS_FROM_LINES", 0)  # every class split by member
    assert found() == whole


def test_big_files_give_memory_back(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: List[int] = []
    monkeypatch.setattr(poolcompat.reading.limits, "_trim", lambda pad: calls.append(pad) or 1)
    small = b"import multiprocessing\nmultiprocessing.get_context()\n"
    assert check_source(small, path="small.py").findings
    assert calls == []
    big = small + b"x = 1\n" * 5000
    assert check_source(big, path="big.py").findings
    assert calls == [0]


@pytest.mark.parametrize("importer, parsed", [
    pytest.param("import pkg.lib\npkg.lib.Repo()\n", True, id="named-through-the-module"),
    pytest.param("import pkg.lib\npkg.lib.helper()\n", False, id="the-module-for-something-else"),
    pytest.param("from pkg import lib\nlib.helper()\n", False, id="a-submodule-for-something-else"),
    pytest.param("from pkg.lib import *\nhelper()\n", True, id="star: every name, unseen"),
])
def test_a_module_held_as_an_object_reaches_the_names_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, importer: str, parsed: bool) -> None:
    library = ("from concurrent.futures import ThreadPoolExecutor\n"
               "class Repo(ThreadPoolExecutor):\n    pass\n"
               "def helper():\n    return 1\n")
    assert _parsed_importer(tmp_path, monkeypatch, library, importer) == parsed


def _parsed_importer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: str,
                     importer: str, others: Mapping[str, str] = {}) -> bool:
    write_package(tmp_path, {**others, "lib.py": library, "app.py": importer})
    checked = parsed_files(monkeypatch)
    check_paths([str(tmp_path / "pkg")], jobs=1)
    return "app.py" in checked


@pytest.mark.parametrize("library, parsed", [
    pytest.param("from concurrent.futures import ThreadPoolExecutor\n"
                 "class Repo:\n    def __init__(self):\n        self.pool = ThreadPoolExecutor()\n",
                 True, id="a-class-holding-a-pool"),
    pytest.param("from concurrent.futures import ThreadPoolExecutor\n"
                 "from contextlib import ExitStack\n"
                 "class Repo:\n    def __init__(self):\n        self.stack = ExitStack()\n",
                 False, id="a-class-holding-an-exit-stack"),
    pytest.param("from concurrent.futures import ThreadPoolExecutor\n"
                 "from contextlib import ExitStack\n"
                 "class Repo(ExitStack):\n    pass\n", False, id="a-subclass-of-exit-stack"),
    pytest.param("from concurrent.futures import ThreadPoolExecutor\n"
                 "class Repo(ThreadPoolExecutor):\n    pass\n", True, id="a-subclass-of-a-pool"),
    pytest.param("from concurrent.futures import ThreadPoolExecutor\n"
                 "class Repo:\n    def __init__(self):\n        self._pool = ThreadPoolExecutor()\n"
                 "    def warn(self):\n        pass\n", False,
                 id="a-class-holding-a-pool-the-importer-never-names"),
    pytest.param("from concurrent.futures import ThreadPoolExecutor\n"
                 "class Repo:\n    def __init__(self):\n        self._pool = ThreadPoolExecutor()\n"
                 "    def __enter__(self):\n        return self._pool\n", True,
                 id="a-class-whose-dunder-gives-a-pool"),
])
def test_importers_are_parsed_only_for_what_can_reach_a_pool(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: str, parsed: bool) -> None:
    """A module that imports nothing tracked is read only when a project name it imports can
    lead to a finding; an `ExitStack` only passes along values the importer would bring."""
    assert _parsed_importer(tmp_path, monkeypatch, library,
                            "from pkg.lib import Repo\nRepo().pool\n") == parsed


HOLDER = ("from concurrent.futures import ThreadPoolExecutor\n"
          "class Loop:\n    def __init__(self):\n        self._pool = ThreadPoolExecutor()\n"
          "    @classmethod\n    def current(cls):\n        return cls()\n")


@pytest.mark.parametrize("library, importer, parsed", [
    pytest.param(HOLDER, "from pkg.lib import Loop\nLoop.current().run()\n", False,
                 id="a-factory-of-a-holder-whose-pool-is-never-named"),
    pytest.param(HOLDER, "from pkg.lib import Loop\nLoop.current()._pool.submit(print)\n", True,
                 id="a-factory-of-a-holder-whose-pool-is-named"),
    pytest.param("from pkg.loop import Loop\nclass Client:\n    def __init__(self):\n"
                 "        self.loop = Loop.current()\n",
                 "from pkg.lib import Client\nClient().loop.run()\n", False,
                 id="an-attribute-holding-a-holder"),
    pytest.param("from pkg.util import Base\n" + HOLDER.replace("class Loop:", "class Loop(Base):"),
                 "from pkg.lib import Loop\nLoop().run()\n", False,
                 id="a-project-base-that-leads-nowhere"),
    pytest.param(HOLDER + "def drain(loop):\n    loop._pool.shutdown(cancel_futures=True)\n",
                 "from pkg.lib import Loop, drain\ndrain(Loop.current())\n", True,
                 id="a-holder-passed-to-a-function-its-callers-feed"),
])
def test_importers_reach_a_held_pool_only_through_the_names_that_hold_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: str, importer: str,
        parsed: bool) -> None:
    """What a project function or attribute gives (`Loop.current()`, `client.loop`) leads to a
    finding only through what that object holds (`_pool`), unless it is passed to a function
    whose parameters its callers decide."""
    others = {"loop.py": HOLDER, "util.py": "class Base:\n    def run(self):\n        pass\n"}
    assert _parsed_importer(tmp_path, monkeypatch, library, importer, others) == parsed


def test_a_bug_in_the_link_is_the_files_error_line_not_the_runs_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_package(tmp_path, {
        "pools.py": "from concurrent.futures import ThreadPoolExecutor\n"
                    "POOL = ThreadPoolExecutor(2)\n",
        "app.py": "from pkg.pools import POOL\nPOOL.shutdown()\n",
        "own.py": "from concurrent.futures import ThreadPoolExecutor\n"
                  "ThreadPoolExecutor(initializer=id)\n"})
    import poolcompat.engine.link
    from poolcompat.engine.link import Linker
    linked_findings = poolcompat.engine.link._linked_findings

    def broken(*args: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    def broken_for_app(summary: Any, *args: Any) -> Any:
        return (broken if summary.path.endswith("app.py") else linked_findings)(summary, *args)

    monkeypatch.setattr(poolcompat.engine.link, "_linked_findings", broken_for_app)
    report = check_paths([str(tmp_path / "pkg")], jobs=1)
    errors = {Path(r.path).name: r.error for r in report.results if r.error}
    assert set(errors) == {"app.py"}
    assert "internal error while linking (RecursionError" in errors["app.py"]
    assert any(Path(f.path).name == "own.py" for f in report.findings)
    monkeypatch.setattr(Linker, "settle", broken)  # and as the schedule reads exports
    report = check_paths([str(tmp_path / "pkg")], jobs=1)
    errors = {Path(r.path).name: r.error for r in report.results if r.error}
    assert "internal error while reading its exports (RecursionError" in errors["pools.py"]
    assert any(Path(f.path).name == "own.py" for f in report.findings)


def test_a_warm_run_under_another_hash_seed_parses_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cache keys hold what each file was told of the others: they must not depend on the
    order a process happens to iterate a set of names in (the hash seed), nor on whether the
    modules before it came from the cache; else a warm run checks files again every time."""
    import subprocess
    import sys
    project = tmp_path / "project"
    shutil.copytree(FIXTURES, project)
    cache = tmp_path / "cache"
    subprocess.run([sys.executable, "-m", "poolcompat", "check", "-j1", "--cache-dir", str(cache),
                    str(project)], env={**ENV, "PYTHONHASHSEED": "1"}, capture_output=True,
                   timeout=600, check=False)
    parsed = parsed_files(monkeypatch)
    monkeypatch.setattr(Cache, "remembered", lambda self, key: None)  # the summaries' cache
    warm = check_paths([str(project)], jobs=1, cache=True, cache_dir=str(cache))
    assert warm.findings and parsed == []


APSCHEDULER_LIKE = '''import concurrent.futures
from abc import abstractmethod


class BasePoolExecutor:
    @abstractmethod
    def __init__(self, pool):
        self._pool = pool

    def submit(self, job):
        future = self._pool.submit(job)
        future.add_done_callback(print)


class ThreadPoolExecutor(BasePoolExecutor):
    def __init__(self, max_workers=10):
        super().__init__(concurrent.futures.ThreadPoolExecutor(max_workers))
'''


@pytest.mark.parametrize("stray", ["abc.py", "functools.py", "queue.py"])
def test_a_stray_module_named_like_the_stdlib_shadows_nothing(tmp_path: Path, stray: str) -> None:
    """A test's data file `abc.py` in a folder that is no package is a top-level module by its
    path, but `from abc import abstractmethod` still means the stdlib's (as at run time): a
    run over several projects gave one project's data file to all of them."""
    (tmp_path / "pyproject.toml").write_text("")
    write_package(tmp_path, {"executors.py": APSCHEDULER_LIKE})
    alone = answer(check_paths([str(tmp_path)], jobs=1))
    assert alone
    (tmp_path / "testdata").mkdir()
    (tmp_path / "testdata" / stray).write_text("def abstractmethod(f):\n    return None\n")
    assert answer(check_paths([str(tmp_path)], jobs=1)) == alone


def test_in_a_copy_of_the_stdlib_its_modules_are_the_projects(tmp_path: Path) -> None:
    from poolcompat.project.layout import Project
    for name in ["Lib/functools.py", "Lib/multiprocessing/__init__.py",
                 "Lib/multiprocessing/pool.py", "data/functools.py", "data/multiprocessing.py",
                 "app.py"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    stdlib = Project.of([str(tmp_path / "Lib" / name) for name in
                         ["functools.py", "multiprocessing/__init__.py", "multiprocessing/pool.py"]],
                        ["multiprocessing"])
    assert "functools" in stdlib.local and "multiprocessing" not in stdlib.local
    elsewhere = Project.of([str(tmp_path / name) for name in
                            ["data/functools.py", "data/multiprocessing.py", "app.py"]],
                           ["multiprocessing"])
    assert elsewhere.local == {"app", "multiprocessing"}
