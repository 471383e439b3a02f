"""Files that cannot be checked: one clear error each, never a traceback, and the run goes on."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import List, Callable, Dict, Optional, Sequence

import pytest

from poolcompat.engine.check import check_source as _check_source
from poolcompat.engine.findings import FileResult
from poolcompat.project.run import run_files
from poolcompat.table.load import default_table
from poolcompat.reading.limits import Limits, TimeLimitExceeded, bounded
from tests._tools import ENV

POOL = b"from multiprocessing import Pool\n"
USE = b"with Pool() as p:\n    pass\n"

SOURCES = [
    pytest.param(POOL + b"x = " + b" + ".join([b"1"] * 2500) + b"\n" + USE,
                 "expression too long to check at line 2: 2499 chained operators", [],
                 id="long-operator-chain"),  # libcst is quadratic in it
    pytest.param(POOL + b"x = 0\n" + b"x += 1 - 2\n" * 3000 + USE, None, ["PCP301"],
                 id="many-short-expressions"),
    pytest.param(POOL + b"def f(:\n    pass\n", "syntax error at line 2", [], id="syntax-error"),
    pytest.param(POOL + b'print "x"\n', "(Python 2 syntax?)", [], id="py2-print"),
    pytest.param(POOL + b"try:\n    pass\nexcept OSError, e:\n    pass\n", "(Python 2 syntax?)",
                 [], id="py2-except-comma"),  # libcst alone would accept this
    pytest.param(POOL + b"x = `1`\n", "(Python 2 syntax?)", [], id="py2-backtick"),
    pytest.param(POOL + b"x = 0777\n", "(Python 2 syntax?)", [], id="py2-octal"),
    pytest.param(b"# -*- coding: latin-1 -*-\n" + POOL + b"s = '\xe9'\n" + USE, None, ["PCP301"],
                 id="latin-1-cookie"),
    pytest.param(b"# coding: klingon\n" + POOL, "cannot decode: unknown encoding", [],
                 id="unknown-cookie"),
    pytest.param(POOL + b"s = '\xff\xfe'\n", "cannot decode at line 2", [], id="not-utf-8"),
    pytest.param(POOL + "s = 'é'\n".encode() + b"t = '\xe9'\n", "cannot decode at line 3", [],
                 id="mixed-encodings"),
    pytest.param(b"\xef\xbb\xbf# coding: latin-1\n" + POOL, "cannot decode", [],
                 id="bom-contradicts-cookie"),
    pytest.param(b"\xef\xbb\xbfimport os\n" + POOL + USE, None, ["PCP301"], id="bom"),
    pytest.param(b"\xef\xbb\xbf" + POOL + USE, None, ["PCP301"], id="bom-then-import"),
    pytest.param(POOL + b"x = 1\0\n", "binary file: contains NUL bytes", [], id="nul-byte"),
    pytest.param((POOL + USE).replace(b"\n", b"\r\n"), None, ["PCP301"], id="crlf"),
    pytest.param((POOL + USE).replace(b"\n", b"\r"), None, ["PCP301"], id="lone-cr"),
    pytest.param(POOL + b"if x:\n        a = 1\n\tb = 2\n", "inconsistent use of tabs", [],
                 id="tabs-and-spaces"),
    pytest.param(POOL + b"if x:\n\ta = 1\n" + USE, None, ["PCP301"], id="tabs-alone"),
    pytest.param(POOL + b"\x0c\n" + USE + b"\x0c", None, ["PCP301"], id="form-feeds"),
    pytest.param(b"", None, [], id="empty"),
    pytest.param(POOL + b"x = " + b"(" * 5000 + b")" * 5000 + b"\n", "too deeply nested", [],
                 id="deep-brackets"),
    pytest.param(POOL + b"x = " + b"-" * 100_000 + b"1\n", "too deeply nested", [],
                 id="deep-unary"),
    pytest.param(POOL + b"x = 1" + b" + 1" * 100_000 + b"\n", "too deeply nested", [],
                 id="deep-binary"),
    pytest.param(POOL + b"x = a" + b" or a" * 30_000 + b"\n" + USE, None, ["PCP301"],
                 id="long-or-chain"),  # flat for CPython, 30000 levels deep for libcst
    pytest.param(POOL + b"x = a" + b".b" * 1000 + b"\n" + USE, None, ["PCP301"],
                 id="deep-attribute-chain"),  # needs the raised recursion limit
    pytest.param(POOL + b"x = [" + b"1, " * 300_000 + b"]\n" + USE, None, ["PCP301"],
                 id="long-line"),
    pytest.param(POOL + b"def f[T](x: T) -> T:\n    return x\n" + USE, None, ["PCP301"],
                 id="newer-syntax-than-python"),
    pytest.param(POOL + b"x = 1\n" * 800_000, "too large to check", [], id="too-large"),
]


def check_source(source: bytes, path: str, limits: Optional[Limits] = None) -> FileResult:
    return _check_source(source, path, default_table(), limits=limits)


@pytest.mark.parametrize(("source", "error", "codes"), SOURCES)
def test_source(source: bytes, error: Optional[str], codes: Sequence[str]) -> None:
    result = check_source(source, "bad.py")
    if error is None:
        assert result.error is None
    else:
        assert result.error is not None and error in result.error
        assert "\n" not in result.error
    assert [c for c in codes if c not in {f.code for f in result.findings}] == []


def test_time_limit() -> None:
    slow = POOL + b"with Pool() as p:\n    p.starmap(f, [(1, 2)])\n" * 3000
    result = check_source(slow, "slow.py", limits=Limits(seconds=0.01))
    assert result.error is not None and "gave up after 0.01 s" in result.error
    assert check_source(POOL + USE, "quick.py", limits=Limits(seconds=5)).error is None


def test_limits_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POOLCOMPAT_TIMEOUT", "3.5")
    monkeypatch.setenv("POOLCOMPAT_MAX_FILE_MB", "0.5")
    assert Limits.from_env() == Limits(max_bytes=2**19, seconds=3.5)
    monkeypatch.setenv("POOLCOMPAT_TIMEOUT", "soon")
    assert Limits.from_env().seconds == Limits().seconds


def _unreadable(path: Path) -> None:
    if os.geteuid() == 0:  # root reads anything chmod forbids; this file fails with EIO
        if not Path("/proc/self/mem").exists():
            pytest.skip("running as root without /proc/self/mem: no unreadable file")
        path.symlink_to("/proc/self/mem")
    else:
        path.write_bytes(POOL)
        path.chmod(0)


def _fifo(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(path)


def _loop(path: Path) -> None:
    path.symlink_to(path.with_name("loop2.py"))
    path.with_name("loop2.py").symlink_to(path)


BUILDERS: Dict[str, Callable[[Path], object]] = {
    "directory": lambda p: p.mkdir(),
    "broken-symlink": lambda p: p.symlink_to(p.with_name("nowhere.py")),
    "symlink-loop": _loop,
    "unreadable": _unreadable,
    "fifo": _fifo,
}
FILES = [
    pytest.param("directory", "is a directory", id="directory"),
    pytest.param("broken-symlink", "broken symlink to ", id="broken-symlink"),
    pytest.param("symlink-loop", "symlink loop", id="symlink-loop"),
    pytest.param("unreadable", "cannot read", id="unreadable"),
    pytest.param("fifo", "a named pipe, not a file", id="fifo-never-blocks"),
]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize(("kind", "error"), FILES)
def test_file(tmp_path: Path, kind: str, error: str, jobs: int) -> None:
    """Every path of a run reads through one hardened reader, with or without workers."""
    path = tmp_path / "x.py"
    BUILDERS[kind](path)
    others = [tmp_path / f"ok{i}.py" for i in range(10)]  # enough files to start workers
    for other in others:
        other.write_bytes(POOL + USE)
    results = run_files([str(path), *map(str, others)], default_table(), jobs, use_cache=False)
    assert results[0].error is not None and error in results[0].error
    assert all(r.error is None and r.findings for r in results[1:])


def test_file_too_large_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.py"
    with path.open("wb") as handle:
        handle.truncate(200 * 2**20)  # sparse: costs no disk
    monkeypatch.setenv("POOLCOMPAT_MAX_FILE_MB", "1")
    result = run_files([str(path)], default_table(), 1, use_cache=False)[0]
    assert result.error is not None and "too large to read" in result.error


# The command line on a tree of bad files and one good one. name -> contents (or a builder).
BAD_TREE: Dict[str, bytes] = {
    "syntax_error.py": POOL + b"def f(:\n",
    "python2.py": POOL + b'print "hello"\n',
    "bad_cookie.py": b"# coding: klingon\n" + POOL,
    "not_utf8.py": POOL + b"s = '\xff'\n",
    "mixed_encoding.py": POOL + "a = 'é'\n".encode() + b"b = '\xe9'\n",
    "bom_latin1.py": b"\xef\xbb\xbf# coding: latin-1\n" + POOL,
    "nul.py": POOL + b"x = '\0'\n",
    "tabs.py": POOL + b"if x:\n        a = 1\n\tb = 2\n",
    "binary.py": b"\x7fELF\x02\x01\x01\0" + bytes(range(256)) + b"\n" + POOL + bytes(range(256)),
    "deep.py": POOL + b"x = " + b"[" * 3000 + b"]" * 3000 + b"\n",
    "deep_unary.py": POOL + b"x = " + b"~" * 50_000 + b"1\n",
    "big.py": POOL + USE + b"x = 1\n" * (50 * 2**20 // 6),
    "long_line_error.py": POOL + b"x = [" + b"1, " * 300_000 + b")\n",
}
GOOD_TREE: Dict[str, bytes] = {
    "good.py": POOL + USE,
    "latin1.py": b"# -*- coding: latin-1 -*-\n" + POOL + b"s = '\xe9'\n" + USE,
    "crlf.py": (POOL + USE).replace(b"\n", b"\r\n"),
    "cr.py": (POOL + USE).replace(b"\n", b"\r"),
    "formfeed.py": POOL + b"\x0c\n" + USE,
    "empty.py": b"",
    "x.py/inside.py": POOL + USE,  # a directory named x.py is searched like any other
}
SPECIAL = ["broken-symlink", "symlink-loop", "unreadable", "fifo"]


def test_command_line_on_a_tree_of_bad_files(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    for name, data in {**BAD_TREE, **GOOD_TREE}.items():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_bytes(data)
    for kind in SPECIAL:
        BUILDERS[kind](tree / f"{kind.replace('-', '_')}.py")
    odd = os.fsencode(tree) + b"/caf\xe9.py"  # not UTF-8: shown with \xe9
    with open(odd, "wb") as handle:
        handle.write(POOL + b"def f(:\n")
    bad = [*BAD_TREE, *(f"{k.replace('-', '_')}.py" for k in SPECIAL), "loop2.py", "caf\\xe9.py"]
    env = {**ENV, "POOLCOMPAT_TIMEOUT": "60"}
    done = subprocess.run([sys.executable, "-m", "poolcompat", "check", "--no-cache", str(tree)],
                          capture_output=True, env=env, timeout=300)
    out, err = done.stdout.decode(), done.stderr.decode()
    assert "Traceback" not in err and "Traceback" not in out
    assert done.returncode == 1, out + err
    errors = [line for line in out.splitlines() if ": error: " in line]
    for name in bad:  # `path: error:`, or `path:line:col: error:` where the error has a place
        named = re.compile(re.escape(f"{tree.as_posix()}/{name}") + r"(:\d+:\d+)?: error: ")
        assert len([e for e in errors if named.match(e)]) == 1, (name, errors)
    assert len(errors) == len(bad), errors
    for name in GOOD_TREE:
        if name != "empty.py":
            assert f"{tree.as_posix()}/{name}:" in out and "PCP301" in out, (name, out)


@pytest.mark.parametrize("jobs", [[], ["-j1"]])
def test_command_line_never_waits_on_a_named_pipe(tmp_path: Path, jobs: List[str]) -> None:
    """Named on the command line or met in a directory walk, a FIFO is refused, not opened."""
    _fifo(tmp_path / "x.py")
    for target in (tmp_path / "x.py", tmp_path):
        done = subprocess.run([sys.executable, "-m", "poolcompat", "check", "--no-cache", *jobs,
                               str(target)], capture_output=True, text=True, env=ENV, timeout=120)
        assert done.returncode == 1
        assert f"{(tmp_path / 'x.py').as_posix()}: error: cannot read: a named pipe" in done.stdout


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "poolcompat", "check", str(tmp_path / "no.py")],
                          capture_output=True, text=True, env=ENV, timeout=120)
    assert done.returncode == 2
    assert "path does not exist" in done.stderr and "Traceback" not in done.stderr


def _spin() -> int:
    while True:  # pure Python: the asynchronous exception lands at once
        pass


def test_time_limit_interrupts_and_the_next_file_still_runs() -> None:
    with pytest.raises(TimeLimitExceeded):
        bounded(_spin, 0.2)
    assert bounded(lambda: threading.current_thread().name, 5) == "poolcompat-check"
    names = {bounded(lambda: threading.get_ident(), 5) for _ in range(5)}
    assert len(names) == 1  # one checker thread is reused, not one per file


@pytest.mark.skipif(not hasattr(time, "pthread_getcpuclockid"), reason="no thread CPU clock")
def test_the_time_limit_counts_cpu_time_not_waiting() -> None:
    """A loaded machine stretches a file's wall time, not its CPU time: a job that waits past
    the limit, spending no CPU, is not given up on."""
    assert bounded(lambda: time.sleep(0.6) or "slept", 0.3) == "slept"
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded):
        bounded(_spin, 0.3)
    assert time.monotonic() - started < 0.3 * 20


def test_forked_worker_gets_its_own_checker_thread() -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    bounded(lambda: None, 5)  # the parent now has an idle checker thread
    pid = os.fork()
    if pid == 0:  # the child: the parent's thread does not exist here
        code = 0 if bounded(lambda: 7, 5) == 7 else 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
