"""No input makes `poolcompat.check_source` raise: generated programs and mutated fixtures.

CI runs a bounded, derandomized session; POOLCOMPAT_FUZZ_EXAMPLES raises it for a long one.
Anything a session ever found is kept in tests/fuzz_corpus/ and replayed here.
"""
from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import List

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import poolcompat
from poolcompat.reading import skeleton as _chunks

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).with_name("fuzz_corpus")
EXAMPLES = int(os.environ.get("POOLCOMPAT_FUZZ_EXAMPLES", "150"))
LONG = "POOLCOMPAT_FUZZ_EXAMPLES" in os.environ
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG, database=None,
                suppress_health_check=list(HealthCheck))
# hypothesmith builds syntax trees slowly (about 0.4 s each): fewer of them in a short session
SLOW = settings(FUZZ, max_examples=EXAMPLES if LONG else 30)
# Pool text the byte gate looks for, so generated programs reach libcst and the detector.
PREFIXES = [
    b"from multiprocessing import Pool\n",
    b"import multiprocessing as mp\np = mp.Pool(2)\n",
    b"from concurrent.futures import ProcessPoolExecutor as E\nwith E() as ex: ex.map(f, [])\n",
    b"from multiprocessing.pool import ThreadPool\nwith ThreadPool(4) as p: p.starmap(f, [])\n",
]
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith's own compile
FIXTURES: List[bytes] = sorted(path.read_bytes() for path in (ROOT / "fixtures").rglob("*.py"))


def _checks(data: bytes) -> None:
    report = poolcompat.check_source(data, path="fuzzed.py")
    for error in report.errors:
        assert error.message and "\n" not in error.message


@FUZZ
@given(prefix=st.sampled_from(PREFIXES), program=hypothesmith.from_grammar())
def test_generated_programs(prefix: bytes, program: str) -> None:
    _checks(prefix + program.encode("utf-8", "surrogatepass"))


@SLOW
@given(prefix=st.sampled_from(PREFIXES), program=hypothesmith.from_node())
def test_generated_syntax_trees(prefix: bytes, program: str) -> None:
    _checks(prefix + program.encode("utf-8", "surrogatepass"))


def _mutate(data: bytes, edits: List[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for where, kind, blob in edits:
        at = where % (len(out) + 1)
        if kind == 0:
            out[at:at] = blob  # insert
        elif kind == 1:
            del out[at:at + len(blob) + 1]  # delete
        else:
            out[at:at + len(blob)] = blob  # overwrite
    return bytes(out)


EDIT = st.tuples(st.integers(0, 2**16), st.integers(0, 2),
                 st.one_of(st.binary(min_size=1, max_size=8),
                           st.sampled_from([b"(", b")", b"[", b"\\", b"\n", b"\r", b"\t", b"\0",
                                            b"\xff", b"\xef\xbb\xbf", b"'", b'"""', b"#",
                                            b"# coding: latin-1\n", b"with ", b" as p:", b":"])))


@pytest.mark.skipif(not FIXTURES, reason="no fixtures yet")
@FUZZ
@given(fixture=st.sampled_from(FIXTURES or [b""]), edits=st.lists(EDIT, min_size=1, max_size=6))
def test_mutated_fixtures(fixture: bytes, edits: List[tuple[int, int, bytes]]) -> None:
    _checks(_mutate(fixture, edits))


@pytest.mark.parametrize("case", sorted(CORPUS.glob("*.py")), ids=lambda p: p.stem)
def test_corpus(case: Path) -> None:
    _checks(case.read_bytes())


def _findings(data: bytes) -> List[tuple[int, int, str, bool]]:
    report = poolcompat.check_source(data, path="fuzzed.py")
    return sorted((f.line, f.column, f.code, f.guarded) for f in report.findings)


@pytest.mark.skipif(not FIXTURES, reason="no fixtures yet")
@FUZZ
@given(fixture=st.sampled_from(FIXTURES or [b""]), dropped=st.sets(st.integers(0, 80), max_size=12))
def test_skeletons_find_what_whole_files_find(fixture: bytes, dropped: set[int]) -> None:
    """Big files are checked as skeletons: on any valid variant of a fixture (some lines
    dropped), a forced skeleton must report exactly what the whole file does."""
    lines = fixture.splitlines(keepends=True)
    data = b"".join(line for i, line in enumerate(lines) if i not in dropped)
    try:
        ast.parse(data)
    except (SyntaxError, ValueError):
        return
    whole = _findings(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_chunks, "CHUNK_FROM_BYTES", 0)
        patch.setattr(_chunks, "_SPLIT_CLASS_FROM_LINES", 0)
        assert _findings(data) == whole


@FUZZ
@given(prefix=st.sampled_from(PREFIXES), program=hypothesmith.from_grammar())
def test_skeletons_never_turn_a_valid_file_into_an_error(prefix: bytes, program: str) -> None:
    """The skeleton is a shortcut: whatever it keeps, a file the whole-file path accepts is
    never reported as an error, and its findings stay the same."""
    data = prefix + program.encode("utf-8", "surrogatepass")
    whole = poolcompat.check_source(data, path="fuzzed.py")
    if whole.errors:
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_chunks, "CHUNK_FROM_BYTES", 0)
        patch.setattr(_chunks, "_SPLIT_CLASS_FROM_LINES", 0)
        forced = poolcompat.check_source(data, path="fuzzed.py")
    assert [e.message for e in forced.errors] == []
    assert sorted((f.line, f.column, f.code, f.guarded) for f in forced.findings) == sorted(
        (f.line, f.column, f.code, f.guarded) for f in whole.findings)
