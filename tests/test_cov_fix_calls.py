"""`check --fix` at a call, in the shapes the rule examples do not have: the statement shares
its line, the object is not a plain name, the argument comes by position or with others around
it; and the reason each codemod gives where it cannot apply."""
from __future__ import annotations

import ast

import pytest

from poolcompat.api import check_source
from poolcompat.fix import fix_source

T = "from concurrent.futures import ThreadPoolExecutor\n"
MP = "import multiprocessing\n"
G = "if sys.version_info >= {}:\n"

MPS = "import multiprocessing\nimport sys\n"
TS = "import sys\n" + T

FIXED = [
    pytest.param(MP + "p = multiprocessing.Process()\np.kill(); p.join()\n", "3.6",
                 MPS + "p = multiprocessing.Process()\n"
                 "p.kill() if sys.version_info >= (3, 7) else p.terminate(); p.join()\n",
                 id="call-sharing-its-line-becomes-an-expression"),
    pytest.param(MP + "p = multiprocessing.Process()\nx = p.kill()\n", "3.6",
                 MPS + "p = multiprocessing.Process()\n"
                 "x = p.kill() if sys.version_info >= (3, 7) else p.terminate()\n",
                 id="call-whose-value-is-used"),
    pytest.param(MP + "p = multiprocessing.Process()\nprocs = [p]\nprocs[0].kill()\n", "3.6",
                 MPS + "p = multiprocessing.Process()\nprocs = [p]\n"
                 + G.format("(3, 7)") + "    procs[0].kill()\nelse:\n    procs[0].terminate()\n",
                 id="receiver-named-once-may-be-any-expression"),
    pytest.param(MP + "print(multiprocessing.get_context('spawn'))\n", "3.3",
                 MPS + "print(multiprocessing.get_context('spawn') if sys.version_info >= (3, 4) "
                 "else multiprocessing)\n", id="fallback-in-an-argument-needs-no-parens"),
    pytest.param(MP + "w.x = multiprocessing.Process(target=print, daemon=True)\n", "3.2",
                 MPS + G.format("(3, 3)")
                 + "    w.x = multiprocessing.Process(target=print, daemon=True)\nelse:\n"
                 "    w.x = multiprocessing.Process(target=print)\n    w.x.daemon = True\n",
                 id="attribute-set-on-an-attribute-target"),
    pytest.param(T + "e = ThreadPoolExecutor(2)\ne.submit(fn=print, x=1)\n", "3.8",
                 T + "e = ThreadPoolExecutor(2)\ne.submit(print, x=1)\n",
                 id="keyword-to-positional-before-other-keywords"),
    pytest.param("from concurrent.futures import ProcessPoolExecutor\n"
                 "ProcessPoolExecutor(4, None, None, (), 100)\n", "3.11",
                 "from concurrent.futures import ProcessPoolExecutor\n"
                 "ProcessPoolExecutor(4, None, None, (), max_tasks_per_child=100)\n",
                 id="positional-to-keyword"),
    pytest.param(T + "ThreadPoolExecutor(None, *args)\n", "3.4",
                 MPS + T + "ThreadPoolExecutor(None if sys.version_info >= (3, 5) else "
                 "multiprocessing.cpu_count() * 5, *args)\n", id="default-argument-before-unpacking"),
    pytest.param(MP + "c = multiprocessing.Condition()\nc.notify(2)\n", "3.6",
                 MPS + "c = multiprocessing.Condition()\n" + G.format("(3, 7)")
                 + "    c.notify(2)\nelse:\n    for _notified in range(2):\n        c.notify()\n",
                 id="notify-by-position"),
    pytest.param("from concurrent.futures import *\nfrom concurrent import futures\n"
                 "f = InvalidStateError\n", "3.12",
                 "from concurrent.futures import *\nfrom concurrent.futures import InvalidStateError\n"
                 "from concurrent import futures\nf = InvalidStateError\n",
                 id="explicit-import-right-after-the-star"),
    pytest.param(MP + "multiprocessing.Pool(2, None, (), 5, multiprocessing.get_context())\n", "3.8",
                 MP + "multiprocessing.get_context().Pool(2, None, (), 5)\n",
                 id="pool-context-by-position"),
]


@pytest.mark.parametrize("source, target, expected", FIXED)
def test_a_call_is_fixed(source: str, target: str, expected: str) -> None:
    result = fix_source(source, target, unsafe=True)
    assert result.source == expected
    assert not check_source(result.source, target=target).violations
    ast.parse(result.source)


LEFT = [
    pytest.param(T + "ThreadPoolExecutor(2, **{'thread_name_prefix': 'x'})\n", "3.5", "PCP252",
                 "the argument is not written in the call here", id="keyword-inside-unpacking"),
    pytest.param(T + "e = ThreadPoolExecutor(2)\ne.submit(print, fn=print)\n", "3.8", "PCP261",
                 "other positional arguments come first", id="keyword-after-positional"),
    pytest.param("from concurrent.futures import ProcessPoolExecutor\n"
                 "ProcessPoolExecutor(4, None, None, (), 100, 1)\n", "3.11", "PCP260",
                 "it is not the last positional argument", id="positional-not-last"),
    pytest.param(MP + "w = multiprocessing.Process(target=print, daemon=True); w.start()\n", "3.2",
                 "PCP226", "the object is not assigned to a name on a line of its own",
                 id="attribute-line-shared"),
    pytest.param(MP + "a = b = multiprocessing.Process(target=print, daemon=True)\n", "3.2",
                 "PCP226", "the object is not assigned to a name on a line of its own",
                 id="attribute-two-targets"),
    pytest.param(MP + "with multiprocessing.Manager() as m:\n    t = m.dict(a=1)\n"
                 "    t |= {'b': 2}; print(t)\n", "3.13", "PCP529", "it is not called here",
                 id="in-place-operator-sharing-its-line"),
    pytest.param(MP + "def f(): return multiprocessing.Lock()\nprint(f().locked())\n", "3.13",
                 "PCP519", "the fallback names the object twice and it is not a plain name",
                 id="fallback-would-call-twice"),
    pytest.param("from multiprocessing import Pool\nwith Pool(2) as p:\n    p.starmap(*args)\n",
                 "3.2", "PCP102", "the function is not passed as its first argument",
                 id="starmap-unpacked"),
    pytest.param(T + "def f(e: ThreadPoolExecutor): e.shutdown(cancel_futures=True)\n", "3.8",
                 "PCP266", "only `executor.shutdown(cancel_futures=True)` as a statement of its own",
                 id="cancel-on-the-def-line"),
    pytest.param(T + "def f(e: ThreadPoolExecutor):\n    e.shutdown(cancel_futures=x)\n", "3.8",
                 "PCP266", "only `executor.shutdown(cancel_futures=True)` as a statement of its own",
                 id="cancel-not-a-literal"),
    pytest.param(MP + "c = multiprocessing.Condition()\nc.notify(n=2); x = 1\n", "3.6", "PCP234",
                 "only `condition.notify(n)` as a statement of its own is fixed",
                 id="notify-sharing-its-line"),
    pytest.param(MP + "def g(): return multiprocessing.Condition()\ng().notify(n=2)\n", "3.6",
                 "PCP234", "only `condition.notify(n)` as a statement of its own is fixed",
                 id="notify-on-a-call"),
    pytest.param("def f():\n    from concurrent.futures import *\nx = InvalidStateError\n", "3.12",
                 "PCP920", "no `from concurrent.futures import *` at the top of the module",
                 id="star-import-in-a-function"),
]


@pytest.mark.parametrize("source, target, code, reason", LEFT)
def test_what_cannot_be_fixed_at_a_call_says_why(source: str, target: str, code: str,
                                                 reason: str) -> None:
    result = fix_source(source, target, unsafe=True)
    reasons = [left.reason for left in result.left if left.finding.code == code]
    assert len(reasons) == 1 and reasons[0].startswith(f"not fixable here: {reason}")
    assert code not in {a.code for a in result.applied}
