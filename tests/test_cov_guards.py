"""The version guards the README advertises, one form per case: what each proves about the Pythons
its body (or `else`) runs on, read from the finding it marks `guarded` or leaves counting. A
guard that proves less than the feature needs must leave the finding counting."""
from __future__ import annotations

import textwrap
from typing import List, Tuple

import pytest

import poolcompat

WITH_POOL = "import sys\nfrom multiprocessing import Pool\n{setup}if {test}:\n    with Pool() as p: pass\n" \
    "else:\n    with Pool() as q: pass\n"  # PCP301: `with Pool()` needs 3.3


def _guarded(source: str, code: str) -> List[Tuple[int, bool]]:
    report = poolcompat.check_source(textwrap.dedent(source), path="case.py")
    assert not report.errors, report.errors
    return sorted((f.line, f.guarded) for f in report.findings if f.code == code)


def _body_and_else(test: str, setup: str = "") -> Tuple[bool, bool]:
    found = _guarded(WITH_POOL.format(test=test, setup=setup), "PCP301")
    assert len(found) == 2
    return found[0][1], found[1][1]


# Which branch each test proves 3.3 for: (body guarded, else guarded).
FORMS = [
    pytest.param("sys.version_info >= (3, 3)", (True, False), id="at-least"),
    pytest.param("sys.version_info < (3, 3)", (False, True), id="below-else"),
    pytest.param("(3, 3) <= sys.version_info", (True, False), id="mirrored"),
    pytest.param("(3, 3) > sys.version_info", (False, True), id="mirrored-else"),
    pytest.param("not sys.version_info < (3, 3)", (True, False), id="not"),
    pytest.param("not sys.version_info >= (3, 3)", (False, True), id="not-else"),
    pytest.param("sys.version_info[:2] >= (3, 3)", (True, False), id="slice"),
    pytest.param("sys.version_info <= (3, 2)", (False, False), id="at-most-3.2-else-has-3.2.1"),
    pytest.param("sys.version_info[:2] < (3, 3)", (False, True), id="slice-below-else"),
    pytest.param("sys.version_info > (3, 2)", (False, False), id="above-(3,2)-includes-3.2.1"),
    pytest.param("sys.version_info.major > 3", (True, False), id="major-above"),
    pytest.param("sys.version_info.major >= 3", (False, False), id="major-proves-only-3.0"),
    pytest.param("sys.version_info[0] >= 4", (True, False), id="index-0"),
    pytest.param("sys.version_info[0] == 4", (True, False), id="index-0-equal"),
    pytest.param("sys.version_info[0] <= 3", (False, True), id="index-0-at-most-else"),
    pytest.param("sys.version_info == (3, 3)", (False, False), id="equal-to-a-pair-proves-nothing"),
    pytest.param("sys.version_info[1] >= 3", (False, False), id="minor-alone-is-true-on-2.7"),
    pytest.param("sys.version_info.minor >= 3", (False, False), id="minor-attribute"),
    pytest.param("sys.version_info[1:] >= (3,)", (False, False), id="slice-from-minor"),
    pytest.param("sys.version_info[-1] >= 3", (False, False), id="last-field"),
    pytest.param("sys.version_info[::2] >= (3, 3)", (False, False), id="stepped-slice"),
    pytest.param("sys.version_info >= (3, x)", (False, False), id="bound-not-a-constant"),
    pytest.param("sys.version_info >= x", (False, False), id="bound-a-name"),
    pytest.param("x.major >= 4", (False, False), id="major-of-something-else"),
    pytest.param("x[0] >= 4", (False, False), id="index-of-something-else"),
    pytest.param("sys.version_info is (3, 3)", (False, False), id="identity"),
    pytest.param("(3, 2) < sys.version_info < (3, 9)", (False, False), id="chained"),
    pytest.param("sys.version_info >= (3, 3) and x", (True, False), id="and"),
    pytest.param("x and sys.version_info >= (3, 3)", (True, False), id="and-right"),
    pytest.param("sys.version_info >= (3, 3) or x", (False, False), id="or"),
    pytest.param("sys.version_info < (3, 3) or x", (False, True), id="or-else"),
    pytest.param("sys.version_info < (3, 3) and x", (False, False), id="and-else-proves-nothing"),
    pytest.param("not " * 20 + "sys.version_info >= (3, 3)", (True, False), id="20-nots"),
    pytest.param("not " * 22 + "sys.version_info >= (3, 3)", (False, False),
                 id="nested-past-the-limit-proves-nothing"),
]


@pytest.mark.parametrize("test, expected", FORMS)
def test_what_a_version_test_proves(test: str, expected: Tuple[bool, bool]) -> None:
    assert _body_and_else(test) == expected


@pytest.mark.parametrize("setup, test, expected", [
    pytest.param("PY33 = sys.version_info >= (3, 3)\n", "PY33", (True, False), id="flag"),
    pytest.param("PY33 = sys.version_info >= (3, 3)\n", "not PY33", (False, True), id="not-flag"),
    pytest.param("PY33 = sys.version_info >= (3, 3)\nPY33 = False\n", "PY33", (False, False),
                 id="flag-bound-twice"),
    pytest.param("from sys import version_info as v\n", "v >= (3, 3)", (True, False),
                 id="imported-under-another-name"),
    pytest.param("version_info = (9, 9)\n", "version_info >= (3, 3)", (False, False),
                 id="a-name-that-is-not-sys"),
])
def test_what_a_named_test_proves(setup: str, test: str, expected: Tuple[bool, bool]) -> None:
    assert _body_and_else(test, setup) == expected


def test_a_flag_set_in_a_function_guards_there() -> None:
    source = ("import sys\nfrom multiprocessing import Pool\ndef f():\n"
              "    PY33 = sys.version_info >= (3, 3)\n    if PY33:\n        with Pool() as p: pass\n")
    assert _guarded(source, "PCP301") == [(6, True)]


def test_a_feature_gone_later_needs_both_ends() -> None:
    """`submit(fn=...)` works from 3.2 up to 3.9: only a guard bounding both ends proves it."""
    source = ("import sys\nfrom concurrent.futures import ThreadPoolExecutor\ne = ThreadPoolExecutor(1)\n"
              "if {}:\n    e.submit(fn=print)\n")
    cases = {
        "sys.version_info >= (3, 2) and sys.version_info < (3, 9)": True,
        "sys.version_info >= (3, 2) and sys.version_info[:2] <= (3, 8)": True,
        "sys.version_info >= (3, 2) and not sys.version_info > (3, 8)": True,
        "not (sys.version_info < (3, 2) or sys.version_info >= (3, 9))": True,
        "sys.version_info >= (3, 2)": False,
        "sys.version_info < (3, 9)": False,
    }
    assert {test: _guarded(source.format(test), "PCP261")[0][1] for test in cases} == cases


@pytest.mark.parametrize("handler, guarded", [
    pytest.param("except AttributeError:\n    p.terminate()\n", True, id="fallback"),
    pytest.param("except AttributeError: p.terminate()\n", True, id="fallback-on-one-line"),
    pytest.param("except AttributeError: raise\n", False, id="raises-again-on-one-line"),
    pytest.param("except AttributeError:\n    log()\n    raise\n", False, id="raises-again"),
    pytest.param("except (ValueError, AttributeError):\n    pass\n", True, id="in-a-tuple"),
    pytest.param("except ImportError:\n    pass\n", False, id="another-error"),
    pytest.param("except:\n    pass\n", False, id="bare"),
])
def test_what_a_handler_proves(handler: str, guarded: bool) -> None:
    source = "from multiprocessing import Process\np = Process()\ntry:\n    p.kill()\n" + handler
    assert _guarded(source, "PCP501") == [(4, guarded)]  # Process.kill: 3.7


@pytest.mark.parametrize("test", ["sys.version_info.major >= 3", "sys.version_info >= (3,)",
                                  "sys.version_info[0] == 3", "sys.version_info.major > 2"])
def test_a_major_bound_proves_3_0(test: str) -> None:
    source = f"import sys\nimport multiprocessing\nif {test}:\n    multiprocessing.Pool(2)\n"
    assert _guarded(source, "PCP115") == [(4, True)]  # multiprocessing.Pool: 3.0 (2.6 on 2.x)
