"""Reading the project's configuration: a file that cannot be read or holds a value of the wrong
type is one message naming the file and the key; `python_requires` comes from setup.cfg or a
literal in setup.py (never run); the pyproject.toml is looked for above the checked paths."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import pytest

from poolcompat.config import ConfigError, find_pyproject, load_config, python_requires


@pytest.mark.parametrize("text, message", [
    pytest.param("[tool.poolcompat\n", "pyproject.toml: cannot read: ", id="not-toml"),
    pytest.param("[tool.poolcompat]\nselect = 'PCP1'\n", "select must be a list of strings",
                 id="list"),
    pytest.param("[tool.poolcompat]\nselect = ['PCP1', 2]\n", "select must be a list of strings",
                 id="list-of-strings"),
    pytest.param("[tool.poolcompat]\ntarget-version = 3.8\n", "target-version must be a string",
                 id="string"),
    pytest.param("[tool.poolcompat]\ntaget-version = '3.8'\n",
                 "unknown key 'taget-version'; did you mean 'target-version'?", id="typo"),
    pytest.param("[tool.poolcompat]\nzzz = 1\n", "unknown key 'zzz' (known: ", id="unknown"),
])
def test_a_bad_pyproject_is_one_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        text: str, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "pyproject.toml")
    assert str(raised.value).startswith("pyproject.toml: ")
    assert message in str(raised.value)


def test_a_boolean_key_takes_only_true_or_false(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.poolcompat]\nrespect-gitignore = 'yes'\n")
    with pytest.raises(ConfigError, match="respect-gitignore must be true or false"):
        load_config(tmp_path / "pyproject.toml")
    (tmp_path / "pyproject.toml").write_text("[tool.poolcompat]\nrespect-gitignore = false\n")
    assert load_config(tmp_path / "pyproject.toml").respect_gitignore is False


def test_an_unreadable_setup_cfg_is_one_message(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "setup.cfg").write_text("no section header\n")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "pyproject.toml")
    assert str(raised.value).startswith("setup.cfg: cannot read: ")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("cfg, setup, requires, where", [
    pytest.param("[options]\npython_requires = >=3.7\n", "", ">=3.7",
                 "setup.cfg [options] python_requires", id="setup-cfg"),
    pytest.param("[options]\npython_requires =\n", "setup(python_requires='>=3.6')\n", ">=3.6",
                 "setup.py python_requires", id="empty-in-cfg-then-setup-py"),
    pytest.param("", "setup(python_requires=REQUIRES)\n", None, "", id="not-a-literal"),
])
def test_python_requires_beside_the_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              cfg: str, setup: str, requires: Optional[str],
                                              where: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("")
    if cfg:
        (tmp_path / "setup.cfg").write_text(cfg)
    if setup:
        (tmp_path / "setup.py").write_text(setup)
    config = load_config(tmp_path / "pyproject.toml")
    assert (config.requires_python, config.requires_python_from) == (requires, where)


def test_without_a_pyproject_setup_files_are_looked_for_above_the_paths(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup(python_requires='>=3.8')\n")
    package = tmp_path / "src" / "pkg"
    package.mkdir(parents=True)
    (package / "jobs.py").write_text("")
    config = load_config(None, [str(package / "jobs.py")])
    assert (config.requires_python, config.requires_python_from) == (
        ">=3.8", "setup.py python_requires")


@pytest.mark.parametrize("source, found", [
    pytest.param(b"setup(name='x', python_requires='>=3.9')", ">=3.9", id="literal"),
    pytest.param(b"setup(python_requires='>=' + '3.9')", None, id="expression"),
    pytest.param(b"setup(\n", None, id="not-python"),
    pytest.param(b"x = '\0'", None, id="null-byte"),
    pytest.param(b"REQUIRES = '>=3.9'\n", None, id="no-call"),
])
def test_python_requires_is_read_never_run(source: bytes, found: Optional[str]) -> None:
    assert python_requires(source) == found


def test_the_pyproject_is_found_above_the_common_directory(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "c.py").write_text("")
    monkeypatch.chdir(tmp_path / "a" / "b")
    assert find_pyproject([str(tmp_path / "a" / "c.py"), str(tmp_path / "a" / "b")]) == \
        tmp_path / "pyproject.toml"
    assert find_pyproject(["-"]) == tmp_path / "pyproject.toml", "stdin: from the cwd"
    assert find_pyproject([str(tmp_path / "a" / "missing.py")]) == tmp_path / "pyproject.toml"
    os.remove(tmp_path / "pyproject.toml")
    assert find_pyproject([str(tmp_path / "a")]) is None
