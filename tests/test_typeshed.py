"""typeshed is the second machine-read source: every version gate of the pinned copies' stubs for
multiprocessing, concurrent.futures and concurrent.interpreters is recorded in rules/typeshed.toml
and mapped to rules or to why none fits, the record matches what the copies say today, and the
rules' versions agree with the gates they are mapped to."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List

import pytest

from poolcompat._toml import tomllib
from poolcompat.table import star
from poolcompat.table.load import Rule, load_table, rules_dir
from poolcompat.table.stubs import Gate, read_module
from poolcompat.table.typeshed import COPIES, Copy, Item, load_items, locate, read_copy, star_table
from poolcompat.versions import parse_version

TABLE = load_table()
ITEMS = load_items()
ROOT = Path(__file__).resolve().parents[1]


def _id(item: Item) -> str:
    return item.gate.key.replace(" ", ":")


@pytest.mark.parametrize("item", [pytest.param(i, id=_id(i)) for i in ITEMS])
def test_every_gate_is_mapped(item: Item) -> None:
    assert bool(item.codes) != bool(item.not_applicable.strip()), \
        "needs exactly one of codes / not_applicable (with a reason)"
    unknown = [c for c in item.codes if TABLE.get(c) is None]
    assert not unknown, f"codes not in the rule table: {unknown}"
    assert item.copies and set(item.copies) <= {c.label for c in COPIES}


def _agrees(rule: Rule, gate: Gate) -> bool:
    """typeshed gates on minor versions; a rule may refine that to a patch release."""
    wanted = parse_version(gate.version)
    return any(v is not None and tuple(v[:2]) == tuple(wanted) for v in (rule.requires, rule.removed))


@pytest.mark.parametrize("item", [pytest.param(i, id=_id(i)) for i in ITEMS if i.codes])
def test_mapped_rules_agree_with_the_gate(item: Item) -> None:
    rules = [TABLE.get(c) for c in item.codes]
    if item.differs:
        return
    assert any(r is not None and _agrees(r, item.gate) for r in rules), (
        f"no rule of {list(item.codes)} has version {item.gate.version}: fix the rule (the probes "
        "decide) or say why in `differs`")


@pytest.mark.parametrize("item", [pytest.param(i, id=_id(i)) for i in ITEMS
                                  if i.gate.what == "keyword-only" and i.codes])
def test_keyword_only_parameters_have_no_position(item: Item) -> None:
    param = item.gate.api.rpartition("(")[2].rstrip(")")
    for code in item.codes:
        rule = TABLE.get(code)
        assert rule is not None
        if rule.kind == "argument" and rule.name == param:
            assert rule.position is None, f"{code}: `{param}` is keyword-only, yet has a position"


def test_a_gate_is_read_with_its_kind_of_change() -> None:
    stub = (
        "import sys\n"
        "class C:\n"
        "    if sys.version_info >= (3, 9):\n"
        "        def __class_getitem__(cls, item): ...\n"
        "        def f(self, a, /, *, b=1): ...\n"
        "    else:\n"
        "        def f(self, a): ...\n"
        "    if sys.version_info < (3, 8):\n"
        "        old: int\n"
    )
    assert {g.key for g in read_module("m", stub)} == {
        "subscript m.C added 3.9", "keyword-only m.C.f(b) added 3.9",
        "positional-only m.C.f(a) changed 3.9", "member m.C.old removed 3.8"}


def _installed(copy: Copy) -> Path:
    where = locate(copy)
    if where is None:
        pytest.skip(f"{copy.package}=={copy.version} is not installed (pip install -e '.[test]')")
    return where


@pytest.mark.parametrize("copy", [pytest.param(c, id=c.label) for c in COPIES])
def test_the_record_holds_exactly_what_the_copy_says(copy: Copy) -> None:
    """Nothing gated is silently skipped: re-read the pinned copy and compare."""
    fresh = {g.key for g in read_copy(_installed(copy))}
    recorded = {i.gate.key for i in ITEMS if copy.label in i.copies}
    assert not fresh - recorded, ("not in rules/typeshed.toml (run python -m "
                                  f"poolcompat.table.typeshed --write, then map them): {sorted(fresh - recorded)}")
    assert not recorded - fresh, f"recorded but no longer in the copy: {sorted(recorded - fresh)}"


@pytest.mark.parametrize("copy", [pytest.param(c, id=c.label) for c in COPIES])
def test_the_copy_gates_nothing_at_or_below_its_floor(copy: Copy) -> None:
    low = [g.key for g in read_copy(_installed(copy))
           if g.what != "module" and parse_version(g.version) <= copy.floor]
    assert not low, f"the floor of {copy.label} is wrong: {low}"


def test_star_table_is_derived_from_the_copies() -> None:
    located = [(c, _installed(c)) for c in COPIES]
    assert star.load_star_spans(rules_dir()) == star_table(located), \
        "rules/star.toml is stale: python -m poolcompat.table.typeshed --write"


def test_the_copies_are_pinned_in_the_test_extras() -> None:
    extras: List[str] = tomllib.loads((ROOT / "pyproject.toml").read_text())[
        "project"]["optional-dependencies"]["test"]
    pins: Dict[str, str] = {}
    for spec in extras:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^;\s]+)", spec.strip())
        if match:
            pins[match.group(1).lower().replace("-", "_")] = match.group(2)
    for copy in COPIES:
        assert pins.get(copy.package.lower()) == copy.version, f"pin {copy.package}=={copy.version}"
