"""poolcompat: the Python versions your process- and thread-pool code really needs."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, List

from poolcompat._meta import __version__

if TYPE_CHECKING:
    from poolcompat.api import (
        ConfigError, FileError, FileResult, Finding, FixResult, Report, Target, Version,
        check_paths, check_source, fix_source,
    )

__all__ = ["ConfigError", "FileError", "FileResult", "Finding", "FixResult", "Report", "Target",
           "Version", "__version__", "check_paths", "check_source", "fix_source"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `python -m poolcompat` can take the checked directory off sys.path before
    # anything imports multiprocessing (a local multiprocessing.py must never run).
    if name in __all__:
        from poolcompat import api
        return getattr(api, name)
    raise AttributeError(f"module 'poolcompat' has no attribute {name!r}")


def __dir__() -> List[str]:
    """The API is listed although it is loaded lazily."""
    return sorted({*globals(), *__all__})
