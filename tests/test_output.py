"""What users read first: violations before everything else, a summary that counts the files,
statistics, source lines, colour, 80 columns, GitHub annotations and the `--versions` table."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Dict, List

import pytest
from click.testing import CliRunner, Result

from poolcompat.cli import cli

# One violation of ">=3.8" (3.9's cancel_futures) among findings that are within it.
JOBS = """import multiprocessing


def run(items):
\twith multiprocessing.Pool(2) as pool:
\t\tfirst = pool.starmap(pow, [(2, 3)])
\treturn first
"""
SHUTDOWN = """from concurrent.futures import ThreadPoolExecutor

pool = ThreadPoolExecutor(2)
pool.shutdown(wait=True, cancel_futures=True)
"""
NEVER = "import multiprocessing\nmultiprocessing.Pool(context=None)\n"
FINDING = re.compile(r"^\S+:\d+:\d+: PCP\d{3} ", re.M)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nrequires-python = '>=3.8'\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "jobs.py").write_text(JOBS)
    (tmp_path / "src" / "stop.py").write_text(SHUTDOWN)
    (tmp_path / "src" / "plain.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str, env: Dict[str, str] = {}) -> Result:
    return CliRunner().invoke(cli, ["check", "--no-cache", "-j1", *args], env=env)


def listed(output: str) -> List[str]:
    return FINDING.findall(output)


def test_violations_come_first_and_alone(project: Path) -> None:
    result = check("src")
    assert result.exit_code == 1
    assert listed(result.output) == ["src/stop.py:4:26: PCP266 "]
    assert "Found 1 violation in 1 file (3 files checked, 2 with pool code)." in result.output
    assert "Target: Python 3.8, from pyproject.toml [project] requires-python." in result.output
    assert "Minimum Python: 3.9 (src/stop.py:4)." in result.output
    assert "within the target not shown (--show-all lists them)" in result.output


@pytest.mark.parametrize("flag", [pytest.param("--show-all", id="long"),
                                  pytest.param("-v", id="short")])
def test_show_all_lists_every_finding(project: Path, flag: str) -> None:
    everything = json.loads(check("--output-format", "json", "src").output)["findings"]
    result = check(flag, "src")
    assert len(listed(result.output)) == len(everything) > 1
    assert listed(result.output)[0] == "src/stop.py:4:26: PCP266 "
    assert "Within the target:" in result.output and "Per file:" in result.output


def test_without_target_a_summary_per_version_and_the_top_lines(project: Path) -> None:
    (project / "pyproject.toml").write_text("")
    result = check("src")
    assert result.exit_code == 0
    assert listed(result.output) == ["src/stop.py:4:26: PCP266 "]
    assert re.search(r"^  3\.3 +PCP102 x1, PCP301 x1$", result.output, re.M)
    assert re.search(r"^  3\.9 +PCP266 x1$", result.output, re.M)
    assert "(3 files checked)." in result.output


def test_a_call_that_never_works_fails_without_a_target(project: Path) -> None:
    (project / "pyproject.toml").write_text("")
    (project / "src" / "ctx.py").write_text(NEVER + NEVER.splitlines()[1] + "\n")
    result = check("src")
    assert result.exit_code == 1
    assert [line for line in listed(result.output) if "PCP205" in line] == [
        "src/ctx.py:2:22: PCP205 ", "src/ctx.py:3:22: PCP205 "]


def test_statistics_count_per_code(project: Path) -> None:
    result = check("--statistics", "-t", "3.2", "src")
    assert re.search(r"^1     PCP102 `Pool.starmap\(\)` requires Python 3.3$", result.output, re.M)
    assert re.search(r"^1     PCP266 ", result.output, re.M)


def test_show_source_puts_a_caret_under_the_column(project: Path) -> None:
    result = check("--show-source", "-t", "3.2", "src/jobs.py")
    lines = result.output.splitlines()
    at = lines.index(next(line for line in lines if "PCP102" in line))
    assert lines[at + 1] == "\t\tfirst = pool.starmap(pow, [(2, 3)])"
    assert lines[at + 2] == "\t\t             ^^^^^^^"  # tabs kept: it lines up in any terminal


@pytest.mark.parametrize("env, coloured", [
    pytest.param({}, False, id="not-a-terminal"),
    pytest.param({"FORCE_COLOR": "1"}, True, id="force-color"),
    pytest.param({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, id="no-color-wins"),
])
def test_colour(project: Path, env: Dict[str, str], coloured: bool) -> None:
    assert ("\x1b[" in check("src", env=env).output) == coloured


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize("args", [
    pytest.param([], id="target"),
    pytest.param(["-t", "2.7"], id="python-2"),
    pytest.param(["--config", str(FIXTURES / "pyproject.toml"), str(FIXTURES)],
                 id="no-target-many-codes"),
])
def test_prose_fits_80_columns(project: Path, args: List[str]) -> None:
    (project / "a_very_long_directory_name_for_the_sources").mkdir()
    (project / "a_very_long_directory_name_for_the_sources" / "jobs.py").write_text(JOBS)
    output = check(*args, *([] if "--config" in args else ["."])).output
    prose = [line for line in output.splitlines() if not FINDING.match(line)]
    assert len(prose) > 4 and all(len(line) <= 80 for line in prose), prose
    assert all(re.fullmatch(r"( {8}|  \d\.\d+ +)(PCP\d{3} x\d+(, |,$|$))+", line)
               for line in prose if "PCP" in line and " x" in line)  # never `PCP110\n x3`


def test_github_annotates_violations_only(project: Path) -> None:
    lines = check("--output-format", "github", "src").output.splitlines()
    assert [line.split(",")[0] for line in lines[:-1]] == ["::error file=src/stop.py"]
    assert lines[-1] == ("poolcompat: Found 1 violation in 1 file (3 files checked, 2 with pool "
                         "code).")


def test_syntax_error_has_a_place(project: Path) -> None:
    (project / "src" / "bad.py").write_text("import multiprocessing\ndef f(:\n")
    text = check("src").output
    assert "src/bad.py:2:7: error: syntax error: invalid syntax" in text
    github = check("--output-format", "github", "src").output
    assert "::error file=src/bad.py,line=2,col=7,title=poolcompat::syntax error" in github
    document = json.loads(check("--output-format", "json", "src").output)
    assert [(e["path"], e["line"]) for e in document["errors"]] == [("src/bad.py", 2)]
    assert document["summary"]["checked"] == 4


def test_versions_table(project: Path) -> None:
    result = check("--versions", "src")
    rows = {m[0]: (m[1], int(m[2]), m[3]) for m in
            re.findall(r"^(3\.\d+)( \*)? +(\d+)  (.*)$", result.output, re.M)}
    assert list(rows)[0] == "3.6" and list(rows)[-1] == "3.15"
    assert rows["3.8"] == (" *", 1, "src/stop.py (1)")
    assert rows["3.7"] == ("", 1, "src/stop.py (1)")
    assert rows["3.9"] == (" *", 0, "-")
    assert "(3 files checked, 2 with pool code)" in result.output
    older = check("--versions", "-t", "3.2", "src/jobs.py").output  # rows from the target on
    assert older.splitlines()[1] == "3.2 *       2  src/jobs.py (2)"
    assert re.search(r"^3\.3 \* +0  -$", older, re.M)


def test_versions_json(project: Path) -> None:
    document = json.loads(check("--versions", "--output-format", "json", "src").output)
    by_python = {row["python"]: row for row in document["versions"]}
    assert by_python["3.8"] == {"python": "3.8", "in_target": True, "fails": 1,
                                "files": {"src/stop.py": 1}}
    assert by_python["3.6"]["in_target"] is False and document["checked"] == 3


def test_versions_refuses_other_formats(project: Path) -> None:
    result = check("--versions", "--output-format", "sarif", "src")
    assert result.exit_code == 2 and "--versions prints text or json" in result.output
