"""`rules/star.toml` (what `from module import *` binds on each version) is well formed, and every
interpreter here agrees with it: each module's `__all__` holds exactly the names the table gives
for that version (where the module has no `__all__`, the names are at least there)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from poolcompat.table.load import rules_dir
from poolcompat.table.star import StarError, load_star, load_star_spans
from poolcompat.table.verify import Interpreter, interpreters

STAR = load_star_spans(rules_dir())
_DUMP = """
import importlib, json, sys
out = {}
for name in sys.argv[1:]:
    try:
        module = importlib.import_module(name)
    except Exception:
        out[name] = None
        continue
    names = getattr(module, "__all__", None)
    out[name] = [sorted(names), True] if names is not None else [
        sorted(n for n in dir(module) if not n.startswith("_")), False]
sys.stdout.write(json.dumps(out))
"""


def test_the_table_is_there_and_names_the_known_cases() -> None:
    table = load_star(rules_dir())
    assert str(table["multiprocessing"]["parent_process"]) == "3.8"
    assert str(table["concurrent.futures"]["InvalidStateError"]) == "3.13"
    assert str(table["concurrent.futures"]["Future"]) == "3.2"


def test_a_bad_entry_is_refused(tmp_path: Path) -> None:
    (tmp_path / "star.toml").write_text('[module."m"]\nx = { added = "3.8", removed = "3.6" }\n')
    with pytest.raises(StarError, match="m.x"):
        load_star(tmp_path)
    (tmp_path / "star.toml").write_text('[module."m"]\nx = "three"\n')
    with pytest.raises(StarError, match="m.x"):
        load_star(tmp_path)


def _reality(interp: Interpreter) -> Dict[str, Optional[Tuple[List[str], bool]]]:
    run = subprocess.run([interp.path, "-c", _DUMP, *sorted(STAR)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return {k: None if v is None else (v[0], v[1]) for k, v in json.loads(run.stdout).items()}


PYTHON3 = [i for i in interpreters() if i.version[0] == 3]


@pytest.mark.skipif(not PYTHON3, reason="no Python 3 under $(pyenv root)/versions")
@pytest.mark.parametrize("interp", [pytest.param(i, id=i.label) for i in PYTHON3])
def test_star_imports_bind_what_the_table_says(interp: Interpreter) -> None:
    reality = _reality(interp)
    problems = []
    for module, names in sorted(STAR.items()):
        expected = {n for n, (first, until) in names.items()
                    if first <= interp.version and (until is None or interp.version < until)}
        found = reality[module]
        if found is None:
            if expected:
                problems.append(f"{module} does not import, yet binds {sorted(expected)}")
            continue
        actual, from_all = found
        if from_all and set(actual) != expected:
            problems.append(f"{module}: only the interpreter has {sorted(set(actual) - expected)}, "
                            f"only the table {sorted(expected - set(actual))}")
        elif not from_all and not expected <= set(actual):
            problems.append(f"{module} (no __all__): missing {sorted(expected - set(actual))}")
    assert not problems, f"Python {interp.label}:\n" + "\n".join(problems)
