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


def test_a_relative_cache_home_is_not_used(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The XDG rule: a relative $XDG_CACHE_HOME is invalid; nothing is written under the cwd."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    monkeypatch.delenv("POOLCOMPAT_TABLE_CACHE", raising=False)
    assert load_table().rules
    assert not (tmp_path / "relative").exists()


def test_an_unwritable_cache_only_costs_the_parse(cache_home: Path) -> None:
    cache_home.parent.mkdir(parents=True)
    cache_home.write_text("a file where the directory should be")
    assert load_table().rules
    assert cache_home.read_text() == "a file where the directory should be"


def test_a_table_that_cannot_be_stored_leaves_nothing_behind(
        cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import poolcompat.table.stored as stored

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(stored.pickle, "dump", refuse)
    assert load_table().rules
    assert list(cache_home.iterdir()) == []
