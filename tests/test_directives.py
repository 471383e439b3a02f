"""Every version directive of the docs is accounted for, and every dated rule points at one."""
from __future__ import annotations

import sys
from typing import Any, Dict, List, Set, Tuple

import pytest

from poolcompat.table.load import Rule, load_table, rules_dir
from poolcompat.versions import format_version, parse_version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KINDS = {"versionadded", "versionchanged", "deprecated", "deprecated-removed"}
TABLE = load_table()
FILES = sorted(rules_dir().glob("directives_*.toml"))
ENTRIES: List[Tuple[str, int, Dict[str, Any]]] = [
    (path.name, index, entry)
    for path in FILES
    for index, entry in enumerate(tomllib.loads(path.read_text(encoding="utf-8")).get("directive", []))
]


def _id(source: str, index: int, entry: Dict[str, Any]) -> str:
    return f"{source}#{index}:{entry.get('api', '?')}@{entry.get('version', '?')}"


def test_there_are_directive_files() -> None:
    assert FILES and ENTRIES


@pytest.mark.parametrize(("source", "index", "entry"),
                         [pytest.param(*e, id=_id(*e)) for e in ENTRIES])
def test_directive_entry(source: str, index: int, entry: Dict[str, Any]) -> None:
    for key in ("file", "api", "directive", "version", "text"):
        assert isinstance(entry.get(key), str) and entry[key], f"missing {key!r}"
    assert entry["directive"] in KINDS
    parse_version(entry["version"])
    assert ("codes" in entry) != ("not_applicable" in entry), "needs exactly one of codes / not_applicable"
    if "codes" in entry:
        assert entry["codes"], "empty codes: use not_applicable with a reason"
        unknown = [c for c in entry["codes"] if TABLE.get(c) is None]
        assert not unknown, f"codes not in the rule table: {unknown}"
    else:
        assert isinstance(entry["not_applicable"], str) and entry["not_applicable"].strip()


def _documented() -> Set[Tuple[str, str]]:
    return {(e["file"], format_version(parse_version(e["version"]))) for _, _, e in ENTRIES}


@pytest.mark.parametrize("rule", [pytest.param(r, id=r.code) for r in TABLE.rules
                                  if r.docs.get("directive", "none") != "none"])
def test_dated_rule_has_its_directive_listed(rule: Rule) -> None:
    version = rule.docs.get("version")
    assert version, f"{rule.code}: docs name a directive but no version"
    key = (rule.docs.get("file"), format_version(parse_version(version)))
    assert key in _documented(), f"{rule.code}: no [[directive]] entry for {key[0]} {key[1]}"
