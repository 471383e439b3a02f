"""The command line where the other tests do not go: source on stdin that is (or is not) the
named file's content, a fix summary with both kinds of change, a broken rule table, and paths
given to the API as something other than text."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import poolcompat
from poolcompat import cli
from poolcompat.cli_fix import summary
from poolcompat.fix import fix_paths
from poolcompat.table.load import RuleError

POOLS = "from multiprocessing.pool import Pool\npool = Pool(2)\n"
USE = "import multiprocessing\nfrom pools import pool\npool.starmap(f, x)\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'jobs'\n")
    (tmp_path / "pools.py").write_text(POOLS)
    (tmp_path / "use.py").write_text(USE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("source, sees_the_pool", [
    pytest.param(USE, True, id="the-files-content-is-checked-in-its-project"),
    pytest.param(USE + "# edited\n", False, id="an-unsaved-buffer-is-checked-alone"),
])
def test_stdin_is_checked_in_its_project_only_when_it_is_the_file(project: Path, source: str,
                                                                  sees_the_pool: bool) -> None:
    result = CliRunner().invoke(cli.cli, ["check", "--no-cache", "--show-all",
                                          "--stdin-filename", "use.py"], input=source)
    assert ("use.py:3:6: PCP102" in result.output) is sees_the_pool, result.output


def test_a_broken_rule_table_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise RuleError("one.toml: rule PCP999: missing field 'probe'")
    monkeypatch.setattr(cli, "default_table", broken)
    result = CliRunner().invoke(cli.cli, ["check", "--no-cache", "-"], input="x = 1\n")
    assert result.exit_code == 2
    assert result.output.strip() == \
        "poolcompat: error: invalid rule table: one.toml: rule PCP999: missing field 'probe'"


def test_a_fix_summary_counts_lowered_uses_and_dead_guards(tmp_path: Path) -> None:
    (tmp_path / "jobs.py").write_text(
        "import sys\nfrom concurrent.futures import ThreadPoolExecutor\ne = ThreadPoolExecutor(2)\n"
        "if sys.version_info >= (3, 9):\n    e.shutdown(cancel_futures=True)\ne.submit(fn=print)\n")
    fixed = fix_paths([str(tmp_path / "jobs.py")], "3.9", diff_only=True)
    assert summary(fixed, written=False) == "Would fix 1 use and would remove 1 dead guard in 1 file."
    assert summary(fixed, written=True) == "Fixed 1 use and removed 1 dead guard in 1 file."


@pytest.mark.parametrize("paths", [b"jobs.py", [b"jobs.py"]])
def test_the_api_takes_paths_as_text(paths: object) -> None:
    with pytest.raises(TypeError, match="paths must be str or os.PathLike"):
        poolcompat.check_paths(paths)  # type: ignore[arg-type]


def test_the_module_runs_with_the_checked_directory_off_sys_path(tmp_path: Path) -> None:
    """A multiprocessing.py in the checked directory must not shadow the stdlib and run."""
    (tmp_path / "multiprocessing.py").write_text("raise SystemExit('shadowed')\n")
    (tmp_path / "jobs.py").write_text("x = 1\n")
    done = subprocess.run([sys.executable, "-m", "poolcompat", "check", "--no-cache", "jobs.py"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "shadowed" not in done.stdout + done.stderr
