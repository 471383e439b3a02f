"""Line and column of a few nodes, without libcst's PositionProvider.

PositionProvider records every node of the tree and costs more than the parse; here one plain
code generation marks only the nodes asked for, by the index of the token they start and end at.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Collection, Dict, List, Tuple

import libcst as cst
from libcst._nodes.internal import CodegenState

Span = Tuple[int, int, int, int]  # start line, start column, end line, end column; 1-based
_NEWLINE = re.compile(r"\r\n?|\n")


@dataclass
class _MarkingState(CodegenState):
    wanted: Collection[int] = ()
    marks: Dict[int, List[int]] = field(default_factory=dict)

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted:
            self.marks[id(node)] = [len(self.tokens), 0]

    def after_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted:
            self.marks[id(node)][1] = len(self.tokens)


def spans(module: cst.Module, nodes: Collection[cst.CSTNode]) -> Dict[int, Span]:
    """Map id(node) to its span, for the given nodes of `module`."""
    state = _MarkingState(
        default_indent=module.default_indent, default_newline=module.default_newline,
        wanted={id(n) for n in nodes},
    )
    module._codegen(state)
    offsets = [0, *accumulate(len(t) for t in state.tokens)]
    text = "".join(state.tokens)
    starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]

    def where(offset: int) -> Tuple[int, int]:
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    result: Dict[int, Span] = {}
    for key, (first, last) in state.marks.items():
        start, end = offsets[first], offsets[last]
        while end > start and text[end - 1] in " \t\r\n\\":  # trailing whitespace owned by the node
            end -= 1
        while start < end and text[start] in " \t":
            start += 1
        result[key] = (*where(start), *where(end))
    return result
