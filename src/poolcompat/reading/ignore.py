"""Which paths a run leaves out: `exclude` patterns written as in a `.gitignore`, and the
project's own `.gitignore` files (matched with `pathspec`, as black does)."""
from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, List, Optional, Sequence, Tuple

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


def split_patterns(values: Iterable[str]) -> List[str]:
    """Patterns from repeated options or config lists, each possibly comma-separated."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _anchored(pattern: str) -> str:
    """`./tests` means the `tests` beside the config (git would never match it literally)."""
    negated = pattern.startswith("!")
    body = pattern[1:] if negated else pattern
    while body.startswith("./"):
        body = "/" + body[2:].lstrip("/")
    return ("!" if negated else "") + body


class Patterns:
    """Gitignore-style patterns anchored at a directory (the config's, or the cwd's)."""

    def __init__(self, base: str, patterns: Sequence[str]) -> None:
        self.base = os.path.abspath(base)
        self.patterns = [_anchored(p) for p in patterns]
        self.empty = not patterns
        self._spec: Optional[GitIgnoreSpec] = None

    @property
    def spec(self) -> GitIgnoreSpec:
        if self._spec is None:  # pathspec takes a tenth of a second to import: only if needed
            from pathspec import GitIgnoreSpec
            self._spec = GitIgnoreSpec.from_lines(self.patterns)
        return self._spec

    def verdict(self, path: str, is_dir: bool) -> Optional[bool]:
        """True: excluded; False: re-included by a `!` pattern; None: no pattern says."""
        if self.empty:
            return None
        relative = os.path.relpath(path, self.base)
        if relative.startswith(os.pardir):  # outside the base: only unanchored patterns can match
            relative = os.path.splitdrive(path)[1].lstrip(os.sep)
        relative = relative.replace(os.sep, "/") + ("/" if is_dir else "")
        return self.spec.check_file(relative).include


@lru_cache(maxsize=4096)
def _gitignore(directory: str) -> Optional[Patterns]:
    try:
        with open(os.path.join(directory, ".gitignore"), encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    return Patterns(directory, lines)


@lru_cache(maxsize=4096)
def _git_top(directory: str) -> Optional[str]:
    """The work tree a directory is in: the nearest directory above with a `.git`."""
    if os.path.exists(os.path.join(directory, ".git")):
        return directory
    parent = os.path.dirname(directory)
    return None if parent == directory else _git_top(parent)


def _between(top: str, directory: str) -> List[str]:
    """The directories from `top` down to `directory`, both included."""
    chain = [directory]
    while chain[-1] != top:
        parent = os.path.dirname(chain[-1])
        if parent == chain[-1]:
            return []
        chain.append(parent)
    return chain[::-1]


class Exclusion:
    """Everything that leaves a path out: user patterns and, unless switched off, the
    `.gitignore` files from the work tree's top (else the project root) down to the path."""

    def __init__(self, patterns: Sequence[Patterns] = (), gitignore: bool = False,
                 root: Optional[str] = None) -> None:
        self.patterns = list(patterns)
        self.gitignore = gitignore
        self.root = os.path.abspath(root) if root else None

    @classmethod
    def of(cls, groups: Iterable[Tuple[str, Sequence[str]]], gitignore: bool = False,
           root: Optional[str] = None) -> "Exclusion":
        return cls([Patterns(base, list(patterns)) for base, patterns in groups if patterns],
                   gitignore, root)

    def excluded(self, path: str, is_dir: bool) -> bool:
        if not self.patterns and not self.gitignore:
            return False
        absolute = os.path.abspath(path)
        for patterns in self.patterns:
            if patterns.verdict(absolute, is_dir):
                return True
        return self.gitignore and self._ignored(absolute, is_dir)

    def _ignored(self, absolute: str, is_dir: bool) -> bool:
        parent = os.path.dirname(absolute)
        top = _git_top(parent) or self.root
        if top is None:
            return False
        for patterns in _gitignores(top, parent):
            verdict = patterns.verdict(absolute, is_dir)
            if verdict is not None:
                return verdict
        return False


@lru_cache(maxsize=4096)
def _gitignores(top: str, directory: str) -> Tuple[Patterns, ...]:
    """The `.gitignore` files that apply in the directory, the deepest first (it decides):
    worked out once per directory, not once per file in it."""
    found = (_gitignore(folder) for folder in reversed(_between(top, directory)))
    return tuple(patterns for patterns in found if patterns is not None)
