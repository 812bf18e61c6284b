"""Stage three: a list is decided as a whole.

The in-context scores of a list's items still wobble from item to item: in a
"Related stories" list of five teasers, one sober headline may score 0.4 while
its neighbours score 0.9, and in a real fact list one odd item may score 0.6.
Either way the page has one list, which is junk or content as a whole. Like
jusText's context smoothing, this stage gives each item the mean score of its
list, so the items fall on one side of the threshold together. (Pulling scores
only part of the way to the mean was measured and did worse on the composed dev
set.)
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .features import marker_of

MIN_ITEMS = 2


def list_runs(texts: Sequence[str], tags: Sequence[str], is_html: bool, markers: Sequence[str] | None = None) -> list[tuple[int, int]]:
    """Index ranges [start, stop) of 2 or more consecutive list items.

    In text, items are consecutive lines with the same list marker (numbers
    folded, so "1." "2." "3." are one family; `markers` are the texts'
    `marker_of`, if known already); in HTML, consecutive lines that came
    from list items. A list's header is left out: stage two already decides
    it well, and tying it to the list was measured to do worse."""
    if is_html:
        families = ["li" if tag == "li" else "" for tag in tags]
    else:
        families = list(markers) if markers is not None else [marker_of(text) for text in texts]
    runs = []
    start = 0
    for i in range(1, len(families) + 1):
        if i == len(families) or families[i] != families[start]:
            if families[start] and i - start >= MIN_ITEMS:
                runs.append((start, i))
            start = i
    return runs


def smooth_lists(junk: np.ndarray, runs: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Each list item's score replaced by its list's mean; also each block's
    list size (0 outside lists), for the explanation."""
    smoothed = junk.copy()
    sizes = np.zeros(len(junk), dtype=np.int64)
    for start, stop in runs:
        smoothed[start:stop] = junk[start:stop].mean()
        sizes[start:stop] = stop - start
    return smoothed, sizes
