"""`poolcompat check --fix`: rewrite pool code for a target Python with libcst, keeping its
formatting and comments.

Lowering guards a use that fails on the target (`sys.version_info >= V`, which the checker
reads) and gives the closest fallback below; raising removes the guards and fallbacks the
target's oldest Python no longer needs. Each rule's `fix` entry in `rules/*.toml` says which
fix it has, whether it is safe, or why there is none.
"""
from __future__ import annotations

from poolcompat.fix.run import (Applied, FileFix, FixResult, Left, fix_finding, fix_paths,
                                fix_source)

__all__ = ["Applied", "FileFix", "FixResult", "Left", "fix_finding", "fix_paths",
           "fix_source"]
