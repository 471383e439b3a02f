"""Which project modules a file's imports can reach (what it is told of the others), and the
fingerprints that key its cached summary on that."""
from __future__ import annotations

from typing import Dict, FrozenSet, Optional, Tuple

import pytest

from poolcompat.engine.context import Context
from poolcompat.engine.values import ExtClass, Inst, Ref
from poolcompat.project.cache import context_key
from poolcompat.project.codec import Fingerprints
from poolcompat.reading.imports import imports, named, reached


@pytest.mark.parametrize(("src", "module", "expected"), [
    pytest.param("from pkg import tasks\n", "app", (frozenset({"pkg"}), frozenset({"pkg.tasks"})),
                 id="from-import: the module itself, and inside what is named"),
    pytest.param("import pkg.tasks\n", "app", (frozenset(), frozenset({"pkg.tasks"})),
                 id="import: the module and inside it"),
    pytest.param("from . import jobs\n", "pkg.cli", (frozenset({"pkg"}), frozenset({"pkg.jobs"})),
                 id="relative"),
    pytest.param("from pkg import *\n", "app", (frozenset({"pkg"}), frozenset()), id="star"),
])
def test_reached(src: str, module: str,
                 expected: Tuple[FrozenSet[str], FrozenSet[str]]) -> None:
    assert reached(imports(src.encode()), module, False) == expected


@pytest.mark.parametrize(("src", "expected"), [
    pytest.param("from pkg.lib import Repo, (Other as O)\n", {"pkg.lib": frozenset({"Repo", "Other"})},
                 id="from-import: only the names"),
    pytest.param("from pkg.lib import Repo\nimport pkg.lib\n", {},
                 id="a module held as an object: only the names the file writes"),
    pytest.param("from pkg.lib import *\nfrom pkg.lib import Repo\n", {"pkg.lib": None},
                 id="star: every name"),
    pytest.param("from .lib import Repo\nfrom . import lib\n",
                 {"pkg.lib": frozenset({"Repo"}), "pkg": frozenset({"lib"})}, id="relative"),
])
def test_named(src: str, expected: Dict[str, Optional[FrozenSet[str]]]) -> None:
    assert named(imports(src.encode()), "pkg.app", False) == expected


def _class(name: str, base: object) -> ExtClass:
    return ExtClass(name, (base,), frozenset(), ())


def test_a_value_is_fingerprinted_by_its_contents() -> None:
    shared = _class("pkg.Base", Ref("multiprocessing.pool.Pool"))
    deep = _class("pkg.Top", _class("pkg.Mid", shared))
    same = _class("pkg.Top", _class("pkg.Mid", _class("pkg.Base", Ref("multiprocessing.pool.Pool"))))
    other = _class("pkg.Top", _class("pkg.Mid", _class("pkg.Base", Inst("multiprocessing.pool.Pool"))))
    prints = Fingerprints()
    assert prints.of(deep) == prints.of(same) == Fingerprints().of(same)
    assert prints.of(deep) != prints.of(other)


def test_the_cache_key_follows_what_the_file_is_told() -> None:
    told = Context("app", exports=(("pkg.POOL", Inst("multiprocessing.pool.Pool")),))
    assert context_key(told) == context_key(Context("app", exports=told.exports))
    assert context_key(told) != context_key(Context("app"))
    assert context_key(told) != context_key(Context("app", exports=(
        ("pkg.POOL", Inst("concurrent.futures.ThreadPoolExecutor")),)))


def test_a_summary_round_trips_with_shared_values_written_once() -> None:
    from poolcompat.engine.summary import Summary
    from poolcompat.project.codec import decode_summary, encode_summary
    import json
    base = _class("pkg.Base", Ref("multiprocessing.pool.Pool"))
    tower = base
    for level in range(12):  # each level holds the one below twice: a tree of 4096 leaves
        tower = ExtClass(f"pkg.L{level}", (tower,), frozenset(), (("a", tower), ("b", tower)))
    summary = Summary("m.py", "pkg.m", exports={"Top": tower, "Base": base})
    data = encode_summary(summary)
    assert len(json.dumps(data)) < 10_000
    back = decode_summary(json.loads(json.dumps(data)), "m.py")
    assert back.exports == summary.exports
    assert back.exports["Top"].bases[0] is back.exports["Top"].attrs[0][1]  # shared again


def test_summaries_share_the_values_they_repeat() -> None:
    from poolcompat.engine.summary import Summary
    from poolcompat.project.codec import Shared

    def tower() -> ExtClass:  # a fresh copy each time, as each importer's summary brings one
        base = _class("pkg.Base", Ref("multiprocessing.pool.Pool"))
        return ExtClass("pkg.Top", (base,), frozenset({"run"}), (("pool", Inst("x.Pool")),))
    shared = Shared()
    first = shared.summary(Summary("a.py", "pkg.a", exports={"Top": tower(), "n": (1, True)}))
    second = shared.summary(Summary("b.py", "pkg.b", exports={"Top": tower(), "n": (True, 1)}))
    assert first.exports == second.exports and first.exports["Top"] is second.exports["Top"]
    assert first.exports["n"] == (1, True) and second.exports["n"] == (True, 1)
    assert type(second.exports["n"][0]) is bool  # `True == 1`: never taken for one another
    other = shared.summary(Summary("c.py", "pkg.c", exports={"Top": _class("pkg.Top", None)},
                                   escapes=[tower()]))
    assert other.exports["Top"] is not first.exports["Top"]
    assert other.escapes[0] is first.exports["Top"]  # the lists' items are shared too


def test_the_cache_key_keeps_no_file_own_sets_alive() -> None:
    """A run's fingerprints outlive every file: each file's set of modules must not."""
    prints = Fingerprints()
    export = (("pkg.POOL", Inst("multiprocessing.pool.Pool")),)
    keys = {context_key(Context("app", exports=export, modules=frozenset({f"pkg.m{i}"})), prints)
            for i in range(50)}
    assert len(keys) == 50
    kept = [obj for obj, _ in prints._seen.values() if isinstance(obj, frozenset)]
    assert not any(name.startswith("pkg.m") for names in kept for name in names)
