"""The rule table's loader refuses what it cannot trust, each time with one message naming the
file, the rule and the field: a bad rule, fix entry, example, type model, or platforms file."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Dict

import pytest

from poolcompat.table.load import RuleError, load_table, rules_dir

RULE = {
    "code": '"PCP999"', "feature": '"x"', "kind": '"argument"',
    "target": '"concurrent.futures.Executor.map"', "name": '"buffersize"', "requires": '"3.14"',
    "docs": '{ file = "x.rst", directive = "none" }', "probe": '"pass"',
}


def _table(tmp_path: Path, changes: Dict[str, str], types: str = "", extra: str = "") -> Path:
    """A table of types.toml and one rule: RULE with `changes` (a value of "" drops the field)."""
    if types:
        (tmp_path / "types.toml").write_text(types)
    else:
        shutil.copy(rules_dir() / "types.toml", tmp_path / "types.toml")
    fields = {**RULE, **changes}
    lines = ["[[rule]]"] + [f"{key} = {value}" for key, value in fields.items() if value]
    (tmp_path / "one.toml").write_text("\n".join(lines) + "\n" + extra)
    return tmp_path


BAD_RULES = [
    pytest.param({"colour": '"red"'}, "rule PCP999: unknown field(s) colour", id="unknown-field"),
    pytest.param({"probe": ""}, "rule PCP999: missing field 'probe'", id="missing-field"),
    pytest.param({"code": '"PCP99"'}, "code must look like PCP123", id="code"),
    pytest.param({"kind": '"teleport"'}, "unknown kind 'teleport'", id="kind"),
    pytest.param({"name": ""}, "kind 'argument' needs 'name'", id="argument-without-name"),
    pytest.param({"requires": "3.14"}, "field 'requires' must be a version string",
                 id="version-not-a-string"),
    pytest.param({"requires": '"three"'}, "field 'requires': not a Python version",
                 id="version-unreadable"),
    pytest.param({"requires": '"2.7"'}, "'requires' must be a 3.x version and 'py2' a 2.x one",
                 id="requires-2.x"),
    pytest.param({"py2": '"3.1"'}, "'requires' must be a 3.x version and 'py2' a 2.x one",
                 id="py2-3.x"),
    pytest.param({"removed": '"3.13"'}, "'removed' 3.13 is before 'requires'", id="removed-first"),
    pytest.param({"start_methods": '{ fork = "works" }'}, "start_methods names each of",
                 id="start-methods"),
    pytest.param({"invalid": "3"}, "field 'invalid' must be a string of Python code",
                 id="example-not-code"),
    pytest.param({"fix": '"drop it"'}, "field 'fix' must be a table", id="fix-not-a-table"),
    pytest.param({"fix": '{ kind = "fallback", safety = "safe" }'},
                 "does not apply to 'argument'", id="fix-wrong-kind"),
    pytest.param({"fix": '{ kind = "drop-keyword", safety = "maybe" }'},
                 'fix needs safety = "safe" or "unsafe"', id="fix-safety"),
    pytest.param({"fix": '{ kind = "drop-keyword", safety = "safe", default = 3 }'},
                 "fix field 'default' must be a str", id="fix-field-type"),
    pytest.param({"fix": '{ kind = "default-argument", safety = "safe", value = "1", '
                         'imports = ["os", 2] }'},
                 "fix field 'imports' must be a list", id="fix-imports-strings"),
]


@pytest.mark.parametrize("changes, message", BAD_RULES)
def test_a_bad_rule_is_refused(tmp_path: Path, changes: Dict[str, str], message: str) -> None:
    with pytest.raises(RuleError) as raised:
        load_table(_table(tmp_path, changes))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


METHOD = {"kind": '"method"', "target": '"multiprocessing.pool.Pool"', "name": '"starmap"',
          "requires": '"3.3"'}
BAD_METHOD_FIXES = [
    pytest.param('{ kind = "fallback", safety = "safe" }', "a fallback fix needs 'call' or 'define'",
                 id="fallback-empty"),
    pytest.param('{ kind = "fallback", safety = "safe", call = "{receiver}.(" }',
                 "does not parse", id="fallback-call"),
    pytest.param('{ kind = "fallback", safety = "safe", define = "def {name}(:" }',
                 "does not parse", id="fallback-define"),
]


@pytest.mark.parametrize("fix, message", BAD_METHOD_FIXES)
def test_a_bad_method_fix_is_refused(tmp_path: Path, fix: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        load_table(_table(tmp_path, {**METHOD, "fix": fix}))


def test_a_bad_replace_import_is_refused(tmp_path: Path) -> None:
    attr = {"kind": '"attr"', "target": '"multiprocessing.context.Process"', "name": "",
            "requires": '"3.4"',
            "fix": '{ kind = "replace-import", safety = "safe", replacement = "multiprocessing" }'}
    with pytest.raises(RuleError, match='replace-import needs replacement = "module:name"'):
        load_table(_table(tmp_path, attr))


@pytest.mark.parametrize("types, message", [
    pytest.param('[classes."m.C"]\nenter = "sometimes"\n', "class m.C: unknown enter 'sometimes'",
                 id="enter"),
    pytest.param('[passthrough]\n"m.f" = "teleport"\n', "passthrough m.f: unknown kind 'teleport'",
                 id="passthrough"),
    pytest.param('[returns]\n"m.f" = "%%%"\n', "types.toml: returns m.f: ", id="returns"),
    pytest.param("[classes\n", "types.toml: invalid TOML: ", id="not-toml"),
])
def test_a_bad_type_model_is_refused(tmp_path: Path, types: str, message: str) -> None:
    with pytest.raises(RuleError) as raised:
        load_table(_table(tmp_path, {}, types=types))
    assert message in str(raised.value)


def test_a_duplicate_code_names_both_files(tmp_path: Path) -> None:
    _table(tmp_path, {})
    shutil.copy(tmp_path / "one.toml", tmp_path / "two.toml")
    with pytest.raises(RuleError, match=r"two.toml: duplicate code PCP999 \(also in one.toml\)"):
        load_table(tmp_path)


def test_a_table_without_types_is_refused(tmp_path: Path) -> None:
    _table(tmp_path, {})
    (tmp_path / "types.toml").unlink()
    with pytest.raises(RuleError, match="types.toml is missing"):
        load_table(tmp_path)


def test_a_bad_platforms_file_is_a_rule_error(tmp_path: Path) -> None:
    _table(tmp_path, {})
    (tmp_path / "platforms.toml").write_text("[platform.linux]\n")
    with pytest.raises(RuleError, match="platforms.toml: "):
        load_table(tmp_path)


def test_a_good_one_rule_table_loads(tmp_path: Path) -> None:
    """The base of the cases above is itself valid: each case fails for its own change."""
    table = load_table(_table(tmp_path, {"py2": '"2.7"', "invalid": '"x = 1"'}))
    (rule,) = table.rules
    assert (rule.code, rule.name, str(rule.requires), str(rule.py2)) == ("PCP999", "buffersize",
                                                                        "3.14", "2.7")
    assert rule.message == "x requires Python 3.14" and rule.invalid == "x = 1"
