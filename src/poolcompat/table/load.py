"""Load and validate the rule table (`rules/*.toml`) and the type model (`rules/types.toml`)."""
from __future__ import annotations

import functools
import hashlib
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Literal, Mapping, Optional, Tuple, get_args

from poolcompat._toml import tomllib
from poolcompat.table.model import ClassInfo, Enter, Model, Passthrough, parse_returned
from poolcompat.versions import Version, format_version, parse_version


RuleKind = Literal["import", "attr", "method", "argument", "with", "subscript", "star", "pitfall"]
KINDS: Tuple[RuleKind, ...] = get_args(RuleKind)
_CODE = re.compile(r"PCP\d{3}")
_FIELDS = {
    "code", "feature", "kind", "target", "name", "position", "omitted", "requires", "py2",
    "removed", "message", "docs", "docs_say", "note", "rewrite", "probe", "broken", "default",
    "value", "invalid", "valid",
}


class RuleError(Exception):
    """The rule table is invalid; the message names the file, the code and the field."""


@dataclass(frozen=True)
class Broken:
    versions: str
    note: str
    issue: str = ""


@dataclass(frozen=True)
class Rule:
    code: str
    feature: str
    kind: RuleKind
    target: str
    requires: Version
    message: str
    probe: str
    docs: Mapping[str, str]
    name: str = ""
    position: Optional[int] = None
    omitted: bool = False
    value: str = ""  # argument: match only when the argument is this string literal
    py2: Optional[Version] = None
    removed: Optional[Version] = None
    docs_say: str = ""
    note: str = ""
    rewrite: str = ""
    invalid: str = ""  # an example that uses the feature (the rule reports it)
    valid: str = ""  # the same done without it, for the versions that lack it
    broken: Tuple[Broken, ...] = ()
    default: bool = True  # off-by-default rules need --select
    source: str = ""  # the file it came from

    @property
    def never_works(self) -> bool:
        """A feature that fails on every Python (the loader refuses removed < requires)."""
        return self.removed is not None and self.removed <= self.requires

    @property
    def family(self) -> str:
        return self.code[:4] + "xx"


@dataclass
class Table:
    rules: List[Rule]
    model: Model
    digest: str
    by_key: Dict[Tuple[RuleKind, str], List[Rule]] = field(default_factory=dict)
    names: frozenset[str] = frozenset()

    methods_with_arguments: frozenset[str] = frozenset()  # `submit`: Executor.submit(fn=...)

    def __post_init__(self) -> None:
        names = set()
        for rule in self.rules:
            self.by_key.setdefault((rule.kind, rule.target), []).append(rule)
            names.add(rule.name or rule.target.rpartition(".")[2])
        self.names = frozenset(names)
        self.methods_with_arguments = frozenset(
            r.target.rpartition(".")[2] for r in self.rules
            if r.kind == "argument" and r.target.rpartition(".")[0] in self.model.classes)

    @functools.cached_property
    def packages(self) -> Tuple[str, ...]:
        """The top-level packages the rules are about: no import of them, no finding."""
        return tuple(sorted({r.target.partition(".")[0] for r in self.rules if r.kind != "pitfall"}))

    def lookup(self, kind: RuleKind, target: str) -> List[Rule]:
        return self.by_key.get((kind, target), [])

    def get(self, code: str) -> Optional[Rule]:
        return next((r for r in self.rules if r.code == code), None)


def rules_dir() -> Path:
    """The installed copy inside the package, else the repository's top-level `rules/`."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "rules", package.parents[1] / "rules"):
        if (candidate / "types.toml").is_file():
            return candidate
    raise RuleError(f"rule table not found next to {package}")


def _version(raw: object, where: str, key: str) -> Version:
    if not isinstance(raw, str):
        raise RuleError(f"{where}: field {key!r} must be a version string like \"3.3\"")
    try:
        return parse_version(raw)
    except ValueError as exc:
        raise RuleError(f"{where}: field {key!r}: {exc}") from None


def _rule(raw: Dict[str, Any], source: str) -> Rule:
    code = raw.get("code", "?")
    where = f"{source}: rule {code}"
    unknown = set(raw) - _FIELDS
    if unknown:
        raise RuleError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for key in ("code", "feature", "kind", "target", "requires", "probe", "docs"):
        if key not in raw:
            raise RuleError(f"{where}: missing field {key!r}")
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise RuleError(f"{where}: code must look like PCP123")
    if raw["kind"] not in KINDS:
        raise RuleError(f"{where}: unknown kind {raw['kind']!r} (one of {', '.join(KINDS)})")
    if raw["kind"] in ("method", "argument") and not raw.get("name") and "position" not in raw:
        raise RuleError(f"{where}: kind {raw['kind']!r} needs 'name'")
    requires = _version(raw["requires"], where, "requires")
    removed = _version(raw["removed"], where, "removed") if "removed" in raw else None
    py2 = _version(raw["py2"], where, "py2") if "py2" in raw else None
    if requires[0] != 3 or (py2 is not None and py2[0] != 2):
        raise RuleError(f"{where}: 'requires' must be a 3.x version and 'py2' a 2.x one")
    if removed is not None and removed < requires:
        raise RuleError(f"{where}: 'removed' {format_version(removed)} is before 'requires'")
    feature = raw["feature"]
    message = raw.get("message") or f"{feature} requires Python {format_version(requires)}"
    broken = tuple(Broken(**b) for b in raw.get("broken", ()))
    return Rule(
        code=code, feature=feature, kind=raw["kind"], target=raw["target"], requires=requires,
        message=message, probe=raw["probe"], docs=dict(raw["docs"]), name=raw.get("name", ""),
        position=raw.get("position"), omitted=bool(raw.get("omitted", False)),
        value=raw.get("value", ""), py2=py2,
        removed=removed, docs_say=raw.get("docs_say", ""), note=raw.get("note", ""),
        rewrite=raw.get("rewrite", ""), invalid=_example(raw, "invalid", where),
        valid=_example(raw, "valid", where), broken=broken, default=bool(raw.get("default", True)),
        source=source,
    )


def _example(raw: Dict[str, Any], key: str, where: str) -> str:
    text = raw.get(key, "")
    if not isinstance(text, str):
        raise RuleError(f"{where}: field {key!r} must be a string of Python code")
    return textwrap.dedent(text).lstrip("\n")


def _model(raw: Dict[str, Any]) -> Model:
    classes = {}
    for name, info in raw.get("classes", {}).items():
        enter = info.get("enter", "")
        if enter not in get_args(Enter):
            raise RuleError(f"types.toml: class {name}: unknown enter {enter!r}")
        classes[name] = ClassInfo(bases=tuple(info.get("bases", ())), enter=enter,
                                  processes=info.get("processes"))
    passthrough = raw.get("passthrough", {})
    for name, how in passthrough.items():
        if how not in get_args(Passthrough):
            raise RuleError(f"types.toml: passthrough {name}: unknown kind {how!r}")
    returns = {}
    for name, text in raw.get("returns", {}).items():
        try:
            returns[name] = parse_returned(text)
        except ValueError as exc:
            raise RuleError(f"types.toml: returns {name}: {exc}") from None
    return Model(classes, returns, raw.get("aliases", {}), raw.get("mirrors", {}), passthrough)


def load_table(directory: Optional[Path] = None) -> Table:
    directory = directory or rules_dir()
    digest = hashlib.sha256()
    rules: List[Rule] = []
    seen: Dict[str, str] = {}
    model: Optional[Model] = None
    for path in sorted(directory.glob("*.toml")):
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data)
        try:
            doc = tomllib.loads(data.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise RuleError(f"{path.name}: invalid TOML: {exc}") from None
        if path.name == "types.toml":
            model = _model(doc)
            continue
        for raw in doc.get("rule", []):
            rule = _rule(raw, path.name)
            if rule.code in seen:
                raise RuleError(f"{path.name}: duplicate code {rule.code} (also in {seen[rule.code]})")
            seen[rule.code] = path.name
            rules.append(rule)
    if model is None:
        raise RuleError(f"{directory}: types.toml is missing")
    rules.sort(key=lambda r: r.code)
    return Table(rules, model, digest.hexdigest()[:16])


@functools.lru_cache(maxsize=1)
def default_table() -> Table:
    return load_table()
