"""Run every rule's probe on every Python here and compare with what the rule claims.

`python -m poolcompat.table.verify [--write] [CODE-OR-PREFIX ...]` prints the matrix and the mismatches,
exits 1 on any; `--write` records in `rules/verified.toml` where each probe behaved as claimed.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from poolcompat._toml import tomllib
from poolcompat.table import methods as per_method
from poolcompat.table.load import Rule, load_table, rules_dir


VersionTuple = Tuple[int, ...]
TIMEOUT = 60.0
VERIFIED = "verified.toml"
_CLAUSE = re.compile(r"\s*(<=|>=|==|!=|<|>)\s*(\d+(?:\.\d+)*)\s*")
_ASK_VERSION = "import sys; sys.stdout.write('%d.%d.%d' % tuple(sys.version_info[:3]))"


@dataclass(frozen=True)
class Interpreter:
    path: str
    version: VersionTuple

    @property
    def label(self) -> str:
        return ".".join(map(str, self.version))


@dataclass(frozen=True)
class Outcome:
    status: str  # "pass", "fail" or "timeout"
    detail: str = ""


def _candidates() -> List[str]:
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        root = ""
    pyenv = Path(root or Path.home() / ".pyenv")
    found = sorted(str(p) for p in pyenv.glob("versions/*/bin/python"))
    extra = os.environ.get("POOLCOMPAT_INTERPRETERS", "")
    return found + [p for p in extra.split(os.pathsep) if p]


def interpreters() -> List[Interpreter]:
    """The Pythons to probe, one per version, oldest first; unusable paths are skipped."""
    by_version: Dict[VersionTuple, Interpreter] = {}
    for path in _candidates():
        try:
            answer = subprocess.run([path, "-c", _ASK_VERSION], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        if answer.returncode == 0 and re.fullmatch(r"\d+\.\d+\.\d+", answer.stdout):
            version = tuple(int(part) for part in answer.stdout.split("."))
            by_version.setdefault(version, Interpreter(path, version))
    return [by_version[v] for v in sorted(by_version)]


def in_range(spec: str, version: VersionTuple) -> bool:
    """`">=3.11,<3.11.9"`: every comma-separated clause holds; `==`/`!=` compare the given prefix."""
    for clause in spec.split(","):
        match = _CLAUSE.fullmatch(clause)
        if match is None:
            raise ValueError(f"bad version range {spec!r}: {clause!r}")
        op, bound = match.group(1), tuple(int(part) for part in match.group(2).split("."))
        mine = version[: len(bound)] if op in ("==", "!=") else version
        holds = {"<": mine < bound, "<=": mine <= bound, ">": mine > bound, ">=": mine >= bound,
                 "==": mine == bound, "!=": mine != bound}[op]
        if not holds:
            return False
    return True


def works(rule: Rule, version: VersionTuple) -> bool:
    """What the rule claims about `version`, ignoring known bugs."""
    if version[0] == 2:
        return rule.py2 is not None and rule.py2 <= version
    return rule.requires <= version and (rule.removed is None or version < rule.removed)


def expected(rule: Rule, version: VersionTuple) -> str:
    """"pass", "fail", or "broken" (a listed bug: failing or hanging is the expected outcome)."""
    if any(in_range(bug.versions, version) for bug in rule.broken):
        return "broken"
    return "pass" if works(rule, version) else "fail"


def matches(rule: Rule, version: VersionTuple, outcome: Outcome) -> bool:
    wanted = expected(rule, version)
    if wanted == "broken":
        return outcome.status in ("fail", "timeout")
    return outcome.status == wanted


def _probe_env() -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONWARNINGS="ignore", PYTHONIOENCODING="utf-8")
    return env


def _kill_group(process: "subprocess.Popen[bytes]") -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)  # workers and resource trackers too
    except (ProcessLookupError, PermissionError):
        pass
    except AttributeError:  # no process groups (Windows): the probe itself at least
        process.kill()


def run_probe(probe: str, interpreter: Interpreter, timeout: float = TIMEOUT,
              method: str = "") -> Outcome:
    """Run one probe as a file in a fresh directory, in its own session, killed at `timeout`;
    with the start method to force as its argument, for a rule with `start_methods`."""
    with tempfile.TemporaryDirectory(prefix="poolcompat-probe-") as workdir:
        Path(workdir, "probe.py").write_text(textwrap.dedent(probe), encoding="utf-8")
        process = subprocess.Popen(
            [interpreter.path, "probe.py", *([method] if method else [])], cwd=workdir, env=_probe_env(), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            exited = process.poll() is not None  # a straggler kept stderr open, the probe is done
            _kill_group(process)
            _, stderr = process.communicate()
            if not exited:
                return Outcome("timeout", f"still running after {timeout:g}s")
        _kill_group(process)
    if process.returncode == 0:
        return Outcome("pass")
    lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return Outcome("fail", lines[-1].strip() if lines else f"exit status {process.returncode}")


@dataclass
class Matrix:
    rules: List[Rule]
    interpreters: List[Interpreter]
    outcomes: Dict[Tuple[str, str], Outcome] = field(default_factory=dict)

    def _method_runs(self, rule: Rule, interp: Interpreter) -> List[Tuple[str, Outcome]]:
        return [(m, self.outcomes[rule.code, per_method.key(interp.label, m)])
                for m in per_method.offered(interp.version)]

    def behaved(self, rule: Rule, interp: Interpreter) -> bool:
        """Whether the probe did what the rule says on this interpreter (every method's run)."""
        if rule.start_methods:
            return all(o.status == per_method.wanted(rule, m) for m, o in self._method_runs(rule, interp))
        return matches(rule, interp.version, self.outcomes[rule.code, interp.label])

    def mismatches(self, code: Optional[str] = None) -> List[str]:
        found = []
        for rule in self.rules:
            for interp in self.interpreters:
                if rule.start_methods:
                    found += [f"{rule.code} under {m} on Python {interp.label}: the rule says "
                              f"{per_method.wanted(rule, m)}, the probe gave {o.status}"
                              + (f" ({o.detail})" if o.detail else "")
                              for m, o in self._method_runs(rule, interp)
                              if (code is None or rule.code == code)
                              and o.status != per_method.wanted(rule, m)]
                    continue
                outcome = self.outcomes[rule.code, interp.label]
                if (code is None or rule.code == code) and not matches(rule, interp.version, outcome):
                    got = outcome.status + (f" ({outcome.detail})" if outcome.detail else "")
                    found.append(f"{rule.code} on Python {interp.label}: the rule says "
                                 f"{expected(rule, interp.version)}, the probe gave {got}")
        return found

    def verified(self) -> Dict[str, List[str]]:
        return {rule.code: [i.label for i in self.interpreters if self.behaved(rule, i)]
                for rule in self.rules}

    def by_method(self) -> per_method.MethodRecord:
        """Per start-method rule: under each method, where the code worked and where it failed."""
        return {rule.code: per_method.record(rule, {
            (i.label, m): o.status for i in self.interpreters for m, o in self._method_runs(rule, i)})
            for rule in self.rules if rule.start_methods}

    def render(self) -> str:
        """One row per rule: `+` passed, `-` failed, `~` timed out; `!` marks a mismatch."""
        heads = [".".join(map(str, i.version[:2])) for i in self.interpreters]
        rows = ["code    " + " ".join(f"{h:>5}" for h in heads)]
        for rule in self.rules:
            cells = []
            for interp in self.interpreters:  # a start-method rule: one mark per method
                runs = self._method_runs(rule, interp) if rule.start_methods \
                    else [("", self.outcomes[rule.code, interp.label])]
                mark = "".join({"pass": "+", "fail": "-", "timeout": "~"}[o.status] for _, o in runs)
                cells.append(f"{mark + ('' if self.behaved(rule, interp) else '!'):>5}")
            rows.append(f"{rule.code:<7} " + " ".join(cells))
        return "\n".join(rows)


def run_matrix(rules: Sequence[Rule], found: Sequence[Interpreter], timeout: float = TIMEOUT,
               jobs: int = 0) -> Matrix:
    """All probes on all interpreters, in parallel (the work is in the subprocesses)."""
    jobs = jobs or max(4, 2 * (os.cpu_count() or 1))
    with ThreadPoolExecutor(jobs) as pool:
        pending = {(rule.code, interp.label): pool.submit(run_probe, rule.probe, interp, timeout)
                   for rule in rules for interp in found if not rule.start_methods}
        pending.update({(rule.code, per_method.key(interp.label, method)): pool.submit(
            run_probe, rule.probe, interp, timeout, method)
            for rule in rules if rule.start_methods for interp in found
            for method in per_method.offered(interp.version)})
        outcomes = {key: future.result() for key, future in pending.items()}
    return Matrix(list(rules), list(found), outcomes)


def load_verified(directory: Optional[Path] = None) -> Dict[str, List[str]]:
    """code -> interpreter versions where its probe behaved as the rule claims."""
    raw = _read_verified(directory).get("verified", {})
    return {str(code): [str(v) for v in versions] for code, versions in raw.items()}


def load_methods(directory: Optional[Path] = None) -> per_method.MethodRecord:
    """code -> method -> {"works": [...], "fails": [...]}: the start-method probes' runs."""
    raw = _read_verified(directory).get("methods", {})
    return {str(code): {str(m): {str(k): [str(v) for v in vs] for k, vs in outcomes.items()}
                        for m, outcomes in by_method.items()} for code, by_method in raw.items()}


def _read_verified(directory: Optional[Path]) -> Dict[str, Any]:
    path = (directory or rules_dir()) / VERIFIED
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def write_verified(matrix: Matrix, codes: Iterable[str], directory: Optional[Path] = None) -> Path:
    """Update the run rules' entries; keep the others' only while their rule still exists."""
    directory = directory or rules_dir()
    known = set(codes)
    record = {code: v for code, v in load_verified(directory).items() if code in known}
    record.update(matrix.verified())
    methods = {code: v for code, v in load_methods(directory).items() if code in known}
    methods.update(matrix.by_method())
    lines = ["# Written by `python -m poolcompat.table.verify --write`: for each rule, the interpreters",
             "# where its probe behaved as the rule claims. Shown by `poolcompat explain`.", "",
             "[verified]"]
    lines += [f"{code} = [{', '.join(chr(34) + v + chr(34) for v in record[code])}]" for code in sorted(record)]
    if methods:
        lines += ["", "# Rules whose hazard depends on the start method: the probe run with each method",
                  "# forced (`probe.py spawn`), and the interpreters where the code worked or failed."]
        lines += per_method.render(methods)
    path = directory / VERIFIED
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m poolcompat.table.verify", description=__doc__)
    parser.add_argument("codes", nargs="*", help="rule codes or prefixes (PCP15); default: all")
    parser.add_argument("--write", action="store_true", help=f"update rules/{VERIFIED}")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per probe")
    parser.add_argument("--jobs", type=int, default=0, help="probes at once")
    args = parser.parse_args(argv)
    table = load_table()
    rules = [r for r in table.rules if not args.codes or any(r.code.startswith(c) for c in args.codes)]
    found = interpreters()
    if not rules or not found:
        print("nothing to run: " + ("no rule matches" if not rules else "no interpreters found"))
        return 2
    matrix = run_matrix(rules, found, args.timeout, args.jobs)
    print(matrix.render())
    problems = matrix.mismatches()
    print("\n".join(problems) if problems else f"all {len(rules)} rules match on {len(found)} interpreters")
    if args.write:
        print(f"wrote {write_verified(matrix, [r.code for r in table.rules])}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
