"""Decorators of the module's own: a wrapper that returns what the wrapped function returns keeps
its result (a pool), any other decorator hides it; a `contextlib.contextmanager` generator gives
`with` what it yields."""
from __future__ import annotations

import textwrap
from typing import List

import pytest

import poolcompat

HEAD = "from multiprocessing import Pool\nimport contextlib\nimport functools\n"
MAKE = "@deco\ndef make():\n    return Pool()\nmake().starmap(f, x)\n"

CASES = [
    pytest.param("def deco(f):\n    @functools.wraps(f)\n    def inner(*a, **k):\n"
                 "        return f(*a, **k)\n    return inner\n" + MAKE, [12], id="wrapper"),
    pytest.param("def deco(f):\n    pass\n" + MAKE, [], id="returns-nothing"),
    pytest.param("def deco():\n    return None\n" + MAKE, [], id="takes-nothing"),
    pytest.param("def deco(f):\n    def inner(*a):\n        return print(*a)\n    return inner\n"
                 + MAKE, [], id="wrapper-calling-something-else"),
    pytest.param("def deco(f):\n    return 1\n" + MAKE, [], id="returns-no-function"),
    pytest.param("@contextlib.contextmanager\ndef pool():\n    yield Pool()\n"
                 "with pool() as p:\n    p.starmap(f, x)\n", [8], id="context-manager"),
    pytest.param("@contextlib.contextmanager\ndef pool():\n    yield Pool()\n    yield Pool(2)\n"
                 "with pool() as p:\n    p.starmap(f, x)\n", [9], id="context-manager-yields-joined"),
    pytest.param("@contextlib.contextmanager\ndef pool():\n    return Pool()\n"
                 "with pool() as p:\n    p.starmap(f, x)\n", [], id="context-manager-yielding-nothing"),
]


@pytest.mark.parametrize("source, lines", CASES)
def test_what_a_decorated_function_returns(source: str, lines: List[int]) -> None:
    report = poolcompat.check_source(textwrap.dedent(HEAD + source), path="case.py")
    assert not report.errors
    assert sorted(f.line for f in report.findings if f.code == "PCP102") == lines
