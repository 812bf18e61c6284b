"""Turn per-line decisions into removed spans and the clean text.

A removed line's span takes its line break with it, and blank lines between two
removed lines of one label go with them, so removal leaves no holes. When a
removed run stood between blank lines (paragraph-spaced text), the blank lines
after it go too, so the paragraph spacing around it stays as it was.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from .blocks import Block
from .result import RemovedSpan


def removed_spans(
    base: str,
    blocks: Sequence[Block],
    removed: Sequence[bool],
    labels: Sequence[str],
    scores: Sequence[float],
) -> tuple[RemovedSpan, ...]:
    """Spans of `base` to delete, in order, one per run of removed lines of one label.

    `blocks` are all lines of `base` in order; `removed`, `labels`, `scores` are
    aligned with its non-blank lines.
    """
    runs: list[list] = []  # [first block, last block, label, scores]
    in_run = False  # blank lines do not end a run; a kept line does
    k = -1
    for i, block in enumerate(blocks):
        if block.blank:
            continue
        k += 1
        if not removed[k]:
            in_run = False
        elif in_run and runs[-1][2] == labels[k]:
            runs[-1][1] = i
            runs[-1][3].append(scores[k])
        else:
            runs.append([i, i, labels[k], [scores[k]]])
            in_run = True

    spans: list[RemovedSpan] = []
    for first, last, label, run_scores in runs:
        start = blocks[first].start
        stop = blocks[last].stop
        if first == 0 or blocks[first - 1].blank:
            # Runs never overlap: a run starts at a non-blank line, and these
            # trailing blank lines stop at the next one.
            j = last + 1
            while j < len(blocks) and blocks[j].blank:
                stop = blocks[j].stop
                j += 1
        spans.append(RemovedSpan(start, stop, label, sum(run_scores) / len(run_scores), base[start:stop]))
    return tuple(spans)


def delete_spans(base: str, spans: Sequence[RemovedSpan]) -> str:
    """`base` with every span cut out and nothing else changed."""
    return cut_ranges(base, [(span.start, span.end) for span in spans])


def cut_ranges(text: str, ranges: Iterable[tuple[int, int]]) -> str:
    """`text` without the (start, end) ranges, given in order and apart."""
    parts, pos = [], 0
    for start, end in ranges:
        parts.append(text[pos:start])
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
