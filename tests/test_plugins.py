"""Every integration, run for real: pre-commit, flake8, pylint and Fixit, all on one engine."""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import List, Set, Tuple

import pytest

import poolcompat
from tests._tools import run, tool
from poolcompat.plugins import above_baseline, project_findings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
NEEDS_33 = "from multiprocessing.pool import ThreadPool\n\nwith ThreadPool(1) as pool:\n    pool.map(abs, [1])\n"


def expected_lines(paths: List[Path]) -> Set[Tuple[str, int, str]]:
    """What every adapter should say with no target: the findings above their baseline."""
    report = poolcompat.check_paths([str(p) for p in paths])
    return {(Path(f.path).name, f.line, f.code) for f in report.findings
            if f.counts and above_baseline(f)}


@pytest.fixture(scope="module")
def single_files() -> List[Path]:
    return sorted(p for p in FIXTURES.glob("*.py"))


def test_flake8_reports_violations_of_its_target(tmp_path: Path) -> None:
    flake8 = tool("flake8")
    (tmp_path / "jobs.py").write_text(NEEDS_33 + "x = 1  # noqa\n")
    result = run([flake8, "--select", "PCP", "--poolcompat-target-version", "3.2", "jobs.py"],
                 tmp_path)
    assert result.stdout.strip() == (
        "jobs.py:3:6: PCP301 `with Pool(...)` (pool as a context manager) requires Python 3.3")
    clean = run([flake8, "--select", "PCP", "--poolcompat-target-version", "3.3", "jobs.py"],
                tmp_path)
    assert clean.returncode == 0 and clean.stdout == ""
    (tmp_path / "setup.cfg").write_text("[flake8]\npoolcompat-target-version = 3.2\n")
    assert "PCP301" in run([flake8, "--select", "PCP", "jobs.py"], tmp_path).stdout


def test_flake8_honours_noqa_and_pyproject(tmp_path: Path) -> None:
    flake8 = tool("flake8")
    (tmp_path / "jobs.py").write_text(NEEDS_33.replace(" as pool:", " as pool:  # noqa: PCP301"))
    (tmp_path / "pyproject.toml").write_text("[tool.poolcompat]\ntarget-version = '3.2'\n")
    assert run([flake8, "--select", "PCP", "jobs.py"], tmp_path).stdout == ""


def test_flake8_pylint_api_and_cli_agree(single_files: List[Path], tmp_path: Path) -> None:
    flake8, pylint = tool("flake8"), tool("pylint")
    expected = expected_lines(single_files)
    assert expected, "the fixtures should hold findings above the baseline"
    out = run([flake8, "--select", "PCP", *map(str, single_files)], FIXTURES).stdout
    flake8_found = {(Path(m[0]).name, int(m[1]), m[2])
                    for m in re.findall(r"^(.+?):(\d+):\d+: (PCP\d{3})", out, re.M)}
    assert flake8_found == expected
    out = run([pylint, "--load-plugins=poolcompat.pylint_plugin", "--disable=all",
               "--enable=" + ",".join(f"W930{i}" for i in (1, 2, 3, 4, 5, 6, 9)),
               "--py-version=3.0", "--score=n", *map(str, single_files)], FIXTURES).stdout
    pylint_found = {(Path(m[0]).name, int(m[1]), m[2])
                    for m in re.findall(r"^(.+?):(\d+):\d+: W93\d\d: (PCP\d{3})", out, re.M)}
    api = poolcompat.check_paths([str(p) for p in single_files], target="3.0")
    assert pylint_found == {(Path(f.path).name, f.line, f.code) for f in api.violations}
    cli = run([sys.executable, "-m", "poolcompat", "check", "-t", "3.0", "--no-cache",
               "--output-format", "github", *map(str, single_files)], FIXTURES).stdout
    cli_found = {(Path(m[0]).name, int(m[1]), m[2])
                 for m in re.findall(r"^::error file=(.+?),line=(\d+),.*title=(PCP\d{3})", cli, re.M)}
    assert cli_found == pylint_found


def test_pylint_takes_py_version(tmp_path: Path) -> None:
    pylint = tool("pylint")
    (tmp_path / "jobs.py").write_text(NEEDS_33)
    base = [pylint, "--load-plugins=poolcompat.pylint_plugin", "--disable=all",
            "--enable=pool-context-manager-too-new", "--score=n", "jobs.py"]
    assert "W9303: PCP301" in run([*base, "--py-version=3.2"], tmp_path).stdout
    assert "PCP301" not in run([*base, "--py-version=3.3"], tmp_path).stdout


def test_fixit_honours_python_version(tmp_path: Path) -> None:
    fixit = tool("fixit")
    (tmp_path / "jobs.py").write_text(NEEDS_33)
    config = '[tool.fixit]\nenable = ["poolcompat.fixit_rules"]\ndisable = ["fixit.rules"]\n'
    (tmp_path / "pyproject.toml").write_text(config + 'python-version = "3.2"\n')
    assert "PCP301" in run([fixit, "lint", "jobs.py"], tmp_path).stdout
    (tmp_path / "pyproject.toml").write_text(config + 'python-version = "3.3"\n')
    assert "PCP301" not in run([fixit, "lint", "jobs.py"], tmp_path).stdout


def test_fixit_rules_examples() -> None:
    fixit = tool("fixit")
    result = run([fixit, "test", "poolcompat.fixit_rules"], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("value, message", [
    pytest.param("3", "names no minor release", id="major-only"),
    pytest.param("three", "not a Python version", id="not-a-version"),
    pytest.param("3.99", "newer than any Python", id="future"),
])
def test_flake8_bad_target_is_one_line(tmp_path: Path, value: str, message: str) -> None:
    flake8 = tool("flake8")
    (tmp_path / "jobs.py").write_text(NEEDS_33)
    result = run([flake8, "--select", "PCP", "--poolcompat-target-version", value, "jobs.py"],
                 tmp_path)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1
    assert lines[0].startswith("flake8: poolcompat: --poolcompat-target-version: ")
    assert message in result.stderr and "Traceback" not in result.stderr


def test_flake8_bad_pyproject_is_one_line(tmp_path: Path) -> None:
    flake8 = tool("flake8")
    (tmp_path / "jobs.py").write_text(NEEDS_33)
    (tmp_path / "pyproject.toml").write_text("[project]\nrequires-python = '>=three'\n")
    result = run([flake8, "--select", "PCP", "jobs.py"], tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "pyproject.toml" in result.stderr and "invalid specifier" in result.stderr


def test_a_long_lived_linter_sees_edits(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    jobs = tmp_path / "jobs.py"
    jobs.write_text(NEEDS_33)
    assert {f.code for f in project_findings(jobs.read_bytes(), str(jobs))} >= {"PCP301"}
    jobs.write_text("import multiprocessing\nmultiprocessing.get_context()\n")
    assert {f.code for f in project_findings(jobs.read_bytes(), str(jobs))} == {"PCP401"}
