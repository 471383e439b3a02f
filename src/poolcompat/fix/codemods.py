"""The fixes that are more than a template: each named by a rule's `fix.codemod`."""
from __future__ import annotations

from typing import Callable, Dict

import libcst as cst

from poolcompat.fix.arguments import find, keyword_of, without
from poolcompat.fix.site import Edit, Outcome, Site
from poolcompat.fix.syntax import atomic, code, guarded_statement, is_pure, line_of, statements


def starmap(site: Site) -> Outcome:
    """`pool.starmap(f, items)` → below 3.3, `pool.map(_StarCall(f), items)` (and
    `starmap_async` → `map_async`): the same calls, the same results."""
    call = site.callee()
    if call is None or not isinstance(call.func, cst.Attribute):
        return "it is not called here"
    index = find(call, "func", 0)
    if index < 0 or call.args[index].star:
        return "the function is not passed as its first argument"
    args = list(call.args)
    wrapped = cst.Call(func=cst.Name("_StarCall"), args=[cst.Arg(args[index].value)])
    args[index] = args[index].with_changes(value=wrapped)
    plain = call.func.attr.value.replace("starmap", "map")
    old = call.with_changes(func=call.func.with_changes(attr=cst.Name(plain)), args=args)
    summary = f"below Python {site.since}: `{plain}()` over `_StarCall`"
    line = site.tree.lone_statement(call)
    if line is not None:
        return Edit(line, guarded_statement(site.version, line, [line_of(old)]), site.spec.safe,
                    summary, helpers=("_StarCall",))
    return Edit(call, site.guarded(call, old), site.spec.safe, summary, helpers=("_StarCall",))


@Site.at_argument
def cancel_futures(site: Site, call: cst.Call, index: int) -> Outcome:
    """`executor.shutdown(cancel_futures=True)` → below 3.9, cancel the pending futures
    (`_cancel_pending_futures`), then `shutdown()`; `cancel_futures=False` is left out."""
    value = code(call.args[index].value).strip()
    plain = call.with_changes(args=without(call.args, index))
    if value == site.spec.default:
        return Edit(call, plain, True, f"left out `cancel_futures={value}`, its default", ())
    line = site.tree.lone_statement(call)
    if value != "True" or line is None or not isinstance(call.func, cst.Attribute):
        return "only `executor.shutdown(cancel_futures=True)` as a statement of its own is fixed"
    if not is_pure(call.func.value):
        return "the executor is not a plain name"
    cancel = cst.parse_expression(f"_cancel_pending_futures({code(call.func.value)})")
    new = guarded_statement(site.version, line, [line_of(cancel), line_of(plain)])
    return Edit(line, new, site.spec.safe, f"below Python {site.since}: pending futures "
                "cancelled by `_cancel_pending_futures`", helpers=("_cancel_pending_futures",))


@Site.at_argument
def notify_repeat(site: Site, call: cst.Call, index: int) -> Outcome:
    """`condition.notify(n)` → below 3.7, `notify()` n times."""
    line = site.tree.lone_statement(call)
    if line is None or not isinstance(call.func, cst.Attribute) or not is_pure(call.func.value):
        return "only `condition.notify(n)` as a statement of its own is fixed"
    times = code(call.args[index].value).strip()
    loop = statements(f"for _notified in range({times}):\n    {code(call.func.value)}.notify()")
    return Edit(line, guarded_statement(site.version, line, loop), site.spec.safe,
                f"below Python {site.since}: `notify()` {times} times")


def explicit_import(site: Site) -> Outcome:
    """A name a star import binds only on newer Pythons is imported by name after the star."""
    module, _, name = site.rule.target.rpartition(".")
    for line in site.tree.module.body:
        if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
            star = line.body[0]
            if isinstance(star, cst.ImportFrom) and isinstance(star.names, cst.ImportStar) and \
                    star.module is not None and code(star.module) == module:
                named = cst.parse_statement(f"from {module} import {name}\n")
                return Edit(line, cst.FlattenSentinel([line, named]), site.spec.safe,
                            f"`{name}` imported by name", imports=())
    return f"no `from {module} import *` at the top of the module"


@Site.at_argument
def pool_context(site: Site, call: cst.Call, index: int) -> Outcome:
    """`multiprocessing.Pool(..., context=ctx)` (never accepted) → `ctx.Pool(...)`."""
    context = call.args[index].value
    if keyword_of(call.args[index]) not in ("", "context"):
        return "the argument is not the context"
    new = call.with_changes(func=cst.Attribute(value=atomic(context), attr=cst.Name("Pool")),
                            args=without(call.args, index))
    return Edit(call, new, site.spec.safe, "the pool made by its context", imports=())


CODEMODS: Dict[str, Callable[[Site], Outcome]] = {
    "starmap": starmap, "cancel-futures": cancel_futures, "notify-repeat": notify_repeat,
    "explicit-import": explicit_import, "pool-context": pool_context,
}
