"""What a guard's test is on every Python from the target's floor on: always true, always false,
or undecided (then simplified where a part is decided). The tests are the ones the checker
reads: `sys.version_info` compared (whole, `[:n]`, `[0]`, `.major`, either side), `hasattr(obj,
"name")` where a finding proves `obj.name`, and `not`/`and`/`or` of them."""
from __future__ import annotations

import operator
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import libcst as cst

from poolcompat.engine.findings import Finding
from poolcompat.fix.header import Names
from poolcompat.fix.syntax import code
from poolcompat.fix.tree import Tree
from poolcompat.table.load import Table

Known = Optional[bool]  # None: undecided
Simplified = Tuple[Known, cst.BaseExpression]
Compare = Callable[[Any, Any], Any]
_OPERATORS: Dict[type, Compare] = {
    cst.LessThan: operator.lt, cst.LessThanEqual: operator.le, cst.GreaterThan: operator.gt,
    cst.GreaterThanEqual: operator.ge, cst.Equal: operator.eq, cst.NotEqual: operator.ne,
}
_MIRRORED: Dict[Compare, Compare] = {
    operator.lt: operator.gt, operator.le: operator.ge, operator.gt: operator.lt,
    operator.ge: operator.le, operator.eq: operator.eq, operator.ne: operator.ne}
Reader = Callable[[Tuple[int, ...]], Any]  # what the expression is on a given Python


def _constant(node: cst.BaseExpression) -> Optional[object]:
    if isinstance(node, cst.Integer):
        return int(node.evaluated_value)
    if isinstance(node, cst.Tuple) and node.elements:
        parts = [_constant(e.value) for e in node.elements]
        if all(isinstance(p, int) for p in parts):
            return tuple(parts)
    return None


class Judge:
    """Decides tests for one module: the floor, the names `sys.version_info` goes by, and the
    attributes the findings prove exist from the floor on."""

    def __init__(self, tree: Tree, findings: Sequence[Finding], table: Table) -> None:
        self.tree = tree
        self.floor = tree.floor
        names = Names(tree.module)
        self.sys_ok = names.module_free_for("sys") is None and "sys" in names.bindings
        imported = names.bindings.get("version_info", [])
        self.version_info_ok = bool(imported) and all(
            isinstance(n, cst.ImportFrom) and n.module is not None and code(n.module) == "sys"
            for n in imported)
        self.proven: List[Tuple[str, str, Finding]] = []
        for finding in findings:
            rule = table.get(finding.code)
            if rule is None or rule.kind not in ("method", "attr") or rule.requires > self.floor \
                    or rule.removed is not None:
                continue
            attribute = tree.at(finding, cst.Name)
            above = tree.parent(attribute) if attribute is not None else None
            if isinstance(above, cst.Attribute) and above.attr is attribute:
                self.proven.append((code(above.value), attribute.value, finding))

    # -- sys.version_info ---------------------------------------------------------------------

    def _reader(self, node: cst.BaseExpression) -> Optional[Reader]:
        is_whole = (isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)
                    and node.value.value == "sys" and node.attr.value == "version_info"
                    and self.sys_ok) or (isinstance(node, cst.Name)
                                         and node.value == "version_info" and self.version_info_ok)
        if is_whole:
            return lambda v: (*v, "final", 0)
        if isinstance(node, cst.Attribute) and node.attr.value in ("major", "minor"):
            outer = self._reader(node.value)
            field = 0 if node.attr.value == "major" else 1
            return None if outer is None else (lambda v: outer(v)[field])
        if isinstance(node, cst.Subscript) and len(node.slice) == 1:
            inner, part = self._reader(node.value), node.slice[0].slice
            if inner is None:
                return None
            if isinstance(part, cst.Index) and isinstance(part.value, cst.Integer):
                at = int(part.value.evaluated_value)
                return lambda v: inner(v)[at]
            if isinstance(part, cst.Slice) and part.lower is None and part.step is None and \
                    isinstance(part.upper, cst.Integer):
                end = int(part.upper.evaluated_value)
                return lambda v: inner(v)[:end]
        return None

    def _samples(self, bound: object) -> List[Tuple[int, ...]]:
        """Pythons from the floor to past the bound: a comparison is constant beyond it."""
        numbers = list(bound) if isinstance(bound, tuple) else [bound]
        floor = (*self.floor, 0, 0)[:3]
        top_minor = max([floor[1], *(n for n in numbers[1:2] if isinstance(n, int))]) + 2
        top_micro = max([floor[2], *(n for n in numbers[2:3] if isinstance(n, int))]) + 2
        return [(3, minor, micro) for minor in range(floor[1], top_minor + 1)
                for micro in range(top_micro + 1) if (3, minor, micro) >= floor]

    def _compare(self, test: cst.Comparison) -> Known:
        if len(test.comparisons) != 1 or self.floor[0] < 3:
            return None
        target = test.comparisons[0]
        compare = _OPERATORS.get(type(target.operator))
        reader, bound = self._reader(test.left), _constant(target.comparator)
        if reader is None and compare is not None:
            reader, bound, compare = self._reader(target.comparator), _constant(test.left), \
                _MIRRORED[compare]
        if reader is None or bound is None or compare is None:
            return None
        outcomes = {compare(reader(v), bound) for v in self._samples(bound)}
        return outcomes.pop() if len(outcomes) == 1 else None

    # -- hasattr -----------------------------------------------------------------------------

    def _hasattr(self, test: cst.Call, region: cst.CSTNode) -> Known:
        if not (isinstance(test.func, cst.Name) and test.func.value == "hasattr"
                and len(test.args) == 2 and isinstance(test.args[1].value, cst.SimpleString)):
            return None
        obj, name = code(test.args[0].value), test.args[1].value.evaluated_value
        if any(o == obj and n == name and self.tree.contains(region, f)
               for o, n, f in self.proven):
            return True
        return None

    # -- the test ----------------------------------------------------------------------------

    def simplify(self, test: cst.BaseExpression, region: cst.CSTNode) -> Simplified:
        """The test's value where decided, and the test with its decided parts taken out."""
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            known, inner = self.simplify(test.expression, region)
            same = inner is test.expression
            return (None if known is None else not known), \
                test if same else test.with_changes(expression=inner)
        if isinstance(test, cst.BooleanOperation):
            return self._boolean(test, region)
        if isinstance(test, cst.Comparison):
            return self._compare(test), test
        if isinstance(test, cst.Call):
            return self._hasattr(test, region), test
        return None, test

    def _boolean(self, test: cst.BooleanOperation, region: cst.CSTNode) -> Simplified:
        both = isinstance(test.operator, cst.And)  # `and`: a False decides, a True drops out
        left, new_left = self.simplify(test.left, region)
        right, new_right = self.simplify(test.right, region)
        if left is (not both) or (right is (not both) and _quiet(test.left)):
            return (not both), test
        if left is both and right is both:
            return both, test
        if left is both:
            return None, _keep_parens(test, new_right)
        if right is both:
            return None, _keep_parens(test, new_left)
        if new_left is test.left and new_right is test.right:
            return None, test
        return None, test.with_changes(left=new_left, right=new_right)


def _keep_parens(whole: cst.BooleanOperation, part: cst.BaseExpression) -> cst.BaseExpression:
    return part.with_changes(lpar=whole.lpar, rpar=whole.rpar) if whole.lpar and not part.lpar \
        else part


def _quiet(node: cst.BaseExpression) -> bool:
    """Whether leaving the expression unevaluated changes nothing (no call but `hasattr`)."""
    if isinstance(node, (cst.Name, cst.Integer, cst.SimpleString)):
        return True
    if isinstance(node, cst.Attribute):
        return _quiet(node.value)
    if isinstance(node, cst.Tuple):
        return all(_quiet(e.value) for e in node.elements)
    if isinstance(node, cst.Subscript):
        return _quiet(node.value)
    if isinstance(node, cst.UnaryOperation):
        return _quiet(node.expression)
    if isinstance(node, cst.BooleanOperation):
        return _quiet(node.left) and _quiet(node.right)
    if isinstance(node, cst.Comparison):
        return _quiet(node.left) and all(_quiet(c.comparator) for c in node.comparisons)
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and \
        node.func.value == "hasattr" and all(_quiet(a.value) for a in node.args)
