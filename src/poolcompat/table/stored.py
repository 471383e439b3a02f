"""The parsed rule table, kept per user like bytecode: parsing the 14 TOML files took 0.2 s of
every run, as long as checking a small project; unpickling it takes 0.01 s.

The entry is named by the digest of the rule files' bytes, of the code of the classes it holds
(this package, `versions.py`) and the Python's version, so an edited table, an upgrade or an
edit of the code never reads a stale one. The directory is the
user's own (`$XDG_CACHE_HOME/poolcompat`, else `~/.cache/poolcompat`, made private); anything
going wrong there only means parsing the TOML again. `POOLCOMPAT_TABLE_CACHE=0` turns it off.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Callable, Optional, Type, TypeVar

from poolcompat._meta import __version__

T = TypeVar("T")


def _directory() -> Optional[Path]:
    if os.environ.get("POOLCOMPAT_TABLE_CACHE", "1") == "0":
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "poolcompat" if os.path.isabs(base) else None


def _code() -> str:
    """A digest of the code whose classes the pickle holds."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in [*sorted(here.glob("*.py")), here.parent / "versions.py"]:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(path.name.encode())
    return digest.hexdigest()[:12]


def stored(digest: str, kind: Type[T], build: Callable[[], T]) -> T:
    """`build()`, or what an earlier run stored for this digest (if it is a `kind`)."""
    directory = _directory()
    if directory is None:
        return build()
    python = "".join(map(str, sys.version_info[:2]))
    entry = directory / f"table-{digest}-{_code()}-py{python}.pickle"
    try:
        with open(entry, "rb") as stream:
            loaded = pickle.load(stream)
        if isinstance(loaded, kind):
            return loaded
    except Exception:  # missing, truncated, from another layout: build it again
        pass
    built = build()
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
    except OSError:
        return built
    try:
        with os.fdopen(descriptor, "wb") as out:
            pickle.dump(built, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
    except Exception:  # a full disk, a value pickle refuses: no entry, no leftover
        try:
            os.unlink(temporary)
        except OSError:
            pass
    return built
