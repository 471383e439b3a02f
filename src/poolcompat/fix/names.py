"""Fixes at a name: a `from m import name` that moves under a version guard with a fallback
definition, or is taken from the module that has the same object; `with` statements that
become `try`/`finally`; subscripts that only run where the class takes them."""
from __future__ import annotations

from typing import List, Optional, Sequence, Tuple, Union

import libcst as cst

from poolcompat.fix.calls import call_fallback
from poolcompat.fix.site import Edit, Outcome, Site
from poolcompat.fix.syntax import atomic, code, statements, version_test


def _imported(site: Site) -> Optional[Tuple[cst.SimpleStatementLine, cst.ImportFrom,
                                            cst.ImportAlias]]:
    """The `from m import ... name ...` line the finding names, if it is one."""
    for node in site.nodes():
        alias = site.tree.enclosing(node, cst.ImportAlias)
        statement = site.tree.enclosing(node, cst.ImportFrom)
        line = site.tree.parent(statement) if statement is not None else None
        if alias is None or statement is None or not isinstance(line, cst.SimpleStatementLine):
            continue
        if len(line.body) == 1 and not isinstance(statement.names, cst.ImportStar):
            return line, statement, alias
    return None


def _bound(alias: cst.ImportAlias) -> str:
    return code(alias.asname.name) if alias.asname is not None else code(alias.name)


def _split(line: cst.SimpleStatementLine, statement: cst.ImportFrom, alias: cst.ImportAlias
           ) -> List[cst.BaseStatement]:
    """The line without that name (nothing when it was the only one)."""
    assert not isinstance(statement.names, cst.ImportStar)
    rest = [a for a in statement.names if a is not alias]
    if not rest:
        return []
    if statement.lpar is None:
        rest[-1] = rest[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return [line.with_changes(body=[statement.with_changes(names=rest)])]


def _import_line(module: str, name: str, bound: str) -> cst.SimpleStatementLine:
    alias = f" as {bound}" if bound != name else ""
    line = cst.parse_statement(f"from {module} import {name}{alias}\n")
    assert isinstance(line, cst.SimpleStatementLine)
    return line


def _relaid(first: Sequence[cst.BaseStatement], rest: Sequence[cst.BaseStatement],
            line: cst.SimpleStatementLine) -> cst.FlattenSentinel[cst.BaseStatement]:
    """Statements standing where the line stood, the first with its leading comments."""
    body = [*first, *rest]
    body[0] = body[0].with_changes(leading_lines=line.leading_lines)
    return cst.FlattenSentinel(body)


def fallback(site: Site) -> Outcome:
    """`from m import name` goes under `if sys.version_info >= V:`, the rule's `define` in
    its `else`; `m.name(...)` calls take the rule's `call` template."""
    found = _imported(site)
    if found is None:
        return call_fallback(site)
    if not site.spec.define:
        return "there is no fallback for the imported name, only for calls of it"
    line, statement, alias = found
    module = code(statement.module) if statement.module is not None else ""
    bound = _bound(alias)
    guarded = _import_line(module, code(alias.name), bound)
    fallback_body = statements(site.spec.define, name=bound)
    new = cst.If(test=version_test(site.version), body=cst.IndentedBlock([guarded]),
                 orelse=cst.Else(cst.IndentedBlock(fallback_body)))
    return Edit(line, _relaid(_split(line, statement, alias), [new], line), site.spec.safe,
                f"imported on Python {site.since}+, defined below", ("sys", *site.spec.imports),
                (site.spec.helper,) if site.spec.helper else ())


def replace_import(site: Site) -> Outcome:
    """`from m import name` becomes an import of the same object from where every version has it."""
    found = _imported(site)
    if found is None:
        return "it is fixed where imported with `from ... import`"
    line, statement, alias = found
    module, _, name = site.spec.replacement.partition(":")
    new = _import_line(module, name, _bound(alias))
    return Edit(line, _relaid(_split(line, statement, alias), [new], line), site.spec.safe,
                f"imported from `{module}`", imports=())


def _with_item(site: Site) -> Union[Tuple[cst.With, int], str]:
    for node in site.nodes():
        item = site.tree.parent(node)
        holder = site.tree.parent(item) if item is not None else None
        if isinstance(item, cst.WithItem) and isinstance(holder, cst.With) and item.item is node:
            if holder.asynchronous is not None:
                return "an `async with`"
            return holder, list(holder.items).index(item)
    return "the `with` item is not written here"


def with_try_finally(site: Site) -> Outcome:
    """`with X() as x: body` becomes `x = X()` and `try: body finally: x.<exit method>()`, what
    `__exit__` does, on every version."""
    found = _with_item(site)
    if isinstance(found, str):
        return found
    holder, index = found
    item = holder.items[index]
    setup: List[cst.BaseStatement] = []
    if item.asname is not None:
        target = item.asname.name
        if isinstance(target, (cst.Tuple, cst.List)):
            return "the `as` target unpacks"
        obj = code(target)
        setup.append(cst.parse_statement(f"{obj} = {code(item.item)}\n"))
        callee = item.item.func if isinstance(item.item, cst.Call) else None
        named = code(callee).rpartition(".")[2] if callee is not None else ""
        if site.spec.start and callee is not None and named != "Manager":
            setup.append(cst.parse_statement(f"{obj}.start()\n"))
    elif isinstance(item.item, (cst.Name, cst.Attribute)):
        obj = code(item.item)
    else:
        return "nothing names the object to close"
    before, after = list(holder.items[:index]), list(holder.items[index + 1:])
    body: cst.BaseSuite = holder.body
    if after:
        body = cst.IndentedBlock([holder.with_changes(
            items=after, leading_lines=(), lpar=cst.MaybeSentinel.DEFAULT,
            rpar=cst.MaybeSentinel.DEFAULT)])
    finish = cst.parse_statement(f"{obj}.{site.spec.method}()\n")
    attempt = cst.Try(body=body, finalbody=cst.Finally(cst.IndentedBlock([finish])))
    summary = f"`try`/`finally: {obj}.{site.spec.method}()` instead of `with`"
    if before:
        before[-1] = before[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        outer = holder.with_changes(items=before, body=cst.IndentedBlock([*setup, attempt]),
                                    lpar=cst.MaybeSentinel.DEFAULT, rpar=cst.MaybeSentinel.DEFAULT)
        return Edit(holder, outer, site.spec.safe, summary, imports=())
    new = [*setup, attempt]
    new[0] = new[0].with_changes(leading_lines=holder.leading_lines)
    return Edit(holder, cst.FlattenSentinel(new), site.spec.safe, summary, imports=())


def with_method(site: Site) -> Outcome:
    """`with value:` becomes `with value.get_lock():`, the same lock on every version."""
    found = _with_item(site)
    if isinstance(found, str):
        return found
    holder, index = found
    item = holder.items[index]
    wrapped = cst.Call(func=cst.Attribute(value=atomic(item.item), attr=cst.Name(site.spec.method)))
    return Edit(item, item.with_changes(item=wrapped), site.spec.safe,
                f"`with ...{site.spec.method}()`", imports=())


def erase_subscript(site: Site) -> Outcome:
    """An annotation is quoted (never evaluated); elsewhere, below the version, the class is
    used without its parameters: `(Queue[int] if sys.version_info >= V else Queue)`."""
    node = next((n for n in site.nodes() if isinstance(n, cst.Subscript)), None)
    if node is None:
        return "the subscript is not written here"
    annotation = site.tree.in_annotation(node)
    if annotation is not None:
        text = code(annotation.annotation).strip()
        if "\n" in text or ('"' in text and "'" in text):
            return "the annotation spans lines or holds both kinds of quotes"
        quote = "'" if '"' in text else '"'
        return Edit(annotation.annotation, cst.SimpleString(quote + text + quote),
                    site.spec.safe, "annotation quoted", imports=())
    return Edit(node, site.guarded(node, node.value), site.spec.safe,
                f"unsubscripted below Python {site.since}")
