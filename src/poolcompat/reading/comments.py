"""`# poolcompat: noqa` as a comment, found with `tokenize`: the same words inside a string
(a docstring quoting the directive, a test's source text) silence nothing.

For `engine/noqa.py`: `silenced(text)` there matches the directive anywhere in the text; calling
`file_silenced(text)` instead makes it count only in comments.
"""
from __future__ import annotations

import io
import re
import tokenize
from typing import Iterator

_FILE = re.compile(r"#\s*poolcompat:\s*noqa\b", re.IGNORECASE)


def _comments(text: str) -> Iterator[str]:
    """The file's comments; where tokenize gives up (bad indentation, an unclosed bracket),
    the comments before that point."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                yield token.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return


def file_silenced(text: str) -> bool:
    """Whether a `# poolcompat: noqa` comment silences the whole file."""
    if "noqa" not in text.lower():
        return False
    return any(_FILE.search(comment) for comment in _comments(text))
