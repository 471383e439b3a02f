"""Raising: where the target's floor decides a guard around our APIs, only the side that can
still run is kept: `if`/`elif`/`else` on `sys.version_info` or `hasattr`, the same tests in
`a if test else b` and `test and a`, a `**({...} if test else {})` argument, and a `try`
whose handler only catches what our APIs raised on older Pythons."""
from __future__ import annotations

from typing import List, Optional, Sequence, Set, Tuple, Union

import libcst as cst

from poolcompat.engine.findings import Finding
from poolcompat.fix.header import without_unused
from poolcompat.fix.syntax import atomic, code
from poolcompat.fix.tree import Tree
from poolcompat.fix.truth import Judge
from poolcompat.table.load import Table

_CATCHES = frozenset({"ImportError", "ModuleNotFoundError", "AttributeError", "TypeError"})
Statements = Union[cst.FlattenSentinel[cst.BaseStatement], cst.RemovalSentinel]
_NO_SPACE = cst.SimpleWhitespace("")


def _flattened(suite: Optional[cst.BaseSuite], leading: Sequence[cst.EmptyLine]) -> Statements:
    """A block's statements, to stand where the guard stood."""
    if suite is None:
        return cst.RemovalSentinel.REMOVE
    body: List[cst.BaseStatement]
    if isinstance(suite, cst.SimpleStatementSuite):
        body = [cst.SimpleStatementLine(body=suite.body,
                                        trailing_whitespace=suite.trailing_whitespace)]
    else:
        assert isinstance(suite, cst.IndentedBlock)
        body = list(suite.body)
        if suite.header.comment is not None:  # `if ...:  # why`: the comment stays, above
            leading = [*leading, cst.EmptyLine(comment=suite.header.comment)]
    if not body:
        return cst.RemovalSentinel.REMOVE
    first = body[0]
    assert isinstance(first, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
    body[0] = first.with_changes(leading_lines=[*leading, *first.leading_lines])
    return cst.FlattenSentinel(body)


class Collapse(cst.CSTTransformer):
    def __init__(self, tree: Tree, findings: Sequence[Finding], table: Table) -> None:
        super().__init__()
        self.tree, self.findings, self.table = tree, findings, table
        self.judge = Judge(tree, findings, table)
        self.keywords = frozenset(r.name for r in table.rules if r.kind == "argument" and r.name)
        self.collapsed: Set[cst.IfExp] = set()
        self.done: List[Tuple[int, str]] = []  # (line, what)

    def _holding(self, node: cst.CSTNode) -> List[Finding]:
        return [f for f in self.findings if self.tree.contains(node, f)]

    def _guards_ours(self, node: cst.If) -> bool:
        """Whether the `if` guards our APIs: holds a finding, or exits early (`return`, `raise`)
        before statements that do."""
        if self._holding(node):
            return True
        block, body = self.tree.parent(node), node.body
        if node.orelse is not None or not isinstance(body, cst.IndentedBlock) or not body.body:
            return False
        last = body.body[-1]
        exits = isinstance(last, cst.SimpleStatementLine) and isinstance(
            last.body[-1], (cst.Return, cst.Raise, cst.Continue, cst.Break))
        if not exits or not isinstance(block, (cst.IndentedBlock, cst.Module)):
            return False
        later = list(block.body)[list(block.body).index(node) + 1:]
        return any(self._holding(statement) for statement in later)

    def _note(self, node: cst.CSTNode, what: str) -> None:
        self.done.append((self.tree.spans.get(node, (0,))[0], what))

    def leave_If(self, original_node: cst.If, updated_node: cst.If
                 ) -> Union[cst.BaseStatement, Statements]:
        if isinstance(self.tree.parent(original_node), cst.If) or \
                not self._guards_ours(original_node):
            return updated_node  # an `elif` is taken with its chain; only guards around our APIs
        clauses: List[Tuple[cst.If, cst.If]] = []
        old: Union[cst.If, cst.Else, None] = original_node
        new: Union[cst.If, cst.Else, None] = updated_node
        while isinstance(old, cst.If) and isinstance(new, cst.If):
            clauses.append((old, new))
            old, new = old.orelse, new.orelse
        tail: Optional[cst.BaseSuite] = new.body if isinstance(new, cst.Else) else None
        kept: List[cst.If] = []
        changed = False
        for before, after in clauses:
            known, test = self.judge.simplify(before.test, original_node)
            changed = changed or known is not None or test is not before.test
            if known is True:
                tail = after.body
                break
            if known is None:
                kept.append(after.with_changes(test=test))
        if not changed:
            return updated_node
        self._note(original_node, f"dead branch of `if {code(original_node.test)}` removed")
        if not kept:
            return _flattened(tail, original_node.leading_lines)
        chain: Union[cst.If, cst.Else, None] = cst.Else(body=tail) if tail is not None else None
        for clause in reversed(kept):
            chain = clause.with_changes(orelse=chain)
        assert isinstance(chain, cst.If)
        return chain.with_changes(leading_lines=original_node.leading_lines)

    def _keyword_dicts(self, node: cst.IfExp) -> bool:
        """`**({"buffersize": n} if test else {})`: our keywords, which the checker cannot see."""
        arg = self.tree.parent(node)
        if not (isinstance(arg, cst.Arg) and arg.star == "**"):
            return False
        keys = [e.key for side in (node.body, node.orelse) if isinstance(side, cst.Dict)
                for e in side.elements if isinstance(e, cst.DictElement)]
        return isinstance(node.body, cst.Dict) and isinstance(node.orelse, cst.Dict) and bool(
            keys) and all(isinstance(k, cst.SimpleString) and k.evaluated_value in self.keywords
                          for k in keys)

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp
                    ) -> cst.BaseExpression:
        if not (self._holding(original_node) or self._keyword_dicts(original_node)):
            return updated_node
        known, _ = self.judge.simplify(original_node.test, original_node)
        if known is None:
            return updated_node
        self.collapsed.add(original_node)
        self._note(original_node, f"dead side of `... if {code(original_node.test)} else ...` "
                                  "removed")
        chosen = updated_node.body if known else updated_node.orelse
        if updated_node.lpar and not chosen.lpar and atomic(chosen) is not chosen:
            return chosen.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
        return chosen

    def leave_BooleanOperation(self, original_node: cst.BooleanOperation,
                               updated_node: cst.BooleanOperation) -> cst.BaseExpression:
        """`hasattr(x, "m") and x.m()` → `x.m()` once the floor has `m`."""
        if not self._holding(original_node):
            return updated_node
        known, _ = self.judge.simplify(original_node.left, original_node)
        if known is not isinstance(original_node.operator, cst.And):
            return updated_node
        self._note(original_node, f"guard `{code(original_node.left)}` removed")
        right = updated_node.right
        if updated_node.lpar and not right.lpar:
            return right.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
        return right

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        """A `**{...}` left by a collapsed conditional becomes plain keywords."""
        args: List[cst.Arg] = []
        for before, after in zip(original_node.args, updated_node.args):
            value = after.value
            if before.value in self.collapsed and after.star == "**" and \
                    isinstance(value, cst.Dict):
                args += [cst.Arg(keyword=cst.Name(str(e.key.evaluated_value)), value=e.value,
                                 equal=cst.AssignEqual(_NO_SPACE, _NO_SPACE))
                         for e in value.elements if isinstance(e, cst.DictElement)
                         and isinstance(e.key, cst.SimpleString)]
                continue
            args.append(after)
        if len(args) == len(updated_node.args) and all(
                a is b for a, b in zip(args, updated_node.args)):
            return updated_node
        if args:
            args[-1] = args[-1].with_changes(comma=updated_node.args[-1].comma)
        return updated_node.with_changes(args=args)

    def leave_Try(self, original_node: cst.Try, updated_node: cst.Try
                  ) -> Union[cst.BaseStatement, Statements]:
        """`try: <our API> except AttributeError: <fallback>` → the API, once the floor has it."""
        if updated_node.finalbody is not None or \
                not isinstance(original_node.body, cst.IndentedBlock):
            return updated_node
        for handler in original_node.handlers:
            caught = handler.type
            names = [e.value for e in caught.elements] if isinstance(caught, cst.Tuple) else \
                [caught]
            if not all(isinstance(n, cst.Name) and n.value in _CATCHES for n in names):
                return updated_node
        held = self._holding(original_node.body)
        if not held or not any(f.guarded for f in held):
            return updated_node
        for finding in held:
            rule = self.table.get(finding.code)
            if rule is None or rule.requires > self.tree.floor or rule.removed is not None:
                return updated_node
        if not all(any(self.tree.contains(s, f) for f in held) for s in original_node.body.body):
            return updated_node  # a statement of the body is not about our APIs
        self._note(original_node, "fallback `except` of a `try` removed")
        kept: List[cst.BaseStatement] = []
        for suite in (updated_node.body, updated_node.orelse.body if updated_node.orelse else None):
            if isinstance(suite, cst.IndentedBlock):
                kept += suite.body
        return _flattened(cst.IndentedBlock(kept), original_node.leading_lines)


def collapse(source: str, findings: Sequence[Finding], table: Table, floor: Tuple[int, ...]
             ) -> Tuple[str, List[Tuple[int, str]]]:
    """The source with the guards the floor decides taken out, and what was done where."""
    if not any(word in source for word in ("version_info", "hasattr", "try")):
        return source, []
    tree = Tree(source, floor)  # type: ignore[arg-type]
    remover = Collapse(tree, findings, table)
    module = tree.module.visit(remover)
    if not remover.done:
        return source, []
    added = {"sys", *(m for rule in table.rules if rule.fix for m in rule.fix.imports)}
    return without_unused(module, sorted(added)).code, remover.done
