"""The order modules are checked in: a module after the modules it imports, so that their
exports are known when it is read; the modules of an import cycle together."""
from __future__ import annotations

from typing import Dict, Iterable, List, Sequence, Set

Graph = Sequence[Set[int]]  # node -> the nodes it depends on


def reaching(targets: Iterable[int], deps: Graph) -> Set[int]:
    """The nodes from which one of the targets can be reached (the targets included)."""
    users: List[List[int]] = [[] for _ in deps]
    for node, needed in enumerate(deps):
        for dep in needed:
            users[dep].append(node)
    found = set(targets)
    todo = list(found)
    while todo:
        for user in users[todo.pop()]:
            if user not in found:
                found.add(user)
                todo.append(user)
    return found


def components(nodes: Set[int], deps: Graph) -> List[List[int]]:
    """Strongly connected components of the graph restricted to `nodes` (Tarjan's, without
    recursion), each after the components it depends on."""
    index: Dict[int, int] = {}
    low: Dict[int, int] = {}
    stack: List[int] = []
    on_stack: Set[int] = set()
    found: List[List[int]] = []
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(d for d in deps[root] if d in nodes)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(d for d in deps[child] if d in nodes))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component))
    return found
