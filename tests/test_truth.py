"""Every rule's probe behaves as the rule claims on every local Python, and the claims are read right."""
from __future__ import annotations

import dataclasses
import subprocess
import textwrap
from pathlib import Path
from typing import Optional

import pytest

from poolcompat.table.load import Broken, Rule, load_table
from poolcompat.table.verify import (
    Interpreter, Matrix, Outcome, expected, in_range, interpreters, load_verified, matches, run_matrix,
    run_probe, write_verified,
)
from poolcompat.versions import parse_version

TABLE = load_table()


@pytest.fixture(scope="session")
def matrix() -> Matrix:
    found = interpreters()
    if not found:
        pytest.skip("no Python found under $(pyenv root)/versions or in POOLCOMPAT_INTERPRETERS")
    return run_matrix(TABLE.rules, found)


@pytest.mark.parametrize("rule", [pytest.param(r, id=r.code) for r in TABLE.rules])
def test_probe_behaves_as_the_rule_claims(rule: Rule, matrix: Matrix) -> None:
    problems = matrix.mismatches(rule.code)
    assert not problems, "\n".join(problems)


def test_committed_verified_record_covers_exactly_the_table() -> None:
    recorded = load_verified()
    assert recorded, "rules/verified.toml is missing: run `python -m poolcompat.table.verify --write`"
    table = {r.code for r in TABLE.rules}
    assert not table - set(recorded), f"not yet verified: {sorted(table - set(recorded))}"
    assert not set(recorded) - table, f"verified but gone from the table: {sorted(set(recorded) - table)}"
    for code, versions in recorded.items():
        assert all(parse_version(v) for v in versions), code


# ---- the expectation logic ---------------------------------------------------------------------

def _rule(requires: str = "3.3", removed: Optional[str] = None, py2: Optional[str] = None,
          broken: str = "", probe: str = "") -> Rule:
    return Rule(
        code="PCP000", feature="f", kind="attr", target="m.f", requires=parse_version(requires),
        message="", probe=probe, docs={}, py2=parse_version(py2) if py2 else None,
        removed=parse_version(removed) if removed else None,
        broken=(Broken(broken, "hangs"),) if broken else (),
    )


@pytest.mark.parametrize(("version", "want"), [
    ((2, 7, 18), "fail"), ((3, 2, 5), "fail"), ((3, 3, 0), "pass"), ((3, 8, 18), "pass"),
    ((3, 9, 0), "fail"), ((3, 13, 0), "fail"),
])
def test_removed_is_the_first_version_that_fails(version: tuple[int, ...], want: str) -> None:
    assert expected(_rule("3.3", removed="3.9"), version) == want


def test_requires_equal_to_removed_never_works() -> None:
    rule = _rule("3.2", removed="3.2")
    assert {expected(rule, v) for v in [(2, 7, 18), (3, 2, 0), (3, 6, 15), (3, 13, 0)]} == {"fail"}


def test_python2_follows_py2_not_requires() -> None:
    assert expected(_rule("3.3", py2="2.7"), (2, 7, 18)) == "pass"
    assert expected(_rule("3.3", py2="2.7"), (2, 6, 9)) == "fail"
    assert expected(_rule("3.3", py2="2.7"), (3, 2, 6)) == "fail"
    assert expected(_rule("3.0"), (2, 7, 18)) == "fail"


def test_a_listed_bug_expects_failure_or_hang_and_nothing_else() -> None:
    rule = _rule("3.11", broken=">=3.11,<3.13.2")
    for version in [(3, 11, 7), (3, 12, 1), (3, 13, 1)]:
        assert expected(rule, version) == "broken"
        assert matches(rule, version, Outcome("timeout"))
        assert matches(rule, version, Outcome("fail", "hang"))
        assert not matches(rule, version, Outcome("pass"))
    assert expected(rule, (3, 13, 2)) == "pass"
    assert not matches(rule, (3, 13, 2), Outcome("timeout"))
    assert not matches(rule, (3, 10, 13), Outcome("timeout")), "outside a listed bug a hang is a mismatch"


@pytest.mark.parametrize(("spec", "version", "inside"), [
    (">=3.11,<3.11.9", (3, 11, 0), True), (">=3.11,<3.11.9", (3, 11, 9), False),
    ("<3.14", (3, 14, 0), False), ("<=3.12", (3, 12, 7), False), ("==3.12", (3, 12, 7), True),
    ("!=3.12", (3, 12, 7), False), (">3.12", (3, 12, 1), True), ("==3.12.1", (3, 12, 2), False),
])
def test_version_ranges(spec: str, version: tuple[int, ...], inside: bool) -> None:
    assert in_range(spec, version) is inside


def test_a_bad_version_range_is_an_error() -> None:
    with pytest.raises(ValueError, match="bad version range"):
        in_range("~=3.11", (3, 11, 0))


def test_every_listed_bug_range_parses() -> None:
    for rule in TABLE.rules:
        for bug in rule.broken:
            in_range(bug.versions, (3, 12, 0))


# ---- the runner itself, on the Python running the tests ----------------------------------------

@pytest.fixture(scope="module")
def here() -> Interpreter:
    import sys
    return Interpreter(sys.executable, tuple(sys.version_info[:3]))


def test_runner_reports_exit_status_and_the_last_stderr_line(here: Interpreter) -> None:
    assert run_probe("import sys\n", here) == Outcome("pass")
    outcome = run_probe("import sys\nsys.stderr.write('first\\nlast words\\n')\nsys.exit(3)\n", here)
    assert outcome == Outcome("fail", "last words")


def test_runner_turns_a_hang_into_a_timeout(here: Interpreter) -> None:
    assert run_probe("import time\ntime.sleep(30)\n", here, timeout=1).status == "timeout"


def test_matrix_names_rule_interpreter_and_outcome(here: Interpreter) -> None:
    rule = dataclasses.replace(_rule("3.0", probe="raise SystemExit('nope')\n"), code="PCP999")
    problems = run_matrix([rule], [here]).mismatches()
    assert problems == [f"PCP999 on Python {here.label}: the rule says pass, "
                        "the probe gave fail (nope)"]


def test_write_verified_keeps_only_live_codes(here: Interpreter, tmp_path: Path) -> None:
    (tmp_path / "verified.toml").write_text('[verified]\nPCP001 = ["3.6.0"]\nPCP002 = ["3.6.0"]\n')
    rule = dataclasses.replace(_rule("3.0", probe="pass\n"), code="PCP003")
    write_verified(run_matrix([rule], [here]), ["PCP001", "PCP003"], tmp_path)
    assert load_verified(tmp_path) == {"PCP001": ["3.6.0"], "PCP003": [here.label]}


def test_probes_parse_on_the_oldest_pythons(tmp_path: Path) -> None:
    """The README promises probes parse on 2.7 and 3.6, so a failure there is the feature, not syntax."""
    oldest = [i for i in interpreters() if i.version[:2] in ((2, 7), (3, 6))]
    if not oldest:
        pytest.skip("no 2.7 or 3.6 interpreter found")
    checker = ("import sys\n"
               "for name in sys.argv[1:]:\n"
               "    try:\n"
               "        compile(open(name).read(), name, 'exec')\n"
               "    except SyntaxError as error:\n"
               "        print('%s: %s' % (name, error))\n")
    names = []
    for rule in TABLE.rules:
        path = tmp_path / f"{rule.code}.py"
        path.write_text(textwrap.dedent(rule.probe), encoding="utf-8")
        names.append(str(path))
    for interp in oldest:
        result = subprocess.run([interp.path, "-c", checker, *names], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0 and not result.stdout, f"Python {interp.label}:\n{result.stdout}"
