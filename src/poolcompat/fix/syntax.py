"""Small libcst builders the fixes share: version tests, guarded statements and expressions,
templates filled in from the code they replace."""
from __future__ import annotations

import textwrap
from typing import List, Sequence, Tuple, TypeVar

import libcst as cst

_EMPTY = cst.Module(body=[])
ExprT = TypeVar("ExprT", bound=cst.BaseExpression)


def code(node: cst.CSTNode) -> str:
    return _EMPTY.code_for_node(node)


def version_literal(version: Tuple[int, ...]) -> str:
    """`(3, 9)`, `(3, 14, 1)`; a 3.x.0 version drops its micro part."""
    parts = list(version[:3])
    while len(parts) > 2 and parts[-1] == 0:
        parts.pop()
    return "(" + ", ".join(map(str, parts)) + ("," if len(parts) == 1 else "") + ")"


def version_test(version: Tuple[int, ...], newer: bool = True) -> cst.BaseExpression:
    """`sys.version_info >= (3, 9)` (or `<` for the older side): a guard the checker reads."""
    return cst.parse_expression(f"sys.version_info {'>=' if newer else '<'} "
                                f"{version_literal(version)}")


def parenthesized(expr: ExprT) -> ExprT:
    if expr.lpar:
        return expr
    return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def atomic(expr: cst.BaseExpression) -> cst.BaseExpression:
    """The expression, in parentheses unless it already binds tighter than any operator."""
    if isinstance(expr, (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.BaseString,
                         cst.Integer, cst.Float, cst.Dict, cst.List, cst.Tuple, cst.Set)):
        return expr
    return parenthesized(expr)


def guarded_expression(version: Tuple[int, ...], new: cst.BaseExpression,
                       old: cst.BaseExpression) -> cst.IfExp:
    """`(new if sys.version_info >= V else old)`: only one side runs, so nothing runs twice."""
    return cst.IfExp(test=version_test(version), body=new, orelse=old,
                     lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def guarded_statement(version: Tuple[int, ...], line: cst.SimpleStatementLine,
                      old: Sequence[cst.BaseStatement]) -> cst.If:
    """`if sys.version_info >= V:` the line as written, `else:` the old statements; the line's
    leading comments stay above the `if`, its trailing comment on the line."""
    return cst.If(
        test=version_test(version), body=cst.IndentedBlock([line.with_changes(leading_lines=())]),
        orelse=cst.Else(cst.IndentedBlock(list(old))) if old else None,
        leading_lines=line.leading_lines,
    )


def fill(template: str, **values: str) -> str:
    """Put code into a template's `{receiver}`, `{args}`, `{name}` (other braces stay)."""
    text = textwrap.dedent(template).strip("\n")
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def expression(template: str, **values: str) -> cst.BaseExpression:
    return cst.parse_expression(fill(template, **values))


def statements(template: str, **values: str) -> List[cst.BaseStatement]:
    return list(cst.parse_module(fill(template, **values) + "\n").body)


def line_of(expr: cst.BaseExpression) -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine([cst.Expr(expr)])


def is_pure(node: cst.BaseExpression) -> bool:
    """A name or a chain of attributes on one: evaluating it twice does nothing twice."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)


def args_code(args: Sequence[cst.Arg]) -> str:
    """The arguments as written, without a trailing comma."""
    text = "".join(code(arg) for arg in args).rstrip()
    return text[:-1] if text.endswith(",") else text
