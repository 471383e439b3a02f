"""Every fixture states what it contains; the checker must find exactly that."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests._expect import expectations, selection
from poolcompat import check_paths
from poolcompat.cli import cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FILES = sorted(FIXTURES.rglob("*.py"))


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return check_paths([str(FIXTURES)])


def test_enough_fixtures() -> None:
    assert len(FILES) >= 40


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_fixture(path: Path, report) -> None:  # type: ignore[no-untyped-def]
    expected, minimum = expectations(path)
    assert minimum is not None, f"{path.name} states no `# minimum:`"
    select = selection(path)
    results = check_paths([str(path)], select=select).results if select else report.results
    shown = [r for r in results if Path(r.path).resolve() == path]
    assert len(shown) == 1
    result = shown[0]
    assert result.error is None, result.error
    found = {(f.line, f.code, f.guarded) for f in result.findings}
    assert sorted(found - expected) == [], "found but not expected"
    assert sorted(expected - found) == [], "expected but not found"
    top = max((f.requires for f in result.findings if f.counts), default=None)
    assert (str(top) if top else "none") == minimum


def test_json_document(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--output-format", "json", str(FIXTURES)])
    assert result.exit_code == 1, result.output  # mp_never_works.py fails on every Python
    document = json.loads(result.output)
    assert set(document) == {"minimum", "below", "target", "findings", "errors", "files",
                             "summary"}
    assert document["target"] is None and document["errors"] == []
    keys = {"path", "line", "column", "end_line", "end_column", "code", "feature", "requires",
            "requires_py2", "message", "violation", "guarded", "typing_only", "removed",
            "start_method", "platforms"}
    assert document["findings"] and all(set(f) == keys for f in document["findings"])
    top = max((tuple(map(int, f["requires"].split("."))) for f in document["findings"]))
    assert document["minimum"] == ".".join(map(str, top))
    assert len(document["files"]) == len(FILES)
