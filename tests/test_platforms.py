"""`rules/platforms.toml`: the default start method per platform and version, validated by the
loader, and the per-platform spans a start-method pitfall fails in."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from poolcompat.table.load import Rule, RuleError, default_table, load_table, rules_dir
from poolcompat.table.methods import disagreements, offered
from poolcompat.table.platforms import spans
from poolcompat.table.verify import load_methods
from poolcompat.versions import Version, parse_version

PLATFORMS = default_table().platforms


@pytest.mark.parametrize(("platform", "version", "method"), [
    pytest.param("linux", "2.7", "fork", id="linux-2.7"),
    pytest.param("linux", "3.13", "fork", id="linux-3.13"),
    pytest.param("linux", "3.14", "forkserver", id="linux-3.14"),
    pytest.param("macos", "3.7", "fork", id="macos-3.7"),
    pytest.param("macos", "3.8", "spawn", id="macos-3.8"),
    pytest.param("windows", "2.7", "spawn", id="windows-2.7"),
    pytest.param("windows", "3.14", "spawn", id="windows-3.14"),
])
def test_default_method(platform: str, version: str, method: str) -> None:
    assert PLATFORMS[platform].default(parse_version(version)) == method


def test_fork_is_missing_on_windows_only() -> None:
    assert {name for name, p in PLATFORMS.items() if "fork" in p.unavailable} == {"windows"}


def test_every_change_names_its_directive_and_whatsnew() -> None:
    for platform in PLATFORMS.values():
        for period in platform.periods[1:]:
            docs = dict(period.docs)
            assert docs["directive"] == "versionchanged" and docs["version"] == str(period.since)
            assert docs["whatsnew"].startswith(f"whatsnew/{period.since}.rst")


Span = Tuple[str, str, Optional[str], bool]


def _shown(chosen: str) -> Tuple[Span, ...]:
    found = spans(PLATFORMS, ("spawn", "forkserver"), chosen)
    return tuple((s.platform, str(s.start), str(s.end) if s.end else None, s.fails) for s in found)


@pytest.mark.parametrize(("chosen", "expected"), [
    pytest.param("", (("linux", "2.6", "3.14", False), ("linux", "3.14", None, True),
                      ("macos", "2.6", "3.8", False), ("macos", "3.8", None, True),
                      ("windows", "2.6", None, True)), id="platform-defaults"),
    pytest.param("fork", (("linux", "2.6", None, False), ("macos", "2.6", None, False),
                          ("windows", "2.6", None, True)), id="fork-asked-for"),
    pytest.param("spawn", (("linux", "2.6", None, True), ("macos", "2.6", None, True),
                           ("windows", "2.6", None, True)), id="spawn-asked-for"),
])
def test_fork_only_hazard_spans(chosen: str, expected: Tuple[Span, ...]) -> None:
    assert _shown(chosen) == expected


@pytest.mark.parametrize(("old", "new", "message"), [
    pytest.param('method = "forkserver"', 'method = "vfork"', "unknown start method 'vfork'",
                 id="unknown-method"),
    pytest.param('since = "3.14"', 'since = "2.5"', "in order of 'since'", id="out-of-order"),
    pytest.param('[platform.windows]', '[platform.amiga]\nlabel = "x"\n[platform.windows]',
                 "unknown platform(s) amiga", id="unknown-platform"),
    pytest.param('unavailable = ["fork", "forkserver"]', 'unavailable = ["spawn"]',
                 "also listed as unavailable", id="default-unavailable"),
    pytest.param(', whatsnew = "whatsnew/3.8.rst', ', other = "x', "What's New section",
                 id="dated-change-without-whatsnew"),
])
def test_a_broken_file_is_refused(tmp_path: Path, old: str, new: str, message: str) -> None:
    for path in rules_dir().glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "platforms.toml"
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new, 1))
    with pytest.raises(RuleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_table(tmp_path)


def test_versions_are_tuples() -> None:
    assert PLATFORMS["linux"].periods[-1].since == Version((3, 14))


# ---- the start-method probes' record (rules/verified.toml [methods]) -----------------------

METHOD_RULES = [r for r in default_table().rules if r.start_methods]


@pytest.mark.parametrize("rule", [pytest.param(r, id=r.code) for r in METHOD_RULES])
def test_recorded_runs_agree_with_the_rule(rule: Rule) -> None:
    recorded = load_methods().get(rule.code)
    assert recorded, f"{rule.code}: run `python -m poolcompat.table.verify --write {rule.code}`"
    assert disagreements(rule, recorded) == []
    fork = set(recorded["fork"]["works"] + recorded["fork"]["fails"])
    assert any(v.startswith("2.") for v in fork), "2.7 is probed too, with fork (its only method)"
    for method in ("spawn", "forkserver"):
        ran = recorded[method]["works"] + recorded[method]["fails"]
        assert ran and not any(v.startswith("2.") for v in ran)


@pytest.mark.parametrize(("outcomes", "problem"), [
    pytest.param({"fork": {"works": [], "fails": ["3.12.1"]}}, "under fork on Python 3.12.1",
                 id="contradicted"),
    pytest.param({"fork": {"works": [], "fails": []}}, "no interpreter recorded where fork works",
                 id="never-run"),
])
def test_a_contradicting_record_is_named(outcomes: Dict[str, Dict[str, List[str]]],
                                        problem: str) -> None:
    rule = next(r for r in METHOD_RULES if r.code == "PCP605")
    assert any(problem in p for p in disagreements(rule, outcomes))


@pytest.mark.parametrize(("version", "methods"), [
    pytest.param((2, 7, 18), ("fork",), id="2.7"),
    pytest.param((3, 6, 15), ("fork", "spawn", "forkserver"), id="3.6"),
])
def test_methods_offered(version: Tuple[int, ...], methods: Tuple[str, ...]) -> None:
    assert offered(version) == methods
