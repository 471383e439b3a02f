"""One multi-module project through every entry point: the CLI on the tree, the CLI on each
file, pre-commit, flake8, pylint and Fixit report the same violations, cross-module ones
included, because each reads the project's other modules for context."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

import pytest
from click.testing import CliRunner

import poolcompat
from tests._tools import ENV, run, tool
import poolcompat.engine.check
from poolcompat.cli import cli

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "fixtures" / "project_app" / "app"
PYPROJECT = """[project]
name = "app"
requires-python = ">=3.2"

[tool.fixit]
enable = ["poolcompat.fixit_rules"]
disable = ["fixit.rules"]
python-version = "3.2"
"""
Line = Tuple[str, int, str]  # path relative to the project, line, code


def found(pattern: str, output: str) -> Set[Line]:
    return {(Path(m[0]).as_posix(), int(m[1]), m[2]) for m in re.findall(pattern, output, re.M)}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("entry") / "proj"
    shutil.copytree(APP, root / "app")
    (root / "pyproject.toml").write_text(PYPROJECT)
    return root


@pytest.fixture
def inside(project: Path) -> Iterator[Path]:
    here = os.getcwd()
    os.chdir(project)
    try:
        yield project
    finally:
        os.chdir(here)


def cli_violations(args: List[str]) -> Set[Line]:
    result = CliRunner().invoke(cli, ["check", "--output-format", "json", "-j1", *args])
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.output)
    return {(f["path"], f["line"], f["code"]) for f in document["findings"] if f["violation"]}


@pytest.fixture(scope="module")
def expected(project: Path) -> Set[Line]:
    here = os.getcwd()
    os.chdir(project)
    try:
        lines = cli_violations(["--no-cache", "."])
    finally:
        os.chdir(here)
    alone = poolcompat.check_source((APP / "jobs.py").read_text(), path="app/jobs.py",
                                    target="3.2")
    assert ("app/jobs.py", 8, "PCP102") in lines, "the fixture should need its other modules"
    assert ("app/jobs.py", 8, "PCP102") not in {(f.path, f.line, f.code) for f in alone.violations}
    return lines


def test_cli_on_each_file_agrees_with_the_tree(inside: Path, expected: Set[Line]) -> None:
    files = sorted(p.relative_to(inside).as_posix() for p in (inside / "app").glob("*.py"))
    per_file = set().union(*(cli_violations(["--no-cache", name]) for name in files))
    assert per_file == expected


def test_without_project_context_a_file_stands_alone(inside: Path, expected: Set[Line]) -> None:
    alone = cli_violations(["--no-cache", "--no-project-context", "app/jobs.py"])
    assert ("app/jobs.py", 8, "PCP102") in expected and ("app/jobs.py", 8, "PCP102") not in alone


def test_a_file_outside_the_cwds_project_does_not_read_that_project(
        inside: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside any project a file is checked on its own: the cwd's project is not its context
    (it was read whole, making a one-file check as slow as a check of the cwd's tree)."""
    stray = tmp_path / "stray.py"
    stray.write_text("from concurrent.futures import ThreadPoolExecutor\n"
                     "ThreadPoolExecutor(initializer=print)\n")
    checked: List[str] = []
    real = poolcompat.engine.check.summarize

    def spy(source: bytes, path: str, *args: object, **kwargs: object) -> object:
        checked.append(path)
        return real(source, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(poolcompat.engine.check, "summarize", spy)
    lines = cli_violations(["--no-cache", "--target-version", "3.6", str(stray)])
    assert lines and all(path.endswith("stray.py") for path, _, _ in lines)
    assert len(checked) == 1 and checked[0].endswith("stray.py")


def test_warm_single_file_parses_nothing(inside: Path, expected: Set[Line],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    cache = str(inside.parent / "cache")
    cli_violations(["--cache-dir", cache, "."])

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm run parsed a file")

    monkeypatch.setattr(poolcompat.engine.check, "summarize", refuse)
    alone = cli_violations(["--cache-dir", cache, "app/jobs.py"])
    assert alone == {line for line in expected if line[0] == "app/jobs.py"}


@pytest.mark.parametrize("command, pattern", [
    pytest.param(["flake8", "--select", "PCP", "-j", "2", "app"],
                 r"^(.+?):(\d+):\d+: (PCP\d{3})", id="flake8"),
    pytest.param(["pylint", "--load-plugins=poolcompat.pylint_plugin", "--disable=all",
                  "--enable=W9301,W9302,W9303,W9304,W9305,W9306,W9309", "--py-version=3.2",
                  "--score=n", "app"], r"^(.+?):(\d+):\d+: W93\d\d: (PCP\d{3})", id="pylint"),
    pytest.param(["fixit", "lint", "app"], r"^(.+?)@(\d+):\d+ \w+: (PCP\d{3})", id="fixit"),
])
def test_linters_agree_with_the_tree(project: Path, expected: Set[Line], command: List[str],
                                     pattern: str) -> None:
    result = run([tool(command[0]), *command[1:]], project, timeout=900)
    assert found(pattern, result.stdout) == expected, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_agrees_with_the_tree(project: Path, expected: Set[Line],
                                         tmp_path: Path) -> None:
    pre_commit = tool("pre-commit")
    env: Dict[str, str] = {**ENV, "PRE_COMMIT_HOME": str(tmp_path / "home"),
                           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    repo = tmp_path / "repo"
    shutil.copytree(project, repo)
    (repo / ".gitignore").write_text("ignored.py\n")
    (repo / "ignored.py").write_text("import multiprocessing\nmultiprocessing.get_context()\n")
    for args in (["init", "-q"], ["add", "."], ["add", "-f", "ignored.py"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)
    staged = sorted(p.relative_to(repo).as_posix() for p in (repo / "app").glob("*.py"))
    command = [pre_commit, "try-repo", str(ROOT), "poolcompat", "--files", *staged,
               "ignored.py"]
    result = subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env,
                            timeout=900)
    if "Could not find a version" in result.stdout + result.stderr:
        pytest.skip("pre-commit could not install the hook's dependencies")
    assert result.returncode == 1, result.stdout + result.stderr
    assert found(r"^(app/.+?):(\d+):\d+: (PCP\d{3})", result.stdout) == expected, result.stdout
    assert "ignored.py" not in result.stdout  # --force-exclude: .gitignore holds for it too
