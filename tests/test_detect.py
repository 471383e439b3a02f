"""What the detector proves, one binding form or trap per case: (source, expected codes by line)."""
from __future__ import annotations

import textwrap
from typing import List, Tuple

import pytest

import poolcompat

MP = "import multiprocessing\n"


def _found(src: str) -> List[Tuple[int, str]]:
    report = poolcompat.check_source(textwrap.dedent(src), path="case.py")
    assert not report.errors, report.errors
    return sorted((f.line, f.code) for f in report.findings)


def _only(src: str, *codes: str) -> List[str]:
    return sorted({code for _, code in _found(src) if code in codes})


FORMS = [
    pytest.param("import multiprocessing as mp\nwith mp.Pool() as p: p.starmap(f, x)\n", "PCP102",
                 id="import-as"),
    pytest.param("from multiprocessing import Pool as P\nwith P() as p: p.starmap(f, x)\n", "PCP102",
                 id="from-import-as"),
    pytest.param("from multiprocessing import *\nwith Pool() as p: p.starmap(f, x)\n", "PCP102",
                 id="star-import"),
    pytest.param("import multiprocessing.pool\np = multiprocessing.pool.ThreadPool()\np.starmap(f, x)\n",
                 "PCP102", id="dotted-import"),
    pytest.param("from multiprocessing.pool import Pool\ndef g(p: Pool): p.starmap(f, x)\n", "PCP102",
                 id="annotation"),
    pytest.param("import multiprocessing.pool\ndef g(p: 'multiprocessing.pool.Pool'): p.starmap(f, x)\n",
                 "PCP102", id="string-annotation"),
    pytest.param(MP + "multiprocessing.Pool(2).starmap(f, x)\n", "PCP102", id="constructor-result"),
    pytest.param(MP + "ctx = multiprocessing.get_context('spawn')\nctx.Pool().starmap(f, x)\n", "PCP102",
                 id="context-object"),
    pytest.param("from multiprocessing.dummy import Pool\nPool(2).starmap(f, x)\n", "PCP102",
                 id="dummy"),
    pytest.param("from multiprocessing.pool import ThreadPool\nwith ThreadPool() as a, open(n) as b:\n"
                 "    a.starmap(f, x)\n", "PCP102", id="with-several-items"),
    pytest.param(MP + "class J:\n    def __init__(self): self.pool = multiprocessing.Pool()\n"
                 "    def run(self): return self.pool.starmap(f, x)\n", "PCP102", id="self-attribute"),
    pytest.param(MP + "ps = [multiprocessing.Process() for _ in range(3)]\nfor p in ps: p.kill()\n",
                 "PCP501", id="comprehension-items"),
    pytest.param(MP + "ps = [multiprocessing.Process()]\nfor p in sorted(ps, key=id): p.kill()\n",
                 "PCP501", id="sorted-copy"),
    pytest.param(MP + "import functools\nmk = functools.partial(multiprocessing.pool.Pool, 2)\n"
                 "with mk() as p: pass\n", "PCP301", id="partial"),
]
POOL = "from multiprocessing import Pool\n"
STARMAP = "with Pool() as p:\n    p.starmap(f, x)\n"
TRAPS = [
    pytest.param("import itertools\nitertools.starmap(f, x)\n", id="itertools-starmap"),
    pytest.param(MP + "class Pool:\n    def starmap(self, f, x): pass\nPool().starmap(f, x)\n",
                 id="own-pool-class"),
    pytest.param(MP + "def get_context(n): return n\nget_context('spawn')\n", id="own-get-context"),
    pytest.param(MP + "def run(thing): return thing.starmap(f, x)\n", id="unknown-object"),
    pytest.param("from multiprocessing import Pool\nPool = object\nwith Pool() as p: p.starmap(f, x)\n",
                 id="rebound-name"),
    pytest.param(MP + "ps = [multiprocessing.Process()]\nfor p in list(other): p.kill()\n",
                 id="copy-of-something-else"),
    pytest.param(MP + "list = lambda x: x\nps = [multiprocessing.Process()]\n"
                 "for p in list(ps)[0]: p.kill()\n", id="rebound-builtin"),
    pytest.param(MP + "p = [q for q in range(3)][0]\np.kill()\n", id="comprehension-of-ints"),
    pytest.param(POOL + "try:\n    pass\nexcept Exception as Pool:\n    pass\n" + STARMAP,
                 id="rebound-by-except-as"),
    pytest.param(POOL + "match c:\n    case Pool:\n        pass\n" + STARMAP, id="rebound-by-case"),
    pytest.param(POOL + "match c:\n    case [*Pool]:\n        pass\n" + STARMAP,
                 id="rebound-by-case-star"),
    pytest.param(POOL + "match c:\n    case {**Pool}:\n        pass\n" + STARMAP,
                 id="rebound-by-case-mapping-rest"),
    pytest.param(POOL + "match c:\n    case Point(x=Pool):\n        pass\n" + STARMAP,
                 id="rebound-by-case-class-keyword"),
    pytest.param(POOL + "type Pool = int\n" + STARMAP, id="rebound-by-type-alias"),
]


@pytest.mark.parametrize(("src", "code"), FORMS)
def test_binding_forms_are_followed(src: str, code: str) -> None:
    assert _only(src, code) == [code]


@pytest.mark.parametrize("src", TRAPS)
def test_traps_give_no_finding(src: str) -> None:
    assert _only(src, "PCP102", "PCP301", "PCP401", "PCP501") == []


@pytest.mark.parametrize(("src", "codes"), [
    pytest.param(MP + "multiprocessing.Pool(2, None, (), 5)\n", ["PCP115", "PCP200", "PCP202",
                                                                 "PCP203", "PCP204"],
                 id="pool-function-by-position"),
    pytest.param(MP + "import multiprocessing.pool\nmultiprocessing.pool.Pool(context=None)\n",
                 ["PCP116", "PCP209", "PCP902"], id="pool-class-context"),
    pytest.param(MP + "multiprocessing.Pool(context=None)\n", ["PCP115", "PCP205"],
                 id="pool-function-context-never-works"),
    pytest.param("from multiprocessing.pool import ThreadPool\nThreadPool(1, None, (), 5)\n",
                 ["PCP117", "PCP210", "PCP211", "PCP212", "PCP213", "PCP902"],
                 id="threadpool-has-no-maxtasksperchild"),
])
def test_arguments_by_keyword_and_position(src: str, codes: List[str]) -> None:
    assert sorted({code for _, code in _found(src)}) == codes
