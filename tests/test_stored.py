"""The parsed rule table kept per user: the same table as parsing it, rebuilt whenever the
entry cannot be trusted."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import List

import pytest

from poolcompat.table.load import RuleError, Table, load_table, rules_dir


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    monkeypatch.delenv("POOLCOMPAT_TABLE_CACHE", raising=False)
    return tmp_path / "home-cache" / "poolcompat"


def entries(directory: Path) -> List[Path]:
    return sorted(directory.glob("table-*.pickle")) if directory.exists() else []


def same(a: Table, b: Table) -> bool:
    return (a.rules, a.model, a.digest, a.platforms) == (b.rules, b.model, b.digest, b.platforms)


def test_a_stored_table_is_the_parsed_one(cache_home: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_table()
    assert len(entries(cache_home)) == 1
    again = load_table()
    monkeypatch.setenv("POOLCOMPAT_TABLE_CACHE", "0")
    assert same(first, again) and same(again, load_table())


def test_a_broken_entry_is_parsed_again_and_replaced(cache_home: Path) -> None:
    parsed = load_table()
    (entry,) = entries(cache_home)
    entry.write_bytes(b"not a pickle")
    assert same(load_table(), parsed)
    assert entry.read_bytes() != b"not a pickle"


def test_turned_off_it_writes_nothing(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POOLCOMPAT_TABLE_CACHE", "0")
    load_table()
    assert not cache_home.exists()


def test_an_edited_table_gets_its_own_entry(cache_home: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    load_table(rules)
    path = rules / "pool.toml"
    path.write_text(path.read_text().replace("`Pool.apply()`", "`Pool.apply()` (edited)", 1))
    edited = load_table(rules)
    assert len(entries(cache_home)) == 2 and edited.digest != load_table().digest
    assert any(r.feature == "`Pool.apply()` (edited)" for r in edited.rules)


def test_a_bad_table_is_never_stored(cache_home: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    (rules / "pool.toml").write_text("[[rule]\n")
    with pytest.raises(RuleError, match="invalid TOML"):
        load_table(rules)
    assert entries(cache_home) == []
