"""typeshed as a second machine-read source: its version gates, each mapped to the rule table.

`python -m poolcompat.table.typeshed [--write]` reads the pinned typeshed copies (see `COPIES`),
reports the gates `rules/typeshed.toml` does not hold yet, and with `--write` records them
(keeping every mapping already made; a new gate waits for a human to map it) and regenerates
`rules/star.toml` from the copies' `__all__`.
"""
from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from poolcompat._toml import tomllib
from poolcompat.table import star
from poolcompat.table.load import load_table, rules_dir
from poolcompat.table.stubs import ALWAYS, Gate, lifetime_gates, read_module, read_versions, stub_modules
from poolcompat.versions import Version, parse_version

TYPESHED = "typeshed.toml"


@dataclass(frozen=True)
class Copy:
    label: str
    package: str  # the registry package that bundles it, pinned in pyproject's `test` extras
    version: str
    stdlib: str  # where typeshed's stdlib/ is inside the package
    floor: Version  # the oldest Python the copy still tells apart: its gates start above it


# Current typeshed gates nothing below 3.11 (it supports 3.10 and later); a copy from April 2022
# still gates 3.7-3.10, so the two together date 3.7 onwards.
COPIES = (
    Copy("old", "typeshed_client", "2.0.5", "typeshed", Version((3, 6))),
    Copy("current", "mypy", "2.4.1", "typeshed/stdlib", Version((3, 10))),
)


def locate(copy: Copy) -> Optional[Path]:
    """The copy's stdlib directory, if its package is installed at the pinned version."""
    try:
        if importlib.metadata.version(copy.package) != copy.version:
            return None
    except importlib.metadata.PackageNotFoundError:
        return None
    spec = importlib.util.find_spec(copy.package)  # finds the package without running it
    for root in (spec.submodule_search_locations or []) if spec else []:
        stdlib = Path(root) / copy.stdlib
        if (stdlib / "VERSIONS").is_file():
            return stdlib
    return None


def stubs_of(stdlib: Path) -> Dict[str, str]:
    return {module: path.read_text(encoding="utf-8") for module, path in stub_modules(stdlib)}


def read_copy(stdlib: Path) -> List[Gate]:
    """Every gate of one copy: VERSIONS, the stubs, and what their `__all__` holds."""
    gates = read_versions(stdlib)
    for module, source in stubs_of(stdlib).items():
        gates += read_module(module, source)
        if star.has_all(source):
            for name, spans in star.exports(module, source).items():
                gates += lifetime_gates("all", f"{module}:{name}", spans, ALWAYS)
    return sorted(set(gates))


# ---- rules/typeshed.toml ------------------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    gate: Gate
    copies: Tuple[str, ...]
    codes: Tuple[str, ...] = ()
    not_applicable: str = ""
    differs: str = ""  # why the mapped rules give another version than the gate (the probes decide)


def parse_gate(text: str) -> Gate:
    what, api, change, version = text.split(" ")
    parse_version(version)
    return Gate(what, api, change, version)


def load_items(directory: Optional[Path] = None) -> List[Item]:
    path = (directory or rules_dir()) / TYPESHED
    raw = tomllib.loads(path.read_text(encoding="utf-8")).get("gate", [])
    return [Item(parse_gate(e["gate"]), tuple(e.get("copies", ())), tuple(e.get("codes", ())),
                 e.get("not_applicable", ""), e.get("differs", "")) for e in raw]


def merge(read: Dict[str, List[Gate]], known: Sequence[Item]) -> List[Item]:
    """The gates read from each copy (label -> gates) with the mappings already recorded."""
    copies: Dict[Gate, List[str]] = {}
    for label, gates in read.items():
        for gate in gates:
            copies.setdefault(gate, []).append(label)
    by_gate = {item.gate: item for item in known}
    items = []
    for gate in sorted(copies):
        old = by_gate.get(gate, Item(gate, ()))
        items.append(Item(gate, tuple(copies[gate]), old.codes, old.not_applicable, old.differs))
    return items


def render_items(items: Sequence[Item]) -> str:
    lines = [
        "# Every version gate of typeshed's stubs for multiprocessing, concurrent.futures and",
        "# concurrent.interpreters (and their stdlib/VERSIONS lines), machine-read from the pinned",
        "# copies by `python -m poolcompat.table.typeshed --write`, each mapped by hand to the rules",
        "# it became (`codes`) or to why no rule fits (`not_applicable`); `differs` says why a rule's",
        "# version differs from the gate's. A gate is `what api change version`: `name`/`member` a",
        "# module name or class member, `subscript` a class gaining `__class_getitem__`, `parameter`,",
        "# `positional-only`/`keyword-only` and `default` a parameter's arrival, kind or default,",
        "# `all` a name entering a module's `__all__` (`module:name`), `module` a VERSIONS line.",
        "",
        "[copies]",
    ]
    lines += [f'{c.label} = {{ package = "{c.package}", version = "{c.version}", '
              f'floor = "{c.floor}" }}' for c in COPIES]
    for item in items:
        lines += ["", "[[gate]]", f'gate = "{item.gate.key}"',
                  "copies = [" + ", ".join(f'"{c}"' for c in item.copies) + "]"]
        if item.codes:
            lines.append("codes = [" + ", ".join(f'"{c}"' for c in item.codes) + "]")
        if item.not_applicable:
            lines.append(f"not_applicable = {_quote(item.not_applicable)}")
        if item.differs:
            lines.append(f"differs = {_quote(item.differs)}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---- rules/star.toml ----------------------------------------------------------------------------

STAR_HEADER = """What `from module import *` binds on each Python: `name = "3.8"` (bound from 3.8 on) or
`name = { added = "3.0", removed = "3.8" }`. Written by `python -m poolcompat.table.typeshed
--write` from the pinned typeshed copies' `__all__` (a module's public names where it has none),
for the public modules (not the platform-dependent internals popen_* and resource_sharer). A name
gets at least its module's version (VERSIONS, or the module's import rule) and its own attr rule's.
tests/test_star.py checks every entry against `__all__` on the interpreters. Do not edit."""


# Internals whose `__all__` depends on the platform (Windows-only names): no user star-imports them.
_PLATFORM_INTERNALS = ("multiprocessing.popen_", "multiprocessing.resource_sharer")


def _star_module(module: str) -> bool:
    private = any(part.startswith("_") for part in module.split("."))
    return not private and not module.startswith(_PLATFORM_INTERNALS)


def star_table(found: Sequence[Tuple[Copy, Path]]) -> Dict[str, Dict[str, star.Bound]]:
    baseline: Dict[str, Version] = {}
    newest = found[-1][1]
    for gate in read_versions(newest):
        if gate.change == "added":
            baseline[gate.api] = parse_version(gate.version)
    rules = load_table().rules
    imports = {r.target: r.requires for r in rules if r.kind == "import"}
    names = {r.target: r.requires for r in rules if r.kind == "attr"}
    copies = [(copy.floor, {m: src for m, src in stubs_of(stdlib).items() if _star_module(m)})
              for copy, stdlib in found]
    modules = {m for _, stubs in copies for m in stubs}
    for module in modules:
        known = [v for m, v in {**baseline, **imports}.items() if module == m or module.startswith(m + ".")]
        baseline[module] = max(known) if known else Version((3, 0))
    table = star.derive(copies, baseline)
    for module, bound in table.items():  # a name's own rule knows more than typeshed below 3.6
        for name, (first, until) in bound.items():
            bound[name] = (max(first, names.get(f"{module}.{name}", first)), until)
    return table


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m poolcompat.table.typeshed", description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"update rules/{TYPESHED} and rules/{star.STAR}")
    args = parser.parse_args(argv)
    found = [(copy, locate(copy)) for copy in COPIES]
    missing = [f"{c.package}=={c.version}" for c, where in found if where is None]
    if missing:
        print("not installed: " + ", ".join(missing) + ' (pip install -e ".[test]")')
        return 2
    located = [(c, where) for c, where in found if where is not None]
    items = merge({c.label: read_copy(where) for c, where in located}, load_items())
    unmapped = [i.gate.key for i in items if not i.codes and not i.not_applicable]
    print(f"{len(items)} gates; {len(unmapped)} not mapped yet")
    print("\n".join(unmapped))
    if args.write:
        directory = rules_dir()
        (directory / TYPESHED).write_text(render_items(items), encoding="utf-8")
        (directory / star.STAR).write_text(star.render(star_table(located), STAR_HEADER), encoding="utf-8")
        print(f"wrote {directory / TYPESHED} and {directory / star.STAR}")
    return 1 if unmapped else 0


if __name__ == "__main__":
    sys.exit(main())
