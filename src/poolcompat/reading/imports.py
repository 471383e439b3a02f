"""What a file imports, read from its bytes without parsing it, and relative imports resolved."""
from __future__ import annotations

import re
import sys
from typing import AbstractSet, Dict, FrozenSet, Iterable, Iterator, List, Optional, Set, Tuple

_STATEMENT = re.compile(  # an import statement, its parenthesised name list included
    rb"[ \t]*(from|import)\b((?:[^\n\\;#(]|\\.|\\\n|\([^)]*\))*)")
_FROM = re.compile(r"\s*(\.*)\s*([\w.]*)\s+import\b(.*)", re.DOTALL)
_NAME = re.compile(r"[^\W\d][\w.]*")
Imported = Tuple[int, str, Tuple[str, ...]]  # dots of a relative import, module, names


def _first_words(text: str) -> List[str]:
    """`a as b, (c,\n d)  # x` -> [a, c, d]: the imported name of each comma-separated part."""
    if "#" in text or "(" in text or "\\" in text:
        text = re.sub(r"#[^\n]*|\\\r?\n|[()]", " ", text)
    found = []
    for part in text.split(","):
        words = part.split(None, 1)
        if words and (words[0] == "*" or _NAME.fullmatch(words[0])):
            found.append(sys.intern(words[0]))  # `os`, `typing`: one copy for a whole tree
    return found


_KEYWORD = re.compile(rb"import\b")  # a literal first: the regex engine skips ahead fast
_HEAD = re.compile(rb"[ \t]*(?:from\b[\w. \t]*)?\Z")


def _starts(source: bytes) -> Iterator[int]:
    """Where each import statement starts: at its `import` or `from`, after the start of a
    line (a BOM), a `;` or a `:`."""
    for keyword in _KEYWORD.finditer(source):
        before = source[keyword.start() - 1:keyword.start()]
        if before.isalnum() or before in (b"_", b"."):  # `reimport`, `x.import_`
            continue
        line = source.rfind(b"\n", 0, keyword.start()) + 1
        head = source[line:keyword.start()]
        cut = max(head.rfind(b";"), head.rfind(b":"))
        if cut < 0 and head.startswith(b"\xef\xbb\xbf"):
            cut = 2
        if _HEAD.match(head, cut + 1):
            yield line + cut + 1


def imports(source: bytes) -> Tuple[Imported, ...]:
    """Every import statement, read loosely (inside strings too, as the gate does): which
    modules a file may import, without parsing it."""
    found: List[Imported] = []
    for start in _starts(source):
        match = _STATEMENT.match(source, start)
        if match is None:
            continue
        text = match.group(2).decode("utf-8", "replace")
        if match.group(1) == b"import":
            found += [(0, name, ()) for name in _first_words(text) if name != "*"]
            continue
        parts = _FROM.match(re.sub(r"\\\r?\n", " ", text) if "\\" in text else text)
        if parts and (parts.group(1) or parts.group(2)):
            found.append((len(parts.group(1)), sys.intern(parts.group(2)),
                          tuple(_first_words(parts.group(3)))))
    return tuple(found)


def absolute(module: str, is_package: bool, level: int, name: str) -> str:
    """Resolve `from {'.' * level}{name} import ...` inside `module`; "" if it climbs too high."""
    if level == 0:
        return name
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    if level - 1 > len(parts) or not parts:
        return ""
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, name] if name else base)


def _resolved(found: Iterable[Imported], module: str,
              is_package: bool) -> Iterator[Tuple[str, Tuple[str, ...]]]:
    """Each import's absolute module, with the names it takes (none: the module itself)."""
    for level, name, members in found:
        base = absolute(module, is_package, level, name) if level else name
        if base:
            yield base, members


def imported_modules(found: Iterable[Imported], module: str, is_package: bool) -> Set[str]:
    """The dotted names a module's imports may refer to (`from a import b`: `a` and `a.b`)."""
    names: Set[str] = set()
    for base, members in _resolved(found, module, is_package):
        names.add(base)
        names.update(f"{base}.{member}" for member in members if member != "*")
    return names


def named(found: Iterable[Imported], module: str,
          is_package: bool) -> Dict[str, Optional[FrozenSet[str]]]:
    """Per imported module, how the file can reach its names: `from a import b, c` reaches
    `b` and `c` of `a` (a set); `from a import *` every name, unseen (None). A module the file
    holds as an object (`import a`, `from pkg import a`) is left out: it reaches a name only
    by writing it (`a.Pool`)."""
    wanted: Dict[str, Set[str]] = {}
    star: Set[str] = set()
    held: Set[str] = set()
    for base, members in _resolved(found, module, is_package):
        if "*" in members:
            star.add(base)
        elif members:
            wanted.setdefault(base, set()).update(members)
        else:
            held.add(base)
    chosen: Dict[str, Optional[FrozenSet[str]]] = {
        b: frozenset(n) for b, n in wanted.items() if b not in held}
    chosen.update(dict.fromkeys(star))
    return chosen


def reached(found: Iterable[Imported], module: str,
            is_package: bool) -> Tuple[FrozenSet[str], FrozenSet[str]]:
    """The project modules whose names the imports can reach: `from a import b` reaches `a`
    itself and `a.b` with what is inside it, not `a`'s other submodules; `import a.b`
    reaches `a.b` and inside it (`a.b.c` once `a.b` imports it). As (modules, trees)."""
    exact: Set[str] = set()
    trees: Set[str] = set()
    for base, members in _resolved(found, module, is_package):
        if members:
            exact.add(base)
            trees.update(f"{base}.{member}" for member in members if member != "*")
        else:
            trees.add(base)
    return frozenset(exact), frozenset(trees)


def within(name: str, modules: AbstractSet[str]) -> bool:
    """Whether the dotted name is one of the modules or inside one (`a.b.c` is inside `a.b`)."""
    parts = name.split(".")
    return any(".".join(parts[:i]) in modules for i in range(1, len(parts) + 1))
