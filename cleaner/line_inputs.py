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
reads and writes, so threads sharing a scorer can use it. Only lines of up
to LONGEST_CACHED characters are kept: the lines that recur are short
(boilerplate), and keeping 4,096 paragraphs of any length let a process
that cleaned long-line documents grow by their size (a key holds its text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np

from .blocks import Block
from .context import line_stems
from .features import label_flags, line_tokens, marker_of, shape_matrix, tokens_of
from .textpass import TextPass
from .token_lookup import token_columns

if TYPE_CHECKING:
    from .scorer import LexicalWeights


@dataclass(slots=True)
class LineInputs:
    """One line's stage-one result and its share of the topic feature (not
    frozen: a frozen dataclass is several times slower to build, and these
    are built by the thousand; nothing assigns to them)."""

    shape: np.ndarray      # its row of shape_matrix (float32)
    probs: np.ndarray      # stage one's class probabilities: context-free, so a line's own
    stems: np.ndarray      # (k, 2) packed (low, high) topic stems, in order
    marker: str            # marker_of(text)


# Below this many lines, making the tokens as strings and looking them up in a
# dict is cheaper than the fixed cost of the array operations (measured).
HASHED_FROM_LINES = 32
# The hashes take 24 bytes per character of the lines (`token_lookup.py`);
# past this many characters (24 MB), strings again.
HASHED_MAX_CHARS = 1_000_000


def compute_line_inputs(blocks: Sequence[Block], is_html: bool, lexical: LexicalWeights) -> list[LineInputs]:
    """LineInputs of each block, computed for all of them at once."""
    texts = [b.text for b in blocks]
    text_pass = TextPass(texts)
    shapes = shape_matrix(blocks, is_html, text_pass)
    labelled = label_flags(texts)
    columns, token_line, n_tokens = _token_columns(texts, text_pass, lexical, labelled)
    probs = lexical.predict_proba_entries(token_line, columns, n_tokens, shapes, labelled)
    stem_line, low, high = line_stems(texts, text_pass)
    line_stem_keys = _split_by_line(np.column_stack([low, high]), stem_line, len(texts))
    return [LineInputs(shapes[i], probs[i], line_stem_keys[i], marker_of(texts[i])) for i in range(len(texts))]


def _token_columns(texts: list[str], text_pass: TextPass, lexical: LexicalWeights,
                   labelled: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(vocabulary column or -1, line) of every token in order, and each line's
    number of tokens: from hashes (`token_lookup.py`) for many lines once the
    hash table has earned its keep, from `tokens_of` strings otherwise (the
    same numbers either way; tested)."""
    hashable = len(texts) >= HASHED_FROM_LINES and len(text_pass.codepoints) <= HASHED_MAX_CHARS
    table = lexical.hashed_once_earned(len(texts)) if hashable else None
    if table is None:
        return lexical.look_up(tokens_of(texts, text_pass, labelled))
    columns, token_line, n_tokens = token_columns(texts, text_pass, table, labelled)
    if text_pass.tokens_fast:
        return columns, token_line, n_tokens
    # The lines holding "İ" or kana and Han (TextPass.regex_token_lines) from their token strings.
    redo = np.flatnonzero(text_pass.regex_token_lines)
    redo_columns, redo_line, redo_counts = lexical.look_up([line_tokens(texts[i]) for i in redo.tolist()], redo)
    token_line, (columns,) = text_pass.splice_redone(token_line, (columns,), text_pass.regex_token_lines,
                                                     redo_line, (redo_columns,))
    n_tokens = n_tokens.copy()
    n_tokens[redo] = redo_counts
    return columns, token_line, n_tokens


def _split_by_line(values: np.ndarray, line: np.ndarray, n: int) -> list[np.ndarray]:
    """Split values (sorted by line) into one array per line (plain slicing:
    np.split costs several times more per piece)."""
    ends = np.cumsum(np.bincount(line, minlength=n)).tolist()
    return [values[start:end] for start, end in zip([0, *ends[:-1]], ends)]


# Longer lines are computed every time, never kept (module doc).
LONGEST_CACHED = 2000


class LineInputCache:
    """LineInputs per distinct (text, tag, link share, HTML or not)."""

    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._lines: dict[tuple, LineInputs] = {}

    def inputs(self, blocks: Sequence[Block], is_html: bool, lexical: LexicalWeights) -> list[LineInputs]:
        """LineInputs of each block, computing only the lines not seen before."""
        keys = [(b.text, b.tag, b.link_ratio, is_html) for b in blocks]
        lines = self._lines
        found: list = list(map(lines.get, keys))  # a None for each line to compute, then its inputs
        missing = [i for i, inputs in enumerate(found) if inputs is None]
        if missing:
            fresh = compute_line_inputs([blocks[i] for i in missing], is_html, lexical)
            if len(lines) + len(missing) > self.capacity:
                lines = self._lines = {}
            for i, inputs in zip(missing, fresh):
                found[i] = inputs
                if len(keys[i][0]) <= LONGEST_CACHED:
                    lines[keys[i]] = inputs
        return found
