"""What the running Python's own parser says about a file, before libcst sees it.

CPython's parser is fast and guards its depth: it refuses what would make libcst's parser
overflow its stack or take gigabytes (hundreds of nested brackets, unary chains), and its
messages are clearer. Its verdict is final for encodings, depth and Python 2 syntax; other
errors are not, since libcst may know syntax newer than the running interpreter.
"""
from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from typing import Optional, Tuple

_PY2_MESSAGES = (
    "Missing parentheses in call to", "multiple exception types must be parenthesized",
    "leading zeros in decimal integer literals",
)
_PY2_LINE = re.compile(
    r"""^\s*(?:print\s+[^\s(=]|exec\s+["'\w]|raise\s+\w+\s*,|except\s+[\w.]+\s*,\s*\w+\s*:)"""
    r"""|`|<>|\b[uU][rR]["']|\b\d+[lL]\b""")
_TOO_DEEP = ("too many nested parentheses", "too complex", "too many indentation levels",
             "too many statically nested blocks")
_DECODING = ("encoding", "unicode error", "codec can't decode")
VERSION = ".".join(map(str, sys.version_info[:2]))
# libcst's parser takes time quadratic in a chain of binary operators (2000 terms: about a
# second, 10000: over a minute, in native code our time limit cannot interrupt).
LONGEST_CHAIN = 2000
_OPERATOR_BYTES = (b"+", b"-", b"*", b"/", b"%", b"|", b"&", b"^", b"@", b"<", b">")


@dataclass(frozen=True)
class Verdict:
    message: str
    final: bool  # libcst is not asked


def _where(exc: SyntaxError) -> str:
    if not exc.lineno:
        return ""
    column = f", column {exc.offset}" if exc.offset else ""
    return f" at line {exc.lineno}{column}"


def _python2(exc: SyntaxError) -> bool:
    return any(text in exc.msg for text in _PY2_MESSAGES) or bool(
        exc.text and _PY2_LINE.search(exc.text))


def _describe(exc: SyntaxError) -> Verdict:
    message = exc.msg
    if any(text in message for text in _TOO_DEEP):
        return Verdict(f"too deeply nested to check{_where(exc)}: {message}", True)
    if any(text in message.lower() for text in _DECODING):
        return Verdict(f"cannot decode{_where(exc)}: {message}", True)
    if _python2(exc):
        return Verdict(f"syntax error{_where(exc)}: {message} (Python 2 syntax?)", True)
    return Verdict(f"syntax error{_where(exc)}: {message}", False)


def python_tree(data: bytes) -> Tuple[Optional[ast.Module], Optional[Verdict]]:
    """The running Python's tree of the file, or what is wrong with it."""
    try:
        tree = compile(data, "<checked>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        return tree if isinstance(tree, ast.Module) else None, None
    except SyntaxError as exc:
        return None, _describe(exc)
    except (RecursionError, MemoryError):
        return None, Verdict("too deeply nested to check (Python's own parser gives up)", True)
    except ValueError as exc:  # NUL bytes before Python 3.12
        return None, Verdict(f"not Python source: {exc}", True)


def _chain(tree: ast.AST) -> Tuple[int, int]:
    """The most binary operators in one expression, and its line."""
    best, line, seen = 0, 0, set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.BinOp) or id(node) in seen:
            continue
        count, todo = 0, [node]
        while todo:
            current = todo.pop()
            seen.add(id(current))
            count += 1
            todo += [c for c in (current.left, current.right) if isinstance(c, ast.BinOp)]
        if count > best:
            best, line = count, node.lineno
    return best, line


def chain_verdict(data: bytes, tree: ast.Module) -> Optional[str]:
    """Why a file is refused for an expression libcst would take minutes on, if it is."""
    if sum(data.count(op) for op in _OPERATOR_BYTES) <= LONGEST_CHAIN:
        return None  # cannot hold such a chain: no need to walk the tree
    count, line = _chain(tree)
    if count <= LONGEST_CHAIN:
        return None
    return (f"expression too long to check at line {line}: {count} chained operators "
            f"(the limit is {LONGEST_CHAIN})")


def libcst_only(message: str) -> str:
    """libcst failed on what the running Python accepts."""
    return f"libcst cannot parse this file (Python {VERSION} can): {message}"
