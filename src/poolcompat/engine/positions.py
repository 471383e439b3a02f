"""Line and column of a few nodes, without libcst's PositionProvider.

PositionProvider records every node of the tree and costs more than the parse; here one plain
code generation marks only the nodes asked for, by the index of the token they start and end at.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Collection, Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst
from libcst._nodes.internal import CodegenState

Span = Tuple[int, int, int, int]  # start line, start column, end line, end column; 1-based
_NEWLINE = re.compile(r"\r\n?|\n")


class _AllMarked(Exception):
    """The rest of the statement cannot move what is marked: its code is not generated."""


@dataclass
class _MarkingState(CodegenState):
    wanted: Collection[int] = ()
    marks: Dict[int, List[int]] = field(default_factory=dict)
    unmarked: Set[int] = field(default_factory=set)

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted:
            self.marks[id(node)] = [len(self.tokens), 0]

    def after_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted:
            self.marks[id(node)][1] = len(self.tokens)
            self.unmarked.discard(id(node))
            if not self.unmarked:
                raise _AllMarked


def _spans(node: cst.CSTNode, module: cst.Module, wanted: Collection[int],
           line_offset: int) -> Dict[int, Span]:
    state = _MarkingState(default_indent=module.default_indent,
                          default_newline=module.default_newline, wanted=wanted,
                          unmarked=set(wanted))
    try:
        node._codegen(state)
    except _AllMarked:
        pass
    offsets = [0, *accumulate(len(t) for t in state.tokens)]
    text = "".join(state.tokens)
    starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]

    def where(offset: int) -> Tuple[int, int]:
        line = bisect_right(starts, offset)
        return line + line_offset, offset - starts[line - 1] + 1

    result: Dict[int, Span] = {}
    for key, (first, last) in state.marks.items():
        start, end = offsets[first], offsets[last]
        while end > start and text[end - 1] in " \t\r\n\\":  # trailing whitespace the node owns
            end -= 1
        while start < end and text[start] in " \t":
            start += 1
        result[key] = (*where(start), *where(end))
    return result


def _lead(statement: cst.BaseStatement) -> int:
    """Lines a statement's code starts with before the line `ast` gives it (comments, blanks)."""
    lead = len(getattr(statement, "leading_lines", ()))
    decorators = getattr(statement, "decorators", ())
    return lead + (len(decorators[0].leading_lines) if decorators else 0)


def spans(module: cst.Module, found: Sequence[Tuple[cst.CSTNode, int]],
          first_lines: Optional[Sequence[int]] = None) -> Dict[int, Span]:
    """Map id(node) to its span, for (node, index of its module-level statement) pairs.

    With the first line of each module-level statement (from `ast`), only the statements that
    hold a reported node are generated; otherwise the whole module is."""
    tops: Dict[int, List[int]] = {}
    for node, top in found:
        tops.setdefault(top, []).append(id(node))
    if first_lines is None or len(first_lines) != len(module.body) or -1 in tops:
        return _spans(module, module, {id(node) for node, _ in found}, 0)
    result: Dict[int, Span] = {}
    for top, wanted in tops.items():
        statement = module.body[top]
        offset = first_lines[top] - _lead(statement) - 1
        result.update(_spans(statement, module, set(wanted), offset))
    return result
