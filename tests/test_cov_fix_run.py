"""`check --fix` as a whole: the target it takes, a module it cannot read, helpers and imports
added once and where they belong, and raising in the shapes the examples lack (a one-line `if`,
parenthesized expressions, `try` statements that must be kept)."""
from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from poolcompat.api import check_source
from poolcompat.fix import fix_finding, fix_paths, fix_source

POOL = "from multiprocessing import Pool\n"
MP = "import multiprocessing\np = multiprocessing.Process()\n"
STARMAP = POOL + "p = Pool(2)\np.starmap(divmod, [(1, 2)])\n"


def test_a_target_of_another_type_is_refused() -> None:
    with pytest.raises(TypeError, match="target must be a string such as '3.8' or a tuple"):
        fix_source(POOL, 3.8)  # type: ignore[arg-type]


def test_one_finding_of_a_module_that_no_longer_parses_has_no_fix() -> None:
    (finding,) = [f for f in check_source(STARMAP, target="3.2").violations if f.code == "PCP102"]
    assert fix_finding(STARMAP + "x = (\n", finding, "3.2") is None


def test_a_helper_name_taken_by_the_module_stops_the_fix() -> None:
    result = fix_source(POOL + "_StarCall = None\np = Pool(2)\np.starmap(divmod, [(1, 2)])\n", "3.2")
    assert not result.changed
    assert [left.reason for left in result.left] == [
        "not fixable here: the module binds `_StarCall` to something else"]


def test_a_helper_already_there_is_not_added_twice() -> None:
    once = fix_source(STARMAP, "3.2").source
    twice = fix_source(once + "p.starmap(pow, [(1, 2)])\n", "3.2")
    assert [a.code for a in twice.applied] == ["PCP102"]
    assert twice.source.count("class _StarCall") == 1
    assert twice.source.count("import sys") == 1
    assert not check_source(twice.source, target="3.2").violations


def test_imports_go_after_the_docstring_and_future_imports() -> None:
    source = ('"""Doc."""\nfrom __future__ import annotations\ntry:\n    import json\n'
              "except ImportError:\n    json = None\n"
              "from concurrent.futures import ThreadPoolExecutor\n"
              "executor = ThreadPoolExecutor(2)\nexecutor.map(abs, [1], buffersize=2)\n")
    result = fix_source(source, "3.8", unsafe=True).source
    lines = result.splitlines()
    assert lines[:3] == ['"""Doc."""', "from __future__ import annotations", "import sys"]
    assert lines[-1].startswith("executor.map(abs, [1], **({\"buffersize\": 2} if sys.")
    ast.parse(result)


RAISED = [
    pytest.param("import sys\nfrom concurrent.futures import ThreadPoolExecutor\n"
                 "e = ThreadPoolExecutor(2)\nif sys.version_info >= (3, 9): "
                 "e.shutdown(cancel_futures=True)\n", "3.9",
                 "from concurrent.futures import ThreadPoolExecutor\ne = ThreadPoolExecutor(2)\n"
                 "e.shutdown(cancel_futures=True)\n", id="if-on-one-line"),
    pytest.param("import sys\nfrom concurrent.futures import ThreadPoolExecutor\n"
                 "e = ThreadPoolExecutor(2)\nif sys.version_info >= (3, 9):  # new\n"
                 "    e.shutdown(cancel_futures=True)\n", "3.9",
                 "from concurrent.futures import ThreadPoolExecutor\ne = ThreadPoolExecutor(2)\n"
                 "# new\ne.shutdown(cancel_futures=True)\n", id="the-if-comment-stays-above"),
    pytest.param("import sys\n" + MP + "x = (p.kill() or 1 if sys.version_info >= (3, 7) else "
                 "p.terminate())\n", "3.8", MP + "x = (p.kill() or 1)\n",
                 id="kept-side-keeps-the-parentheses-it-needs"),
    pytest.param(MP + "x = (hasattr(p, 'kill') and p.kill())\n", "3.8", MP + "x = (p.kill())\n",
                 id="hasattr-and-in-parentheses"),
    pytest.param(MP + "x = hasattr(p, 'kill') or p.kill()\n", "3.8", None,
                 id="hasattr-or-is-not-a-guard"),
    pytest.param(MP + "try:\n    p.kill()\nexcept (AttributeError, TypeError):\n    p.terminate()\n",
                 "3.8", MP + "p.kill()\n", id="try-catching-a-tuple"),
    pytest.param(MP + "try:\n    p.kill()\nexcept AttributeError:\n    p.terminate()\n", "3.6",
                 None, id="try-the-floor-does-not-decide"),
    pytest.param(MP + "try:\n    p.kill()\n    log()\nexcept AttributeError:\n    p.terminate()\n",
                 "3.8", None, id="try-doing-more-than-our-api"),
    pytest.param(MP + "try:\n    p.kill()\nexcept AttributeError:\n    p.terminate()\nfinally:\n"
                 "    pass\n", "3.8", None, id="try-with-finally"),
    pytest.param(MP + "try:\n    p.kill()\nexcept ValueError:\n    p.terminate()\n", "3.8", None,
                 id="try-catching-something-else"),
    pytest.param(MP + "try:\n    p.start()\nexcept AttributeError:\n    pass\n", "3.8", None,
                 id="try-around-what-every-python-has"),
]


@pytest.mark.parametrize("source, target, expected", RAISED)
def test_raising(source: str, target: str, expected: str) -> None:
    result = fix_source(source, target)
    assert result.source == (source if expected is None else expected)
    assert not result.error


def test_fix_paths_reports_a_file_it_cannot_read_or_decode(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "bad.py").write_bytes(b"# coding: nosuch\nx = 1\n")
    (tmp_path / "good.py").write_text(STARMAP)
    results = {Path(r.path).name: r for r in fix_paths(
        [str(tmp_path / "pipe.py"), str(tmp_path / "bad.py"), str(tmp_path / "good.py")], "3.2",
        diff_only=True)}
    assert "named pipe" in (results["pipe.py"].result.error or "")
    assert "nosuch" in (results["bad.py"].result.error or "")
    assert not results["good.py"].written and "+class _StarCall(object):" in results["good.py"].diff
