"""`check --fix`, the parts the rule examples do not reach: every guard form the floor can
decide (and the ones it must leave alone), and where a keyword passed only on newer Pythons goes
when other arguments follow it."""
from __future__ import annotations

import ast
import textwrap
from typing import List, Optional

import libcst as cst
import pytest

from poolcompat.api import check_source
from poolcompat.fix import fix_source
from poolcompat.fix.syntax import atomic, code, is_pure, version_literal

HEAD = "import sys\nfrom concurrent.futures import ThreadPoolExecutor\nexecutor = ThreadPoolExecutor(2)\n"
BODY = "executor.shutdown(cancel_futures=True)\n"  # PCP266: needs 3.9
ELSE = "executor.shutdown()\n"
KEPT = {"body": BODY, "else": ELSE}


def _guarded(test: str, setup: str = "") -> str:
    return HEAD + setup + f"if {test}:\n    {BODY}else:\n    {ELSE}"


# At target 3.9 (floor 3.9): which branch is left ("body", "else"), the `if` kept with a simpler
# test (the test), or None: nothing is decided and the source is left as it is.
RAISED = [
    pytest.param("sys.version_info.major >= 3", "body", id="major"),
    pytest.param("sys.version_info[0] == 2", "else", id="index-0"),
    pytest.param("sys.version_info[1] >= 9", "body", id="index-1-on-3.x"),
    pytest.param("sys.version_info.minor < 9", "else", id="minor"),
    pytest.param("sys.version_info[:2] != (3, 8)", "body", id="slice-not-equal"),
    pytest.param("(3, 9) <= sys.version_info", "body", id="mirrored"),
    pytest.param("sys.version_info >= (3, 9) and sys.version_info >= (3, 8)", "body",
                 id="and-both-true"),
    pytest.param("sys.version_info < (3, 9) and f()", "else", id="and-false-first"),
    pytest.param("flag and sys.version_info >= (3, 9)", "flag", id="and-true-drops-out"),
    pytest.param("(flag and sys.version_info >= (3, 9))", "(flag)", id="parentheses-kept"),
    pytest.param("(a and sys.version_info >= (3, 9)) or (b and sys.version_info >= (3, 9))",
                 "(a) or (b)", id="both-sides-simplified"),
    pytest.param("not (flag and sys.version_info >= (3, 9))", "not (flag)", id="not-simplified"),
    pytest.param("sys.version_info >= (3, x)", None, id="bound-not-constant"),
    pytest.param("sys.version_info >= ()", None, id="empty-bound"),
    pytest.param("sys.version_info >= (3, 9, 1)", None, id="undecided-on-3.9.0"),
    pytest.param("sys.version_info >= (3, 9) > x", None, id="chained"),
    pytest.param("sys.version_info in x", None, id="not-a-comparison-we-read"),
    pytest.param("a or b", None, id="no-version-at-all"),
    pytest.param("version_info >= (3, 9)", None, id="version_info-not-from-sys"),
]


@pytest.mark.parametrize("test, left", RAISED)
def test_what_the_floor_decides(test: str, left: Optional[str]) -> None:
    source = _guarded(test)
    result = fix_source(source, "3.9")
    if left is None:
        assert result.source == source
    elif left in KEPT:
        assert result.source == HEAD.replace("import sys\n", "") + KEPT[left]
    else:  # the `if` stays with what is still undecided; `sys` is no longer used
        assert result.source == _guarded(left).replace("import sys\n", "")
    assert not [f for f in check_source(result.source, target="3.9").violations]


# Below the `and`, a part left unevaluated must have no effect: only such a part lets a decided
# False on the right decide the whole test.
QUIET = [
    pytest.param("flag", True, id="name"),
    pytest.param("flag.ok", True, id="attribute"),
    pytest.param("flag[0]", True, id="subscript"),
    pytest.param("not flag", True, id="not"),
    pytest.param("(1, 'a')", True, id="tuple-of-constants"),
    pytest.param("(a or b)", True, id="boolean"),
    pytest.param("a > 1", True, id="comparison"),
    pytest.param("hasattr(a, 'x')", True, id="hasattr"),
    pytest.param("f()", False, id="a-call-may-do-something"),
    pytest.param("hasattr(f(), 'x')", False, id="hasattr-of-a-call"),
    pytest.param("[a]", False, id="a-list-is-not-read"),
]


@pytest.mark.parametrize("left, decided", QUIET)
def test_a_false_right_side_decides_only_after_a_quiet_left(left: str, decided: bool) -> None:
    source = _guarded(f"{left} and sys.version_info < (3, 9)")
    expected = HEAD.replace("import sys\n", "") + ELSE if decided else source
    assert fix_source(source, "3.9").source == expected


def test_version_info_imported_from_sys_is_read() -> None:
    source = _guarded("version_info >= (3, 9)", setup="from sys import version_info\n")
    result = fix_source(source, "3.9").source
    assert "if " not in result and result.endswith(BODY)


def test_a_python_2_floor_decides_nothing() -> None:
    source = _guarded("sys.version_info >= (3, 9)")
    assert fix_source(source, "2.7").source == source


# ---- a keyword passed only on newer Pythons, with arguments after it ----------------------------

MANAGER = "from multiprocessing.managers import BaseManager\n"  # shutdown_timeout: 3.11
CONDITIONAL = '**({"shutdown_timeout": 5.0} if sys.version_info >= (3, 11) else {})'

LATER = [
    pytest.param("ctx=None", "3.4", f"BaseManager(ctx=None, {CONDITIONAL})",
                 id="before-3.5-moved-after-the-keywords"),
    pytest.param("ctx=None", "3.5", f"BaseManager({CONDITIONAL}, ctx=None)",
                 id="from-3.5-in-its-place"),
    pytest.param("**extra", "3.5", f"BaseManager({CONDITIONAL}, **extra)",
                 id="from-3.5-before-another-unpacking"),
    pytest.param("**extra", "3.4", "a second `**` in one call needs Python 3.5",
                 id="before-3.5-one-unpacking-only"),
    pytest.param("*rest", "3.5", "arguments after it are positional", id="positional-after"),
]


@pytest.mark.parametrize("after, target, expected", LATER)
def test_where_the_conditional_keyword_goes(after: str, target: str, expected: str) -> None:
    source = MANAGER + f"m = BaseManager(shutdown_timeout=5.0, {after})\n"
    result = fix_source(source, target, unsafe=True)
    if expected.startswith("BaseManager("):
        assert result.source == f"import sys\n{MANAGER}m = {expected}\n"
        assert not check_source(result.source, target=target).violations
        ast.parse(result.source)
    else:
        assert not result.changed
        assert [left.reason for left in result.left] == [f"not fixable here: {expected}"]


def _arguments(source: str) -> List[str]:
    """The lines between `ThreadPoolExecutor(` and `)`."""
    lines = source.splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith("ThreadPoolExecutor("))
    return lines[start + 1:lines.index(")", start)]


def test_an_added_argument_is_laid_out_like_the_last_one() -> None:
    """One argument a line with a trailing comma: the new one gets a line of its own, and the
    comment stays at the end of the list, where it was."""
    source = textwrap.dedent("""\
        from concurrent.futures import ThreadPoolExecutor
        executor = ThreadPoolExecutor(
            None,  # as many as there are CPUs
            None,  # a name
        )
        """)
    result = fix_source(source, "3.4").source  # PCP272: `None` means 5 x CPUs only from 3.5
    lines = _arguments(result)
    assert len(lines) == 2 and lines[1] == "    None,  # a name"
    assert lines[0].startswith("    None if sys.version_info >= (3, 5) else ")
    assert lines[0].endswith(",  # as many as there are CPUs")
    ast.parse(result)


def test_a_keyword_added_to_a_list_with_a_trailing_comma_keeps_the_comma_last() -> None:
    source = textwrap.dedent("""\
        from concurrent.futures import ThreadPoolExecutor
        executor = ThreadPoolExecutor(
            thread_name_prefix="io",
            initializer=print,  # say hello
        )
        """)
    result = fix_source(source, "3.4").source  # PCP251: max_workers left out, safe
    lines = _arguments(result)
    assert lines[:2] == ['    thread_name_prefix="io",', "    initializer=print,"]
    assert lines[2].startswith("    max_workers=None if sys.version_info >= (3, 5) else ")
    assert lines[2].endswith(",  # say hello")
    ast.parse(result)


# ---- the pieces of syntax the fixes write -------------------------------------------------------

@pytest.mark.parametrize("version, literal", [
    pytest.param((3, 9), "(3, 9)", id="minor"),
    pytest.param((3, 14, 1), "(3, 14, 1)", id="micro"),
    pytest.param((3, 14, 0), "(3, 14)", id="micro-zero-dropped"),
    pytest.param((3,), "(3,)", id="major-only-is-a-tuple"),
])
def test_a_version_is_written_as_the_checker_reads_it(version: tuple, literal: str) -> None:
    assert version_literal(version) == literal
    assert ast.literal_eval(literal) == tuple(version[:2]) + tuple(v for v in version[2:] if v)


@pytest.mark.parametrize("source, written", [
    pytest.param("a.b", "a.b", id="attribute-binds-tightly"),
    pytest.param("f(x)[0]", "f(x)[0]", id="subscript"),
    pytest.param("a + b", "(a + b)", id="operator-parenthesized"),
    pytest.param("(a + b)", "(a + b)", id="already-parenthesized"),
    pytest.param("lambda: 1", "(lambda: 1)", id="lambda"),
])
def test_an_expression_is_parenthesized_where_an_operator_would_bind_it(source: str,
                                                                      written: str) -> None:
    assert code(atomic(cst.parse_expression(source))) == written


@pytest.mark.parametrize("source, pure", [
    ("pool", True), ("self.pool", True), ("a.b.c", True), ("pools[0]", False), ("make()", False),
    ("make().pool", False)])
def test_a_pure_expression_is_a_name_or_attributes_of_one(source: str, pure: bool) -> None:
    assert is_pure(cst.parse_expression(source)) is pure
