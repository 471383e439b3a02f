"""The report's judgement and wording at their edges: which Pythons a finding fails on (a use
that never runs, a pitfall, Python 2), source lines read under any coding cookie, the versions
table, platform names and spans, SARIF for a code the table lacks, and the target's syntax."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Optional

import pytest

from poolcompat.engine.findings import FileResult, Finding
from poolcompat.report.platforms import describe, parse_platforms
from poolcompat.report.report import Report, fails_on, violates
from poolcompat.report.sarif import to_sarif
from poolcompat.report.style import Display
from poolcompat.report.target import parse_target
from poolcompat.report.text import to_text
from poolcompat.report.versions import to_versions_text
from poolcompat.table.load import default_table
from poolcompat.table.platforms import PlatformSpan
from poolcompat.versions import Version

V = Version


def _finding(code: str = "PCP301", requires: str = "3.3", py2: Optional[str] = None,
             path: str = "jobs.py", **changes: object) -> Finding:
    base = Finding(path=path, line=1, column=1, end_line=1, end_column=2, code=code,
                   feature="x", requires=V(tuple(map(int, requires.split(".")))),
                   requires_py2=V(tuple(map(int, py2.split(".")))) if py2 else None,
                   message="x")
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


# ---- which Pythons a finding fails on -----------------------------------------------------------

@pytest.mark.parametrize("finding, version, fails", [
    pytest.param(_finding(typing_only=True), V((3, 2)), False, id="never-runs"),
    pytest.param(_finding(guarded=True), V((3, 2)), False, id="guarded"),
    pytest.param(_finding(), V((3, 2)), True, id="below"),
    pytest.param(_finding(), V((3, 3)), False, id="at"),
    pytest.param(_finding(py2="2.7"), V((2, 7)), False, id="py2-has-it"),
    pytest.param(_finding(py2="2.7"), V((2, 6)), True, id="py2-too-old"),
    pytest.param(_finding(), V((2, 7)), True, id="py2-lacks-it"),
    pytest.param(_finding(removed=V((3, 9))), V((3, 9)), True, id="removed"),
    pytest.param(_finding("PCP601", "3.0", "2.6"), V((3, 2)), True, id="pitfall-where-it-exists"),
    pytest.param(_finding("PCP601", "3.0"), V((2, 7)), False, id="pitfall-no-2.x"),
    pytest.param(_finding("PCP601", "3.0", "2.6", guarded=True), V((3, 2)), False,
                 id="pitfall-guarded"),
])
def test_fails_on(finding: Finding, version: Version, fails: bool) -> None:
    assert fails_on(finding, version) is fails


@pytest.mark.parametrize("finding, low, high, first3, fails", [
    pytest.param(_finding(typing_only=True), V((3, 0)), None, None, False, id="never-runs"),
    pytest.param(_finding(py2="2.7"), V((2, 7)), V((2, 7)), None, False, id="2.7-only-has-it"),
    pytest.param(_finding(py2="2.7"), V((2, 7)), None, V((3, 4)), False,
                 id="2.7-then-3.4-has-it"),
    pytest.param(_finding(py2="2.7"), V((2, 7)), None, None, True, id="2.7-then-3.0-lacks-it"),
    pytest.param(_finding("PCP601", "3.4"), V((3, 0)), V((3, 3)), None, False,
                 id="pitfall-before-it-exists"),
    pytest.param(_finding("PCP601", "3.4"), V((3, 0)), V((3, 4)), None, True,
                 id="pitfall-from-when-it-exists"),
    pytest.param(_finding(guarded=True), V((3, 0)), None, None, False, id="guarded"),
])
def test_violates(finding: Finding, low: Version, high: Optional[Version],
                  first3: Optional[Version], fails: bool) -> None:
    assert violates(finding, low, high, first3) is fails


def test_a_start_method_pitfall_fails_only_on_the_chosen_platforms() -> None:
    spans = (PlatformSpan("macos", V((3, 8)), None, "spawn", True),
             PlatformSpan("linux", V((3, 0)), None, "fork", False))
    finding = _finding("PCP605", "3.0", platforms=spans)
    assert violates(finding, V((3, 9)), platforms=("linux", "macos"))
    assert not violates(finding, V((3, 9)), platforms=("linux",))
    assert not violates(finding, V((3, 0)), V((3, 7)), platforms=("macos",)), "before 3.8"
    assert not violates(dataclasses.replace(finding, guarded=True), V((3, 9)))


# ---- source lines, whatever the file's coding cookie says ----------------------------------------

@pytest.mark.parametrize("data, line", [
    pytest.param(b"# coding: latin-1\nx = '\xe9'\n", "x = 'é'", id="latin-1"),
    pytest.param(b"# coding: nosuch\nx = 1\n", "x = 1", id="unknown-coding-read-as-utf-8"),
    pytest.param(b"# coding: rot13\nx = 1\n", "x = 1", id="not-a-text-coding-read-as-utf-8"),
    pytest.param(b"\xef\xbb\xbfx = 1\r\ny = 2\r\n", "x = 1", id="bom-and-crlf"),
])
def test_a_source_line_is_read_under_its_coding(data: bytes, line: str) -> None:
    display = Display(sources={"jobs.py": data})
    number = 2 if data.startswith(b"#") else 1
    assert display.source_line("jobs.py", number) == line
    assert display.source_line("jobs.py", 99) is None


def test_a_file_gone_since_it_was_checked_shows_no_source(tmp_path: Path) -> None:
    gone = str(tmp_path / "gone.py")
    report = Report([FileResult(gone, [_finding(path=gone, violation=True)])], target=V((3, 0)))
    text = to_text(report, Display(show_source=True))
    assert f"{gone}:1:1: PCP301" in text and "^" not in text


# ---- the versions table --------------------------------------------------------------------------

def test_the_versions_table_names_what_fails_on_every_python() -> None:
    never = _finding("PCP205", "3.0", removed=V((3, 0)), path="never.py")
    many = [FileResult(f"m{i}.py", [_finding(path=f"m{i}.py")]) for i in range(12)]
    report = Report([FileResult("never.py", [never]), *many], target=V((2, 7)))
    text = to_versions_text(report, V((3, 4)))
    row = next(line for line in text.splitlines() if line.startswith("3.2"))
    assert row.split()[:3] == ["3.2", "13", "m0.py"], "12 files and never.py fail on 3.2"
    assert "8 more (--show-all)" in " ".join(text.split())
    assert "1 call fail on every Python (counted in each row)." in text
    assert not any(line.startswith("3.0 *") for line in text.splitlines()), \
        "a 2.7 target with no 3.x: 3.x rows are not in it"
    shown_all = to_versions_text(report, V((3, 4)), Display(show_all=True))
    assert "more (--show-all)" not in shown_all and "m11.py (1)" in shown_all


# ---- platforms -----------------------------------------------------------------------------------

@pytest.mark.parametrize("items, expected", [
    pytest.param(["linux, ,macOS"], ("linux", "macos"), id="blank-items-skipped"),
    pytest.param(["win32", "Linux"], ("linux", "windows"), id="spellings"),
])
def test_platform_names(items: list, expected: tuple) -> None:
    assert parse_platforms(items) == expected


@pytest.mark.parametrize("items, message", [
    pytest.param([" , "], "--platform: no platform named (known: linux, macos, windows)",
                 id="none"),
    pytest.param(["linx"], "--platform: unknown platform 'linx'; did you mean 'linux'?",
                 id="typo"),
])
def test_bad_platform_names(items: list, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_platforms(items)
    assert str(raised.value).startswith(message)


def test_spans_that_agree_read_as_one() -> None:
    spans = [PlatformSpan("linux", V((2, 6)), V((3, 0)), "fork", True),
             PlatformSpan("linux", V((3, 0)), V((3, 14)), "fork", True),
             PlatformSpan("linux", V((3, 14)), None, "forkserver", True),
             PlatformSpan("macos", V((2, 6)), None, "fork", False)]
    assert describe(spans) == "works on macOS (fork); fails on Linux (fork/forkserver)"
    assert describe(spans[:1]) == "fails on every platform and start method"
    up_to_2 = [spans[0], PlatformSpan("linux", V((3, 0)), None, "spawn", False)]
    assert describe(up_to_2) == "works on Linux from 3.0 (spawn); fails on Linux up to 2.x (fork)"


# ---- SARIF and the target ------------------------------------------------------------------------

def test_sarif_describes_a_code_the_table_lacks_by_its_id() -> None:
    report = Report([FileResult("jobs.py", [_finding("PCP998", violation=True)])], target=V((3, 0)))
    rules = json.loads(to_sarif(report, table=default_table()))["runs"][0]["tool"]["driver"]["rules"]
    assert rules == [{"id": "PCP998"}]


def test_an_error_without_a_position_has_no_region() -> None:
    report = Report([FileResult("jobs.py", error="cannot read: a named pipe")])
    run = json.loads(to_sarif(report, table=default_table()))["runs"][0]
    (location,) = run["invocations"][0]["toolExecutionNotifications"][0]["locations"]
    assert location["physicalLocation"] == {"artifactLocation": {"uri": "jobs.py"}}


@pytest.mark.parametrize("text", ["-3.8", " - "])
def test_a_target_needs_a_first_version(text: str) -> None:
    with pytest.raises(ValueError, match="has no first version"):
        parse_target(text)
