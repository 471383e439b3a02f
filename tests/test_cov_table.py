"""The table's maintenance commands and validators, run as a maintainer runs them:
`python -m poolcompat.table.typeshed [--write]` reproduces the committed record and waits for a
human on a new gate; a bad `platforms.toml` or `star.toml` is refused with a message naming the
entry; `explain` shows every section a rule can have."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

import pytest

from poolcompat._toml import tomllib
from poolcompat.table import typeshed
from poolcompat.table.explain import explain
from poolcompat.table.load import Broken, FixSpec, default_table, rules_dir
from poolcompat.table.model import parse_returned
from poolcompat.table.platforms import PlatformError, outcomes, parse_platforms
from poolcompat.table.star import FLOOR, STAR, StarError, derive, exports, load_star, \
    load_star_spans
from poolcompat.table.stubs import read_module, read_versions
from poolcompat.table.typeshed import COPIES, TYPESHED, Copy, load_items, locate
from poolcompat.versions import Version

RULES = rules_dir()


def _installed() -> None:
    missing = [c for c in COPIES if locate(c) is None]
    if missing:
        pytest.skip(f"{missing[0].package}=={missing[0].version} is not installed")


# ---- python -m poolcompat.table.typeshed --------------------------------------------------------

@pytest.mark.parametrize("copy", [
    pytest.param(Copy("x", "no_such_package_poolcompat", "1.0", "typeshed", Version((3, 6))),
                 id="not-installed"),
    pytest.param(dataclasses.replace(COPIES[1], version="0.0.1"), id="another-version"),
    pytest.param(dataclasses.replace(COPIES[1], stdlib="no/such/dir"), id="no-stdlib-there"),
])
def test_a_copy_is_located_only_at_its_pinned_version(copy: Copy) -> None:
    assert locate(copy) is None


def test_main_without_a_copy_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    gone = Copy("x", "no_such_package_poolcompat", "1.0", "typeshed", Version((3, 6)))
    monkeypatch.setattr(typeshed, "COPIES", (*COPIES, gone))
    assert typeshed.main([]) == 2
    assert capsys.readouterr().out.startswith("not installed: no_such_package_poolcompat==1.0")


def _rules_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in (TYPESHED, STAR):
        (tmp_path / name).write_bytes((RULES / name).read_bytes())
    monkeypatch.setattr(typeshed, "rules_dir", lambda: tmp_path)
    return tmp_path


def test_write_reproduces_the_committed_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """The committed files are exactly what the generator writes: no hand edits drift."""
    _installed()
    directory = _rules_copy(tmp_path, monkeypatch)
    (directory / STAR).write_text("")
    assert typeshed.main(["--write"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{len(load_items())} gates; 0 not mapped yet"
    assert out[-1] == f"wrote {directory / TYPESHED} and {directory / STAR}"
    for name in (TYPESHED, STAR):
        assert (directory / name).read_text() == (RULES / name).read_text(), name


def test_a_gate_without_a_mapping_waits_for_a_human(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    _installed()
    directory = _rules_copy(tmp_path, monkeypatch)
    items = load_items(directory)
    first = items[0]
    text = (directory / TYPESHED).read_text()
    block = text.index(f'gate = "{first.gate.key}"')
    end = text.index("[[gate]]", block)
    (directory / TYPESHED).write_text(text[:block] + f'gate = "{first.gate.key}"\ncopies = ["old"]\n\n'
                                      + text[end:])
    assert typeshed.main([]) == 1
    assert capsys.readouterr().out.splitlines()[:2] == [
        f"{len(items)} gates; 1 not mapped yet", first.gate.key]
    assert typeshed.main(["--write"]) == 1
    written = {i.gate: i for i in load_items(directory)}
    assert not written[first.gate].codes and not written[first.gate].not_applicable
    assert written[first.gate].copies == first.copies, "the copies are read again, not kept"
    assert {g: i for g, i in written.items() if g != first.gate} == \
        {i.gate: i for i in items[1:]}, "every other mapping is kept"


def test_a_reason_with_quotes_survives_the_round_trip(tmp_path: Path) -> None:
    item = dataclasses.replace(load_items()[0], codes=(), not_applicable='says "no" \\ twice',
                               differs="a\\b")
    (tmp_path / TYPESHED).write_text(typeshed.render_items([item]))
    assert load_items(tmp_path) == [item]


def test_the_module_runs_as_a_script() -> None:
    _installed()
    done = subprocess.run([sys.executable, "-m", "poolcompat.table.typeshed"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"{len(load_items())} gates; 0 not mapped yet")


# ---- rules/platforms.toml -----------------------------------------------------------------------

def _platforms() -> Dict[str, Any]:
    return tomllib.loads((RULES / "platforms.toml").read_text(encoding="utf-8"))


def _linux_default(**changes: Any) -> Dict[str, Any]:
    document = _platforms()
    entry = document["platform"]["linux"]["default"][0]
    entry.update(changes)
    for key, value in list(entry.items()):
        if value is None:
            del entry[key]
    return document


def _with(path: str, value: Any) -> Dict[str, Any]:
    document = _platforms()
    *parents, last = path.split(".")
    node = document
    for key in parents:
        node = node[key]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return document


BAD_PLATFORMS = [
    pytest.param({"platform": []}, "[platform] must be a table", id="not-a-table"),
    pytest.param(_with("platform.beos", {}), "unknown platform(s) beos", id="unknown-platform"),
    pytest.param(_with("platform.macos", None), "missing platform(s) macos", id="missing"),
    pytest.param(_with("platform.linux", "fork"), "platform linux: must be a table",
                 id="platform-not-a-table"),
    pytest.param(_with("platform.linux.colour", "red"), "unknown field(s) colour",
                 id="unknown-field"),
    pytest.param(_linux_default(method=None), "default #1 needs exactly since, method, docs",
                 id="default-fields"),
    pytest.param(_linux_default(since="two"), "default #1: ", id="bad-since"),
    pytest.param(_linux_default(docs={"file": "x.rst"}), "docs needs file and directive",
                 id="docs-fields"),
    pytest.param(_linux_default(docs={"file": "x.rst", "directive": "versionchanged"}),
                 "names its version and its What's New section", id="undated-change"),
    pytest.param(_linux_default(since="3.14"), "in order of 'since'", id="out-of-order"),
    pytest.param(_linux_default(method="vfork"), "unknown start method 'vfork'",
                 id="unknown-method"),
    pytest.param(_with("platform.linux.default", []), "no default start method", id="no-default"),
    pytest.param(_with("platform.linux.unavailable", ["fork"]),
                 "also listed as unavailable", id="default-unavailable"),
]


@pytest.mark.parametrize("document, message", BAD_PLATFORMS)
def test_a_bad_platforms_file_is_refused(document: Dict[str, Any], message: str) -> None:
    with pytest.raises(PlatformError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("[", r"\[").replace("]", r"\]")):
        parse_platforms(document)


@pytest.mark.parametrize("raw, message", [
    pytest.param({"fork": "works"}, "start_methods names each of fork, spawn, forkserver",
                 id="a-method-left-out"),
    pytest.param({"fork": "works", "spawn": "maybe", "forkserver": "fails"},
                 'start_methods.spawn is "works" or "fails"', id="neither-works-nor-fails"),
])
def test_a_bad_start_methods_entry_is_refused(raw: Dict[str, str], message: str) -> None:
    with pytest.raises(PlatformError, match=message):
        outcomes(raw, "PCP999")
    assert outcomes({"fork": "works", "spawn": "fails", "forkserver": "fails"}, "x") == (
        ("fork", "works"), ("spawn", "fails"), ("forkserver", "fails"))


def test_the_committed_platforms_parse() -> None:
    platforms = parse_platforms(_platforms())
    assert platforms["linux"].default(Version((3, 13))) == "fork"
    assert platforms["linux"].default(Version((3, 14))) == "forkserver"
    assert platforms["macos"].default(Version((3, 8))) == "spawn"


# ---- rules/star.toml ----------------------------------------------------------------------------

BAD_STARS = [
    pytest.param('[module."multi processing"]\nPool = "3.0"\n', "must be a dotted module name",
                 id="module-name"),
    pytest.param('[module]\nmultiprocessing = "3.0"\n', "must be a dotted module name",
                 id="module-not-a-table"),
    pytest.param('[module.multiprocessing]\n"a-b" = "3.0"\n', "multiprocessing.a-b: not an "
                 "identifier", id="name"),
    pytest.param('[module.multiprocessing]\nPool = "three"\n', "multiprocessing.Pool: ",
                 id="version"),
    pytest.param('[module.multiprocessing]\nPool = 3\n', "multiprocessing.Pool: ",
                 id="neither-string-nor-table"),
    pytest.param('[module.multiprocessing]\nPool = { added = "3.8", removed = "3.8" }\n',
                 "removed 3.8 is not after added 3.8", id="removed-not-after"),
]


@pytest.mark.parametrize("text, message", BAD_STARS)
def test_a_bad_star_file_is_refused(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / STAR).write_text(text)
    with pytest.raises(StarError, match=message):
        load_star_spans(tmp_path)


def test_star_versions_and_spans(tmp_path: Path) -> None:
    assert load_star(tmp_path) == {}, "no star.toml: nothing is known"
    (tmp_path / STAR).write_text('[module.multiprocessing]\nPool = "3.0"\n'
                                 'Gone = { added = "3.2", removed = "3.8" }\n[module.empty]\n')
    assert load_star(tmp_path) == {"multiprocessing": {"Pool": Version((3, 0)),
                                                       "Gone": Version((3, 2))}, "empty": {}}
    assert load_star_spans(tmp_path)["multiprocessing"]["Gone"] == (Version((3, 2)),
                                                                    Version((3, 8)))


def test_a_name_a_newer_copy_drops_is_bound_until_that_copy() -> None:
    old = "__all__ = ['Pool', 'Old']\n"
    new = "__all__ = ['Pool']\n__all__ += names()\n"  # a computed `__all__` adds nothing known
    assert exports("m", new) == {"Pool": [(FLOOR, None)]}
    assert derive([(Version((3, 6)), {"m": old}), (Version((3, 10)), {"m": new})], {}) == {
        "m": {"Pool": (FLOOR, None), "Old": (FLOOR, Version((3, 10)))}}


# ---- explain: every section -------------------------------------------------------------------

def test_explain_shows_every_section_a_rule_can_have() -> None:
    rule = dataclasses.replace(
        default_table().rules[0], note="A note.", invalid="bad()\n", valid="", rewrite="do x",
        broken=(Broken(">=3.11,<3.12", "hangs", "gh-1"),), default=False,
        fix=FixSpec(kind="drop-keyword", safe=False, note="left out below"))
    text = explain(rule)
    assert "\nNote:\n  A note.\n" in text
    assert "\nExample:\n\n    bad()" in text and "Use instead:" not in text
    assert "\nCompatible rewrite:\n  do x" in text
    assert "Broken:    >=3.11,<3.12: hangs gh-1" in text
    assert f"Selection: off by default; turn it on with --select {rule.code[:4]} or {rule.code}" \
        in text
    assert "Fix:       unsafe (drop-keyword; applied only with --fix --unsafe-fixes): left" \
        in text


@pytest.mark.parametrize("spec, said", [
    pytest.param(None, "none: the rule has no fix entry yet", id="no-entry"),
    pytest.param(FixSpec(), "none", id="none-without-a-reason"),
    pytest.param(FixSpec(note="why"), "none: why", id="none-with-a-reason"),
    pytest.param(FixSpec(kind="codemod", codemod="starmap", safe=True),
                 "safe (codemod starmap; applied by --fix)", id="codemod"),
])
def test_explain_says_what_the_fix_does(spec: FixSpec, said: str) -> None:
    rule = dataclasses.replace(default_table().rules[0], fix=spec)
    assert f"\nFix:       {said}\n" in explain(rule) + "\n"


# ---- typeshed's VERSIONS and stubs, types.toml's return types ----------------------------------

def test_versions_lines_in_scope_become_module_gates(tmp_path: Path) -> None:
    (tmp_path / "VERSIONS").write_text("# comment\n\nmultiprocessing: 3.0-\n"
                                       "multiprocessing.dummy: 3.0-3.12  # gone\njson: 3.0-\n")
    assert [g.key for g in read_versions(tmp_path)] == [
        "module multiprocessing added 3.0", "module multiprocessing.dummy added 3.0",
        "module multiprocessing.dummy removed 3.12"]


@pytest.mark.parametrize("test, keys", [
    pytest.param("sys.version_info >= (3, 8) and sys.platform == 'win32'",
                 {"member m.C.f added 3.8"}, id="and-narrows-the-body"),
    pytest.param("sys.version_info > (3, 8)", set(), id="only->=-and-<-are-read"),
    pytest.param("sys.version_info >= V", set(), id="bound-not-a-tuple"),
])
def test_a_stub_gate_is_read_only_from_the_tests_typeshed_writes(test: str, keys: set) -> None:
    stub = f"import sys\nclass C:\n    if {test}:\n        def f(self): ...\n"
    assert {g.key for g in read_module("m", stub)} == keys


@pytest.mark.parametrize("text, message", [
    pytest.param("", "not a class name", id="empty"),
    pytest.param("a b", "not a class name", id="not-an-identifier"),
    pytest.param("tuple[A", "unbalanced brackets", id="unbalanced"),
    pytest.param("dict[A, B]", "unknown type 'dict'", id="unknown-container"),
    pytest.param("list[A, B]", "unknown type 'list'", id="list-of-two"),
])
def test_a_bad_return_type_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_returned(text)


def test_return_types_nest() -> None:
    assert parse_returned(" tuple[m.A, iterator[tuple[m.B, m.C]]] ") == (
        "tuple", ("m.A", ("items", ("tuple", ("m.B", "m.C")))))
