"""Stage three's veto: a sentence that stage one is sure is content stays.

Stage two reads a line through its neighbours, which is how a teaser goes with
its list; but the same context pulls in a real sentence glued to a junk block
(a line of an itinerary right under a promo box, a correction note above a
teaser list). On the project's dev sets (`scripts/dev_pipeline.py`, three of
3,000 texts), keeping the lines that stage one alone reads as content at 0.95
or more and that end in a full stop kept 29 content lines for 8 junk lines
(39 for 14 with the model retrained after it), where moving the threshold
trades about 1.2 junk lines per content line.
Teasers rarely end in a full stop; questions and exclamations are left to the
model. In HTML, where a line is a paragraph and most end in a full stop, the
same veto let more junk through than it saved content, so it is for text only.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

SURE_CONTENT = 0.95
SURE_RULE = f"kept: read alone, a full sentence of content (>= {SURE_CONTENT:g}), whatever its neighbours"
_FULL_STOPS = (".", "。", "．")


def sure_sentences(texts: Sequence[str], content_probs: np.ndarray, among: np.ndarray, sure: float = SURE_CONTENT) -> list[int]:
    """The lines flagged in `among` (the removed ones) that are full sentences
    stage one reads as content at `sure` or more."""
    vetoed = []
    for i in np.flatnonzero(among & (content_probs >= sure)).tolist():
        end = texts[i].rstrip()
        if end.endswith(_FULL_STOPS) and not end.endswith(".."):
            vetoed.append(i)
    return vetoed
