"""Where the benchmarks' corpora come from: the standard library, and pinned releases of real
packages fetched from PyPI once and kept outside the repository (never in CI).

    from corpus import fetch, load_packages
    root = fetch("futurist", "3.2.1", sha256="...")  # ~/.cache/poolcompat-bench/src/futurist-3.2.1

`fetch` downloads the release's sdist (its pure-Python wheel only where there is no sdist),
checks its sha256, and extracts its Python files and packaging metadata, without the archive's
top folder, to `CACHE / "src" / "NAME-VERSION"`, once. Set POOLCOMPAT_BENCH_CACHE to keep the
cache elsewhere. Stdlib only, Python >= 3.9.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import re
import shutil
import sys
import sysconfig
import tarfile
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any, Dict, Iterator, List, Optional, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = None

CACHE = Path(
    os.environ.get("POOLCOMPAT_BENCH_CACHE") or Path.home() / ".cache" / "poolcompat-bench")
KEPT_NAMES = frozenset({"pyproject.toml", "setup.cfg", "setup.py"})
RECORD = ".release.json"  # inside each extracted tree: which archive it came from, its sha256
PYPI = "https://pypi.org/pypi"


@dataclasses.dataclass(frozen=True)
class Package:
    name: str
    version: str
    sha256: Optional[str] = None
    root: str = ""  # the folder to run from, inside the release, where it is not the top
    uses: str = ""  # where the package itself uses pools: why it is in the list

    @property
    def key(self) -> str:
        return f"{self.name}-{self.version}"

    def source(self) -> Path:
        """The folder a user would run a checker from, fetched if need be."""
        return fetch(self.name, self.version, self.sha256) / self.root


@dataclasses.dataclass(frozen=True)
class ReleaseFile:
    url: str
    filename: str
    sha256: str


def fetch(name: str, version: str, sha256: str | None = None) -> Path:
    """The extracted release NAME==VERSION, downloaded and checked against `sha256` the first
    time (the digest is recorded in the tree's .release.json)."""
    target = CACHE / "src" / f"{name}-{version}"
    if target.is_dir():
        recorded = json.loads((target / RECORD).read_text())["sha256"]
        if sha256 and recorded != sha256:
            raise ValueError(f"{target} holds sha256 {recorded}, not the pinned {sha256}: "
                             "remove it")
        return target
    release = release_file(name, version)
    if sha256 and release.sha256 != sha256:
        raise ValueError(f"{name} {version}: PyPI lists {release.filename} with sha256 "
                         f"{release.sha256}, not the pinned {sha256}")
    data = _download(release.url)
    digest = hashlib.sha256(data).hexdigest()
    if digest != release.sha256:
        raise ValueError(f"{release.url}: downloaded sha256 {digest}, PyPI says {release.sha256}")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        _extract(release.filename, data, staging)
        record = {"file": release.filename, "url": release.url, "sha256": digest}
        (staging / RECORD).write_text(json.dumps(record, indent=1) + "\n")
        os.rename(staging, target)
    except OSError:
        if not target.is_dir():  # not another process that got there first
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def release_file(name: str, version: str) -> ReleaseFile:
    """The release's sdist (a `.tar.gz` before a `.zip`), else its pure-Python wheel."""
    files = _release_files(name, version)
    ranked = sorted(files, key=lambda f: _preference(f["filename"], f["packagetype"]))
    if not ranked or _preference(ranked[0]["filename"], ranked[0]["packagetype"]) == len(_ORDER):
        kinds = ", ".join(f["filename"] for f in files) or "no files"
        raise LookupError(f"{name} {version}: no sdist and no pure-Python wheel ({kinds})")
    best = ranked[0]
    return ReleaseFile(best["url"], best["filename"], best["digests"]["sha256"])


_ORDER = (".tar.gz", ".zip", "-none-any.whl")


def _preference(filename: str, packagetype: str) -> int:
    for rank, suffix in enumerate(_ORDER):
        if filename.endswith(suffix) and (packagetype == "sdist") == (rank < 2):
            return rank
    return len(_ORDER)


def _release_files(name: str, version: str) -> List[Dict[str, Any]]:
    """The release's files, their URLs absolute (a mirror may give them relative to the page)."""
    page = f"{PYPI}/{name}/{version}/json"
    try:
        files = json.loads(_download(page))["urls"]
    except urllib.error.HTTPError as exc:
        if exc.code != 404:
            raise
        # some mirrors serve only the project's page, which lists every release's files
        page = f"{PYPI}/{name}/json"
        releases = json.loads(_download(page))["releases"]
        if version not in releases:
            raise LookupError(f"{name} has no release {version} on PyPI") from None
        files = releases[version]
    return [{**entry, "url": urllib.parse.urljoin(page, entry["url"])} for entry in files]


def _download(url: str, attempts: int = 3) -> bytes:
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                data: bytes = response.read()
                return data
        except urllib.error.HTTPError:
            raise
        except OSError:
            if attempt == attempts:
                raise
            time.sleep(2 * attempt)
    raise AssertionError("unreachable")


def _extract(filename: str, data: bytes, target: Path) -> None:
    members = dict(_archive_members(filename, data))
    tops = {PurePosixPath(name).parts[0] for name in members}
    strip = (not filename.endswith(".whl") and len(tops) == 1  # an sdist's NAME-VERSION/
             and all(len(PurePosixPath(name).parts) > 1 for name in members))
    for name, content in members.items():
        parts = PurePosixPath(name).parts[1 if strip else 0:]
        destination = target.joinpath(*parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content)


def _archive_members(filename: str, data: bytes) -> Iterator[Tuple[str, bytes]]:
    """The kept regular files of a tar or zip archive; names that could leave the target dir
    (absolute, `..`, backslashes) are refused, links never followed."""
    if filename.endswith((".zip", ".whl")):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if not info.is_dir() and _kept(info.filename):
                    yield info.filename, archive.read(info)
        return
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        for member in archive:
            if member.isreg() and _kept(member.name):
                handle = archive.extractfile(member)
                assert handle is not None
                yield member.name, handle.read()


def _kept(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or "\\" in name or ".." in path.parts:
        raise ValueError(f"unsafe path in archive: {name!r}")
    return path.suffix == ".py" or path.name in KEPT_NAMES


def load_packages(path: str | os.PathLike[str]) -> List[Package]:
    """The `[[package]]` tables of a pinned list (see bench/packages.toml)."""
    text = Path(path).read_text(encoding="utf-8")
    tables = tomllib.loads(text)["package"] if tomllib else _package_tables(text)
    packages = [Package(**table) for table in tables]
    keys = [package.key for package in packages]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"{path}: listed twice: {', '.join(duplicates)}")
    return packages


_KEY_VALUE = re.compile(r'([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*")\s*(?:#.*)?')


def _package_tables(text: str) -> List[Dict[str, str]]:
    """Before Python 3.11: the subset of TOML the list uses (`[[package]]` and one-line
    strings), every other line refused rather than misread."""
    tables: List[Dict[str, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _KEY_VALUE.fullmatch(line)
        if line.split("#")[0].strip() == "[[package]]":
            tables.append({})
        elif match and tables:
            tables[-1][match.group(1)] = json.loads(match.group(2))
        else:
            raise ValueError(f"line {number}: not understood without tomllib: {line!r}")
    return tables


def copy_stdlib(target: Path) -> int:
    """Copies the running interpreter's standard library (its `*.py`, without site-packages)
    to `target`, unless it is there already; returns the number of files."""
    if not target.exists():
        source = Path(sysconfig.get_paths()["stdlib"])
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        for path in source.rglob("*.py"):
            relative = path.relative_to(source)
            if relative.parts[0] in ("site-packages", "dist-packages", "__pycache__"):
                continue
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
        os.rename(staging, target)
    return sum(1 for _ in target.rglob("*.py"))
