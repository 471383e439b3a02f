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


def _found(source: str, code: str) -> List[Finding]:
    report = poolcompat.check_source(source, path="example.py", select=[code])
    assert not report.errors, report.errors
    return report.findings


@pytest.mark.parametrize("rule", [pytest.param(r, id=r.code) for r in TABLE.rules])
def test_probe_reports_its_own_rule(rule: Rule) -> None:
    """The program that verifies a rule on the interpreters uses the feature, so the checker
    must see it there: a rule whose probe goes unseen points at a gap in the engine."""
    assert rule.code in {f.code for f in _found(rule.probe, rule.code)}


EXAMPLES = [r for r in TABLE.rules if r.invalid or r.valid]


@pytest.mark.parametrize("rule", [pytest.param(r, id=r.code) for r in EXAMPLES])
def test_examples(rule: Rule) -> None:
    if rule.invalid:
        assert rule.code in {f.code for f in _found(rule.invalid, rule.code)}
    if not rule.valid:
        return
    others = poolcompat.check_source(rule.valid, path="valid.py").findings
    assert rule.code not in {f.code for f in others}
    baseline = BASELINES.get(rule.target.partition(".")[0], rule.requires)
    too_new = [f.code for f in others if f.counts and f.requires >= rule.requires > baseline]
    assert too_new == [], "the `valid` example needs what the rule is about"
    assert [f.code for f in others if f.removed is not None] == []
    assert "Use instead:" in explain(rule)


def test_some_rules_carry_examples() -> None:
    assert len(EXAMPLES) >= 5
