"""A big file is read through a skeleton; what it binds and reports must not change.

The skeleton decides from `ast` what a statement binds (`reading/mentions.py`), the resolver from
libcst (`engine/resolve.py`): every binding form and trap of `test_detect.py` runs both ways.
"""
from __future__ import annotations

import textwrap
from typing import List, Tuple

import pytest

import poolcompat
from poolcompat.reading import skeleton
from tests.test_detect import FORMS, TRAPS

# Enough unrelated statements to take a file past the skeleton's threshold.
PADDING = "".join(f"def filler_{i}(a, b):\n    return a + b * {i}\n\n"
                  for i in range(skeleton.CHUNK_FROM_BYTES // 30))
Answer = List[Tuple[int, int, str, bool]]


def _answer(src: str) -> Tuple[Answer, List[str]]:
    report = poolcompat.check_source(src, path="case.py")
    return (sorted((f.line, f.column, f.code, f.guarded) for f in report.findings),
            [e.message for e in report.errors])


def _sources(param: object) -> str:
    values = getattr(param, "values")
    return textwrap.dedent(values[0])


CASES = [pytest.param(_sources(p), id=getattr(p, "id")) for p in [*FORMS, *TRAPS]] + [
    pytest.param("from multiprocessing import Pool\ndef helper(\n    n,\n) -> int: return n\n"
                 "p = Pool(helper(2))\np.starmap(f, x)\n", id="stub-body-on-signature-line"),
    pytest.param("from multiprocessing import Pool\nclass K:\n    def helper(\n        n,\n"
                 "    ) -> int: return n  # é\n    def other(self): pass\n"
                 "p = Pool(K.helper(2))\np.starmap(f, x)\n", id="member-stub-on-signature-line"),
]


@pytest.mark.parametrize("src", CASES)
def test_forced_skeleton_reads_what_the_whole_file_says(src: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _answer(src)
    monkeypatch.setattr(skeleton, "CHUNK_FROM_BYTES", 0)
    monkeypatch.setattr(skeleton, "_SPLIT_CLASS_FROM_LINES", 0)
    assert _answer(src) == whole


@pytest.mark.parametrize("src", CASES)
def test_padded_past_the_threshold_reads_the_same(src: str) -> None:
    whole = _answer(src)
    padded = src + PADDING
    assert len(padded.encode()) > skeleton.CHUNK_FROM_BYTES
    assert _answer(padded) == whole
