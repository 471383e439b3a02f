"""The fork-only pitfalls (PCP601, PCP605-607) and the start method each use runs under: what is
reported, with which method, and what is left alone."""
from __future__ import annotations

import textwrap
from typing import List, Tuple

import pytest

import poolcompat

HEAD = "import multiprocessing\nimport threading\nfrom concurrent.futures import ProcessPoolExecutor\n"


def _found(body: str) -> List[Tuple[str, str]]:
    """(code, start method) of each start-method pitfall in `body` (run inside `main()`)."""
    source = HEAD + "def work(*args):\n    pass\n\ndef main():\n" + textwrap.indent(
        textwrap.dedent(body), "    ")
    report = poolcompat.check_source(source, path="case.py", select=["PCP601", "PCP605",
                                                                    "PCP606", "PCP607"])
    assert not report.errors
    return sorted((f.code, f.method or "default") for f in report.findings)


@pytest.mark.parametrize(("body", "expected"), [
    pytest.param("multiprocessing.Process(target=lambda: 1)\n", [("PCP605", "default")],
                 id="lambda-target"),
    pytest.param("def inner():\n    pass\nmultiprocessing.Process(target=work, args=(inner,))\n",
                 [("PCP605", "default")], id="nested-function-in-args"),
    pytest.param("class Local:\n    def run(self):\n        pass\n"
                 "multiprocessing.Process(target=Local().run)\n", [("PCP605", "default")],
                 id="local-class-method"),
    pytest.param("multiprocessing.Process(None, lambda: 1)\n", [("PCP605", "default")],
                 id="target-by-position"),
    pytest.param("multiprocessing.Pool(2, lambda: None)\n", [("PCP606", "default")],
                 id="pool-initializer-by-position"),
    pytest.param("ProcessPoolExecutor(2, None, lambda: None)\n", [("PCP606", "default")],
                 id="executor-initializer-by-position"),
    pytest.param("lock = threading.Lock()\nmultiprocessing.Process(target=work, args=(lock,))\n",
                 [("PCP607", "default")], id="lock-by-name"),
    pytest.param("with open('f') as handle:\n"
                 "    multiprocessing.Process(target=work, kwargs={'h': handle})\n",
                 [("PCP607", "default")], id="open-file-in-kwargs"),
    pytest.param("multiprocessing.Process(target=work, args=((x for x in 'ab'),))\n",
                 [("PCP607", "default")], id="generator"),
    pytest.param("ctx = multiprocessing.get_context('spawn')\nctx.Process(target=lambda: 1)\n",
                 [("PCP605", "spawn")], id="spawn-context-by-name"),
    pytest.param("multiprocessing.get_context('fork').Process(target=lambda: 1)\n",
                 [("PCP605", "fork")], id="fork-context-inline"),
    pytest.param("ProcessPoolExecutor(mp_context=multiprocessing.get_context('forkserver'), "
                 "initializer=lambda: None)\n", [("PCP606", "forkserver")], id="mp-context"),
    pytest.param("multiprocessing.get_context().Process(target=lambda: 1)\n",
                 [("PCP605", "default")], id="default-context"),
])
def test_reported_with_the_method_in_force(body: str, expected: List[Tuple[str, str]]) -> None:
    assert _found(body) == expected


@pytest.mark.parametrize("body", [
    pytest.param("multiprocessing.Process(target=work, args=(1,))\n", id="module-function"),
    pytest.param("multiprocessing.Process(target=work, args=(multiprocessing.Lock(),))\n",
                 id="multiprocessing-lock-pickles"),
    pytest.param("def open(path):\n    return path\n"
                 "multiprocessing.Process(target=work, args=(open('f'),))\n",
                 id="open-shadowed"),
    pytest.param("from multiprocessing.pool import ThreadPool\nThreadPool(2, lambda: None)\n",
                 id="thread-pool-initializer"),
    pytest.param("method = input()\nctx = multiprocessing.get_context(method)\n"
                 "ctx.Process(target=lambda: 1)\n", id="method-not-readable"),
    pytest.param("lock = threading.Lock()\nlock = 1\n"
                 "multiprocessing.Process(target=work, args=(lock,))\n", id="rebound-name"),
])
def test_left_alone(body: str) -> None:
    assert _found(body) == []


def _module(source: str) -> List[Tuple[int, str, str]]:
    report = poolcompat.check_source(textwrap.dedent(source), path="case.py",
                                     select=["PCP601", "PCP605"])
    return sorted((f.line, f.code, f.method or "default") for f in report.findings)


@pytest.mark.parametrize(("source", "expected"), [
    pytest.param("""\
        import multiprocessing
        multiprocessing.set_start_method("fork")
        multiprocessing.Process(target=lambda: 1)
        """, [(3, "PCP605", "fork")], id="set-start-method-sets-the-default-context"),
    pytest.param("""\
        import multiprocessing
        def a():
            multiprocessing.set_start_method("fork")
        def b():
            multiprocessing.set_start_method("spawn")
        multiprocessing.Process(target=lambda: 1)
        """, [], id="two-methods-set-unknown"),
    pytest.param("""\
        import multiprocessing
        process = multiprocessing.Process(target=abs, args=(1,))
        process.start()
        """, [(3, "PCP601", "default")], id="process-started-at-import"),
    pytest.param("""\
        import multiprocessing
        process = multiprocessing.get_context("spawn").Process(target=abs, args=(1,))
        process.start()
        """, [(3, "PCP601", "spawn")], id="started-process-keeps-its-context"),
    pytest.param("""\
        import multiprocessing
        if __name__ == "__main__":
            process = multiprocessing.Process(target=abs, args=(1,))
            process.start()
        """, [], id="started-under-the-main-guard"),
])
def test_module_level(source: str, expected: List[Tuple[int, str, str]]) -> None:
    assert _module(source) == expected


WORKER = "def work(item):\n    return item * FACTOR\n"
STARTED = ('if __name__ == "__main__":\n    FACTOR = 2\n'
           '    multiprocessing.Process(target=work, args=(1,)).start()\n')


@pytest.mark.parametrize(("body", "expected"), [
    pytest.param(WORKER + STARTED, [(3, "PCP608", "default")], id="set-under-the-main-guard"),
    pytest.param(WORKER + "def main():\n    global FACTOR\n    FACTOR = 2\n"
                 "    with multiprocessing.get_context('spawn').Pool(2) as pool:\n"
                 "        pool.map(work, [1])\n", [(3, "PCP608", "spawn")],
                 id="set-by-main-pool-with-its-context"),
    pytest.param("FACTOR = 1\n" + WORKER + STARTED, [], id="also-set-at-import"),
    pytest.param(WORKER + "def setup(value):\n    global FACTOR\n    FACTOR = value\n"
                 "if __name__ == '__main__':\n"
                 "    multiprocessing.Pool(2, initializer=setup, initargs=(2,)).map(work, [1])\n",
                 [], id="set-by-the-initializer-in-the-worker"),
    pytest.param("def work(item):\n    FACTOR = 3\n    return item * FACTOR\n" + STARTED, [],
                 id="local-of-the-worker"),
])
def test_parent_only_globals(body: str, expected: List[Tuple[int, str, str]]) -> None:
    report = poolcompat.check_source("import multiprocessing\n" + body, path="case.py",
                                     select=["PCP608"])
    assert sorted((f.line, f.code, f.method or "default") for f in report.findings) == expected
