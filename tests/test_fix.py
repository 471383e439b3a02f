"""`poolcompat check --fix`: every rule has a fix or a reason; each fix lowers its rule's
example, leaves no violation, changes nothing the second time and is raised back once the
target has the feature; the guard forms the checker reads collapse when the floor decides them;
what cannot be fixed says why."""
from __future__ import annotations

import ast
import shutil
import textwrap
from pathlib import Path
from typing import List

import pytest

from tests._fixcases import cases
from poolcompat.api import check_source
from poolcompat.fix import fix_finding, fix_paths, fix_source
from poolcompat.fix.codemods import CODEMODS
from poolcompat.fix.lower import _KINDS
from poolcompat.table.load import FIX_CODEMODS, FIX_KINDS, Rule, RuleError, default_table, \
    load_table, rules_dir
from poolcompat.versions import Version

TABLE = default_table()
FIXED = [r for r in TABLE.rules if r.fix is not None and r.fix.fixable]
# Where a fix's result itself needs a version: a target where it runs.
_TARGETS = {"PCP182": "3.14", "PCP260": "3.11", "PCP261": "3.9"}


def _lowering_target(rule: Rule) -> str:
    """A target on which the rule's example fails: just below its version, or where a feature
    that never worked (or was removed) is still wanted."""
    if rule.code in _TARGETS:
        return _TARGETS[rule.code]
    if rule.never_works:
        return "3.9"
    return f"{rule.requires[0]}.{rule.requires[1] - 1}"


def _violations(source: str, target: str) -> List[str]:
    return [f.code for f in check_source(source, target=target).violations]


def test_every_rule_has_a_fix_or_a_reason() -> None:
    missing = [r.code for r in TABLE.rules if r.fix is None or not (r.fix.kind or r.fix.note)]
    assert not missing


def test_every_fix_kind_and_codemod_is_implemented() -> None:
    assert set(FIX_KINDS) == set(_KINDS) | {"codemod"}
    assert set(FIX_CODEMODS) == set(CODEMODS)


def test_every_fix_runs_in_a_case_module() -> None:
    covered = {code for case in cases() for code in case.codes}
    assert {r.code for r in FIXED} <= covered


def test_counts_per_family() -> None:
    """The closing note's numbers: rules with a safe fix, an unsafe one, none."""
    safe = sum(1 for r in FIXED if r.fix is not None and r.fix.safe)
    assert (safe, len(FIXED) - safe, len(TABLE.rules) - len(FIXED)) == (38, 32, 133)


@pytest.mark.parametrize("rule", [pytest.param(r, id=r.code) for r in FIXED])
def test_the_rule_example_is_lowered(rule: Rule) -> None:
    target = _lowering_target(rule)
    assert rule.code in _violations(rule.invalid, target)
    assert rule.fix is not None
    result = fix_source(rule.invalid, target, unsafe=True)
    assert result.applied and not result.left, result.left
    assert not _violations(result.source, target)
    ast.parse(result.source)
    assert not fix_source(result.source, target, unsafe=True).changed
    if not rule.fix.safe:  # without --unsafe-fixes: not applied; left, saying so
        timid = fix_source(rule.invalid, target)
        assert rule.code not in {a.code for a in timid.applied}
        reasons = [left.reason for left in timid.left if left.finding.code == rule.code]
        assert all("--unsafe-fixes" in reason for reason in reasons)


@pytest.mark.parametrize("rule", [pytest.param(r, id=r.code) for r in FIXED
                                  if r.removed is None and r.requires < (3, 15)])
def test_a_lowered_example_is_raised_back(rule: Rule) -> None:
    """Once the target has the feature, the guards the fix wrote are dead and go."""
    lowered = fix_source(rule.invalid, _lowering_target(rule), unsafe=True).source
    floor = f"{rule.requires[0]}.{rule.requires[1]}"
    raised = fix_source(lowered, floor)
    assert not _violations(raised.source, floor)
    assert ("sys.version_info" in raised.source) == ("sys.version_info" in rule.invalid)
    assert not fix_source(raised.source, floor).changed


RAISED = [
    pytest.param("""\
        import sys
        from concurrent.futures import ThreadPoolExecutor
        executor = ThreadPoolExecutor(2)
        if sys.version_info >= (3, 9):  # cancel what has not started
            executor.shutdown(cancel_futures=True)
        else:
            executor.shutdown()
        """, "3.9", """\
        from concurrent.futures import ThreadPoolExecutor
        executor = ThreadPoolExecutor(2)
        # cancel what has not started
        executor.shutdown(cancel_futures=True)
        """, id="version-if-else"),
    pytest.param("""\
        import sys
        from concurrent.futures import ThreadPoolExecutor
        executor = ThreadPoolExecutor(2)
        if sys.version_info[:2] < (3, 9):
            executor.shutdown()
        else:
            executor.shutdown(cancel_futures=True)
        """, "3.10", """\
        from concurrent.futures import ThreadPoolExecutor
        executor = ThreadPoolExecutor(2)
        executor.shutdown(cancel_futures=True)
        """, id="version-slice-else"),
    pytest.param("""\
        import sys
        from multiprocessing import Process
        def stop(worker: Process) -> None:
            # kill it
            if hasattr(worker, "kill"):
                worker.kill()  # SIGKILL
            else:
                worker.terminate()
        """, "3.7", """\
        from multiprocessing import Process
        def stop(worker: Process) -> None:
            # kill it
            worker.kill()  # SIGKILL
        """, id="hasattr-if"),
    pytest.param("""\
        from multiprocessing import Process
        def stop(worker: Process) -> None:
            hasattr(worker, "kill") and worker.kill()
        """, "3.8", """\
        from multiprocessing import Process
        def stop(worker: Process) -> None:
            worker.kill()
        """, id="hasattr-and"),
    pytest.param("""\
        try:
            from concurrent.futures import BrokenExecutor
        except ImportError:  # Python < 3.7
            BrokenExecutor = RuntimeError
        """, "3.7", """\
        from concurrent.futures import BrokenExecutor
        """, id="try-import"),
    pytest.param("""\
        from multiprocessing import Process
        def stop(worker: Process) -> None:
            try:
                worker.kill()
            except AttributeError:
                worker.terminate()
        """, "3.7", """\
        from multiprocessing import Process
        def stop(worker: Process) -> None:
            worker.kill()
        """, id="try-attribute"),
    pytest.param("""\
        import sys
        from multiprocessing import Process
        def stop(worker: Process) -> None:
            if sys.version_info < (3, 7):
                return worker.terminate()
            worker.kill()
        """, "3.8", """\
        from multiprocessing import Process
        def stop(worker: Process) -> None:
            worker.kill()
        """, id="early-return"),
    pytest.param("""\
        import sys
        from concurrent.futures import ThreadPoolExecutor
        executor = ThreadPoolExecutor(2)
        if sys.version_info < (3, 9):
            executor.shutdown()
        elif sys.version_info >= (3, 12):
            executor.shutdown(cancel_futures=True, wait=False)
        else:
            executor.shutdown(cancel_futures=True)
        """, "3.9", """\
        import sys
        from concurrent.futures import ThreadPoolExecutor
        executor = ThreadPoolExecutor(2)
        if sys.version_info >= (3, 12):
            executor.shutdown(cancel_futures=True, wait=False)
        else:
            executor.shutdown(cancel_futures=True)
        """, id="elif-chain-keeps-what-is-undecided"),
    pytest.param("""\
        import sys
        import multiprocessing
        context = multiprocessing.get_context() if sys.version_info >= (3, 4) else multiprocessing
        """, "3.6", """\
        import multiprocessing
        context = multiprocessing.get_context()
        """, id="conditional-expression"),
    pytest.param("""\
        import sys
        from concurrent.futures import ThreadPoolExecutor
        executor = ThreadPoolExecutor(2)
        items = executor.map(abs, [1], **({"buffersize": 4} if sys.version_info >= (3, 14) else {}))
        """, "3.14", """\
        from concurrent.futures import ThreadPoolExecutor
        executor = ThreadPoolExecutor(2)
        items = executor.map(abs, [1], buffersize=4)
        """, id="conditional-keywords"),
    pytest.param("""\
        import sys
        from multiprocessing import Process
        def join(worker: Process) -> None:
            if sys.version_info >= (3, 3) and hasattr(worker, "kill"):
                worker.kill()
        """, "3.6", """\
        from multiprocessing import Process
        def join(worker: Process) -> None:
            if hasattr(worker, "kill"):
                worker.kill()
        """, id="and-chain-simplified"),
    pytest.param("""\
        import sys
        if sys.version_info >= (3, 8):
            from typing import Literal
        else:
            Literal = None
        """, "3.9", None, id="not-our-api-untouched"),
    pytest.param("""\
        import sys
        from concurrent.futures import ThreadPoolExecutor
        if sys.version_info >= (3, 9):
            ThreadPoolExecutor(1).shutdown(cancel_futures=True)
        """, "3.8", None, id="undecided-untouched"),
    pytest.param("""\
        import sys
        from multiprocessing import Process
        def stop(worker: Process, cleanup) -> None:
            if cleanup() and sys.version_info < (3, 7):
                worker.terminate()
            worker.kill()
        """, "3.8", None, id="a-call-in-the-test-is-kept"),
]


@pytest.mark.parametrize("source, target, expected", RAISED)
def test_guards_the_floor_decides_collapse(source: str, target: str, expected: str) -> None:
    source = textwrap.dedent(source)
    result = fix_source(source, target)
    assert result.source == (source if expected is None else textwrap.dedent(expected))
    assert all(a.action == "raise" for a in result.applied)


LEFT = [
    pytest.param("""\
        from concurrent.futures import ThreadPoolExecutor
        sys = None
        executor = ThreadPoolExecutor(2)
        executor.shutdown(cancel_futures=True)
        """, "3.8", "PCP266", "binds `sys` to something else", id="sys-taken"),
    pytest.param("""\
        from concurrent.futures import ThreadPoolExecutor
        print(ThreadPoolExecutor(2).shutdown(cancel_futures=True))
        """, "3.8", "PCP266", "as a statement of its own", id="cancel-in-an-expression"),
    pytest.param("""\
        from concurrent.futures import ProcessPoolExecutor
        ProcessPoolExecutor(2, max_tasks_per_child=4)
        """, "3.8", "PCP259", "no mechanical fix: recycling workers", id="no-fix"),
    pytest.param("""\
        from concurrent.futures import ThreadPoolExecutor
        ThreadPoolExecutor(2, thread_name_prefix="io", initializer=print)
        """, "3.4", "PCP253", "a second `**` in one call needs Python 3.5", id="two-unpackings"),
    pytest.param("""\
        from multiprocessing import Process
        Process(target=print, daemon=True).start()
        """, "3.2", "PCP226", "not assigned to a name", id="attribute-needs-a-name"),
    pytest.param("""\
        from concurrent.futures import ThreadPoolExecutor
        ThreadPoolExecutor(2).shutdown(cancel_futures=True)  # noqa: PCP266
        """, "3.8", "", "", id="noqa-is-respected"),
]


@pytest.mark.parametrize("source, target, code, reason", LEFT)
def test_what_cannot_be_fixed_says_why(source: str, target: str, code: str, reason: str) -> None:
    result = fix_source(textwrap.dedent(source), target, unsafe=True)
    if not code:
        assert not result.changed and not result.left
        return
    reasons = [left.reason for left in result.left if left.finding.code == code]
    assert reasons and reason in reasons[0]


def test_formatting_and_comments_are_kept() -> None:
    source = textwrap.dedent('''\
        """Jobs."""
        from __future__ import annotations

        # the pool
        from concurrent.futures import ThreadPoolExecutor


        def run(items):
            executor = ThreadPoolExecutor(4)
            results = executor.map(
                abs,  # the work
                items,
                buffersize=8,  # bounded memory
            )
            return list(results)
        ''')
    result = fix_source(source, "3.8", unsafe=True)
    assert result.source == textwrap.dedent('''\
        """Jobs."""
        from __future__ import annotations

        import sys
        # the pool
        from concurrent.futures import ThreadPoolExecutor


        def run(items):
            executor = ThreadPoolExecutor(4)
            results = executor.map(
                abs,  # the work
                items,
                **({"buffersize": 8} if sys.version_info >= (3, 14) else {}),  # bounded memory
            )
            return list(results)
        ''')
    assert fix_source(result.source, "3.14").source == source


@pytest.mark.parametrize("target", [
    pytest.param("3.8", id="text"), pytest.param((3, 8), id="tuple"),
    pytest.param(Version((3, 8)), id="version")])
def test_targets_are_taken_as_the_api_takes_them(target: object) -> None:
    source = "from concurrent.futures import Executor\ndef stop(e: Executor):\n" \
             "    e.shutdown(cancel_futures=False)\n"
    result = fix_source(source, target)  # type: ignore[arg-type]
    assert result.source.endswith("    e.shutdown()\n")
    assert result.applied[0].safe


def test_a_module_that_cannot_be_read_is_left_as_it_is() -> None:
    result = fix_source("import multiprocessing\nmultiprocessing.Pool(\n", "3.8")
    assert result.error and not result.changed


def test_select_and_ignore_limit_the_fixes() -> None:
    source = "from concurrent.futures import ThreadPoolExecutor\n" \
             "ThreadPoolExecutor(2).shutdown(cancel_futures=False)\n"
    assert not fix_source(source, "3.8", ignore=["PCP266"]).changed
    assert fix_source(source, "3.8", select=["PCP2"]).changed


def test_fix_paths_writes_or_only_diffs(tmp_path: Path) -> None:
    module = tmp_path / "jobs.py"
    original = ("# -*- coding: latin-1 -*-\r\nfrom concurrent.futures import ThreadPoolExecutor\r\n"
                "ThreadPoolExecutor(2).submit(fn=print, sep='\xe9')\r\n")
    module.write_bytes(original.encode("latin-1"))
    (shown,) = fix_paths(tmp_path, "3.9", diff_only=True)
    assert not shown.written and module.read_bytes() == original.encode("latin-1")
    assert "-ThreadPoolExecutor(2).submit(fn=print" in shown.diff
    assert "+ThreadPoolExecutor(2).submit(print" in shown.diff
    (done,) = fix_paths([str(module)], "3.9")
    assert done.written
    assert module.read_bytes() == original.replace("fn=print", "print").encode("latin-1")
    assert fix_paths(module, "3.9")[0].diff == ""


BAD_FIXES = [
    pytest.param('fix = { kind = "drop-keyword" }', "needs safety", id="no-safety"),
    pytest.param('fix = { kind = "teleport", safety = "safe" }', "is not one of", id="kind"),
    pytest.param('fix = { kind = "with-method", safety = "safe", method = "x" }',
                 "does not apply to 'argument'", id="wrong-rule-kind"),
    pytest.param('fix = { kind = "drop-keyword", safety = "safe", call = "x" }',
                 "not taken by 'drop-keyword'", id="unknown-field"),
    pytest.param('fix = { none = "" }', "non-empty reason", id="empty-reason"),
    pytest.param('fix = { kind = "default-argument", safety = "safe", value = "1 +" }',
                 "does not parse", id="template"),
    pytest.param('fix = { kind = "codemod", safety = "safe", codemod = "magic" }',
                 "unknown codemod", id="codemod"),
]


@pytest.mark.parametrize("entry, message", BAD_FIXES)
def test_a_bad_fix_entry_is_refused(tmp_path: Path, entry: str, message: str) -> None:
    shutil.copy(rules_dir() / "types.toml", tmp_path / "types.toml")
    (tmp_path / "one.toml").write_text(textwrap.dedent(f'''\
        [[rule]]
        code = "PCP999"
        feature = "x"
        kind = "argument"
        target = "concurrent.futures.Executor.map"
        name = "buffersize"
        requires = "3.14"
        docs = {{ file = "x.rst", directive = "none" }}
        {entry}
        probe = "pass"
        '''))
    with pytest.raises(RuleError, match=message):
        load_table(tmp_path)


def test_one_finding_is_fixed_alone_for_fixit() -> None:
    source = textwrap.dedent("""\
        from concurrent.futures import ThreadPoolExecutor
        executor = ThreadPoolExecutor(2)
        executor.map(abs, [1], buffersize=2)
        executor.submit(fn=print)
        """)
    first, second = check_source(source, target="3.9").violations
    alone = fix_finding(source, second, "3.9")
    assert alone == source.replace("submit(fn=print)", "submit(print)")
    assert fix_finding(source, first, "3.9") is None  # unsafe: only when asked
    assert "buffersize" in (fix_finding(source, first, "3.9", unsafe=True) or "")
