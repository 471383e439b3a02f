"""What a value is when the code gives it two possible values (a join), and when it comes from
another module and is only known once that module is read (each operation on it recorded, then
applied): the findings prove the type was followed, or rightly given up."""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import List, Set, Tuple

import pytest

import poolcompat

CF = "from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor\n"
POOL = "from multiprocessing import Pool\n"


def _found(source: str, code: str) -> List[int]:
    report = poolcompat.check_source(textwrap.dedent(source), path="case.py")
    assert not report.errors, report.errors
    return sorted(f.line for f in report.findings if f.code == code)


JOINS = [
    pytest.param(CF + "class Mine(ThreadPoolExecutor): pass\n"
                 "e = Mine() if x else ProcessPoolExecutor()\ne.shutdown(cancel_futures=True)\n",
                 "PCP266", [4], id="project-subclass-and-stdlib-sibling-join-to-Executor"),
    pytest.param(CF + "class Mine(ThreadPoolExecutor): pass\n"
                 "e = ProcessPoolExecutor() if x else Mine()\ne.shutdown(cancel_futures=True)\n",
                 "PCP266", [4], id="either-order"),
    pytest.param(CF + "class Mine: pass\n"
                 "e = ProcessPoolExecutor() if x else Mine()\ne.shutdown(cancel_futures=True)\n",
                 "PCP266", [], id="a-class-with-no-stdlib-base-joins-to-unknown"),
    pytest.param(CF + "C = ThreadPoolExecutor if x else ProcessPoolExecutor\n"
                 "C(2).shutdown(cancel_futures=True)\n", "PCP266", [3], id="two-classes-called"),
    pytest.param(CF + "C = ThreadPoolExecutor if x else ProcessPoolExecutor\n"
                 "C.shutdown(C(2), cancel_futures=True)\n", "PCP266", [3],
                 id="method-of-two-classes"),
    pytest.param("import multiprocessing\np = multiprocessing.Pool()\nP = p.__class__\n"
                 "P(2).starmap(f, x)\n", "PCP102", [4], id="the-class-of-an-instance"),
    pytest.param(POOL + "a, b = (Pool(), 1, 2)\na.starmap(f, x)\n", "PCP102", [],
                 id="unpacking-a-tuple-of-another-size"),
    pytest.param(POOL + "a, b = (Pool(), 1)\na.starmap(f, x)\n", "PCP102", [3],
                 id="unpacking-a-tuple"),
    pytest.param(POOL + "ps = [Pool() for _ in range(2)]\na, b = ps\nb.starmap(f, x)\n", "PCP102",
                 [4], id="unpacking-a-list"),
    pytest.param(POOL + "d = {'a': Pool(), 'b': Pool()}\nd['a'].starmap(f, x)\n"
                 "d[k].starmap(f, x)\n", "PCP102", [3, 4], id="dict-by-key-or-any-key"),
    pytest.param(POOL + "import multiprocessing.pool as mpp\nps = (Pool(), mpp.ThreadPool())\n"
                 "for p in ps: p.starmap(f, x)\n", "PCP102", [4], id="items-of-two-pool-classes"),
    pytest.param(POOL + "ps = [Pool()] if x else (Pool(), Pool())\nfor p in ps: p.starmap(f, x)\n",
                 "PCP102", [3], id="list-or-tuple"),
    pytest.param(POOL + "ps = {'a': Pool()} if x else {'b': Pool()}\nps[k].starmap(f, x)\n",
                 "PCP102", [3], id="two-dicts"),
    pytest.param(POOL + "ps = (Pool(), 1) if x else (Pool(), 2)\nps[0].starmap(f, x)\n",
                 "PCP102", [3], id="two-tuples-item-by-item"),
]


@pytest.mark.parametrize("source, code, lines", JOINS)
def test_what_a_join_keeps(source: str, code: str, lines: List[int]) -> None:
    assert _found(source, code) == lines


POOLS = """\
from multiprocessing import Pool
from concurrent.futures import ThreadPoolExecutor
pool = Pool(2)
pools = [Pool(2), Pool(3)]
pair = (Pool(2), ThreadPoolExecutor(2))
table = {"a": Pool(2)}
def make():
    return Pool(2)
class Base(ThreadPoolExecutor):
    pass
Kind = ThreadPoolExecutor
"""
USE = """\
from pools import pool, pools, pair, table, make, Base, Kind
pool.starmap(f, x)
pools[0].starmap(f, x)
a, b = pair
a.starmap(f, x)
b.shutdown(cancel_futures=True)
for p in pools:
    p.starmap(f, x)
table["a"].starmap(f, x)
with make() as q:
    q.starmap(f, x)
Base(2).shutdown(cancel_futures=True)
Kind(2).shutdown(cancel_futures=True)
"""


def test_values_from_another_module_are_followed_through_each_operation(tmp_path: Path) -> None:
    (tmp_path / "pools.py").write_text(POOLS)
    (tmp_path / "use.py").write_text(USE)
    report = poolcompat.check_paths([str(tmp_path)])
    assert not report.errors
    found: Set[Tuple[int, str]] = {(f.line, f.code) for f in report.findings
                                   if f.path.endswith("use.py")}
    starmap = {line for line, code in found if code == "PCP102"}
    assert starmap == {2, 3, 5, 8, 9, 11}, "attribute, index, unpacked part, item, key, with"
    assert {line for line, code in found if code == "PCP266"} == {6, 12, 13}, \
        "the executor of a pair, a subclass, a class alias"
    assert (10, "PCP301") in found, "`with` on what an imported function returns"


PROJECT = {
    "factory.py": "from multiprocessing.pool import Pool\ndef make_pool():\n    return Pool(2)\n",
    "base.py": "from multiprocessing.pool import Pool\nclass Base(Pool):\n    pass\n",
    "pools.py": textwrap.dedent("""\
        import functools, contextlib
        from factory import make_pool
        from base import Base
        pair = (make_pool(), 1)
        listed = [make_pool()]
        keyed = {"a": make_pool()}
        maker = functools.partial(make_pool)
        closer = contextlib.closing(make_pool())
        class Mine(Base):
            pass
        inst = Mine()
        """),
    "a.py": "from b import x\n",
    "b.py": "from a import x\n",
    "use.py": textwrap.dedent("""\
        import pools
        from pools import pair, listed, keyed, maker, closer, inst
        from a import x
        pair[0].starmap(f, y)
        listed[0].starmap(f, y)
        keyed["a"].starmap(f, y)
        maker().starmap(f, y)
        with closer as c:
            c.starmap(f, y)
        inst.starmap(f, y)
        pools.pair[0].starmap(f, y)
        x.starmap(f, y)
        """),
}


def test_containers_and_wrappers_of_values_a_third_module_decides(tmp_path: Path) -> None:
    """pools.py holds what factory.py returns, in a tuple, list, dict, partial, closing, and a
    subclass of base.py's class: each is settled once both are read. a.py and b.py re-export
    each other's name: a cycle proves nothing."""
    for name, text in PROJECT.items():
        (tmp_path / name).write_text(text)
    report = poolcompat.check_paths([str(tmp_path)])
    assert not report.errors
    assert sorted(f.line for f in report.findings
                  if f.path.endswith("use.py") and f.code == "PCP102") == [4, 5, 6, 7, 9, 10, 11]


def test_a_join_of_classes_is_exported(tmp_path: Path) -> None:
    (tmp_path / "kinds.py").write_text(CF + "import sys\n"
                                       "Kind = ThreadPoolExecutor if sys.argv else ProcessPoolExecutor\n")
    (tmp_path / "use.py").write_text("from kinds import Kind\nKind(2).shutdown(cancel_futures=True)\n")
    report = poolcompat.check_paths([str(tmp_path)])
    assert [(Path(f.path).name, f.line) for f in report.findings if f.code == "PCP266"] == \
        [("use.py", 2)], "the common base, Executor, has shutdown(cancel_futures=)"
