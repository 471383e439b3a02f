"""Load and validate the rule table (`rules/*.toml`) and the type model (`rules/types.toml`)."""
from __future__ import annotations

import ast
import functools
import hashlib
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Literal, Mapping, Optional, Tuple, get_args

from poolcompat._toml import tomllib
from poolcompat.table.model import ClassInfo, Enter, Model, Passthrough, parse_returned
from poolcompat.table.platforms import FILE as PLATFORMS_FILE
from poolcompat.table.platforms import (
    Outcome, Platform, PlatformError, StartMethod, outcomes, parse_platforms,
)
from poolcompat.versions import Version, format_version, parse_version
from poolcompat.table.stored import stored


RuleKind = Literal["import", "attr", "method", "argument", "with", "subscript", "star", "pitfall"]
KINDS: Tuple[RuleKind, ...] = get_args(RuleKind)
_CODE = re.compile(r"PCP\d{3}")
_FIELDS = {
    "code", "feature", "kind", "target", "name", "position", "omitted", "requires", "py2",
    "removed", "message", "docs", "docs_say", "note", "rewrite", "probe", "broken", "default",
    "value", "invalid", "valid", "fix", "start_methods",
}
FixKind = Literal["drop-keyword", "keyword-to-positional", "positional-to-keyword",
                  "keyword-to-attribute", "default-argument", "replace-argument", "fallback",
                  "replace-import", "with-try-finally", "with-method", "erase-subscript", "codemod"]
FIX_KINDS: Tuple[FixKind, ...] = get_args(FixKind)
FIX_CODEMODS = ("starmap", "cancel-futures", "notify-repeat", "explicit-import", "pool-context")
# The rule kinds each fix kind applies to, and the fields it takes beyond kind/safety/note.
_FIX_FOR: Dict[str, Tuple[Tuple[str, ...], Tuple[str, ...]]] = {
    "drop-keyword": (("argument",), ("default",)),
    "keyword-to-positional": (("argument",), ()),
    "positional-to-keyword": (("argument",), ("keyword",)),
    "keyword-to-attribute": (("argument",), ()),
    "default-argument": (("argument",), ("value", "imports")),
    "replace-argument": (("argument",), ("value",)),
    "fallback": (("method", "attr"), ("call", "define", "imports", "helper")),
    "replace-import": (("attr",), ("replacement",)),
    "with-try-finally": (("with",), ("method", "start")),
    "with-method": (("with",), ("method",)),
    "erase-subscript": (("subscript",), ()),
    "codemod": (("method", "argument", "star"), ("codemod", "default")),
}


class RuleError(Exception):
    """The rule table is invalid; the message names the file, the code and the field."""


@dataclass(frozen=True)
class Broken:
    versions: str
    note: str
    issue: str = ""


@dataclass(frozen=True)
class FixSpec:
    """How `poolcompat check --fix` rewrites a use (`fix = { kind = ... }`), or why it cannot
    (`fix = { none = "..." }`: `kind` is empty and `note` says why)."""

    kind: str = ""  # one of FIX_KINDS; "" for none
    safe: bool = True  # false: the fallback behaves differently (--unsafe-fixes)
    note: str = ""  # what the fix does on older Pythons, or why there is no fix
    default: str = ""  # drop-keyword: the parameter's default, as source: passing it is dropped
    keyword: str = ""  # positional-to-keyword: the keyword the argument becomes
    value: str = ""  # default-argument / replace-argument: the expression passed instead
    call: str = ""  # fallback: expression for `x.name(args)` ({receiver}, {args})
    define: str = ""  # fallback: statements binding {name} where `from m import name` fails
    imports: Tuple[str, ...] = ()  # modules the templates name (imported if missing)
    helper: str = ""  # a helper the templates call (poolcompat.fix.helpers)
    replacement: str = ""  # replace-import: "module:name" that is the same object
    method: str = ""  # with-try-finally: the method `__exit__` calls; with-method: the wrapper
    start: bool = False  # with-try-finally: start a constructed object (a manager) first
    codemod: str = ""  # codemod: one of FIX_CODEMODS

    @property
    def fixable(self) -> bool:
        return bool(self.kind)


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
    fix: Optional[FixSpec] = None  # None only while a rule has no `fix` entry yet
    source: str = ""  # the file it came from
    start_methods: Tuple[Tuple[StartMethod, Outcome], ...] = ()  # a pitfall: what each does

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
    platforms: Dict[str, Platform] = field(default_factory=dict)  # rules/platforms.toml

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
    try:
        methods = outcomes(raw["start_methods"], where) if "start_methods" in raw else ()
    except PlatformError as exc:
        raise RuleError(str(exc)) from None
    return Rule(
        code=code, feature=feature, kind=raw["kind"], target=raw["target"], requires=requires,
        message=message, probe=raw["probe"], docs=dict(raw["docs"]), name=raw.get("name", ""),
        position=raw.get("position"), omitted=bool(raw.get("omitted", False)),
        value=raw.get("value", ""), py2=py2,
        removed=removed, docs_say=raw.get("docs_say", ""), note=raw.get("note", ""),
        rewrite=raw.get("rewrite", ""), invalid=_example(raw, "invalid", where),
        valid=_example(raw, "valid", where), broken=broken, default=bool(raw.get("default", True)),
        fix=_fix(raw["fix"], raw["kind"], where) if "fix" in raw else None, source=source,
        start_methods=methods,
    )


def _template(text: str, where: str, mode: str) -> None:
    """A fix template must parse once its placeholders are filled in."""
    filled = text.replace("{receiver}", "x").replace("{args}", "y").replace("{name}", "z")
    try:
        ast.parse(textwrap.dedent(filled), mode=mode)
    except SyntaxError as exc:
        raise RuleError(f"{where}: fix template {text!r} does not parse: {exc.msg}") from None


def _fix(raw: object, rule_kind: str, where: str) -> FixSpec:
    """`{ none = "why" }` or `{ kind = "...", safety = "safe" | "unsafe", ... }`."""
    if not isinstance(raw, dict):
        raise RuleError(f"{where}: field 'fix' must be a table")
    if "none" in raw:
        if set(raw) != {"none"} or not isinstance(raw["none"], str) or not raw["none"].strip():
            raise RuleError(f"{where}: fix {{ none = ... }} takes only a non-empty reason")
        return FixSpec(note=raw["none"])
    kind = raw.get("kind")
    if kind not in _FIX_FOR:
        raise RuleError(f"{where}: fix kind {kind!r} is not one of {', '.join(FIX_KINDS)}")
    applies, extra = _FIX_FOR[kind]
    if rule_kind not in applies:
        raise RuleError(f"{where}: fix kind {kind!r} does not apply to {rule_kind!r} rules")
    unknown = set(raw) - {"kind", "safety", "note", *extra}
    if unknown:
        raise RuleError(f"{where}: fix field(s) {', '.join(sorted(unknown))} not taken by {kind!r}")
    if raw.get("safety") not in ("safe", "unsafe"):
        raise RuleError(f"{where}: fix needs safety = \"safe\" or \"unsafe\"")
    if kind == "fallback" and not (raw.get("call") or raw.get("define")):
        raise RuleError(f"{where}: a fallback fix needs 'call' or 'define'")
    if kind == "codemod" and raw.get("codemod") not in FIX_CODEMODS:
        raise RuleError(f"{where}: unknown codemod {raw.get('codemod')!r}")
    if kind == "replace-import" and ":" not in str(raw.get("replacement", "")):
        raise RuleError(f"{where}: replace-import needs replacement = \"module:name\"")
    for key, value in raw.items():
        wanted = {"imports": list, "start": bool}.get(key, str)
        items = value if isinstance(value, list) else []
        if not isinstance(value, wanted) or not all(isinstance(m, str) for m in items):
            raise RuleError(f"{where}: fix field {key!r} must be a {wanted.__name__}")
    for key, mode in (("call", "eval"), ("value", "eval"), ("default", "eval"), ("define", "exec")):
        if key in raw:
            _template(raw[key], where, mode)
    fields = {k: v for k, v in raw.items() if k not in ("safety", "imports")}
    return FixSpec(safe=raw["safety"] == "safe", imports=tuple(raw.get("imports", ())), **fields)


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
    files: List[Tuple[str, bytes]] = []
    for path in sorted(directory.glob("*.toml")):
        files.append((path.name, path.read_bytes()))
        digest.update(path.name.encode() + b"\0" + files[-1][1])
    if not any(name == "types.toml" for name, _ in files):
        raise RuleError(f"{directory}: types.toml is missing")
    hexdigest = digest.hexdigest()[:16]
    return stored(hexdigest, Table, lambda: _parse(files, hexdigest))


def _parse(files: List[Tuple[str, bytes]], digest: str) -> Table:
    rules: List[Rule] = []
    seen: Dict[str, str] = {}
    model: Optional[Model] = None
    platforms: Dict[str, Platform] = {}
    for name, data in files:
        try:
            doc = tomllib.loads(data.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise RuleError(f"{name}: invalid TOML: {exc}") from None
        if name == "types.toml":
            model = _model(doc)
            continue
        if name == PLATFORMS_FILE:
            try:
                platforms = parse_platforms(doc)
            except PlatformError as exc:
                raise RuleError(str(exc)) from None
            continue
        for raw in doc.get("rule", []):
            rule = _rule(raw, name)
            if rule.code in seen:
                raise RuleError(f"{name}: duplicate code {rule.code} (also in {seen[rule.code]})")
            seen[rule.code] = name
            rules.append(rule)
    assert model is not None  # load_table made sure of types.toml
    rules.sort(key=lambda r: r.code)
    return Table(rules, model, digest, platforms=platforms)


@functools.lru_cache(maxsize=1)
def default_table() -> Table:
    return load_table()
