"""The order a run checks modules in: after what they import, an import cycle together."""
from __future__ import annotations

from typing import List, Set

import pytest

from poolcompat.project.order import components, reaching


@pytest.mark.parametrize(("deps", "nodes", "expected"), [
    pytest.param([set(), {0}, {1}], {0, 1, 2}, [[0], [1], [2]], id="a chain, imports first"),
    pytest.param([set(), {0, 2}, {1}, {2}], {0, 1, 2, 3}, [[0], [1, 2], [3]], id="a cycle"),
    pytest.param([{1}, {0}], {0, 1}, [[0, 1]], id="only a cycle"),
    pytest.param([set(), {0}, {1}], {0, 2}, [[0], [2]], id="only the nodes asked for"),
])
def test_components_come_after_what_they_import(deps: List[Set[int]], nodes: Set[int],
                                                expected: List[List[int]]) -> None:
    assert components(nodes, deps) == expected


def test_reaching_is_what_imports_a_target_directly_or_not() -> None:
    deps = [set(), {0}, {1}, set(), {3}]
    assert reaching([0], deps) == {0, 1, 2}
