"""Fixes verified on the interpreters (#19, part 4). Each module of tests/fix_cases/ is fixed for
its target: every fix it names is applied, no violation is left for the target, a second fix
changes nothing. Then it runs on the oldest and the newest interpreter of the target found here,
and once more on the newest with every guard a fix wrote forced false (the fallbacks run there
too), and must print what the original prints on the newest (the case's `# expect:` lines,
checked against the original wherever the newest Python here has its features)."""
from __future__ import annotations

import ast
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Tuple

import pytest

from poolcompat.api import check_source
from poolcompat.fix import fix_source
from poolcompat.table.load import default_table
from poolcompat.table.verify import Interpreter, Outcome, interpreters, works
from tests._fixcases import Case, cases, forced_fallback, run

CASES = cases()
FOUND = interpreters()
TABLE = default_table()
Key = Tuple[str, str]  # case, which run


def _runs(case: Case) -> Dict[str, Tuple[str, Interpreter]]:
    """The runs a case gets: what runs, on which Python."""
    oldest, newest = case.interpreters(FOUND)
    if oldest is None or newest is None:
        return {}
    fixed = fix_source(case.source, case.target, unsafe=case.unsafe).source
    runs = {f"fixed on {oldest.label}": (fixed, oldest),
            f"fixed on {newest.label}": (fixed, newest)}
    rules = [TABLE.get(code) for code in case.codes]
    if all(rule is not None and works(rule, newest.version) for rule in rules):
        runs[f"original on {newest.label}"] = (case.source, newest)
    if case.forced:
        runs[f"fallbacks forced on {newest.label}"] = (forced_fallback(fixed), newest)
    return runs


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest) -> Dict[Key, Outcome]:
    """Every run of the selected cases, in parallel: the time is in the subprocesses."""
    chosen = {str(getattr(item.callspec.params["case"], "name", ""))
              for item in request.session.items if isinstance(item, pytest.Function)
              and item.originalname == "test_the_fixed_module_runs_as_the_original"}
    jobs = {(case.name, what): (source, interpreter, case.expect)
            for case in CASES if case.name in chosen
            for what, (source, interpreter) in _runs(case).items()}
    with ThreadPoolExecutor(4) as pool:
        pending = {key: pool.submit(run, source, expect, interpreter)
                   for key, (source, interpreter, expect) in jobs.items()}
        return {key: future.result() for key, future in pending.items()}


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
def test_the_case_is_fixed(case: Case) -> None:
    result = fix_source(case.source, case.target, unsafe=case.unsafe)
    assert set(case.codes) <= {a.code for a in result.applied}
    assert not result.left, [(left.finding.code, left.reason) for left in result.left]
    assert not check_source(result.source, target=case.target).violations
    assert not fix_source(result.source, case.target, unsafe=case.unsafe).changed
    ast.parse(result.source)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
def test_the_fixed_module_runs_as_the_original(case: Case, outcomes: Dict[Key, Outcome]) -> None:
    if not _runs(case):
        pytest.skip(f"no Python of the target {case.target} here")
    failed: List[str] = [f"{what}: {outcome.status} {outcome.detail}"
                         for (name, what), outcome in sorted(outcomes.items())
                         if name == case.name and outcome.status != "pass"]
    assert not failed
    assert any(what.startswith("fixed") for name, what in outcomes if name == case.name)
