"""The Python API: paths as a string or a list, targets as text, tuples or Versions, the
project's config on request, and a module that lists what it offers."""
from __future__ import annotations

from pathlib import Path
from typing import Any, List

import pytest

import poolcompat
from poolcompat import Version

NEEDS_34 = "import multiprocessing\nmultiprocessing.get_context()\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "jobs.py").write_text(NEEDS_34)
    (tmp_path / "pyproject.toml").write_text("[project]\nrequires-python = '>=3.3'\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("paths", [
    pytest.param("src", id="string"),
    pytest.param(Path("src"), id="path"),
    pytest.param(["src"], id="list"),
    pytest.param((p for p in ["src/jobs.py"]), id="generator"),
])
def test_paths(project: Path, paths: Any) -> None:
    report = poolcompat.check_paths(paths)
    assert [(f.path, f.code) for f in report.findings] == [("src/jobs.py", "PCP401")]


def test_bytes_paths_are_refused(project: Path) -> None:
    with pytest.raises(TypeError):
        poolcompat.check_paths(b"src")  # type: ignore[arg-type]


@pytest.mark.parametrize("target", [
    pytest.param("3.3", id="string"), pytest.param((3, 3), id="tuple"),
    pytest.param(Version((3, 3)), id="version"), pytest.param("3.3-3.12", id="range"),
])
def test_targets(target: Any) -> None:
    report = poolcompat.check_source(NEEDS_34, target=target)
    assert [f.code for f in report.violations] == ["PCP401"]
    assert str(report.target) == "3.3"


@pytest.mark.parametrize("target, error", [
    pytest.param((3,), TypeError, id="short-tuple"),
    pytest.param(("3", "8"), TypeError, id="tuple-of-strings"),
    pytest.param(3.8, TypeError, id="float"),
    pytest.param("3", ValueError, id="major-only"),
])
def test_bad_targets(target: Any, error: type) -> None:
    with pytest.raises(error):
        poolcompat.check_source(NEEDS_34, target=target)


@pytest.mark.parametrize("config, violations", [
    pytest.param(False, [], id="off-by-default"),
    pytest.param(True, ["PCP401"], id="nearest-pyproject"),
    pytest.param("pyproject.toml", ["PCP401"], id="named-file"),
])
def test_config_is_opt_in(project: Path, config: Any, violations: List[str]) -> None:
    report = poolcompat.check_paths("src", config=config)
    assert [f.code for f in report.violations] == violations


def test_config_ignore_and_arguments_win(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.poolcompat]\nignore = ['PCP4']\n"
                                            "target-version = '3.3'\n")
    assert poolcompat.check_paths("src", config=True).findings == []
    report = poolcompat.check_paths("src", config=True, ignore=["PCP9"], target="3.4")
    assert [f.code for f in report.findings] == ["PCP401"] and report.violations == []


def test_bad_config_raises(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.poolcompat]\ntarget = '3.3'\n")
    with pytest.raises(poolcompat.ConfigError, match="did you mean 'target-version'"):
        poolcompat.check_paths("src", config=True)


def test_dir_lists_the_api() -> None:
    assert {"check_paths", "check_source", "Report", "Finding", "Version", "Target",
            "ConfigError", "__version__"} <= set(dir(poolcompat))
