"""Typing-only uses (under `if TYPE_CHECKING:`, in annotations that are never evaluated) are
reported, marked, and never count: not in the minimum, not as violations, in no format."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import pytest
from click.testing import CliRunner, Result

from poolcompat.cli import cli
from poolcompat.engine.findings import FileResult, finding
from poolcompat.report.report import judge
from poolcompat.report.style import Display
from poolcompat.report.target import parse_target
from poolcompat.report.text import listed, to_text
from poolcompat.report.versions import rows
from poolcompat.table.load import default_table
from poolcompat.versions import Version

TABLE = default_table()
UNDER_TYPE_CHECKING = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                       "    from multiprocessing import get_context\n")
UNDER_TYPING_DOT = ("import typing\nimport multiprocessing\nif typing.TYPE_CHECKING:\n"
                    "    multiprocessing.get_context()\n")
POSTPONED = ("from __future__ import annotations\nfrom multiprocessing.queues import SimpleQueue\n"
             "def f(q: SimpleQueue[int]) -> None:\n    pass\n")
EVALUATED = ("from multiprocessing.queues import SimpleQueue\n"
             "def f(q: SimpleQueue[int]) -> None:\n    pass\n")
PLAIN = "import multiprocessing\nmultiprocessing.get_context()\n"
MARKER = " [typing-only: does not count]"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(source: str, *args: str) -> Result:
    Path("jobs.py").write_text(source)
    return CliRunner().invoke(cli, ["check", "--no-cache", "-j1", "-t", "3.3", *args, "jobs.py"])


CASES = [
    pytest.param(UNDER_TYPE_CHECKING, "PCP401", True, None, id="if-TYPE_CHECKING"),
    pytest.param(UNDER_TYPING_DOT, "PCP401", True, None, id="if-typing.TYPE_CHECKING"),
    pytest.param(POSTPONED, "PCP311", True, None, id="postponed-annotation"),
    pytest.param(EVALUATED, "PCP311", False, "3.9", id="evaluated-annotation"),
    pytest.param(PLAIN, "PCP401", False, "3.4", id="runs"),
]


@pytest.mark.parametrize("source, code, typing_only, minimum", CASES)
def test_json_says_typing_only(here: Path, source: str, code: str, typing_only: bool,
                               minimum: Optional[str]) -> None:
    result = check(source, "--output-format", "json")
    document = json.loads(result.stdout)
    [found] = [f for f in document["findings"] if f["code"] == code]
    assert (found["typing_only"], found["violation"]) == (typing_only, not typing_only)
    assert found["guarded"] is False
    assert document["minimum"] == minimum
    assert document["summary"]["violations"] == (0 if typing_only else 1)
    assert result.exit_code == (0 if typing_only else 1)


@pytest.mark.parametrize("source, code, typing_only, minimum", CASES)
def test_text_marks_typing_only(here: Path, source: str, code: str, typing_only: bool,
                                minimum: Optional[str]) -> None:
    lines = check(source, "--show-all").stdout.splitlines()
    [shown] = [line for line in lines if line.startswith("jobs.py:") and f" {code} " in line]
    assert shown.endswith(MARKER) == typing_only
    expected = f"Minimum Python: {minimum} (" if minimum else "Minimum Python: none forced"
    assert any(line.startswith(expected) for line in lines)


@pytest.mark.parametrize("source, typing_only", [
    pytest.param(UNDER_TYPE_CHECKING, True, id="typing-only"),
    pytest.param(PLAIN, False, id="runs"),
])
def test_sarif_and_github(here: Path, source: str, typing_only: bool) -> None:
    sarif = json.loads(check(source, "--output-format", "sarif", "--show-all").stdout)
    [result] = sarif["runs"][0]["results"]
    assert result["properties"]["typing_only"] is typing_only
    assert result["level"] == ("note" if typing_only else "error")
    github = check(source, "--output-format", "github").stdout.splitlines()
    assert [line.startswith("::error ") for line in github[:-1]] == ([] if typing_only else [True])


@pytest.mark.parametrize("code, select", [
    pytest.param("PCP102", (), id="needs-3.3"),
    pytest.param("PCP205", (), id="never-works"),
    pytest.param("PCP261", (), id="removed-in-3.9"),
    pytest.param("PCP601", ("PCP6",), id="pitfall"),
])
def test_a_typing_only_finding_never_counts(code: str, select: List[str]) -> None:
    """Whatever the rule: no violation on any target, no minimum, nothing failing on any
    Python of `--versions`, nothing listed without --show-all."""
    rule = TABLE.get(code)
    assert rule is not None
    results = [FileResult("jobs.py", [finding("jobs.py", rule, (3, 5, 3, 20), False,
                                              typing_only=True)])]
    for target in (None, parse_target("2.7"), parse_target("3.0"), parse_target("3.8-3.13")):
        report = judge(results, TABLE, target, select)
        assert [f.code for f in report.findings] == [code]
        assert not report.violations and report.minimum is None and report.below is None
        assert report.exit_code == 0 and not listed(report)
        assert all(row.fails == 0 for row in rows(report, Version((3, 14))))
        assert to_text(report, Display(show_all=True)).splitlines()[0].endswith(MARKER)
    running = [FileResult("jobs.py", [finding("jobs.py", rule, (3, 5, 3, 20), False)])]
    assert judge(running, TABLE, parse_target("3.0"), select).violations  # the same use, run
