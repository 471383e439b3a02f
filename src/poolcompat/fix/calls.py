"""Fixes at a call: an argument passed only where it exists, moved, replaced or emulated; a
method or function call with a fallback on the Pythons that lack it."""
from __future__ import annotations

from typing import Callable, Dict, Optional, Tuple

import libcst as cst

from poolcompat.fix.arguments import (add_conditional, appended, find, keyword_of, positional,
                                      without)
from poolcompat.fix.site import Edit, Outcome, Site
from poolcompat.fix.syntax import (args_code, code, expression, guarded_statement, is_pure,
                                   line_of, version_test)


@Site.at_argument
def drop_keyword(site: Site, call: cst.Call, index: int) -> Outcome:
    """Below the version the argument is left out: `**({"name": value} if V else {})`. Its
    default, or an argument that never works, is left out everywhere."""
    arg = call.args[index]
    name = keyword_of(arg) or site.rule.name
    if arg.star or not name:
        return "the argument is unpacked from `*`/`**`"
    if positional(arg) and any(positional(a) for a in call.args[index + 1:]):
        return "positional arguments follow it"
    if site.spec.default and code(arg.value).strip() == site.spec.default:
        return Edit(call, call.with_changes(args=without(call.args, index)), True,
                    f"left out `{name}={site.spec.default}`, its default", imports=())
    if site.rule.never_works:
        return Edit(call, call.with_changes(args=without(call.args, index)), site.spec.safe,
                    f"left out `{name}`, which no Python accepts here", imports=())
    new = add_conditional(call, index, name, site.version, site.tree.floor)
    if isinstance(new, str):
        return new
    return Edit(call, new, site.spec.safe, f"`{name}` passed only on Python {site.since}+")


@Site.at_argument
def keyword_to_positional(site: Site, call: cst.Call, index: int) -> Outcome:
    """`submit(fn=f, ...)` becomes `submit(f, ...)`: the same call on every version."""
    arg = call.args[index]
    if arg.keyword is None or any(positional(a) for a in call.args[:index]):
        return "other positional arguments come first"
    plain = arg.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT)
    rest = without(call.args, index)
    args = [plain.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            if rest else plain.with_changes(comma=cst.MaybeSentinel.DEFAULT), *rest]
    return Edit(call, call.with_changes(args=args), site.spec.safe,
                f"`{keyword_of(arg)}=` passed by position", imports=())


@Site.at_argument
def positional_to_keyword(site: Site, call: cst.Call, index: int) -> Outcome:
    arg = call.args[index]
    if not positional(arg) or any(positional(a) for a in call.args[index + 1:]):
        return "it is not the last positional argument"
    named = arg.with_changes(keyword=cst.Name(site.spec.keyword), equal=cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")))
    args = list(call.args)
    args[index] = named
    return Edit(call, call.with_changes(args=args), site.spec.safe,
                f"passed as `{site.spec.keyword}=`", imports=())


@Site.at_argument
def keyword_to_attribute(site: Site, call: cst.Call, index: int) -> Outcome:
    """`p = Process(..., daemon=x)`: below the version, construct without it and set `p.daemon`."""
    assign = site.tree.parent(call)
    line = site.tree.parent(assign) if assign is not None else None
    if not (isinstance(assign, cst.Assign) and assign.value is call and len(assign.targets) == 1
            and isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1
            and is_pure(assign.targets[0].target)):
        return "the object is not assigned to a name on a line of its own"
    arg = call.args[index]
    name = keyword_of(arg) or site.rule.name
    target = code(assign.targets[0].target)
    old = line.deep_replace(call, call.with_changes(args=without(call.args, index)))
    assert isinstance(old, cst.SimpleStatementLine)
    setting = cst.parse_statement(f"{target}.{name} = {code(arg.value)}\n")
    new = guarded_statement(site.version, line, [old.with_changes(leading_lines=()), setting])
    return Edit(line, new, site.spec.safe, f"below Python {site.since}, `{name}` set afterwards")


def default_argument(site: Site) -> Outcome:
    """Below the version, pass an explicit value where the call leaves it out or passes None."""
    found = site.argument()
    call = site.callee() if isinstance(found, str) else found[0]
    if call is None:
        return "the call is not written here"
    index = find(call, site.rule.name, site.rule.position)
    fallback = expression(site.spec.value)
    value = cst.IfExp(test=version_test(site.version), body=cst.Name("None"), orelse=fallback)
    args = list(call.args)
    if index >= 0:
        if code(args[index].value).strip() != "None":
            return "the argument is not None"
        args[index] = args[index].with_changes(value=value)
    elif any(arg.star for arg in args):
        return "the call unpacks `*`/`**` arguments"
    else:
        keyword = cst.Arg(value=value, keyword=cst.Name(site.rule.name), equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")))
        args = appended(args, keyword)
    return Edit(call, call.with_changes(args=args), site.spec.safe,
                f"below Python {site.since}, `{site.rule.name}={site.spec.value}`",
                imports=("sys", *site.spec.imports))


@Site.at_argument
def replace_argument(site: Site, call: cst.Call, index: int) -> Outcome:
    args = list(call.args)
    args[index] = args[index].with_changes(value=expression(site.spec.value))
    return Edit(call, call.with_changes(args=args), site.spec.safe,
                f"passes `{site.spec.value}` instead", imports=())


Used = Tuple[cst.CSTNode, cst.BaseExpression, str]  # the use, its object, its arguments


def _use(site: Site) -> Optional[Used]:
    """The use the finding is on: `x.name(args)`, or the operator or builtin a dunder serves
    (`x | m`, `m | x`, `x |= m`, `reversed(x)`)."""
    call = site.callee()
    if call is not None and isinstance(call.func, cst.Attribute):
        return call, call.func.value, args_code(call.args)
    for node in site.nodes():
        if isinstance(node, cst.BinaryOperation) and site.rule.name in ("__or__", "__ror__"):
            mine, other = (node.left, node.right) if site.rule.name == "__or__" else \
                (node.right, node.left)
            return node, mine, code(other)
        if isinstance(node, cst.AugAssign) and isinstance(node.target, cst.BaseExpression):
            return node, node.target, code(node.value)
        if isinstance(node, cst.Call) and len(node.args) == 1 and site.rule.name.startswith("__"):
            return node, node.args[0].value, ""
    return None


def call_fallback(site: Site) -> Outcome:
    """`x.name(args)` stays on the Pythons that have it; below, the rule's `call` template runs
    (`None`: nothing runs)."""
    found = _use(site)
    if found is None:
        return "it is not called here" if site.spec.call else \
            "it is fixed where imported with `from ... import`"
    node, receiver, args = found
    template = site.spec.call
    if template.count("{receiver}") > 1 and not is_pure(receiver):
        return "the fallback names the object twice and it is not a plain name"
    old = expression(template, receiver=code(receiver), args=args)
    helpers = (site.spec.helper,) if site.spec.helper else ()
    imports = ("sys", *site.spec.imports)
    what = "skipped" if template == "None" else f"`{code(old)}`"
    summary = f"below Python {site.since}: {what}"
    if isinstance(node, cst.AugAssign):  # `x |= m` → below, the fallback changes x in place
        line = site.tree.parent(node)
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            return "the statement shares its line"
        return Edit(line, guarded_statement(site.version, line, [line_of(old)]), site.spec.safe,
                    summary, imports, helpers)
    assert isinstance(node, cst.BaseExpression)
    line = site.tree.lone_statement(node)
    if line is not None:
        skip = isinstance(old, cst.Name) and old.value == "None"
        new = guarded_statement(site.version, line, [] if skip else [line_of(old)])
        return Edit(line, new, site.spec.safe, summary, imports, helpers)
    return Edit(node, site.guarded(node, old), site.spec.safe, summary, imports, helpers)


CALL_FIXES: Dict[str, Callable[[Site], Outcome]] = {
    "drop-keyword": drop_keyword, "keyword-to-positional": keyword_to_positional,
    "positional-to-keyword": positional_to_keyword, "keyword-to-attribute": keyword_to_attribute,
    "default-argument": default_argument, "replace-argument": replace_argument,
}
