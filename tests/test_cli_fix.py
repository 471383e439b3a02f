"""`poolcompat check --fix / --unsafe-fixes / --diff` through the real command line, the API's
`fix_source`, the Fixit autofix and the Fix line of `explain`."""
from __future__ import annotations

import io
import json
import unittest
from pathlib import Path
from typing import List, Tuple, Union

import pytest
from click.testing import CliRunner, Result

import poolcompat
from poolcompat.cli import cli

SUBMIT_FN = ("from concurrent.futures import ThreadPoolExecutor\n"
             "executor = ThreadPoolExecutor(2)\nexecutor.submit(fn=print)\n")  # PCP261: safe
WITH_POOL = ("from multiprocessing.pool import ThreadPool\nwith ThreadPool(1) as pool:\n"
             "    pool.map(abs, [1])\n")  # PCP301 below 3.3: safe
THREAD_PREFIX = ("from concurrent.futures import ThreadPoolExecutor\n"
                 "ThreadPoolExecutor(2, thread_name_prefix='io')\n")  # PCP252 below 3.6: unsafe
CANCEL = ("from concurrent.futures import ThreadPoolExecutor\n"
          "executor = ThreadPoolExecutor(2)\nexecutor.shutdown(cancel_futures=True)\n")  # PCP266
PLAIN = "import multiprocessing\npool = multiprocessing.Pool(2)\npool.map(abs, [1])\n"


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        return CliRunner()  # click 8.2 keeps stderr apart by itself


def check(*args: str, stdin: str = "") -> Result:
    return _runner().invoke(cli, ["check", "--no-cache", "-j1", *args], input=stdin)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("source, target, fixed, summary", [
    pytest.param(SUBMIT_FN, "3.8", "executor.submit(print)\n", "Fixed 1 use in 1 file.",
                 id="keyword-to-positional"),
    pytest.param(WITH_POOL, "3.2", "finally:\n    pool.terminate()\n", "Fixed 1 use in 1 file.",
                 id="with-try-finally"),
])
def test_fix_writes_and_a_second_fix_changes_nothing(here: Path, source: str, target: str,
                                                      fixed: str, summary: str) -> None:
    (here / "jobs.py").write_text(source)
    first = check("-t", target, "--fix", ".")
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[:2] == [summary, ""]
    assert f"No violations of Python {target}" in first.stdout  # the check of what is left
    after = (here / "jobs.py").read_text()
    assert after != source and after.endswith(fixed)
    second = check("-t", target, "--fix", ".")
    assert second.exit_code == 0
    assert second.stdout.startswith("Nothing fixed in 1 file.")
    assert (here / "jobs.py").read_text() == after


@pytest.mark.parametrize("args, vendored_fixed", [
    pytest.param([], True, id="no-exclusion"),
    pytest.param(["--exclude", "vendor"], False, id="exclude"),
    pytest.param(["--extend-exclude", "vendor/"], False, id="extend-exclude"),
])
def test_fix_leaves_what_the_check_excludes(here: Path, args: List[str],
                                            vendored_fixed: bool) -> None:
    (here / "vendor").mkdir()
    for path in (here / "jobs.py", here / "vendor" / "lib.py"):
        path.write_text(SUBMIT_FN)
    assert check("-t", "3.8", "--fix", *args, ".").exit_code == 0
    assert "submit(print)" in (here / "jobs.py").read_text()
    assert ("submit(print)" in (here / "vendor" / "lib.py").read_text()) == vendored_fixed


def test_fix_summary_leaves_a_json_report_alone(here: Path) -> None:
    (here / "jobs.py").write_text(SUBMIT_FN)
    result = check("-t", "3.8", "--fix", "--output-format", "json", ".")
    assert json.loads(result.stdout)["summary"]["violations"] == 0
    assert result.stderr.strip() == "Fixed 1 use in 1 file."


@pytest.mark.parametrize("source, code, diff", [
    pytest.param(SUBMIT_FN, 1, ["--- a/jobs.py", "+++ b/jobs.py", "@@ -1,3 +1,3 @@",
                                " from concurrent.futures import ThreadPoolExecutor",
                                " executor = ThreadPoolExecutor(2)",
                                "-executor.submit(fn=print)", "+executor.submit(print)"],
                 id="a-diff"),
    pytest.param(PLAIN, 0, [], id="nothing-to-fix"),
    pytest.param(THREAD_PREFIX, 0, [], id="only-unsafe"),
])
def test_diff_writes_nothing(here: Path, source: str, code: int, diff: List[str]) -> None:
    (here / "jobs.py").write_text(source)
    result = check("-t", "3.8" if source != THREAD_PREFIX else "3.5", "--diff", ".")
    assert result.exit_code == code, result.output
    assert result.stdout.splitlines() == diff
    assert (here / "jobs.py").read_text() == source
    assert result.stderr.startswith("Would fix 1 use" if diff else "Nothing to fix in 1 file")


@pytest.mark.parametrize("source, target, code, guarded", [
    pytest.param(THREAD_PREFIX, "3.5", "PCP252", "if sys.version_info >= (3, 6) else {}",
                 id="drop-keyword"),
    pytest.param(CANCEL, "3.8", "PCP266", "    _cancel_pending_futures(executor)\n",
                 id="codemod"),
])
def test_unsafe_fixes_apply_what_fix_leaves(here: Path, source: str, target: str, code: str,
                                            guarded: str) -> None:
    (here / "jobs.py").write_text(source)
    timid = check("-t", target, "--fix", ".")
    assert timid.exit_code == 1
    assert timid.stdout.startswith(
        "Nothing fixed in 1 file (1 unsafe fix not applied: use --unsafe-fixes).")
    assert "jobs.py:" in timid.stdout and code in timid.stdout  # still reported
    assert (here / "jobs.py").read_text() == source
    bold = check("-t", target, "--fix", "--unsafe-fixes", ".")
    assert bold.exit_code == 0, bold.output
    assert bold.stdout.startswith("Fixed 1 use in 1 file.")
    assert guarded in (here / "jobs.py").read_text()


@pytest.mark.parametrize("args, stdin, message", [
    pytest.param(["--fix", "."], "", "--fix needs a target to fix for", id="fix"),
    pytest.param(["--diff", "."], "", "--diff needs a target to fix for", id="diff"),
    pytest.param(["--fix", "--unsafe-fixes", "."], "", "--fix needs a target", id="unsafe"),
    pytest.param(["-t", "3.8", "--unsafe-fixes", "."], "",
                 "--unsafe-fixes only applies with --fix or --diff", id="unsafe-alone"),
    pytest.param(["-t", "3.8", "--fix", "-"], SUBMIT_FN, "--fix rewrites files", id="stdin"),
])
def test_fix_usage_errors_exit_2(here: Path, args: List[str], stdin: str, message: str) -> None:
    (here / "jobs.py").write_text(SUBMIT_FN)
    result = check(*args, stdin=stdin)
    assert result.exit_code == 2
    assert result.stderr.startswith("poolcompat: error: ")
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert (here / "jobs.py").read_text() == SUBMIT_FN


@pytest.mark.parametrize("mode", [pytest.param("--fix", id="fix"),
                                  pytest.param("--diff", id="diff")])
def test_a_broken_file_is_one_line_and_the_run_goes_on(here: Path, mode: str) -> None:
    (here / "broken.py").write_text("import multiprocessing\ndef (:\n")
    (here / "jobs.py").write_text(SUBMIT_FN)
    result = check("-t", "3.8", mode, ".")
    assert result.exit_code == 1
    named = [line for line in result.stderr.splitlines() if "broken.py" in line]
    assert named == ["broken.py:2:5: error: syntax error: invalid syntax (not fixed)"]
    assert "1 file could not be fixed" in result.stdout + result.stderr
    assert ("executor.submit(print)" in (here / "jobs.py").read_text()) == (mode == "--fix")
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("target", [
    pytest.param("3.8", id="str"),
    pytest.param((3, 8), id="tuple"),
    pytest.param("3.8-3.13", id="range"),
])
def test_api_fix_source(target: Union[str, Tuple[int, ...]]) -> None:
    result = poolcompat.fix_source(SUBMIT_FN, target)
    assert isinstance(result, poolcompat.FixResult)
    assert result.source == SUBMIT_FN.replace("submit(fn=print)", "submit(print)")
    assert [(a.action, a.code, a.safe) for a in result.applied] == [("lower", "PCP261", True)]
    assert not result.left and result.report is not None and not result.report.violations


@pytest.mark.parametrize("target, error", [
    pytest.param(None, TypeError, id="none"),
    pytest.param(3.8, TypeError, id="float"),
    pytest.param("three", ValueError, id="bad-string"),
])
def test_api_fix_source_refuses_a_bad_target(target: object, error: type) -> None:
    with pytest.raises(error):
        poolcompat.fix_source(SUBMIT_FN, target)  # type: ignore[arg-type]


@pytest.mark.parametrize("rule_name, source, target", [
    pytest.param("PoolApiRemoved", SUBMIT_FN, "3.8", id="PCP261"),
    pytest.param("PoolApiNeeds33", WITH_POOL, "3.2", id="PCP301"),
])
def test_fixit_autofix_is_fix_source(here: Path, rule_name: str, source: str,
                                     target: str) -> None:
    """Fixit's own test harness checks that applying the rule's replacement gives exactly the
    expected text (and a matching diff); the expected text is what `fix_source` writes."""
    testing = pytest.importorskip("fixit.testing")
    from fixit import Invalid

    from poolcompat import fixit_rules

    expected = poolcompat.fix_source(source, target).source
    assert expected != source
    rule = type(rule_name, (getattr(fixit_rules, rule_name),), {
        "VALID": [], "INVALID": [Invalid(source, expected_replacement=expected)]})
    suite = unittest.TestSuite(unittest.defaultTestLoader.loadTestsFromTestCase(case)
                               for case in testing.generate_lint_rule_test_cases([rule()]))
    outcome = unittest.TextTestRunner(stream=io.StringIO()).run(suite)
    assert outcome.testsRun == 1
    assert outcome.wasSuccessful(), outcome.failures + outcome.errors


@pytest.mark.parametrize("code, kind, line", [
    pytest.param("PCP261", "safe", "Fix:       safe (keyword-to-positional; applied by --fix)",
                 id="safe"),
    pytest.param("PCP252", "unsafe", "Fix:       unsafe (drop-keyword; applied only with --fix",
                 id="unsafe"),
    pytest.param("PCP179", "none", "Fix:       none: ", id="none"),
])
def test_explain_and_rules_show_the_fix(code: str, kind: str, line: str) -> None:
    result = CliRunner().invoke(cli, ["explain", code])
    assert result.exit_code == 0
    assert any(shown.startswith(line) for shown in result.output.splitlines()), result.output
    listing = json.loads(CliRunner().invoke(cli, ["rules", "--format", "json"]).output)
    assert [row["fix"] for row in listing if row["code"] == code] == [kind]


def test_a_violation_only_the_project_shows_is_fixed_too(here: Path) -> None:
    """`EXECUTOR` comes from another module: the file alone shows nothing to fix."""
    package = here / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "pools.py").write_text("from concurrent.futures import ThreadPoolExecutor\n"
                                      "EXECUTOR = ThreadPoolExecutor(2)\n")
    (package / "jobs.py").write_text("from app.pools import EXECUTOR\n\n\ndef stop():\n"
                                     "    EXECUTOR.shutdown(cancel_futures=True)\n")
    safe_only = check("-t", "3.8", "--diff", ".")
    assert safe_only.exit_code == 0, safe_only.output
    assert "1 unsafe fix not applied" in safe_only.stdout + safe_only.stderr
    fixed = check("-t", "3.8", "--fix", "--unsafe-fixes", ".")
    assert fixed.exit_code == 0, fixed.output
    assert "sys.version_info >= (3, 9)" in (package / "jobs.py").read_text()
    assert "No violations of Python 3.8" in fixed.stdout
