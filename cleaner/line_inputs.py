"""Everything the scorer reads off a line by itself, kept for lines seen before.

Stage one is context-free: a line's shape features, its vocabulary tokens, its
topic stems and its list marker depend on the line alone (its text, tag, link
share and whether it came from HTML). They are most of the cost of scoring a
document, and lines repeat: share bars, "Advertisement", newsletter prompts
and headline lists recur across the pages of a site, and a batch often holds
the same page twice. So the scorer keeps them per distinct line and computes
only the lines it has not seen; what comes out is the same either way, since
every value here is computed line by line (tested).

The cache is bounded (it starts afresh when full) and is plain dictionary
reads and writes, so threads sharing a scorer can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, repeat
from typing import Sequence

import numpy as np

from .blocks import Block
from .context import line_stems
from .features import marker_of, shape_matrix, tokens_of
from .textpass import TextPass


@dataclass(slots=True)
class LineInputs:
    """One line's share of stage one's input and of the topic feature (not
    frozen: a frozen dataclass is several times slower to build, and these
    are built by the thousand; nothing assigns to them)."""

    shape: np.ndarray      # its row of shape_matrix (float32)
    columns: np.ndarray    # vocabulary columns of its known tokens, in token order
    n_tokens: int          # all its tokens, known or not
    stems: np.ndarray      # (k, 2) packed (low, high) topic stems, in order
    marker: str            # marker_of(text)


def compute_line_inputs(blocks: Sequence[Block], is_html: bool, vocabulary: dict[str, int]) -> list[LineInputs]:
    """LineInputs of each block, computed for all of them at once."""
    texts = [b.text for b in blocks]
    text_pass = TextPass(texts)
    shapes = shape_matrix(blocks, is_html, text_pass)
    tokens = tokens_of(texts, text_pass)
    n_tokens = [len(t) for t in tokens]
    columns = np.array(list(map(vocabulary.get, chain.from_iterable(tokens), repeat(-1))), dtype=np.int64)
    known = columns >= 0
    token_line = np.repeat(np.arange(len(texts)), n_tokens)
    line_columns = _split_by_line(columns[known], token_line[known], len(texts))
    stem_line, low, high = line_stems(texts, text_pass)
    line_stem_keys = _split_by_line(np.column_stack([low, high]), stem_line, len(texts))
    return [
        LineInputs(shapes[i], line_columns[i], n_tokens[i], line_stem_keys[i], marker_of(texts[i]))
        for i in range(len(texts))
    ]


def _split_by_line(values: np.ndarray, line: np.ndarray, n: int) -> list[np.ndarray]:
    """Split values (sorted by line) into one array per line (plain slicing:
    np.split costs several times more per piece)."""
    ends = np.cumsum(np.bincount(line, minlength=n)).tolist()
    return [values[start:end] for start, end in zip([0, *ends[:-1]], ends)]


class LineInputCache:
    """LineInputs per distinct (text, tag, link share, HTML or not)."""

    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._lines: dict[tuple, LineInputs] = {}

    def inputs(self, blocks: Sequence[Block], is_html: bool, vocabulary: dict[str, int]) -> list[LineInputs]:
        """LineInputs of each block, computing only the lines not seen before."""
        keys = [(b.text, b.tag, b.link_ratio, is_html) for b in blocks]
        lines = self._lines
        found = list(map(lines.get, keys))
        missing = [i for i, inputs in enumerate(found) if inputs is None]
        if missing:
            fresh = compute_line_inputs([blocks[i] for i in missing], is_html, vocabulary)
            if len(lines) + len(missing) > self.capacity:
                lines = self._lines = {}
            for i, inputs in zip(missing, fresh):
                found[i] = lines[keys[i]] = inputs
        return found
