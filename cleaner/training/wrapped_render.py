"""Render composed documents as hard-wrapped plain text, as html2text (78
columns), `lynx -dump` (79) or mail tools save pages: every line of prose cut
at a fixed width, list items, table rows and headings left whole. Labels come
from `compose.render_text`, which this feeds the wrapped segments, so spans
stay exact. Used to measure `cleaner/wrapping.py` (`scripts/format_report.py`).
"""

from __future__ import annotations

import random
import textwrap

from .compose import Composed, Segment, render_text
from .sources import TABLE_ROLES

WIDTHS = (60, 70, 72, 76, 78, 79, 80)


def render_wrapped(doc: Composed, rng: random.Random) -> dict:
    """Render to plain text wrapped at one of WIDTHS; the record is
    `render_text`'s, with "format": "wrapped" and the width."""
    width = rng.choice(WIDTHS)
    segments = [_wrapped(seg, width) for seg in doc.segments]
    record = render_text(Composed(doc.id, doc.lang, segments), rng)
    record["format"], record["width"] = "wrapped", width
    return record


def _wrapped(seg: Segment, width: int) -> Segment:
    if seg.roles[0] in TABLE_ROLES or seg.roles[0] in ("ul", "ol", "title", "sub"):
        return seg
    return Segment([textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False) for line in seg.lines],
                   list(seg.roles), seg.label, seg.hard)
