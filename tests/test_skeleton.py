"""A big file is read through a skeleton; what it binds and reports must not change.

The skeleton decides from `ast` what a statement binds (`reading/mentions.py`), the resolver from
libcst (`engine/resolve.py`): every binding form and trap of `test_detect.py` runs both ways.
"""
from __future__ import annotations

import textwrap
from typing import List, Tuple

import pytest

import poolcompat
from poolcompat.reading import skeleton
from poolcompat.reading.mentions import Tracked
from poolcompat.table.load import default_table
from tests.test_detect import FORMS, TRAPS

# Enough unrelated statements to take a file past the skeleton's threshold.
PADDING = "".join(f"def filler_{i}(a, b):\n    return a + b * {i}\n\n"
                  for i in range(skeleton.CHUNK_FROM_BYTES // 30))
Answer = List[Tuple[int, int, str, bool]]


def _answer(src: str) -> Tuple[Answer, List[str]]:
    report = poolcompat.check_source(src, path="case.py")
    return (sorted((f.line, f.column, f.code, f.guarded) for f in report.findings),
            [e.message for e in report.errors])


def _sources(param: object) -> str:
    values = getattr(param, "values")
    return textwrap.dedent(values[0])


CASES = [pytest.param(_sources(p), id=getattr(p, "id")) for p in [*FORMS, *TRAPS]] + [
    pytest.param("from multiprocessing import Pool\ndef helper(\n    n,\n) -> int: return n\n"
                 "p = Pool(helper(2))\np.starmap(f, x)\n", id="stub-body-on-signature-line"),
    pytest.param("from multiprocessing import Pool\nclass K:\n    def helper(\n        n,\n"
                 "    ) -> int: return n  # é\n    def other(self): pass\n"
                 "p = Pool(K.helper(2))\np.starmap(f, x)\n", id="member-stub-on-signature-line"),
    pytest.param("import concurrent.futures\nclass Uploader:\n    def __init__(self, n,\n"
                 "            executor_cls=concurrent.futures.ThreadPoolExecutor, *, late=None):\n"
                 "        self._executor_cls = executor_cls\n    def other(self):\n        return 1\n"
                 "    def upload(self, items):\n        with self._executor_cls(max_workers=2) as ex:\n"
                 "            return list(ex.map(abs, items, timeout=1))\n",
                 id="default-parameter-stored-then-used"),
    pytest.param("import multiprocessing\nclass Runner:\n    def __init__(self, *,\n"
                 "            context=multiprocessing.get_context('spawn')):\n"
                 "        self._context = context\n    def other(self):\n        return 1\n"
                 "    def run(self):\n        return self._context.Pool(maxtasksperchild=2)\n",
                 id="keyword-only-default-stored-then-used"),
    pytest.param("def work():\n    from concurrent.futures import ThreadPoolExecutor as T\n"
                 "    with T(max_workers=1) as ex:\n        return ex.submit(abs, 1).result()\n",
                 id="import-inside-a-function"),
    pytest.param("class K:\n    def other(self):\n        return 1\n    def work(self):\n"
                 "        import multiprocessing.pool\n"
                 "        return multiprocessing.pool.ThreadPool(2).starmap(max, [])\n",
                 id="import-inside-a-method"),
]


@pytest.mark.parametrize("src", CASES)
def test_forced_skeleton_reads_what_the_whole_file_says(src: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _answer(src)
    monkeypatch.setattr(skeleton, "CHUNK_FROM_BYTES", 0)
    monkeypatch.setattr(skeleton, "_SPLIT_CLASS_FROM_LINES", 0)
    assert _answer(src) == whole


@pytest.mark.parametrize("src", CASES)
def test_padded_past_the_threshold_reads_the_same(src: str) -> None:
    whole = _answer(src)
    padded = src + PADDING
    assert len(padded.encode()) > skeleton.CHUNK_FROM_BYTES
    assert _answer(padded) == whole


def _kept(src: str, tracked: Tracked) -> str:
    sparse = skeleton.skeleton(textwrap.dedent(src).encode(), tracked)
    assert sparse is not None
    return sparse[0]


_PROJECT = Tracked(frozenset({"multiprocessing", "concurrent", "pkg.tasks"}), "app", False,
                   default_table().names, frozenset({"pkg.tasks.run_pool"}),
                   frozenset({"multiprocessing", "concurrent"}))
_UNCHECKED = _PROJECT._replace(open=frozenset({"multiprocessing", "concurrent", "pkg.tasks"}))


@pytest.mark.parametrize(("src", "tracked", "kept", "blanked"), [
    pytest.param("""\
        import multiprocessing
        def helper(x):
            return "HELPER_BODY"
        def start():
            p = multiprocessing.Process(target=abs)
            p.start()
        def other(items):
            p = list(items)
            return helper(p)
        """, _PROJECT, ["p.start()"], ["HELPER_BODY", "return helper(p)"],
        id="a local is followed in its own function only"),
    pytest.param("""\
        import multiprocessing
        class Server:
            def start(self):
                return "SERVER_START"
        def run():
            p = multiprocessing.Process(target=abs)
            p.start()
        """, _PROJECT, ["p.start()"], ["SERVER_START"],
        id="a method called on a pool does not keep every method of that name"),
    pytest.param("""\
        import multiprocessing
        def helper(x):
            return "HELPER_BODY"
        def run():
            helper(multiprocessing.Pool(2))
        """, _PROJECT, ["HELPER_BODY"], [], id="a function passed a pool is kept"),
    pytest.param("""\
        from pkg import tasks
        def a():
            tasks.run_pool()
        def b():
            tasks.sleep("SLEEP")
        """, _PROJECT, ["tasks.run_pool()"], ["SLEEP"],
        id="of a module checked before, only what it exports"),
    pytest.param("""\
        from pkg import tasks
        def a():
            tasks.run_pool()
        def b():
            tasks.sleep("SLEEP")
        """, _UNCHECKED, ["tasks.run_pool()", "SLEEP"], [],
        id="of a module checked along, every name"),
])
def test_the_skeleton_keeps_only_what_can_matter(src: str, tracked: Tracked, kept: List[str],
                                                 blanked: List[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(skeleton, "CHUNK_FROM_BYTES", 0)
    text = _kept(src, tracked)
    assert [k for k in kept if k not in text] == []
    assert [b for b in blanked if b in text] == []
