"""Exclusion as people write it: gitignore-style patterns, comma-separated lists, `.gitignore`
respected by default, `--force-exclude` for named files, and build/dist that are packages."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Set

import pytest
from click.testing import CliRunner

from poolcompat.cli import cli

POOL = "import multiprocessing\nmultiprocessing.get_context()\n"
TREE = ["pkg/__init__.py", "pkg/jobs.py", "tests/test_jobs.py", "pkg/tests/test_inner.py",
        "docs/conf.py", "build/lib/pkg/jobs.py", "dist/old.py", "pkg/build/__init__.py",
        "pkg/build/steps.py"]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("")
    for name in TREE:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(POOL)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def checked(*args: str) -> Set[str]:
    result = CliRunner().invoke(cli, ["check", "--no-cache", "-j1", "--output-format", "json",
                                      *args])
    assert result.exit_code in (0, 1), result.output
    return set(json.loads(result.output)["files"])


DEFAULT = {"pkg/__init__.py", "pkg/jobs.py", "tests/test_jobs.py", "pkg/tests/test_inner.py",
           "docs/conf.py", "pkg/build/__init__.py", "pkg/build/steps.py"}


def test_build_that_is_a_package_is_source(tree: Path) -> None:
    assert checked(".") == DEFAULT  # build/ and dist/ artefacts skipped, pkg/build/ kept


@pytest.mark.parametrize("args, left_out", [
    pytest.param(["--exclude", "tests/"], {"tests/test_jobs.py", "pkg/tests/test_inner.py"},
                 id="directory-anywhere"),
    pytest.param(["--exclude", "./tests"], {"tests/test_jobs.py"}, id="dot-slash-is-anchored"),
    pytest.param(["--exclude", "/tests"], {"tests/test_jobs.py"}, id="anchored"),
    pytest.param(["--exclude", "**/tests/**"], {"tests/test_jobs.py", "pkg/tests/test_inner.py"},
                 id="double-star"),
    pytest.param(["--exclude", "tests/,docs"], {"tests/test_jobs.py", "pkg/tests/test_inner.py",
                                                "docs/conf.py"}, id="comma-separated"),
    pytest.param(["--exclude", "*.py", "--exclude", "!jobs.py"],
                 DEFAULT - {"pkg/jobs.py"}, id="negation"),
    pytest.param(["--extend-exclude", "conf.py"], {"docs/conf.py"}, id="extend"),
])
def test_patterns(tree: Path, args: List[str], left_out: Set[str]) -> None:
    assert checked(*args, ".") == DEFAULT - left_out


def test_config_patterns_are_relative_to_the_config(tree: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tree / "pyproject.toml").write_text("[tool.poolcompat]\nexclude = ['./pkg/tests']\n")
    monkeypatch.chdir(tree / "pkg")
    assert checked(".") == {"__init__.py", "jobs.py", "build/__init__.py", "build/steps.py"}


@pytest.mark.parametrize("args, left_out", [
    pytest.param([], {"docs/conf.py", "pkg/tests/test_inner.py"}, id="respected"),
    pytest.param(["--no-respect-gitignore"], set(), id="switched-off"),
])
def test_gitignore(tree: Path, args: List[str], left_out: Set[str]) -> None:
    (tree / ".gitignore").write_text("docs/\n")
    (tree / "pkg" / ".gitignore").write_text("tests/\n")
    assert checked(*args, ".") == DEFAULT - left_out


def test_gitignore_in_config(tree: Path) -> None:
    (tree / ".gitignore").write_text("docs/\n")
    (tree / "pyproject.toml").write_text("[tool.poolcompat]\nrespect-gitignore = false\n")
    assert checked(".") == DEFAULT


@pytest.mark.parametrize("args, files", [
    pytest.param([], {"docs/conf.py", "tests/test_jobs.py"}, id="named-files-are-checked"),
    pytest.param(["--force-exclude"], {"tests/test_jobs.py"}, id="force-exclude"),
])
def test_force_exclude(tree: Path, args: List[str], files: Set[str]) -> None:
    (tree / ".gitignore").write_text("docs/\n")
    assert checked("--exclude", "pkg/tests", *args, "docs/conf.py", "tests/test_jobs.py") == files


def test_pre_commit_hooks_force_the_exclusions() -> None:
    hooks = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text()
    entries = [line.split(":", 1)[1].strip() for line in hooks.splitlines()
               if line.strip().startswith("entry:")]
    assert entries and all(entry.endswith("--force-exclude") for entry in entries)


@pytest.mark.parametrize("args, files", [
    pytest.param([], {"docs/conf.py"}, id="named-directory-is-walked"),
    pytest.param(["--force-exclude"], set(), id="unless-forced"),
])
def test_an_ignored_directory_named_by_the_user(tree: Path, args: List[str],
                                                files: Set[str]) -> None:
    (tree / ".gitignore").write_text("docs/\n")
    assert checked(*args, "docs") == files
