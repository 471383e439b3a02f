"""Start-method probes: a rule with `start_methods` has its probe run once per start method the
interpreter offers (`python probe.py spawn`), and each run must work or fail as the rule says.
`rules/verified.toml` records, per rule and method, the interpreters where the probe worked and
those where it failed, so the record can be checked against the table without running anything."""
from __future__ import annotations

from typing import Dict, List, Mapping, Tuple

from poolcompat.table.load import Rule
from poolcompat.table.platforms import START_METHODS

VersionTuple = Tuple[int, ...]
# Per rule, per method: {"works": [interpreter labels], "fails": [...]}.
MethodRecord = Dict[str, Dict[str, Dict[str, List[str]]]]


def offered(version: VersionTuple) -> Tuple[str, ...]:
    """The start methods an interpreter has (on POSIX): 2.x only forks; spawn and forkserver
    came in 3.4."""
    return START_METHODS if version >= (3, 4) else ("fork",)


def key(label: str, method: str) -> str:
    """The matrix column of one method's run on one interpreter."""
    return f"{label} {method}"


def wanted(rule: Rule, method: str) -> str:
    """"pass" where the rule says the code works under `method`, else "fail"."""
    return "pass" if (method, "works") in rule.start_methods else "fail"


def record(rule: Rule, results: Mapping[Tuple[str, str], str]) -> Dict[str, Dict[str, List[str]]]:
    """One rule's runs, `{(label, method): "pass" | "fail" | "timeout"}`, as the record keeps
    them: per method, the interpreters where the code worked and where it failed."""
    found: Dict[str, Dict[str, List[str]]] = {}
    for (label, method), status in results.items():
        outcome = "works" if status == "pass" else "fails"
        found.setdefault(method, {"works": [], "fails": []})[outcome].append(label)
    return {method: found[method] for method in START_METHODS if method in found}


def render(record_: MethodRecord) -> List[str]:
    """TOML lines, one per rule and method: `[methods.PCP605]` then `spawn = { works = [...],
    fails = [...] }`."""
    lines: List[str] = []
    for code in sorted(record_):
        lines += ["", f"[methods.{code}]"]
        for method, outcomes in record_[code].items():
            parts = [f"{name} = [{', '.join(chr(34) + v + chr(34) for v in versions)}]"
                     for name, versions in outcomes.items()]
            lines.append(f"{method} = {{ {', '.join(parts)} }}")
    return lines


def disagreements(rule: Rule, methods: Mapping[str, Mapping[str, List[str]]]) -> List[str]:
    """Where a recorded run contradicts the rule's `start_methods`."""
    problems = []
    for method, outcome in rule.start_methods:
        recorded = methods.get(method, {})
        other = "fails" if outcome == "works" else "works"
        if not recorded.get(outcome):
            problems.append(f"{rule.code}: no interpreter recorded where {method} {outcome}")
        for label in recorded.get(other, []):
            problems.append(f"{rule.code} under {method} on Python {label}: recorded {other}, "
                            f"the rule says {outcome}")
    return problems


def summary(rule: Rule, methods: Mapping[str, Mapping[str, List[str]]]) -> str:
    """`fork works, spawn fails, forkserver fails (probed on 9, 8 and 8 interpreters)`."""
    said = ", ".join(f"{method} {outcome}" for method, outcome in rule.start_methods)
    counts = [str(sum(len(v) for v in methods.get(m, {}).values())) for m, _ in rule.start_methods]
    if not any(count != "0" for count in counts):
        return said + " (not yet probed)"
    return f"{said} (probed on {', '.join(counts[:-1])} and {counts[-1]} interpreters)"
