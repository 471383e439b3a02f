"""A violation to fix, where it is in the tree, and what fixing it produces: an `Edit` (a node
and what replaces it, with the imports and helpers that needs) or a reason it cannot be done."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Optional, Tuple, Union

import libcst as cst

from poolcompat.engine.findings import Finding
from poolcompat.fix.syntax import guarded_expression
from poolcompat.fix.tree import Tree
from poolcompat.table.load import FixSpec, Rule

Replacement = Union[cst.CSTNode, cst.FlattenSentinel[cst.BaseStatement], cst.RemovalSentinel]
# Where a bare `a if c else b` may stand without parentheses.
_BARE_OK = (cst.Assign, cst.AnnAssign, cst.Return, cst.Expr, cst.Element, cst.DictElement,
            cst.Index)


@dataclass(frozen=True)
class Edit:
    node: cst.CSTNode  # replaced, by identity in the round's tree
    replacement: Replacement
    safe: bool
    summary: str  # what it did, for the report
    imports: Tuple[str, ...] = ("sys",)  # modules the new code names
    helpers: Tuple[str, ...] = ()


Outcome = Union[Edit, str]  # a string says why this use cannot be fixed here


@dataclass(frozen=True)
class Site:
    tree: Tree
    finding: Finding
    rule: Rule
    spec: FixSpec

    @property
    def version(self) -> Tuple[int, ...]:
        return self.rule.requires

    @property
    def since(self) -> str:
        return str(self.rule.requires)

    def nodes(self) -> Tuple[cst.CSTNode, ...]:
        return self.tree.nodes(self.finding)

    def argument(self) -> Union[Tuple[cst.Call, int], str]:
        """The call and the index of the argument the finding is on."""
        for node in self.nodes():
            arg = self.tree.parent(node)
            call = self.tree.parent(arg) if arg is not None else None
            if isinstance(arg, cst.Arg) and isinstance(call, cst.Call) and (
                    node is arg.keyword or node is arg.value):
                return call, list(call.args).index(arg)
        return "the argument is not written in the call here"

    @staticmethod
    def at_argument(fix: Callable[[Site, cst.Call, int], Outcome]) -> Callable[[Site], Outcome]:
        """A fix of the argument the finding is on, given its call and index; where the argument
        is not written in a call, the reason (`argument`)."""
        @functools.wraps(fix)
        def at(site: Site) -> Outcome:
            found = site.argument()
            return found if isinstance(found, str) else fix(site, *found)
        return at

    def callee(self) -> Optional[cst.Call]:
        """The call whose function is named at the finding (`Pool` of `Pool()`, `kill` of
        `p.kill()`)."""
        for node in self.nodes():
            above = self.tree.parent(node)
            if isinstance(above, cst.Attribute) and above.attr is node:
                node, above = above, self.tree.parent(above)
            if isinstance(above, cst.Call) and above.func is node:
                return above
        return None

    def bare_ok(self, node: cst.CSTNode) -> bool:
        above = self.tree.parent(node)
        if isinstance(above, cst.Arg):
            return not above.star and above.value is node
        return isinstance(above, _BARE_OK)

    def guarded(self, new: cst.BaseExpression, old: cst.BaseExpression) -> cst.IfExp:
        """`new if sys.version_info >= V else old`, in parentheses where the place needs them."""
        expr = guarded_expression(self.version, new, old)
        return expr.with_changes(lpar=[], rpar=[]) if self.bare_ok(new) else expr
