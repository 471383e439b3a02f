"""`[tool.poolcompat]` in the nearest pyproject.toml, and the target it implies."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version as PackagingVersion

from poolcompat._toml import tomllib
from poolcompat.versions import Version, parse_target


_LISTS = ("select", "ignore", "exclude", "extend-exclude")
_STRINGS = ("target-version", "output-format")
# Every minor release requires-python could admit; a lower bound is the first one it admits.
_CANDIDATES = [(3, minor) for minor in range(0, 30)]


class ConfigError(Exception):
    """A bad config file: the message names the file and the key."""


@dataclass
class Config:
    path: Optional[Path] = None
    target_version: Optional[str] = None
    select: List[str] = field(default_factory=list)
    ignore: List[str] = field(default_factory=list)
    exclude: List[str] = field(default_factory=list)
    extend_exclude: List[str] = field(default_factory=list)
    output_format: Optional[str] = None
    requires_python: Optional[str] = None


def find_pyproject(paths: Sequence[str]) -> Optional[Path]:
    """The nearest pyproject.toml above the checked paths' common directory, else above the cwd."""
    absolute = [os.path.abspath(p) for p in paths if p != "-"] or [os.getcwd()]
    try:
        start = Path(os.path.commonpath(absolute))
    except ValueError:
        start = Path.cwd()
    if start.is_file() or not start.exists():
        start = start.parent
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Optional[Path]) -> Config:
    if path is None:
        return Config()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    section: Dict[str, Any] = document.get("tool", {}).get("poolcompat", {})
    config = Config(path=path)
    project = document.get("project", {})
    if isinstance(project, dict) and isinstance(project.get("requires-python"), str):
        config.requires_python = project["requires-python"]
    for key, value in section.items():
        if key in _LISTS:
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise ConfigError(f"{path}: [tool.poolcompat] {key} must be a list of strings")
        elif key in _STRINGS:
            if not isinstance(value, str):
                raise ConfigError(f"{path}: [tool.poolcompat] {key} must be a string")
        else:
            raise ConfigError(f"{path}: [tool.poolcompat] unknown key {key!r}")
        setattr(config, key.replace("-", "_"), value)
    return config


def requires_python_range(spec: str) -> Tuple[Optional[Version], Optional[Version]]:
    """The lowest and highest 3.x minor release a `requires-python` specifier admits."""
    try:
        specifiers = SpecifierSet(spec)
    except InvalidSpecifier as exc:
        raise ConfigError(f"invalid requires-python {spec!r}: {exc}") from None
    admitted = [v for v in _CANDIDATES
                if any(specifiers.contains(PackagingVersion(f"{v[0]}.{v[1]}.{micro}"))
                       for micro in (0, 99))]
    if not admitted:
        return None, None
    capped = not specifiers.contains(PackagingVersion(f"3.{_CANDIDATES[-1][1]}"))
    return Version(admitted[0]), Version(admitted[-1]) if capped else None


def resolve_target(flag: Optional[str], config: Config) -> Tuple[Optional[Version], Optional[Version], str]:
    """The target range and where it came from: the flag, the config, requires-python, or none."""
    if flag:
        low, high = parse_target(flag)
        return low, high, "--target-version"
    where = str(config.path) if config.path else "pyproject.toml"
    if config.target_version:
        try:
            low, high = parse_target(config.target_version)
        except ValueError as exc:
            raise ConfigError(f"{where}: [tool.poolcompat] target-version: {exc}") from None
        return low, high, f"{where} [tool.poolcompat] target-version"
    if config.requires_python:
        lowest, highest = requires_python_range(config.requires_python)
        if lowest is not None:
            return lowest, highest, f"{where} [project] requires-python"
    return None, None, ""
