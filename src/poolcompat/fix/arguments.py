"""Argument lists: take one out, add one, keep the commas and line breaks as written, and write
nothing the oldest Python of the target cannot parse."""
from __future__ import annotations

from typing import List, Optional, Sequence, Tuple, Union

import libcst as cst

from poolcompat.fix.syntax import code, version_test

_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def keyword_of(arg: cst.Arg) -> str:
    return arg.keyword.value if arg.keyword is not None else ""


def positional(arg: cst.Arg) -> bool:
    return arg.keyword is None and not arg.star


def without(args: Sequence[cst.Arg], index: int) -> List[cst.Arg]:
    """The list without one argument; dropping the last one hands its comma (or none) on."""
    kept = [arg for i, arg in enumerate(args) if i != index]
    if index == len(args) - 1 and kept:
        kept[-1] = kept[-1].with_changes(comma=args[index].comma)
    return kept


def appended(args: Sequence[cst.Arg], new: cst.Arg) -> List[cst.Arg]:
    """The list with an argument at the end, laid out like the last one."""
    if not args:
        return [new]
    last = args[-1]
    if isinstance(last.comma, cst.Comma):  # a trailing comma: the new argument goes on its line
        previous = args[-2].comma if len(args) > 1 else None
        before = previous if isinstance(previous, cst.Comma) else _COMMA
        return [*args[:-1], last.with_changes(comma=_uncommented(before)),
                new.with_changes(comma=last.comma)]
    return [*args[:-1], last.with_changes(comma=_COMMA), new]


def _uncommented(comma: cst.Comma) -> cst.Comma:
    """The comma's layout (a line break and indent, say) without the comment it carries."""
    after = comma.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace):
        return comma.with_changes(whitespace_after=after.with_changes(
            first_line=cst.TrailingWhitespace()))
    return comma


def find(call: cst.Call, keyword: str, position: Optional[int]) -> int:
    """The argument passed by that keyword, or at that position (-1: not passed)."""
    for i, arg in enumerate(call.args):
        if keyword and keyword_of(arg) == keyword:
            return i
    if position is not None:
        plain = [i for i, arg in enumerate(call.args) if positional(arg)]
        if position < len(plain) and not any(a.star == "*" for a in call.args[:plain[position]]):
            return plain[position]
    return -1


Conditional = Tuple[int, cst.Dict]  # index of a `**({...} if sys.version_info >= V else {})` arg


def conditional_keywords(call: cst.Call, version: Tuple[int, ...]) -> Optional[Conditional]:
    """The call's `**({...} if sys.version_info >= V else {})` for this version, if any."""
    wanted = code(version_test(version))
    for i, arg in enumerate(call.args):
        value = arg.value
        if (arg.star == "**" and isinstance(value, cst.IfExp) and isinstance(value.body, cst.Dict)
                and code(value.test) == wanted and isinstance(value.orelse, cst.Dict)
                and not value.orelse.elements):
            return i, value.body
    return None


def keyword_element(name: str, value: cst.BaseExpression) -> cst.DictElement:
    return cst.DictElement(key=cst.SimpleString(f'"{name}"'), value=value,
                           whitespace_before_colon=cst.SimpleWhitespace(""),
                           whitespace_after_colon=cst.SimpleWhitespace(" "))


def conditional_arg(version: Tuple[int, ...], elements: Sequence[cst.DictElement]) -> cst.Arg:
    """`**({"name": value} if sys.version_info >= V else {})`."""
    body = cst.Dict([e.with_changes(comma=_COMMA) for e in elements[:-1]] + [elements[-1]])
    return cst.Arg(star="**", value=cst.IfExp(
        test=version_test(version), body=body, orelse=cst.Dict([]),
        lpar=[cst.LeftParen()], rpar=[cst.RightParen()]))


def add_conditional(call: cst.Call, index: int, name: str, version: Tuple[int, ...],
                    floor: Tuple[int, ...]) -> Union[cst.Call, str]:
    """The call with argument `index` passed as `name` only from `version` on; a reason when
    the oldest Python of the target could not parse the result."""
    args = list(call.args)
    value = args[index].value
    found = conditional_keywords(call, version)
    if found is not None:  # one `**` per version: add to it
        at, body = found
        elements = [*(e for e in body.elements if isinstance(e, cst.DictElement)),
                    keyword_element(name, value)]
        args[at] = conditional_arg(version, elements)
        return call.with_changes(args=without(args, index))
    new = conditional_arg(version, [keyword_element(name, value)])
    later = args[index + 1:]
    if any(arg.star == "**" for arg in args) and floor < (3, 5):
        return "a second `**` in one call needs Python 3.5"
    if not later or (all(arg.keyword is not None or arg.star == "**" for arg in later)
                     and floor >= (3, 5)):  # from 3.5 keywords and `**` mix in any order
        args[index] = new.with_changes(comma=args[index].comma)  # in its place
        return call.with_changes(args=args)
    if any(positional(arg) or arg.star == "*" for arg in later):
        return "arguments after it are positional"
    return call.with_changes(args=appended(without(args, index), new))  # after the keywords
