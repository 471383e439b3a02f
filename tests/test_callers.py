"""A parameter is what the project's calls pass, from every module, except what tests pass."""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Dict, Set, Tuple

import pytest

import poolcompat
from tests._tools import write_package

UPLOADER = """\
    import concurrent.futures

    class Uploader:
        def __init__(self, client, executor_cls=concurrent.futures.ThreadPoolExecutor):
            self._executor_cls = executor_cls

        def upload(self, parts):
            with self._executor_cls(max_workers=4) as executor:
                return list(executor.map(len, parts))

    def upload(client, parts):
        return Uploader(client).upload(parts)
    """
FOUND = {("pkg/core.py", 8, "PCP330"), ("pkg/core.py", 9, "PCP155")}


@pytest.mark.parametrize(("other", "expected"), [
    pytest.param({"tests/test_core.py": """\
        from pkg.core import Uploader

        class SequentialExecutor:
            def __init__(self, max_workers): pass

        def test_upload():
            Uploader(None, executor_cls=SequentialExecutor).upload([b"x"])
        """}, FOUND, id="a test's fake does not hide the package's default"),
    pytest.param({"pkg/cli.py": """\
        from pkg.core import Uploader

        class SequentialExecutor:
            def __init__(self, max_workers): pass

        def main():
            Uploader(None, executor_cls=SequentialExecutor).upload([b"x"])
        """}, set(), id="the package's own other executor does"),
    pytest.param({"tests/test_core.py": """\
        from pkg import core

        def test_patch(monkeypatch):
            monkeypatch.setattr(core, "Uploader", core.Uploader)
        """}, FOUND, id="a test handing the class around does not either"),
])
def test_what_callers_pass(tmp_path: Path, other: Dict[str, str],
                           expected: Set[Tuple[str, int, str]]) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    write_package(tmp_path, {"core.py": textwrap.dedent(UPLOADER)})
    for name, source in other.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(source))
    report = poolcompat.check_paths(tmp_path)
    found = {(Path(f.path).relative_to(tmp_path).as_posix(), f.line, f.code)
             for f in report.findings if f.code in ("PCP330", "PCP155")}
    assert found == expected


def _checked(tmp_path: Path, modules: Dict[str, str]) -> poolcompat.Report:
    """A package `pkg` of these modules, checked as a project."""
    (tmp_path / "pyproject.toml").write_text("")
    write_package(tmp_path, modules)
    return poolcompat.check_paths(tmp_path)


def test_parameters_that_feed_each_other_across_modules_end(tmp_path: Path) -> None:
    report = _checked(tmp_path, {
        "a.py": "import multiprocessing\nfrom pkg import b\n\ndef ping(pool, n):\n"
                "    pool.starmap(max, [])\n    return b.pong(pool, n - 1)\n",
        "b.py": "import multiprocessing\nfrom pkg import a\n\ndef pong(pool, n):\n"
                "    pool.starmap(min, [])\n    return a.ping(pool, n - 1)\n",
        "main.py": "import multiprocessing\nfrom pkg import a\n\na.ping(multiprocessing.Pool(2), 3)\n",
    })
    assert not report.errors
    assert {(Path(f.path).name, f.line) for f in report.findings if f.code == "PCP102"} == {
        ("a.py", 5), ("b.py", 5)}


def test_a_project_object_passed_to_a_function_its_callers_feed(tmp_path: Path) -> None:
    """The caller never names `_pool`, yet what it passes holds the pool `drain` shuts down."""
    report = _checked(tmp_path, {
        "loop.py": "from concurrent.futures import ThreadPoolExecutor\n\nclass Loop:\n"
                   "    def __init__(self):\n        self._pool = ThreadPoolExecutor()\n\n"
                   "    @classmethod\n    def current(cls):\n        return cls()\n",
        "ops.py": "import concurrent.futures\n\ndef drain(loop):\n"
                  "    loop._pool.shutdown(cancel_futures=True)\n",
        "app.py": "from pkg.loop import Loop\nfrom pkg.ops import drain\n\ndrain(Loop.current())\n",
    })
    assert ("ops.py", 4, "PCP266") in {(Path(f.path).name, f.line, f.code) for f in report.findings}
