"""Small helpers on libcst nodes, shared by the engine's passes."""
from __future__ import annotations

import dataclasses
from typing import Dict, Optional, Tuple

import libcst as cst

# Fields that never hold an expression or statement: skipping them by name makes the walk ~10x
# cheaper than libcst's CSTVisitor, which visits every whitespace and punctuation node.
_SKIPPED = frozenset({
    "lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after_decorators", "header",
    "footer", "newline", "operator", "colon", "equal", "dot", "lbracket", "rbracket", "lbrace",
    "rbrace", "asynchronous", "trailing_whitespace", "relative", "star_tok",
})
_FIELDS: Dict[type, Tuple[str, ...]] = {}


def fields(cls: type) -> Tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(
            f.name for f in dataclasses.fields(cls)
            if f.name not in _SKIPPED and not f.name.startswith("whitespace")
        )
    return names


def dotted(node: cst.CSTNode) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted(node.value)}.{node.attr.value}"
    return ""


_EXITS = frozenset({"sys.exit", "exit", "quit", "os._exit"})


def exits(body: cst.BaseSuite) -> bool:
    """Whether a suite always leaves the enclosing block (return, raise, sys.exit(), ...)."""
    last = body.body[-1] if body.body else None
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1] if last.body else None
    if isinstance(last, (cst.Return, cst.Raise, cst.Continue, cst.Break)):
        return True
    return (isinstance(last, cst.Expr) and isinstance(last.value, cst.Call)
            and dotted(last.value.func) in _EXITS)


def literal(node: cst.CSTNode) -> Optional[str]:
    """A string literal's value (None for bytes or anything else). Plain quotes are read
    directly: libcst's `evaluated_value` runs `ast.literal_eval`, a compile per string."""
    if not isinstance(node, cst.SimpleString):
        return None
    raw = node.value
    if raw[:1] in "\"'" and "\\" not in raw:
        quote = raw[:3] if raw[:3] in ('"""', "'''") else raw[:1]
        return raw[len(quote):-len(quote)]
    value = node.evaluated_value
    return value if isinstance(value, str) else None
