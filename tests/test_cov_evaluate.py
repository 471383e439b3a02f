"""What the evaluator makes of the expressions a pool can hide in: a walrus, `functools.partial`,
`contextlib.closing`, `getattr` with a literal name, `__import__`, `super()`, `isinstance`
narrowing, star imports in order, and bindings by `with`/`for`/annotations. Each case says
whether the `starmap` (PCP102, or `get_context`: PCP401) is seen."""
from __future__ import annotations

import textwrap
from typing import List

import pytest

import poolcompat

HEAD = "from multiprocessing.pool import Pool\nimport functools, contextlib\nimport multiprocessing\n"

CASES = [
    pytest.param("q = (p := Pool())\nq.starmap(f, x)\n", "PCP102", [5], id="walrus"),
    pytest.param("g = functools.partial(Pool, 2)\ng().starmap(f, x)\n", "PCP102", [5], id="partial"),
    pytest.param("g = functools.partial(func=Pool)\ng().starmap(f, x)\n", "PCP102", [],
                 id="partial-by-keyword-is-not-followed"),
    pytest.param("with contextlib.closing(Pool()) as p:\n    p.starmap(f, x)\n", "PCP102", [5],
                 id="closing"),
    pytest.param("getattr(Pool(), 'starmap')(f, x)\n", "PCP102", [4], id="getattr-literal"),
    pytest.param("getattr(Pool(), name)(f, x)\n", "PCP102", [], id="getattr-computed"),
    pytest.param("mp = __import__('multiprocessing')\nmp.get_context()\n", "PCP401", [5],
                 id="dunder-import"),
    pytest.param("mp = __import__('multiprocessing.pool')\nmp.get_context()\n", "PCP401", [5],
                 id="dunder-import-gives-the-top-package"),
    pytest.param("def __import__(n):\n    return n\nmp = __import__('multiprocessing')\n"
                 "mp.get_context()\n", "PCP401", [], id="dunder-import-rebound"),
    pytest.param("class J(Pool):\n    def run(self):\n        super().starmap(f, x)\n", "PCP102",
                 [6], id="super"),
    pytest.param("class J(Pool):\n    def run(self):\n        super(J, self).starmap(f, x)\n",
                 "PCP102", [6], id="super-with-arguments"),
    pytest.param("class J(Pool):\n    def run(self):\n        def inner():\n"
                 "            return super(J, self).starmap(f, x)\n", "PCP102", [7],
                 id="super-in-a-nested-function"),
    pytest.param("class J(Pool):\n    def run(self):\n        super(int, self).starmap(f, x)\n",
                 "PCP102", [], id="super-of-another-class"),
    pytest.param("def g(p):\n    if isinstance(p, Pool):\n        p.starmap(f, x)\n", "PCP102", [6],
                 id="isinstance"),
    pytest.param("def g(p, q):\n    if isinstance(p, (Pool,)) and q:\n        p.starmap(f, x)\n",
                 "PCP102", [6], id="isinstance-tuple-in-and"),
    pytest.param("def isinstance(a, b):\n    return True\ndef g(p):\n    if isinstance(p, Pool):\n"
                 "        p.starmap(f, x)\n", "PCP102", [], id="isinstance-rebound"),
    pytest.param("with Pool() as p:\n    pass\np.starmap(f, x)\n", "PCP102", [6], id="with-binding"),
    pytest.param("for p in [Pool()]:\n    pass\np.starmap(f, x)\n", "PCP102", [6],
                 id="for-binding"),
    pytest.param("p: 'int' = Pool()\np.starmap(f, x)\n", "PCP102", [5],
                 id="annotation-proving-nothing-keeps-the-value"),
    pytest.param("from multiprocessing.pool import *\nThreadPool().starmap(f, x)\n", "PCP102",
                 [5], id="star-import"),
    pytest.param("from os import *\nfrom multiprocessing.pool import *\n"
                 "ThreadPool().starmap(f, x)\n", "PCP102", [6], id="last-star-import-provides"),
    pytest.param("from multiprocessing.pool import *\nfrom os import *\n"
                 "ThreadPool().starmap(f, x)\n", "PCP102", [], id="an-untracked-star-last-hides-it"),
    pytest.param("from mypkg import *\nPool2().starmap(f, x)\n", "PCP102", [],
                 id="star-from-an-unknown-module"),
    pytest.param("p = None\ndef setup():\n    global p\n    p = Pool()\ndef run():\n"
                 "    p.starmap(f, x)\n", "PCP102", [9], id="global-assigned-in-a-function"),
    pytest.param("def outer():\n    p = None\n    def inner():\n        nonlocal p\n"
                 "        p = Pool()\n    inner()\n    p.starmap(f, x)\n", "PCP102", [10],
                 id="nonlocal"),
    pytest.param("def outer():\n    p = None\n    class C:\n        def inner(self):\n"
                 "            nonlocal p\n            p = Pool()\n    p.starmap(f, x)\n", "PCP102",
                 [10], id="nonlocal-skips-the-class-scope"),
    pytest.param("def setup():\n    p = Pool()\ndef run():\n    p.starmap(f, x)\n", "PCP102", [],
                 id="a-local-is-not-the-global"),
]


@pytest.mark.parametrize("source, code, lines", CASES)
def test_what_an_expression_gives(source: str, code: str, lines: List[int]) -> None:
    report = poolcompat.check_source(textwrap.dedent(HEAD + source), path="case.py")
    assert not report.errors
    assert sorted(f.line for f in report.findings if f.code == code) == lines
