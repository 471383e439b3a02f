"""`[tool.poolcompat]` in the nearest pyproject.toml, and the target it implies: its own
`target-version`, else the project's `requires-python` (pyproject.toml, setup.cfg or a literal
`python_requires=` in setup.py)."""
from __future__ import annotations

import ast
import configparser
import dataclasses
import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from poolcompat._toml import tomllib
from poolcompat.report.platforms import classifier_platforms, parse_platforms
from poolcompat.report.target import PY3, Target, parse_target
from poolcompat.versions import Version

_LISTS = ("select", "ignore", "exclude", "extend-exclude", "platforms")
_STRINGS = ("target-version", "output-format")
_BOOLS = ("respect-gitignore", "force-exclude")
KEYS = (*_STRINGS, *_LISTS, *_BOOLS)
# Every minor release requires-python could admit; a lower bound is the first one it admits.
_CANDIDATES = [Version((2, minor)) for minor in range(0, 8)] + \
    [Version((3, minor)) for minor in range(0, 30)]


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
    respect_gitignore: bool = True
    force_exclude: bool = False
    requires_python: Optional[str] = None
    requires_python_from: str = ""  # the file and key it was read from
    platforms: List[str] = field(default_factory=list)
    classifiers: List[str] = field(default_factory=list)  # [project] classifiers

    @property
    def base(self) -> str:
        """The directory the config's exclude patterns are relative to."""
        return str(self.path.parent) if self.path else os.getcwd()


def shown(path: Path) -> str:
    """A path for messages: relative to the cwd when that is short (at most two levels up)."""
    try:
        relative = os.path.relpath(path.resolve(), Path.cwd().resolve())
    except ValueError:  # another drive
        return str(path)
    return str(path) if relative.startswith(os.path.join(*[os.pardir] * 3)) else relative


def _start(paths: Sequence[str]) -> Path:
    absolute = [os.path.abspath(p) for p in paths if p != "-"] or [os.getcwd()]
    try:
        start = Path(os.path.commonpath(absolute))
    except ValueError:
        start = Path.cwd()
    return start.parent if start.is_file() or not start.exists() else start


def find_pyproject(paths: Sequence[str]) -> Optional[Path]:
    """The nearest pyproject.toml above the checked paths' common directory, else above the cwd."""
    start = _start(paths)
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _setup_requires(directory: Path) -> Tuple[Optional[str], str]:
    """`python_requires` from setup.cfg's [options], else a literal one in setup.py."""
    cfg = directory / "setup.cfg"
    if cfg.is_file():
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(cfg, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError) as exc:
            raise ConfigError(f"{shown(cfg)}: cannot read: {exc}".splitlines()[0]) from None
        value = parser.get("options", "python_requires", fallback=None)
        if value and value.strip():
            return value.strip(), f"{shown(cfg)} [options] python_requires"
    setup = directory / "setup.py"
    if setup.is_file():
        value = python_requires(setup.read_bytes())
        if value:
            return value, f"{shown(setup)} python_requires"
    return None, ""


def _read_toml(path: Path) -> Dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{shown(path)}: cannot read: {exc}") from None


def _unknown_key(path: Path, key: str) -> ConfigError:
    close = difflib.get_close_matches(key, KEYS, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(KEYS)})"
    return ConfigError(f"{shown(path)}: [tool.poolcompat] unknown key {key!r}{hint}")


def _check_type(path: Path, key: str, value: Any) -> None:
    if key in _LISTS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise ConfigError(f"{shown(path)}: [tool.poolcompat] {key} must be a list of strings")
    if key in _STRINGS and not isinstance(value, str):
        raise ConfigError(f"{shown(path)}: [tool.poolcompat] {key} must be a string")
    if key in _BOOLS and not isinstance(value, bool):
        raise ConfigError(f"{shown(path)}: [tool.poolcompat] {key} must be true or false")


def load_config(path: Optional[Path], paths: Sequence[str] = ()) -> Config:
    """The config at `path` (None: defaults), with the project's requires-python: from the
    same pyproject.toml, else from a setup.cfg or setup.py beside it (or, with no pyproject.toml,
    the nearest above the checked paths)."""
    config = Config(path=path)
    if path is not None:
        _read_pyproject(config, path)
    directory = path.parent if path is not None else _setup_directory(_start(paths))
    if config.requires_python is None and directory is not None:
        config.requires_python, config.requires_python_from = _setup_requires(directory)
    return config


def _read_pyproject(config: Config, path: Path) -> None:
    document = _read_toml(path)
    tool = document.get("tool", {})
    section: Dict[str, Any] = tool.get("poolcompat", {}) if isinstance(tool, dict) else {}
    project = document.get("project", {})
    if isinstance(project, dict) and isinstance(project.get("requires-python"), str):
        config.requires_python = project["requires-python"]
        config.requires_python_from = f"{shown(path)} [project] requires-python"
    if isinstance(project, dict) and isinstance(project.get("classifiers"), list):
        config.classifiers = [c for c in project["classifiers"] if isinstance(c, str)]
    for key, value in section.items():
        if key not in KEYS:
            raise _unknown_key(path, key)
        _check_type(path, key, value)
        setattr(config, key.replace("-", "_"), value)


def _setup_directory(start: Path) -> Optional[Path]:
    return next((directory for directory in (start, *start.parents)
                 if (directory / "setup.cfg").is_file() or (directory / "setup.py").is_file()),
                None)


def python_requires(source: bytes) -> Optional[str]:
    """A literal `python_requires="..."` in a call in setup.py (read, never run)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "python_requires" and isinstance(value, ast.Constant) \
                        and isinstance(value.value, str):
                    return value.value
    return None


def requires_python_range(spec: str, where: str = "requires-python") -> Target:
    """The lowest and highest minor release a `requires-python` specifier admits; where it
    starts on 2.x, also the first 3.x it admits."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet  # only for a project that
    from packaging.version import Version as PackagingVersion  # states one: slow to import
    try:
        specifiers = SpecifierSet(spec)
    except InvalidSpecifier as exc:
        raise ConfigError(f"{where}: invalid specifier {spec!r}: {exc}") from None
    admitted = [v for v in _CANDIDATES
                if any(specifiers.contains(PackagingVersion(f"{v[0]}.{v[1]}.{micro}"))
                       for micro in (0, 99))]
    if not admitted:
        raise ConfigError(f"{where}: {spec!r} admits no Python release")
    capped = not specifiers.contains(PackagingVersion(str(_CANDIDATES[-1])))
    first3 = next((v for v in admitted if v >= PY3), None)
    return Target(admitted[0], admitted[-1] if capped else None,
                  first3 if admitted[0] < PY3 else None, where)


def resolve_target(flag: Optional[str], config: Config, newest: Optional[Version] = None,
                   platforms: Optional[Tuple[str, ...]] = None) -> Optional[Target]:
    """The target and where it came from: the flag, the config, requires-python, or none; on
    the `platforms` given (from --platform), else the config's, else those the project's
    `Operating System ::` classifiers name, else all."""
    target = _versions(flag, config, newest)
    if target is None:
        return None
    where = shown(config.path) if config.path else "pyproject.toml"
    if platforms:
        return dataclasses.replace(target, platforms=platforms, platforms_source="--platform")
    if config.platforms:
        try:
            chosen = parse_platforms(config.platforms, f"{where}: [tool.poolcompat] platforms")
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        return dataclasses.replace(target, platforms=chosen,
                                   platforms_source=f"{where} [tool.poolcompat] platforms")
    named = classifier_platforms(config.classifiers)
    if named:
        return dataclasses.replace(target, platforms=named,
                                   platforms_source=f"{where} [project] classifiers")
    return target


def _versions(flag: Optional[str], config: Config,
              newest: Optional[Version] = None) -> Optional[Target]:
    if flag:
        return _sourced(parse_target(flag, newest), "--target-version")
    where = shown(config.path) if config.path else "pyproject.toml"
    if config.target_version:
        try:
            target = parse_target(config.target_version, newest)
        except ValueError as exc:
            raise ConfigError(f"{where}: [tool.poolcompat] target-version: {exc}") from None
        return _sourced(target, f"{where} [tool.poolcompat] target-version")
    if config.requires_python:
        return requires_python_range(config.requires_python, config.requires_python_from)
    return None


def _sourced(target: Target, source: str) -> Target:
    return Target(target.low, target.high, target.first3, source)
