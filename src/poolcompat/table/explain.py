"""`poolcompat rules` and `poolcompat explain CODE`: the table and one rule's documentation."""
from __future__ import annotations

import json
import textwrap
from typing import Dict, List, Optional

from poolcompat.report.platforms import describe
from poolcompat.table import methods
from poolcompat.table.load import Rule, RuleKind, Table, default_table
from poolcompat.table.platforms import spans
from poolcompat.table.verify import load_methods, load_verified
from poolcompat.versions import format_version

_MATCHES: Dict[RuleKind, str] = {
    "import": "importing the module `{target}`",
    "attr": "taking `{target}` from its module (`module.name` or `from module import name`)",
    "method": "`.{name}` on a proved instance of `{target}` or a subclass",
    "argument": "calls to `{target}` passing `{name}`",
    "with": "a proved instance of `{target}` used in a `with` statement",
    "subscript": "`{target}[...]` (or a subclass's) where Python evaluates it at run time",
    "star": "the name `{target}` read where only a `from ... import *` of its module binds it",
    "pitfall": "the pattern `{target}` (see the message)",
}


def _v(version: Optional[tuple[int, ...]]) -> str:
    return format_version(version) if version else "-"


def table_rows(table: Table) -> List[dict[str, object]]:
    return [{
        "code": r.code, "feature": r.feature, "kind": r.kind, "target": r.target,
        "requires": _v(r.requires), "py2": None if r.py2 is None else _v(r.py2),
        "removed": None if r.removed is None else _v(r.removed), "default": r.default,
        "fix": fix_safety(r),
    } for r in table.rules]


def rules_text(table: Table) -> str:
    lines = [f"{'code':<7} {'requires':<8} {'py2':<4} {'removed':<7} feature"]
    for r in table.rules:
        off = "" if r.default else "  (off by default)"
        lines.append(f"{r.code:<7} {_v(r.requires):<8} {_v(r.py2):<4} {_v(r.removed):<7} "
                     f"{r.feature.replace('`', '')}{off}")
    return "\n".join(lines)


def rules_json(table: Table) -> str:
    return json.dumps(table_rows(table), indent=2)


def _matches(rule: Rule) -> str:
    text = _MATCHES[rule.kind].format(target=rule.target, name=rule.name or "")
    if rule.kind == "argument":
        ways = [f"keyword `{rule.name}=`"] if rule.name else []
        if rule.position is not None:
            ways.append(f"position {rule.position + 1}")
        text = f"calls to `{rule.target}` passing it by {' or '.join(ways)}"
        if rule.omitted:
            text = f"calls to `{rule.target}` that leave out `{rule.name}`"
        if rule.value:
            text += f" with the value {rule.value!r}"
    return text


def explain(rule: Rule) -> str:
    versions = f"Python {_v(rule.requires)} and later"
    if rule.never_works:
        versions = f"never works (removed = requires = {_v(rule.removed)})"
    elif rule.removed is not None:
        versions = f"Python {_v(rule.requires)} up to, not including, {_v(rule.removed)}"
    docs = rule.docs
    provenance = (f"{docs.get('file', '?')}: {docs.get('directive')} {docs.get('version', '')}"
                  f" {docs.get('issue', '')}").strip()
    if docs.get("directive") == "none":
        provenance = f"{docs.get('file', '?')}: no directive in the docs"
    verified = load_verified().get(rule.code, [])
    sections = [
        f"{rule.code}: {rule.feature.replace('`', '')}",
        "",
        rule.message,
        "",
        f"Matches:   {_matches(rule)}",
        f"Works on:  {versions}" + (f"; Python 2 from {_v(rule.py2)}" if rule.py2 else
                                      "; not on Python 2"),
        f"Docs:      {provenance}" + (f" (the docs say {rule.docs_say})" if rule.docs_say else ""),
        f"Verified:  {', '.join(verified) if verified else 'not yet run on local interpreters'}",
    ]
    if rule.start_methods:
        failing = tuple(m for m, outcome in rule.start_methods if outcome == "fails")
        sections += [f"Methods:   {methods.summary(rule, load_methods().get(rule.code, {}))}",
                     textwrap.fill(f"Platforms: {describe(spans(default_table().platforms, failing))}"
                                   " (under each platform's default method)", 78,
                                   subsequent_indent=" " * 11)]
    if not rule.default:
        sections.append("Selection: off by default; turn it on with --select "
                        f"{rule.code[:4]} or {rule.code}")
    for broken in rule.broken:
        sections.append(f"Broken:    {broken.versions}: {broken.note} {broken.issue}".rstrip())
    sections.append(textwrap.fill(f"Fix:       {_fix(rule)}", 78, subsequent_indent=" " * 11,
                                  break_long_words=False, break_on_hyphens=False))
    if rule.note:
        sections += ["", "Note:", textwrap.fill(rule.note, 78, initial_indent="  ",
                                                subsequent_indent="  ")]
    if rule.invalid:
        sections += ["", "Example:", "", _code(rule.invalid)]
    if rule.valid:
        sections += ["", "Use instead:", "", _code(rule.valid)]
    if rule.rewrite:
        sections += ["", "Compatible rewrite:", textwrap.fill(rule.rewrite, 78,
                                                              initial_indent="  ",
                                                              subsequent_indent="  ")]
    return "\n".join(sections)


def fix_safety(rule: Rule) -> str:
    """"safe" (applied by --fix), "unsafe" (only with --unsafe-fixes) or "none"."""
    if rule.fix is None or not rule.fix.fixable:
        return "none"
    return "safe" if rule.fix.safe else "unsafe"


def _fix(rule: Rule) -> str:
    """What `check --fix` does with a use that fails on the target, with the rule's note (what
    the fix does below the version, or why there is no mechanical fix)."""
    spec = rule.fix
    if spec is None:
        return "none: the rule has no fix entry yet"
    if not spec.fixable:
        return f"none: {spec.note}" if spec.note else "none"
    kind = f"codemod {spec.codemod}" if spec.kind == "codemod" else spec.kind
    how = f"safe ({kind}; applied by --fix)" if spec.safe else \
        f"unsafe ({kind}; applied only with --fix --unsafe-fixes)"
    return f"{how}: {spec.note}" if spec.note else how


def _code(example: str) -> str:
    """An example as an indented code block (Markdown reads it as code too)."""
    return textwrap.indent(example.rstrip(), "    ")
