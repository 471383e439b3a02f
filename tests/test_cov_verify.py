"""The probe runner's edges and the start-method record: a probe run once per start method, the
record `--write` keeps of it, what the table says against that record, the command line of
`python -m poolcompat.table.verify`, and finding the interpreters to run on."""
from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import pytest

from poolcompat.table import methods, verify
from poolcompat.table.load import Rule
from poolcompat.table.verify import Interpreter, Outcome, load_methods, load_verified, run_matrix, \
    run_probe, write_verified
from poolcompat.versions import parse_version

HERE = Interpreter(sys.executable, tuple(sys.version_info[:3]))
# Exits 0 under the start method it is given as its argument, else 1.
ONLY_FORK = "import sys\nsys.exit(0 if sys.argv[1:] == ['fork'] else 1)\n"
FORK_WORKS = (("fork", "works"), ("spawn", "fails"), ("forkserver", "fails"))


def _rule(code: str = "PCP998", probe: str = ONLY_FORK, start_methods: tuple = FORK_WORKS,
          requires: str = "3.0") -> Rule:
    return Rule(code=code, feature="f", kind="pitfall", target="m.f",
                requires=parse_version(requires), message="", probe=probe, docs={},
                start_methods=start_methods)  # type: ignore[arg-type]


# ---- a start-method rule's probe, run once per method -------------------------------------------

def test_a_start_method_probe_runs_once_per_method_and_matches() -> None:
    matrix = run_matrix([_rule()], [HERE])
    assert matrix.mismatches() == []
    assert matrix.behaved(matrix.rules[0], HERE)
    assert matrix.render().splitlines()[1].split() == ["PCP998", "+--"]
    assert matrix.by_method() == {"PCP998": {
        "fork": {"works": [HERE.label], "fails": []},
        "spawn": {"works": [], "fails": [HERE.label]},
        "forkserver": {"works": [], "fails": [HERE.label]}}}


def test_a_start_method_probe_that_disagrees_is_named_per_method() -> None:
    claims_spawn_works = _rule(start_methods=(("fork", "works"), ("spawn", "works"),
                                              ("forkserver", "fails")))
    matrix = run_matrix([claims_spawn_works], [HERE])
    assert matrix.mismatches() == [f"PCP998 under spawn on Python {HERE.label}: the rule says "
                                   "pass, the probe gave fail (exit status 1)"]
    assert matrix.mismatches("PCP001") == []
    assert not matrix.behaved(claims_spawn_works, HERE)
    assert matrix.render().splitlines()[1].split() == ["PCP998", "+--!"]


def test_python2_offers_only_fork() -> None:
    assert methods.offered((2, 7, 18)) == ("fork",)
    assert methods.offered((3, 4, 0)) == ("fork", "spawn", "forkserver")


def test_the_method_record_round_trips_and_keeps_only_live_codes(tmp_path: Path) -> None:
    (tmp_path / "verified.toml").write_text(
        '[verified]\nPCP001 = ["3.6.0"]\n\n[methods.PCP001]\nfork = { works = ["3.6.0"] }\n'
        '\n[methods.PCP002]\nfork = { works = ["3.6.0"] }\n')
    plain = dataclasses.replace(_rule("PCP003", probe="pass\n"), start_methods=())
    write_verified(run_matrix([_rule(), plain], [HERE]), ["PCP001", "PCP003", "PCP998"],
                   tmp_path)
    assert load_verified(tmp_path) == {"PCP001": ["3.6.0"], "PCP003": [HERE.label],
                                       "PCP998": [HERE.label]}
    recorded = load_methods(tmp_path)
    assert set(recorded) == {"PCP001", "PCP998"}
    assert recorded["PCP998"]["spawn"] == {"works": [], "fails": [HERE.label]}
    assert methods.disagreements(_rule(), recorded["PCP998"]) == []
    assert methods.summary(_rule(), recorded["PCP998"]) == \
        "fork works, spawn fails, forkserver fails (probed on 1, 1 and 1 interpreters)"


def test_the_table_is_held_against_the_method_record() -> None:
    record = {"fork": {"works": [], "fails": ["3.12.1"]}, "spawn": {"works": [], "fails": ["3.12.1"]}}
    assert methods.disagreements(_rule(), record) == [
        "PCP998: no interpreter recorded where fork works",
        "PCP998 under fork on Python 3.12.1: recorded fails, the rule says works",
        "PCP998: no interpreter recorded where forkserver fails"]
    assert methods.summary(_rule(), {}) == "fork works, spawn fails, forkserver fails (not yet probed)"


# ---- the runner's edges -------------------------------------------------------------------------

STRAGGLER = ("import subprocess, sys\n"
             "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n")


def test_a_probe_that_exits_while_a_child_holds_stderr_passes() -> None:
    """The probe is done; its child keeps stderr open past the timeout and is killed with it."""
    started = time.monotonic()
    assert run_probe(STRAGGLER, HERE, timeout=3) == Outcome("pass")
    assert time.monotonic() - started < 30


def test_without_process_groups_the_probe_itself_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "killpg")
    started = time.monotonic()
    outcome = run_probe("import time\ntime.sleep(60)\n", HERE, timeout=1)
    assert outcome == Outcome("timeout", "still running after 1s")
    assert time.monotonic() - started < 30


# ---- finding the interpreters -------------------------------------------------------------------

def test_interpreters_are_one_per_version_and_unusable_paths_are_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no pyenv: its default root under HOME
    monkeypatch.setenv("HOME", str(tmp_path))
    fake = tmp_path / ".pyenv" / "versions" / "9.9" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text("#!/bin/sh\necho not a version\n")
    fake.chmod(0o755)
    monkeypatch.setenv("POOLCOMPAT_INTERPRETERS", os.pathsep.join(
        [str(tmp_path / "missing"), sys.executable, "", sys.executable]))
    assert verify.interpreters() == [HERE]


# ---- python -m poolcompat.table.verify ----------------------------------------------------------

def _main(monkeypatch: pytest.MonkeyPatch, found: list, rules_dir: Optional[Path],
          *argv: str) -> int:
    monkeypatch.setattr(verify, "interpreters", lambda: found)
    if rules_dir is not None:
        monkeypatch.setattr(verify, "rules_dir", lambda: rules_dir)
    return verify.main(list(argv))


def test_main_runs_the_chosen_rules_and_writes_the_record(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(monkeypatch, [HERE], tmp_path, "PCP301", "--write", "--jobs", "1") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split() == ["PCP301", "+"]
    assert out[2] == "all 1 rules match on 1 interpreters"
    assert out[3] == f"wrote {tmp_path / 'verified.toml'}"
    assert load_verified(tmp_path) == {"PCP301": [HERE.label]}


@pytest.mark.parametrize("codes, found, said", [
    pytest.param(["PCP99"], [HERE], "no rule matches", id="no-rule"),
    pytest.param(["PCP301"], [], "no interpreters found", id="no-interpreter"),
])
def test_main_with_nothing_to_run_says_why(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str], codes: list,
                                           found: list, said: str) -> None:
    assert _main(monkeypatch, found, None, *codes) == 2
    assert capsys.readouterr().out == f"nothing to run: {said}\n"


def test_main_exits_1_on_a_mismatch(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A 2.7 that is really this Python: the 3.3 feature works where the rule says it fails."""
    old = Interpreter(sys.executable, (2, 7, 18))
    assert _main(monkeypatch, [old], None, "PCP301") == 1
    out = capsys.readouterr().out
    assert "PCP301 on Python 2.7.18: the rule says fail, the probe gave pass" in out
    assert out.splitlines()[1].split() == ["PCP301", "+!"]


def test_the_module_runs_as_a_script() -> None:
    done = subprocess.run([sys.executable, "-m", "poolcompat.table.verify", "NOPE"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout.startswith("nothing to run:")
