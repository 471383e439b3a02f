"""What the linter plugins share (`poolcompat.plugins`): the bytes a linter's decoded lines stand
for, and a bad project config that must not stop the findings of a long-lived linter."""
from __future__ import annotations

from pathlib import Path

import pytest

from poolcompat.plugins import PluginError, checked_target, project_findings, project_target, read

NEEDS_33 = "from multiprocessing.pool import ThreadPool\n\nwith ThreadPool(1) as pool:\n    pool.map(abs, [1])\n"


def test_read_gives_the_file_or_nothing(tmp_path: Path) -> None:
    (tmp_path / "jobs.py").write_bytes(b"x = 1\r\n")
    assert read(str(tmp_path / "jobs.py")) == b"x = 1\r\n"
    assert read(str(tmp_path / "missing.py")) == b""
    assert read(str(tmp_path)) == b"", "a directory is no file"


@pytest.mark.parametrize("data, lines, same", [
    pytest.param(b"# coding: latin-1\nx = '\xe9'\r\n", ["# coding: latin-1\n", "x = '\xe9'\n"], True,
                 id="decoded-lines-of-the-file-give-its-bytes"),
    pytest.param(b"\xef\xbb\xbfx = 1\n", ["x = 1\n"], True, id="bom"),
    pytest.param(b"x = 1\n", ["x = 2\n"], False, id="an-edited-buffer-is-its-lines"),
    pytest.param(b"# coding: nosuch\nx = 1\n", ["# coding: nosuch\n", "x = 1\n"], False,
                 id="a-file-that-cannot-be-decoded"),
    pytest.param(b"x = '\xff'\n", ["x = '\xff'\n"], False, id="not-utf-8"),
])
def test_read_matches_a_linters_lines_to_the_file(tmp_path: Path, data: bytes, lines: list,
                                                  same: bool) -> None:
    path = tmp_path / "jobs.py"
    path.write_bytes(data)
    assert read(str(path), lines) == (data if same else "".join(lines).encode("utf-8"))


def test_a_bad_config_is_an_error_once_and_then_no_target(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.poolcompat]\ntarget-version = 3\n")
    (tmp_path / "jobs.py").write_text(NEEDS_33)
    with pytest.raises(PluginError, match="target-version must be a string"):
        checked_target(str(tmp_path / "jobs.py"))
    assert project_target(str(tmp_path / "jobs.py")) is None


def test_a_bad_config_does_not_stop_the_project_run(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.poolcompat]\nexclude = 'jobs.py'\n")
    jobs = tmp_path / "jobs.py"
    jobs.write_text(NEEDS_33)
    assert "PCP301" in {f.code for f in project_findings(jobs.read_bytes(), str(jobs))}
