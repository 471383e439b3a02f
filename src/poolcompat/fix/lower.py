"""Lowering: for each violation, the rule's fix at its place; the edits that do not overlap
are applied together, with the imports and helpers they need."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Set

import libcst as cst

from poolcompat.engine.findings import Finding
from poolcompat.fix.calls import CALL_FIXES
from poolcompat.fix.codemods import CODEMODS
from poolcompat.fix.header import Names, refused_names, with_helpers, with_imports
from poolcompat.fix.names import erase_subscript, fallback, replace_import, with_method, \
    with_try_finally
from poolcompat.fix.site import Edit, Outcome, Replacement, Site
from poolcompat.fix.tree import Tree
from poolcompat.table.load import Table

_KINDS: Dict[str, Callable[[Site], Outcome]] = {
    **CALL_FIXES, "fallback": fallback, "replace-import": replace_import,
    "with-try-finally": with_try_finally, "with-method": with_method,
    "erase-subscript": erase_subscript,
}


def build(site: Site) -> Outcome:
    if site.spec.kind == "codemod":
        return CODEMODS[site.spec.codemod](site)
    return _KINDS[site.spec.kind](site)


@dataclass
class Planned:
    edit: Edit
    finding: Finding


UNSAFE_LEFT = "unsafe fix, not applied without --unsafe-fixes"  # how a Left says so


@dataclass
class Plan:
    """One round: the edits to make and, for every violation left alone, why."""

    edits: List[Planned] = field(default_factory=list)
    reasons: Dict[Finding, str] = field(default_factory=dict)


def plan(tree: Tree, violations: Sequence[Finding], table: Table, unsafe: bool,
         blocked: Set[str]) -> Plan:
    result = Plan()
    edited: Set[cst.CSTNode] = set()
    covered: Set[cst.CSTNode] = set()  # the edited nodes and all that holds them
    names: Optional[Names] = None
    for finding in violations:
        rule = table.get(finding.code)
        spec = rule.fix if rule is not None else None
        if rule is None or spec is None or not spec.fixable:
            why = spec.note if spec is not None else "the rule has no fix entry"
            result.reasons[finding] = f"no mechanical fix: {why}"
            continue
        if finding.code in blocked:
            result.reasons[finding] = "the checker does not read the fix's guard here"
            continue
        outcome = build(Site(tree, finding, rule, spec))
        if isinstance(outcome, str):
            result.reasons[finding] = f"not fixable here: {outcome}"
            continue
        if not outcome.safe and not unsafe:
            result.reasons[finding] = f"{UNSAFE_LEFT}: {spec.note}"
            continue
        if outcome.imports or outcome.helpers:
            names = names or Names(tree.module)
            refused = refused_names(names, outcome.imports, outcome.helpers)
            if refused:
                result.reasons[finding] = f"not fixable here: {refused}"
                continue
        lineage = {outcome.node, *tree.ancestors(outcome.node)}
        if outcome.node in covered or lineage & edited:
            continue  # overlaps an edit of this round: a later round takes it
        covered |= lineage
        edited.add(outcome.node)
        result.edits.append(Planned(outcome, finding))
    return result


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: Dict[cst.CSTNode, Replacement]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_visit(self, node: cst.CSTNode) -> bool:
        return node not in self.replacements

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode
                 ) -> Any:  # a node, a FlattenSentinel or a RemovalSentinel
        return self.replacements.get(original_node, updated_node)


def apply(tree: Tree, edits: Sequence[Planned]) -> str:
    module = tree.module.visit(_Replace({p.edit.node: p.edit.replacement for p in edits}))
    assert isinstance(module, cst.Module)
    module = with_imports(module, [m for p in edits for m in p.edit.imports])
    module = with_helpers(module, [h for p in edits for h in p.edit.helpers])
    return module.code
