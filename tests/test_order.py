"""The order a run checks modules in: after what they import, the most urgent first."""
from __future__ import annotations

from typing import List, Set

import pytest

from poolcompat.project.order import components, urgency


@pytest.mark.parametrize(("needs", "weights", "expected"), [
    pytest.param([set()], [5], [5], id="alone"),
    pytest.param([set(), {0}, {1}], [1, 2, 3], [6, 5, 3], id="a chain adds up"),
    pytest.param([set(), {0}, {0}], [1, 10, 2], [11, 10, 2], id="the heavier user counts"),
    pytest.param([set(), set(), {0, 1}], [1, 1, 100], [101, 101, 100],
                 id="both imports of a big module are urgent"),
    pytest.param([set(), {0}, {0}, {1, 2}], [0, 1, 5, 1], [6, 2, 6, 1], id="diamond"),
])
def test_urgency_is_the_heaviest_chain_waiting(needs: List[Set[int]], weights: List[int],
                                               expected: List[int]) -> None:
    assert urgency(needs, weights) == expected


def test_a_cycle_is_one_component_after_what_it_imports() -> None:
    deps = [set(), {0, 2}, {1}, {2}]
    assert components({0, 1, 2, 3}, deps) == [[0], [1, 2], [3]]
