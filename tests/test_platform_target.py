"""The platforms of a target: `--platform`, `[tool.poolcompat] platforms`, the `Operating
System ::` classifiers, and what a pitfall that depends on the start method fails on each."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Tuple

import pytest
from click.testing import CliRunner

from poolcompat.cli import cli
from poolcompat.report.platforms import classifier_platforms, parse_platforms

FORK = 'import multiprocessing\ncontext = multiprocessing.get_context("fork")\n'


@pytest.mark.parametrize(("classifiers", "expected"), [
    pytest.param(["Operating System :: POSIX :: Linux"], ("linux",), id="linux"),
    pytest.param(["Operating System :: MacOS :: MacOS X", "Operating System :: Microsoft :: "
                  "Windows :: Windows 10"], ("macos", "windows"), id="macos-and-windows"),
    pytest.param(["Operating System :: POSIX"], ("linux", "macos"), id="posix"),
    pytest.param(["Operating System :: OS Independent"], ("linux", "macos", "windows"),
                 id="independent"),
    pytest.param(["Programming Language :: Python :: 3"], None, id="no-os-classifier"),
    pytest.param(["Operating System :: Microsoftish"], None, id="not-a-prefix-match"),
])
def test_classifiers(classifiers: List[str], expected: object) -> None:
    assert classifier_platforms(classifiers) == expected


@pytest.mark.parametrize(("items", "expected"), [
    pytest.param(["windows,linux"], ("linux", "windows"), id="canonical-order"),
    pytest.param(["macOS", "darwin"], ("macos",), id="spellings"),
])
def test_parse(items: List[str], expected: Tuple[str, ...]) -> None:
    assert parse_platforms(items) == expected


def _run(tmp_path: Path, args: List[str], pyproject: str = "") -> Tuple[int, str]:
    (tmp_path / "a.py").write_text(FORK)
    if pyproject:
        (tmp_path / "pyproject.toml").write_text(pyproject)
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "a.py"), "--no-cache",
                                      "--select", "PCP6", "-t", "3.8", *args])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


@pytest.mark.parametrize(("args", "pyproject", "code"), [
    pytest.param([], "", 1, id="all-platforms-reach-windows"),
    pytest.param(["--platform", "linux"], "", 0, id="fork-asked-for-on-linux"),
    pytest.param(["--platform", "linux,windows"], "", 1, id="windows-named"),
    pytest.param([], "[tool.poolcompat]\nplatforms = ['linux', 'macos']\n", 0, id="config"),
    pytest.param(["--platform", "windows"], "[tool.poolcompat]\nplatforms = ['linux']\n", 1,
                 id="flag-beats-config"),
    pytest.param([], "[project]\nclassifiers = ['Operating System :: POSIX :: Linux']\n", 0,
                 id="classifiers-narrow"),
    pytest.param([], "[project]\nclassifiers = ['Operating System :: Microsoft :: Windows']\n",
                 1, id="classifiers-windows"),
])
def test_violation_depends_on_the_platforms(tmp_path: Path, args: List[str], pyproject: str,
                                            code: int) -> None:
    assert _run(tmp_path, args, pyproject)[0] == code


@pytest.mark.parametrize(("args", "pyproject", "message"), [
    pytest.param(["--platform", "linx"], "", "did you mean 'linux'", id="flag-typo"),
    pytest.param(["--platform", "beos"], "", "unknown platform 'beos'", id="flag-unknown"),
    pytest.param([], "[tool.poolcompat]\nplatforms = ['windoze']\n", "did you mean 'windows'",
                 id="config-typo"),
    pytest.param([], "[tool.poolcompat]\nplatforms = 'linux'\n", "must be a list of strings",
                 id="config-type"),
])
def test_unknown_platforms_are_usage_errors(tmp_path: Path, args: List[str], pyproject: str,
                                            message: str) -> None:
    code, output = _run(tmp_path, args, pyproject)
    assert code == 2 and message in output


def test_json_carries_the_spans(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(FORK)
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "a.py"), "--no-cache", "--select",
                                      "PCP6", "-t", "3.8", "--output-format", "json"])
    found = json.loads(result.output)["findings"][0]
    assert found["start_method"] == "fork"
    assert [(s["platform"], s["fails"], s["available"]) for s in found["platforms"]] == [
        ("linux", False, True), ("macos", False, True), ("windows", True, False)]


def test_text_names_the_target_platforms(tmp_path: Path) -> None:
    code, output = _run(tmp_path, ["--platform", "linux"])
    assert "Python 3.8 on Linux" in output and "fails on Windows (fork unavailable)" in output


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _violating_pitfalls(name: str, target: str, platforms: str) -> List[str]:
    result = CliRunner().invoke(cli, ["check", str(FIXTURES / name), "--no-cache", "--select",
                                      "PCP6", "-t", target, "--platform", platforms,
                                      "--output-format", "json"])
    return sorted({f["code"] for f in json.loads(result.output)["findings"] if f["violation"]})


@pytest.mark.parametrize(("name", "target", "platforms", "codes"), [
    pytest.param("start_fork_only.py", "3.8-3.13", "linux", [], id="fork-only-linux-to-3.13"),
    pytest.param("start_fork_only.py", "3.14", "linux",
                 ["PCP601", "PCP605", "PCP606", "PCP607"], id="fork-only-linux-3.14"),
    pytest.param("start_fork_only.py", "3.6-3.7", "macos", [], id="fork-only-macos-to-3.7"),
    pytest.param("start_fork_only.py", "3.6", "macos",
                 ["PCP601", "PCP605", "PCP606", "PCP607"], id="fork-only-macos-3.8-on"),
    pytest.param("start_fork_context.py", "3.6", "linux,macos", [], id="fork-asked-for-posix"),
    pytest.param("start_fork_context.py", "3.6", "windows",
                 ["PCP603", "PCP605", "PCP606", "PCP607"], id="fork-asked-for-windows"),
    pytest.param("start_spawn_safe.py", "3.6", "linux,macos,windows", [], id="spawn-safe"),
    pytest.param("start_parent_globals.py", "3.8-3.13", "linux", [], id="parent-globals-fork"),
    pytest.param("start_parent_globals.py", "3.8", "windows", ["PCP608"],
                 id="parent-globals-spawn"),
])
def test_fixture_violations_per_platform(name: str, target: str, platforms: str,
                                         codes: List[str]) -> None:
    assert _violating_pitfalls(name, target, platforms) == codes
