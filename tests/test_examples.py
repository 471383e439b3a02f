"""Every rule's examples are tests (Fixit's VALID/INVALID idea): its probe and `invalid` example
report it, and its `valid` example ("use instead") runs where the feature does not exist."""
from __future__ import annotations

from typing import List

import pytest

import poolcompat
from poolcompat.engine.findings import Finding
from poolcompat.plugins import BASELINES
from poolcompat.table.explain import explain
from poolcompat.table.load import Rule, default_table

TABLE = default_table()

# Rules whose data is written but whose spelling the engine cannot see yet. Strict: once the
# engine matches them, the xfail fails and the code leaves this list.
ENGINE_GAPS: "dict[str, str]" = {}
OPERATOR_GAPS: "dict[str, str]" = {}


def _param(rule: Rule, gaps: "dict[str, str]") -> "pytest.ParameterSet":
    marks = [pytest.mark.xfail(reason=gaps[rule.code], strict=True)] if rule.code in gaps else []
    return pytest.param(rule, id=rule.code, marks=marks)


def _found(source: str, code: str) -> List[Finding]:
    report = poolcompat.check_source(source, path="example.py", select=[code])
    assert not report.errors, report.errors
    return report.findings


@pytest.mark.parametrize("rule", [_param(r, ENGINE_GAPS) for r in TABLE.rules])
def test_probe_reports_its_own_rule(rule: Rule) -> None:
    """The program that verifies a rule on the interpreters uses the feature, so the checker
    must see it there: a rule whose probe goes unseen points at a gap in the engine."""
    assert rule.code in {f.code for f in _found(rule.probe, rule.code)}


EXAMPLES = [r for r in TABLE.rules if r.invalid or r.valid]


@pytest.mark.parametrize("rule", [_param(r, {**ENGINE_GAPS, **OPERATOR_GAPS}) for r in EXAMPLES])
def test_examples(rule: Rule) -> None:
    if rule.invalid:
        assert rule.code in {f.code for f in _found(rule.invalid, rule.code)}
    if not rule.valid:
        return
    others = poolcompat.check_source(rule.valid, path="valid.py").findings
    assert rule.code not in {f.code for f in others}
    baseline = BASELINES.get(rule.target.partition(".")[0], rule.requires)
    too_new = [f.code for f in others if f.counts and f.requires >= rule.requires > baseline]
    # a spelling that never worked has a rewrite of any version; a hazard's (the off-by-default
    # pitfall rules) is the portable way, not an older one
    if not rule.never_works and rule.default:
        assert too_new == [], "the `valid` example needs what the rule is about"
    assert [f.code for f in others if f.removed is not None] == []
    assert "Use instead:" in explain(rule)


def test_every_rule_carries_an_example() -> None:
    assert [r.code for r in TABLE.rules if not r.invalid] == []
