"""`check --fix` at a name: imports moved under a guard or taken from another module, `with`
statements rewritten as `try`/`finally` (or a lock's `with`), subscripts quoted or guarded, in
the shapes the rule examples do not have, and the reasons where none of that can be done."""
from __future__ import annotations

import ast
import textwrap

import pytest

from poolcompat.api import check_source
from poolcompat.fix import fix_source

POOL = "from multiprocessing import Pool\n"
BROKEN = ("if sys.version_info >= (3, 7):\n    from concurrent.futures import BrokenExecutor\n"
          "else:\n    from concurrent.futures.process import BrokenProcessPool as BrokenExecutor\n")

FIXED = [
    pytest.param("from concurrent.futures import BrokenExecutor, Future\n", "3.6",
                 "import sys\nfrom concurrent.futures import Future\n" + BROKEN,
                 id="import-split-from-its-line"),
    pytest.param("from concurrent.futures import (Future, BrokenExecutor)\n", "3.6",
                 "import sys\nfrom concurrent.futures import (Future, )\n" + BROKEN,
                 id="import-split-in-parentheses"),
    pytest.param(POOL + "p = Pool(2)\nwith p:\n    p.map(abs, [1])\n", "3.2",
                 POOL + "p = Pool(2)\ntry:\n    p.map(abs, [1])\nfinally:\n    p.terminate()\n",
                 id="with-a-name"),
    pytest.param(POOL + "with (Pool(2) as p):\n    pass\n", "3.2",
                 POOL + "p = Pool(2)\ntry:\n    pass\nfinally:\n    p.terminate()\n",
                 id="with-parenthesized"),
    pytest.param(POOL + "with Pool(2) as p, open('f') as g:\n    p.map(abs, [1])\n", "3.2",
                 POOL + "p = Pool(2)\ntry:\n    with open('f') as g:\n        p.map(abs, [1])\n"
                 "finally:\n    p.terminate()\n", id="with-items-after"),
    pytest.param(POOL + "with open('f') as g, Pool(2) as p:\n    p.map(abs, [1])\n", "3.2",
                 POOL + "with open('f') as g:\n    p = Pool(2)\n    try:\n        p.map(abs, [1])\n"
                 "    finally:\n        p.terminate()\n", id="with-items-before"),
    pytest.param("import multiprocessing\nmanager = multiprocessing.managers.BaseManager()\n"
                 "with manager as m:\n    pass\n", "3.2",
                 "import multiprocessing\nmanager = multiprocessing.managers.BaseManager()\n"
                 "m = manager\ntry:\n    pass\nfinally:\n    m.shutdown()\n",
                 id="manager-not-constructed-here-is-not-started"),
    pytest.param("import multiprocessing\nc = multiprocessing.Value('i', 0)\nwith c, c:\n    pass\n",
                 "3.4", "import multiprocessing\nc = multiprocessing.Value('i', 0)\n"
                 "with c.get_lock(), c.get_lock():\n    pass\n", id="lock-twice-in-one-with"),
    pytest.param("from concurrent.futures import Future\ndef f(x: Future[int]): pass\n", "3.8",
                 'from concurrent.futures import Future\ndef f(x: "Future[int]"): pass\n',
                 id="annotation-quoted"),
    pytest.param("from concurrent.futures import Future\ndef f(x: Future['a']): pass\n", "3.8",
                 "from concurrent.futures import Future\ndef f(x: \"Future['a']\"): pass\n",
                 id="annotation-with-single-quotes"),
    pytest.param("from concurrent.futures import Future\nF = Future[int]\n", "3.8",
                 "import sys\nfrom concurrent.futures import Future\n"
                 "F = Future[int] if sys.version_info >= (3, 9) else Future\n",
                 id="subscript-guarded"),
]


@pytest.mark.parametrize("source, target, expected", FIXED)
def test_a_name_is_fixed(source: str, target: str, expected: str) -> None:
    result = fix_source(source, target, unsafe=True)
    assert result.source == expected
    assert not result.left and not check_source(result.source, target=target).violations
    ast.parse(result.source)


LEFT = [
    pytest.param("import concurrent.futures.interpreter as i\nprint(i.ExecutionFailed)\n", "3.13",
                 "PCP182", "it is fixed where imported with `from ... import`",
                 id="replace-import-without-from"),
    pytest.param("import multiprocessing.context\nw = multiprocessing.context.Process()\n", "3.3",
                 "PCP411", "it is fixed where imported with `from ... import`",
                 id="replace-import-attribute"),
    pytest.param(POOL + "with Pool(2) as (a, b):\n    pass\n", "3.2", "PCP301",
                 "the `as` target unpacks", id="with-unpacking"),
    pytest.param(POOL + "with Pool(2):\n    pass\n", "3.2", "PCP301",
                 "nothing names the object to close", id="with-unnamed"),
    pytest.param("from concurrent.futures import Future\ndef f(x: Future[\n    int]): pass\n",
                 "3.8", "PCP331", "the annotation spans lines or holds both kinds of quotes",
                 id="annotation-on-two-lines"),
    pytest.param("from concurrent.futures import Future\n"
                 "def f(x: Future[Literal['a', \"b\"]]): pass\n", "3.8", "PCP331",
                 "the annotation spans lines or holds both kinds of quotes",
                 id="annotation-with-both-quotes"),
]


@pytest.mark.parametrize("source, target, code, reason", LEFT)
def test_what_cannot_be_fixed_at_a_name_says_why(source: str, target: str, code: str,
                                                 reason: str) -> None:
    result = fix_source(textwrap.dedent(source), target, unsafe=True)
    assert not result.changed
    assert f"not fixable here: {reason}" in [left.reason for left in result.left
                                             if left.finding.code == code]


def test_async_with_is_not_a_with_use() -> None:
    """`async with` calls `__aenter__`: the pool's `with` support is not what it needs."""
    source = POOL + "async def f():\n    async with Pool(2) as p:\n        pass\n"
    assert not [f for f in check_source(source, target="3.2").violations if f.code == "PCP301"]
