"""Fixit rules (`pip install poolcompat[fixit]`; enable `poolcompat.fixit_rules`).

Fixit turns a rule on or off by comparing its `PYTHON_VERSION` with the configured
`python-version`, so there is one rule per version a feature needs: `PoolApiNeeds33` reports the
uses that need Python 3.3 and is active when the target is older. `PoolApiRemoved` reports uses
of features that later Pythons dropped. All of them call the same engine as the CLI.
"""
from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple, Type, Union

import libcst as cst
from fixit import Invalid, LintRule, Valid
from libcst.metadata import CodePosition, CodeRange, FilePathProvider

from poolcompat.plugins import findings, project_findings
from poolcompat.engine.findings import Finding
from poolcompat.fix.run import fix_finding
from poolcompat.table.load import Rule, default_table
from poolcompat.versions import Version

# Examples a rule's tests run: code that needs exactly that version.
_EXAMPLES: Dict[Version, str] = {
    Version((3, 3)): "from multiprocessing.pool import ThreadPool\nwith ThreadPool(1) as p:\n"
                     "    p.map(abs, [1])\n",
    Version((3, 4)): "import multiprocessing\nmultiprocessing.get_context('spawn')\n",
    Version((3, 5)): "from concurrent.futures import ThreadPoolExecutor\n"
                     "pool = ThreadPoolExecutor(2)\npool.map(abs, [1], chunksize=4)\n",
    Version((3, 6)): "from concurrent.futures import ThreadPoolExecutor\n"
                     "ThreadPoolExecutor(2, thread_name_prefix='io')\n",
    Version((3, 9)): "from concurrent.futures import ThreadPoolExecutor\n"
                     "pool = ThreadPoolExecutor(2)\npool.shutdown(cancel_futures=True)\n",
}
_PLAIN = "import multiprocessing\npool = multiprocessing.Pool(2)\npool.map(abs, [1])\n"
_TABLE = default_table()


class _PoolcompatRule(LintRule):
    NEEDS: Optional[Version] = None  # report findings needing this version; None: removed ones
    METADATA_DEPENDENCIES = (FilePathProvider,)  # to judge the file in its project's context

    def _wanted(self, finding: Finding) -> bool:
        if self.NEEDS is None:
            return finding.removed is not None
        return finding.requires == self.NEEDS

    def visit_Module(self, node: cst.Module) -> None:
        path = self.get_metadata(FilePathProvider, node, None)
        found = project_findings(node.bytes, str(path)) if path else findings(node.bytes, "<fixit>")
        for f in found:
            if f.counts and self._wanted(f):
                where = CodeRange(CodePosition(f.line, f.column - 1),
                                  CodePosition(f.end_line, f.end_column - 1))
                self.report(node, f"{f.code} {f.message}", position=where,
                            replacement=_replacement(node, f, self.NEEDS))


def _fix_target(finding: Finding, needs: Optional[Version]) -> Tuple[int, ...]:
    """A target on which the finding fails, as Fixit does not pass its `python-version` on:
    just below the version the rule needs, or (PoolApiRemoved) from the finding's own version
    on, which reaches the removal."""
    if needs is None:
        return tuple(finding.requires)
    major, minor, *rest = needs
    if rest and rest[0] > 0:
        return (major, minor, rest[0] - 1)
    return (major, minor - 1)


def _replacement(node: cst.Module, finding: Finding, needs: Optional[Version]
                 ) -> Optional[cst.Module]:
    """The whole module with only this finding's safe fix, or None where it has none. Fixit
    replaces the node reported (here the module), so of several fixes reported in one module
    one is applied per `fixit fix` run."""
    rule = _TABLE.get(finding.code)
    if rule is None or rule.fix is None or not rule.fix.fixable or not rule.fix.safe:
        return None
    try:
        text = fix_finding(node.code, finding, _fix_target(finding, needs))
    except (ValueError, cst.ParserSyntaxError):
        return None
    return cst.parse_module(text) if text is not None and text != node.code else None


def _examples(rules: List[Rule], wanted: Callable[[Finding], bool]
              ) -> Tuple[List[Union[str, Valid]], List[Union[str, Invalid]]]:
    """Fixit's VALID and INVALID cases, from the rules' own examples in the table. A rule's
    `valid` example avoids its own feature, not every feature of the same version."""
    valid: List[Union[str, Valid]] = [Valid(_PLAIN)]
    valid += [Valid(r.valid) for r in rules if r.valid and not any(
        f.counts and wanted(f) for f in findings(r.valid.encode(), "<fixit>"))]
    return valid, [Invalid(r.invalid) for r in rules if r.invalid]


def _needs(version: Version, base: Type[LintRule]) -> Type[LintRule]:
    name = f"PoolApiNeeds{''.join(map(str, version))}"
    valid, invalid = _examples([r for r in _TABLE.rules if r.default and r.requires == version],
                               lambda f: f.requires == version)
    example = _EXAMPLES.get(version)
    if not invalid and example:  # until every rule of that version carries its examples
        invalid = [Invalid(example)]
    return type(name, (base,), {
        "__module__": __name__, "AUTOFIX": _autofix(version),
        "__doc__": f"Pool API uses that need Python {version} (active for older targets).",
        "NEEDS": version, "PYTHON_VERSION": f"<{version}",
        "VALID": valid, "INVALID": invalid,
    })


def _autofix(version: Optional[Version]) -> bool:
    """Whether some rule the Fixit rule reports has a safe fix (shown by `fixit` listings)."""
    return any(r.fix is not None and r.fix.fixable and r.fix.safe for r in _TABLE.rules
               if r.default and (r.removed is not None if version is None else r.requires == version))


class PoolApiRemoved(_PoolcompatRule):
    """Pool API uses that stopped working in a later Python (always active)."""

    AUTOFIX = _autofix(None)

    VALID, INVALID = _examples([r for r in _TABLE.rules if r.default and r.removed is not None],
                               lambda f: f.removed is not None)


for _version in sorted({rule.requires for rule in _TABLE.rules if rule.default}):
    if _version > (3, 0):
        _rule = _needs(Version(_version), _PoolcompatRule)
        globals()[_rule.__name__] = _rule

# Fixit takes every LintRule subclass in this module's namespace for a rule: keep only the real ones.
del _PoolcompatRule, _rule, _version
