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
from collections import Counter
from itertools import chain
from typing import Sequence

import numpy as np

from .features import SHAPE_NAMES

OFFSETS = (-3, -2, -1, 1, 2, 3)
_NEIGHBOUR_SHAPES = tuple(SHAPE_NAMES.index(n) for n in ("log_words", "ends_terminal", "ends_colon", "starts_bullet", "title_ratio", "link_ratio"))
_LOG_WORDS = SHAPE_NAMES.index("log_words")
_SENTENCES = SHAPE_NAMES.index("sentences")
_TITLE = SHAPE_NAMES.index("title_ratio")
_COLON = SHAPE_NAMES.index("ends_colon")
_SHORT_WORDS = np.log1p(20)


def runs_of_similar_lines(shapes: np.ndarray, markers: Sequence[str], blank_before: np.ndarray) -> np.ndarray:
    """Give each block the id of its run of consecutive short, single-sentence
    lines sharing one list marker; other blocks get a run of their own."""
    n = len(markers)
    listy = (shapes[:, _LOG_WORDS] <= _SHORT_WORDS) & (shapes[:, _SENTENCES] == 0)
    run_ids = np.zeros(n, dtype=np.int64)
    run = 0
    for i in range(1, n):
        same = listy[i] and listy[i - 1] and markers[i] == markers[i - 1] and not blank_before[i]
        if not same:
            run += 1
        run_ids[i] = run
    return run_ids


def _run_stats(run_ids: np.ndarray, junk: np.ndarray, title: np.ndarray) -> dict[str, np.ndarray]:
    """Per-block statistics of its own run and of the runs just before and after."""
    n = len(run_ids)
    sizes = np.bincount(run_ids).astype(np.float64)
    junk_sum = np.bincount(run_ids, weights=junk)
    run_mean = junk_sum / sizes
    size = sizes[run_ids]
    first = np.r_[True, run_ids[1:] != run_ids[:-1]]
    start_idx = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    padded_sizes = np.r_[0.0, sizes, 0.0]
    padded_mean = np.r_[0.0, run_mean, 0.0]
    return {
        "size": size,
        "index": (np.arange(n) - start_idx) / size,
        "junk_others": np.where(size > 1, (junk_sum[run_ids] - junk) / np.maximum(size - 1, 1), 0.0),
        "title": np.bincount(run_ids, weights=title)[run_ids] / size,
        "next_size": padded_sizes[run_ids + 2],
        "next_junk": padded_mean[run_ids + 2],
        "prev_size": padded_sizes[run_ids],
        "prev_junk": padded_mean[run_ids],
    }


_STEM = re.compile(r"(\w{5})\w*")


def topic_overlap(texts: Sequence[str]) -> np.ndarray:
    """Share of each line's longer words (5-letter prefixes) that occur elsewhere
    in the document: teasers are about other stories, subheadings and fact
    lists share words with the article around them. A line's first 300
    characters say enough about its topic."""
    stems = [set(_STEM.findall(t[:300].lower())) for t in texts]
    counts = Counter(chain.from_iterable(stems))
    unique = {stem for stem, count in counts.items() if count == 1}
    return np.asarray([1.0 - len(line & unique) / len(line) if line else 0.5 for line in stems])


def context_matrix(
    texts: Sequence[str],
    probs: np.ndarray,
    shapes: np.ndarray,
    markers: Sequence[str],
    blank_before: np.ndarray,
    blank_after: np.ndarray,
    content_col: int,
) -> np.ndarray:
    """Build the stage-two feature matrix for the non-blank blocks of one document."""
    n = probs.shape[0]
    if n == 0:
        return np.zeros((0, context_width(probs.shape[1], shapes.shape[1])), dtype=np.float32)
    junk = 1.0 - probs[:, content_col]
    title = shapes[:, _TITLE]
    run_ids = runs_of_similar_lines(shapes, markers, blank_before)
    run = _run_stats(run_ids, junk, title)

    overlap = topic_overlap(texts)
    run_overlap = np.bincount(run_ids, weights=overlap)[run_ids] / run["size"]

    # Each neighbour's junk score and shape; -1 marks "no line there".
    padded = np.full((n + 6, 1 + len(_NEIGHBOUR_SHAPES)), -1.0)
    padded[3:-3, 0] = junk
    padded[3:-3, 1:] = shapes[:, _NEIGHBOUR_SHAPES]
    neighbour_cols = [padded[3 + off: 3 + off + n] for off in OFFSETS]

    position = np.arange(n) / max(n - 1, 1)
    long_para = (shapes[:, _LOG_WORDS] > _SHORT_WORDS).astype(np.float64)
    doc_cols = np.column_stack([
        position,
        np.arange(n) == 0,
        np.arange(n) == n - 1,
        np.full(n, np.log1p(n)),
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
        np.full(n, junk.mean()),
        np.full(n, long_para.mean()),
        shapes[:, _COLON] * (np.arange(n) == n - 1),
        overlap,
        run_overlap,
    ])
    return np.hstack([probs, shapes, doc_cols, *neighbour_cols]).astype(np.float32)


def context_width(n_classes: int, n_shapes: int) -> int:
    return n_classes + n_shapes + 19 + len(OFFSETS) * (1 + len(_NEIGHBOUR_SHAPES))
