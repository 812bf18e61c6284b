"""Context features: what a block's neighbours look like.

The second stage of classification. A short title-case line is junk inside a run
of similar lines under a "Trending ...:" header and content when a paragraph
follows it; the first stage cannot tell these apart, this stage can. Features
are the first stage's junk probabilities and shapes of the neighbours, the run
of similar short lines the block sits in, how much of its vocabulary the rest
of the document shares, and where it sits in the document.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .features import SHAPE_NAMES
from .textpass import TextPass

OFFSETS = (-3, -2, -1, 1, 2, 3)
_NEIGHBOUR_SHAPES = tuple(SHAPE_NAMES.index(n) for n in ("log_words", "ends_terminal", "ends_colon", "starts_bullet", "title_ratio", "link_ratio"))
_LOG_WORDS = SHAPE_NAMES.index("log_words")
_SENTENCES = SHAPE_NAMES.index("sentences")
_TITLE = SHAPE_NAMES.index("title_ratio")
_COLON = SHAPE_NAMES.index("ends_colon")
_SHORT_WORDS = np.log1p(20)


class Documents:
    """Where each of several documents' lines sit in one array of lines, so
    context features are computed for all of them at once (most of the cost
    of a short document is per call, not per line) and never cross from one
    document into the next."""

    def __init__(self, sizes: Sequence[int]) -> None:
        self.sizes = np.asarray(sizes, dtype=np.int64)
        self.starts = np.cumsum(self.sizes) - self.sizes
        self.of_line = np.repeat(np.arange(len(self.sizes)), self.sizes)
        self.index = np.arange(int(self.sizes.sum())) - self.starts[self.of_line]  # position in its document
        self.line_size = self.sizes[self.of_line]  # its document's number of lines

    def means(self, values: np.ndarray) -> np.ndarray:
        """Each line's document's mean of `values` (added in line order)."""
        return (np.bincount(self.of_line, weights=values, minlength=len(self.sizes)) / np.maximum(self.sizes, 1))[self.of_line]


def runs_of_similar_lines(shapes: np.ndarray, markers: Sequence[str], blank_before: np.ndarray, docs: Documents | None = None) -> np.ndarray:
    """Give each block the id of its run of consecutive short, single-sentence
    lines sharing one list marker; other blocks get a run of their own. A run
    ends with its document."""
    n = len(markers)
    listy = (shapes[:, _LOG_WORDS] <= _SHORT_WORDS) & (shapes[:, _SENTENCES] == 0)
    same_marker = np.fromiter(map(str.__eq__, markers[1:], markers[:-1]), dtype=bool, count=max(n - 1, 0))
    joins = listy[1:] & listy[:-1] & same_marker & (np.asarray(blank_before[1:]) == 0)
    if docs is not None:
        joins &= docs.index[1:] != 0
    return np.concatenate(([0], np.cumsum(~joins))).astype(np.int64)


def _run_stats(run_ids: np.ndarray, junk: np.ndarray, title: np.ndarray, docs: Documents) -> dict[str, np.ndarray]:
    """Per-block statistics of its own run and of the runs just before and
    after it in its document (size 0, mean 0 where there is none)."""
    n = len(run_ids)
    sizes = np.bincount(run_ids).astype(np.float64)
    junk_sum = np.bincount(run_ids, weights=junk)
    run_mean = junk_sum / sizes
    size = sizes[run_ids]
    first = np.ones(n, dtype=bool)
    first[1:] = run_ids[1:] != run_ids[:-1]
    run_start = np.flatnonzero(first)
    start_idx = run_start[run_ids]
    padded_sizes = np.concatenate(([0.0], sizes, [0.0]))
    padded_mean = np.concatenate(([0.0], run_mean, [0.0]))
    stats = {
        "size": size,
        "index": (np.arange(n) - start_idx) / size,
        "junk_others": np.where(size > 1, (junk_sum[run_ids] - junk) / np.maximum(size - 1, 1), 0.0),
        "title": np.bincount(run_ids, weights=title)[run_ids] / size,
        "next_size": padded_sizes[run_ids + 2],
        "next_junk": padded_mean[run_ids + 2],
        "prev_size": padded_sizes[run_ids],
        "prev_junk": padded_mean[run_ids],
    }
    if len(docs.sizes) > 1:
        # The run before (after) a line's run lies in another document when
        # the line's run starts (ends) its document: it counts as none.
        run_doc = np.concatenate(([-1], docs.of_line[run_start], [-1]))
        for side, neighbour in (("prev", run_ids), ("next", run_ids + 2)):
            elsewhere = run_doc[neighbour] != docs.of_line
            for key in (f"{side}_size", f"{side}_junk"):
                stats[key] = np.where(elsewhere, 0.0, stats[key])
    return stats


_STEM = re.compile(r"(\w{5})\w*")
_TOPIC_CHARS = 300


def topic_overlap(texts: Sequence[str], text_pass: TextPass | None = None) -> np.ndarray:
    """Share of each line's longer words (5-letter prefixes) that occur elsewhere
    in the document: teasers are about other stories, subheadings and fact
    lists share words with the article around them. A line's first 300
    characters say enough about its topic. `text_pass` is the pass over the
    texts, if made already."""
    return overlap_of_stems(*line_stems(texts, text_pass or TextPass(texts)), len(texts))


def overlap_of_stems(line: np.ndarray, low: np.ndarray, high: np.ndarray, n: int, document: np.ndarray | None = None) -> np.ndarray:
    """topic_overlap from every stem occurrence: its line and its packed code
    points (`line_stems`). Sorted by stem then line, each distinct (stem, line)
    pair is counted once; a stem with one pair occurs in one line only.
    `document` numbers the documents of lines from several (one stem in two
    documents is two stems)."""
    if document is None:
        order = np.lexsort((line, low, high))
    else:
        order = np.lexsort((line, low, high, document))
    line, low, high = line[order], low[order], high[order]
    same_stem = np.zeros(line.size, dtype=bool)
    same_stem[1:] = (low[1:] == low[:-1]) & (high[1:] == high[:-1])
    if document is not None:
        document = document[order]
        same_stem[1:] &= document[1:] == document[:-1]
    new_pair = ~same_stem
    new_pair[1:] |= line[1:] != line[:-1]
    pair_line = line[new_pair]
    stem_of_pair = np.cumsum(~same_stem)[new_pair] - 1
    unique = np.bincount(stem_of_pair) == 1 if stem_of_pair.size else np.zeros(0, dtype=bool)
    stems = np.bincount(pair_line, minlength=n)
    unique_stems = np.bincount(pair_line, weights=unique[stem_of_pair], minlength=n)
    return np.where(stems > 0, 1.0 - unique_stems / np.maximum(stems, 1), 0.5)


def line_stems(texts: Sequence[str], text_pass: TextPass) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(line, low, high) for every `_STEM` match in each line's lower-cased
    first 300 characters, in order. A stem is five code points (21 bits each),
    packed into two integers (`_pack`). They are the first five characters of
    each word of five or more (clipped at 300), cut from the pass without
    making strings; in the lines where lower-casing is not character by
    character (`TextPass.unsafe_lines`), from the regex."""
    n = text_pass.n
    line, start, end = text_pass.clipped_words(np.zeros(n, dtype=np.int64), np.minimum(text_pass.length, _TOPIC_CHARS))
    long = end - start >= 5
    line = line[long]
    low, high = _pack(text_pass.lower_codepoints[start[long][:, None] + np.arange(5)].astype(np.uint64))
    if text_pass.lower_safe:
        return line, low, high
    redo = np.flatnonzero(text_pass.unsafe_lines)
    found = [_STEM.findall(texts[i][:_TOPIC_CHARS].lower()) for i in redo.tolist()]
    codepoints = np.array([[ord(c) for c in stem] for f in found for stem in f], dtype=np.uint64).reshape(-1, 5)
    line, (low, high) = text_pass.splice_redone(line, (low, high), text_pass.unsafe_lines,
                                                np.repeat(redo, [len(f) for f in found]), _pack(codepoints))
    return line, low, high


def _pack(codepoints: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) integers holding rows of five code points."""
    c = codepoints
    return (c[:, 3] << np.uint64(21)) | c[:, 4], (c[:, 0] << np.uint64(42)) | (c[:, 1] << np.uint64(21)) | c[:, 2]


def context_matrix(
    texts: Sequence[str],
    probs: np.ndarray,
    shapes: np.ndarray,
    markers: Sequence[str],
    blank_before: np.ndarray,
    blank_after: np.ndarray,
    content_col: int,
    overlap: np.ndarray | None = None,
    docs: Documents | None = None,
) -> np.ndarray:
    """Build the stage-two feature matrix for the non-blank blocks of one
    document, or of several in a row (`docs`; each line's features then
    depend on its own document only): stage one's probabilities, the shapes,
    the document columns (`_doc_columns`) and each neighbour's junk score and
    shape; `overlap` is `topic_overlap` if known already. The columns are
    written straight into one float32 matrix (each rounded from float64 once)."""
    n, n_classes = probs.shape
    n_shapes = shapes.shape[1]
    out = np.empty((n, context_width(n_classes, n_shapes)), dtype=np.float32)
    if n == 0:
        return out
    docs = Documents([n]) if docs is None else docs
    junk = 1.0 - probs[:, content_col]
    out[:, :n_classes] = probs
    out[:, n_classes: n_classes + n_shapes] = shapes
    at = n_classes + n_shapes
    if overlap is None:
        line, low, high = line_stems(texts, TextPass(texts))
        overlap = overlap_of_stems(line, low, high, n, docs.of_line[line])
    at = _doc_columns(out, at, junk, shapes, markers, blank_before, blank_after, overlap, docs)
    # Each neighbour's junk score and shape; -1 marks "no line there".
    padded = np.full((n + 6, 1 + len(_NEIGHBOUR_SHAPES)), -1.0)
    padded[3:-3, 0] = junk
    padded[3:-3, 1:] = shapes[:, _NEIGHBOUR_SHAPES]
    for off in OFFSETS:
        neighbours = padded[3 + off: 3 + off + n]
        if len(docs.sizes) > 1:
            elsewhere = (docs.index + off < 0) | (docs.index + off >= docs.line_size)
            neighbours = np.where(elsewhere[:, None], -1.0, neighbours)
        out[:, at: at + padded.shape[1]] = neighbours
        at += padded.shape[1]
    return out


def _doc_columns(out: np.ndarray, at: int, junk: np.ndarray, shapes: np.ndarray, markers: Sequence[str],
                 blank_before: np.ndarray, blank_after: np.ndarray, overlap: np.ndarray, docs: Documents) -> int:
    """Write the 19 document columns (position, blank lines around, the run the
    line sits in and its neighbouring runs, document-wide means, a dangling
    final header, topic overlap) into out[:, at:]; return the next column."""
    index, size = docs.index, docs.line_size
    run_ids = runs_of_similar_lines(shapes, markers, blank_before, docs)
    run = _run_stats(run_ids, junk, shapes[:, _TITLE], docs)
    long_para = (shapes[:, _LOG_WORDS] > _SHORT_WORDS).astype(np.float64)
    last = index == size - 1
    columns = (
        index / np.maximum(size - 1, 1),
        index == 0,
        last,
        np.log1p(size),
        blank_before,
        blank_after,
        np.log1p(run["size"]),
        run["index"],
        run["junk_others"],
        run["title"],
        np.log1p(run["next_size"]),
        run["next_junk"],
        np.log1p(run["prev_size"]),
        run["prev_junk"],
        docs.means(junk),
        docs.means(long_para),
        shapes[:, _COLON] * last,
        overlap,
        np.bincount(run_ids, weights=overlap)[run_ids] / run["size"],
    )
    for column in columns:
        out[:, at] = column
        at += 1
    return at


def context_width(n_classes: int, n_shapes: int) -> int:
    return n_classes + n_shapes + 19 + len(OFFSETS) * (1 + len(_NEIGHBOUR_SHAPES))
