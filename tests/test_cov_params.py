"""What a parameter holds: the join of what every call passes (by position, keyword or default,
to a function, static, class or instance method, or `__init__`), and nothing where a call or a
read of the function cannot be followed."""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import List

import pytest

import poolcompat

HEAD = "from multiprocessing import Pool\nimport functools\nfrom concurrent.futures import ThreadPoolExecutor\n"
CALLS = [
    pytest.param("class J:\n    @staticmethod\n    def run(p):\n        p.starmap(f, x)\nJ.run(Pool())\n",
                 [7], id="static-method-on-the-class"),
    pytest.param("class J:\n    @staticmethod\n    def run(p):\n        p.starmap(f, x)\n"
                 "J().run(Pool())\n", [7], id="static-method-on-an-instance"),
    pytest.param("class J:\n    @classmethod\n    def run(cls, p):\n        p.starmap(f, x)\n"
                 "J.run(Pool())\n", [7], id="class-method"),
    pytest.param("class J:\n    def run(self, p):\n        p.starmap(f, x)\nJ().run(Pool())\n", [6],
                 id="method-on-an-instance"),
    pytest.param("class J:\n    def run(self, p):\n        p.starmap(f, x)\nJ.run(J(), Pool())\n",
                 [6], id="method-on-the-class-with-self-passed"),
    pytest.param("class J:\n    def __init__(self, p):\n        p.starmap(f, x)\nJ(Pool())\n", [6],
                 id="init-by-constructing"),
    pytest.param("def run(p):\n    p.starmap(f, x)\nrun(p=Pool())\n", [5], id="by-keyword"),
    pytest.param("def run(p=Pool()):\n    p.starmap(f, x)\nrun()\n", [5], id="default"),
    pytest.param("def run(p, n):\n    p.starmap(f, x)\n    if n: run(p, n - 1)\nrun(Pool(), 3)\n",
                 [5], id="recursion-passing-it-on-adds-nothing"),
    pytest.param("def done(pool, fut):\n    pool.starmap(f, x)\ne = ThreadPoolExecutor(1)\n"
                 "e.submit(print).add_done_callback(functools.partial(done, Pool()))\n", [5],
                 id="partial-registered-as-a-callback"),
    pytest.param("def run(p):\n    p.starmap(f, x)\nrun(*[Pool()])\n", [], id="unpacked-arguments"),
    pytest.param("def done(pool, fut):\n    pool.starmap(f, x)\n"
                 "cb = functools.partial(done, Pool())\n", [], id="partial-kept-for-later"),
    pytest.param("def done(pool, fut):\n    pool.starmap(f, x)\n"
                 "print(functools.partial(done, Pool()))\n", [], id="partial-passed-elsewhere"),
    pytest.param("def run(p):\n    p.starmap(f, x)\nrun(Pool())\nhandlers = [run]\n", [],
                 id="read-without-a-call-may-be-called-with-anything"),
]


@pytest.mark.parametrize("source, lines", CALLS)
def test_what_a_parameter_holds(source: str, lines: List[int]) -> None:
    report = poolcompat.check_source(textwrap.dedent(HEAD + source), path="case.py")
    assert not report.errors
    assert sorted(f.line for f in report.findings if f.code == "PCP102") == lines


DEFINED = ("import multiprocessing\ndef run(p):\n    p.starmap(f, x)\n"
           "def done(pool, fut):\n    pool.starmap(f, x)\n")
CALLER = ("from multiprocessing.pool import Pool\nimport functools\n"
          "from concurrent.futures import ThreadPoolExecutor\nfrom a import run, done\n")


@pytest.mark.parametrize("calls, lines", [
    pytest.param("run(Pool())\n", [3], id="by-position"),
    pytest.param("run(p=Pool())\n", [3], id="by-keyword"),
    pytest.param("run(Pool())\nrun(None)\n", [3], id="none-is-no-obstacle"),
    pytest.param("ThreadPoolExecutor(1).submit(print).add_done_callback("
                 "functools.partial(done, Pool()))\n", [5], id="partial-callback"),
    pytest.param("run(*[Pool()])\n", [], id="unpacked"),
    pytest.param("run(Pool())\nhandlers = [run]\n", [], id="escaped-anyone-may-call-it"),
])
def test_what_calls_from_another_module_pass(tmp_path: Path, calls: str, lines: List[int]) -> None:
    (tmp_path / "a.py").write_text(DEFINED)
    (tmp_path / "b.py").write_text(CALLER + calls)
    report = poolcompat.check_paths([str(tmp_path)])
    assert not report.errors
    assert sorted(f.line for f in report.findings
                  if f.path.endswith("a.py") and f.code == "PCP102") == lines
