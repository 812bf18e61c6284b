"""Stage three: a list is decided as a whole, and with the line that heads it.

The in-context scores of a list's items still wobble from item to item: in a
"Related stories" list of five teasers, one sober headline may score 0.4 while
its neighbours score 0.9, and in a real fact list one odd item may score 0.6.
Either way the page has one list, which is junk or content as a whole. Like
jusText's context smoothing, this stage gives each item the mean score of its
list, so the items fall on one side of the threshold together. (Pulling scores
only part of the way to the mean was measured and did worse on the composed dev
set.)

In HTML a list is what the page made one: the items of one `<ul>` or
`<ol>`, so a related-links list that follows a fact list is judged on its
own (splitting at list boundaries was measured on four composed dev sets:
HTML junk recall +0.3 to +2.2 points, with content lines removed equal or
fewer on every set). An item counts once, by its first line: a teaser card
is a headline and a dek (a one-sentence summary that reads like content) in
one `<li>`, and the whole card goes or stays with its list.

A list and the short line above it ("Trending now", "More from the site:")
then decide together when one side is sure and the other leans the same way,
the way jusText lets a near-boilerplate block follow its neighbours: a header
scoring at least HEADER_FLOOR goes with a removed list, and a list scoring at
least HEADER_FLOOR goes with a header removed at SURE_HEADER or more. Tying
them by averaging (the header as one more item) was measured to do worse;
this one-sided rule was measured on four composed dev sets of each kind, at
the default thresholds: HTML junk recall +0.3 to +1.8 points with not one
more content line removed; text recall +0.1 to +0.4 points over what moving
the threshold buys for the same content loss (content lines removed +0.03 to
+0.07 points). A list without markers in text, or a box of link
paragraphs in HTML, is no run; once its lines are removed, they count as
one for this rule when glued together and to the line above (`glued_runs`).
In plain text a box's short last line, glued under it and set apart from
what follows by a blank line, goes with it too (`tie_box_tails`), and sober
headlines glued under a sure list header go with it (`tie_headed_runs`).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .features import marker_of

MIN_ITEMS = 2


def list_runs(texts: Sequence[str], tags: Sequence[str], is_html: bool, markers: Sequence[str] | None = None,
              lists: Sequence[int] | None = None, items: Sequence[int] | None = None) -> list[tuple[int, int]]:
    """Index ranges [start, stop) of lists of 2 or more items.

    In text, items are consecutive lines with the same list marker (numbers
    folded, so "1." "2." "3." are one family; `markers` are the texts'
    `marker_of`, if known already). In HTML, a list is the consecutive lines
    from one list element, with all the lines of its items (`lists`: each
    line's `Block.list_id`; `items`: its item key, see `item_keys`); lines
    tagged as list items with no known list form one family, as consecutive
    "li" lines. A list's header is not part of its run (see
    `tie_list_headers`)."""
    families: list[object]
    if is_html:
        lists = lists if lists is not None else [-1] * len(tags)
        families = [list_id if list_id >= 0 else ("li" if tag == "li" else "") for tag, list_id in zip(tags, lists)]
    else:
        families = list(markers) if markers is not None else [marker_of(text) for text in texts]
        items = None  # every line is an item
    runs = []
    start = 0
    for i in range(1, len(families) + 1):
        if i == len(families) or families[i] != families[start]:
            n_items = i - start if items is None else len(set(items[start:i]))
            if families[start] != "" and n_items >= MIN_ITEMS:
                runs.append((start, i))
            start = i
    return runs


def item_keys(item_ids: Sequence[int]) -> list[int]:
    """Per line, which item it belongs to: its HTML list item (`Block.item_id`),
    or itself (negative keys, so they never equal an item number) when it
    has none."""
    return [item if item >= 0 else -1 - line for line, item in enumerate(item_ids)]


def smooth_lists(junk: np.ndarray, runs: Sequence[tuple[int, int]], items: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each list line's score replaced by its list's mean over items, an item
    scored by its first line (`items`: each line's item key, see `item_keys`;
    None when every line is an item); also each block's list size in items
    (0 outside lists), for the explanation."""
    smoothed = junk.copy()
    sizes = np.zeros(len(junk), dtype=np.int64)
    for start, stop in runs:
        if items is None:
            smoothed[start:stop] = junk[start:stop].mean()
            sizes[start:stop] = stop - start
        else:
            firsts = [i for i in range(start, stop) if i == start or items[i] != items[i - 1]]
            smoothed[start:stop] = junk[firsts].mean()
            sizes[start:stop] = len(firsts)
    return smoothed, sizes


HEADER_FLOOR = 0.35
SURE_HEADER = 0.9
_HEADER_MAX_CHARS = 70
_HEADER_MAX_WORDS = 9
_SENTENCE_END = (".", "!", "?", "。", "！", "？")


def could_head_list(text: str) -> bool:
    """Short, and not a sentence: a line that can introduce a list."""
    text = text.strip()
    return 0 < len(text) <= _HEADER_MAX_CHARS and len(text.split()) <= _HEADER_MAX_WORDS and not text.endswith(_SENTENCE_END)


def glued_runs(removed: np.ndarray, blank_before: Sequence[float] | np.ndarray, runs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs [start, stop) of MIN_ITEMS or more removed lines outside
    `runs` (the lists), with no blank line between them or above the first:
    a teaser list without markers, once its lines are removed, with the line
    glued on top of it that may be its header. In HTML, which has no blank
    lines, a teaser box laid out as paragraphs of links instead of a list.

    `list_runs` finds a text list by its markers only, so before this an
    unmarked list's header ("Popular in Travel" directly above five bare
    teasers) was left behind. Measured with scripts/dev_pipeline.py on its
    three composed dev sets of 3,000 texts (never ../shared/eval): 84 more
    junk lines removed and 41 more content lines, a better trade than
    lowering the threshold buys at the default (0.55 to 0.50: about as much
    content lost as junk found). In HTML, on its three dev sets of 1,200
    pages: junk lines left 11.4% of them instead of 11.6% (average),
    precision +0.0002, recall unchanged; on ../shared/eval, as a check, 2 of
    869 pages change and no figure moves in its third decimal."""
    in_list = np.zeros(len(removed), dtype=bool)
    for start, stop in runs:
        in_list[start:stop] = True
    blank = [bool(b) for b in blank_before]
    return [(start, stop) for start, stop in _glued_removed(removed & ~in_list, blank)
            if stop - start >= MIN_ITEMS and start > 0 and not blank[start]]


def _glued_removed(removed: np.ndarray, blank: Sequence[bool]) -> list[tuple[int, int]]:
    """The maximal runs [start, stop) of removed lines with no blank line
    between them (`blank`: a blank line before each line)."""
    flags = removed.tolist()  # Python values: indexing an array item by item is slow
    found: list[tuple[int, int]] = []
    start = 0
    while start < len(flags):
        if not flags[start]:
            start += 1
            continue
        stop = start + 1
        while stop < len(flags) and flags[stop] and not blank[stop]:
            stop += 1
        found.append((start, stop))
        start = stop
    return found


def tie_list_headers(texts: Sequence[str], junk: np.ndarray, removed: np.ndarray,
                     runs: Sequence[tuple[int, int]]) -> dict[int, str]:
    """Remove a list's header with the list, or the list with its header, when
    one side is removed and the other scores HEADER_FLOOR or more (`removed`
    is updated in place; `junk` holds the smoothed scores). Returns the lines
    removed this way, each with why."""
    why: dict[int, str] = {}
    if not runs:
        return why
    in_list = np.zeros(len(texts), dtype=bool)
    for start, stop in runs:
        in_list[start:stop] = True
    for start, stop in runs:
        header = start - 1
        if header < 0 or in_list[header] or not could_head_list(texts[header]):
            continue
        if removed[start] and not removed[header] and junk[header] >= HEADER_FLOOR:
            removed[header] = True
            why[header] = f"heads a removed list ({junk[start]:.2f}) and scores {junk[header]:.2f} >= {HEADER_FLOOR}"
        elif removed[header] and not removed[start] and junk[header] >= SURE_HEADER and junk[start] >= HEADER_FLOOR:
            removed[start:stop] = True
            for item in range(start, stop):
                why[item] = (f"in a list ({junk[start]:.2f} >= {HEADER_FLOOR}) under a header "
                             f"removed at {junk[header]:.2f} >= {SURE_HEADER}")
    return why


def tie_section_headings(tags: Sequence[str | None], removed: np.ndarray) -> dict[int, str]:
    """Remove a heading (`tag` "h") when every line of its section, up to the
    next heading or the end, is removed: an "About the author" or "Support
    our journalism" box is a heading over a sentence or two, and when the
    sentences went the heading stayed, dangling (`removed` is updated in
    place). Returns the lines removed this way, each with why."""
    why: dict[int, str] = {}
    heading = None  # the open section's heading, while all its lines so far are removed
    lines = 0
    for i, tag in enumerate([*tags, "h"]):  # a heading past the end closes the last section
        if tag in ("h", "h1"):
            if heading is not None and lines and not removed[heading]:
                removed[heading] = True
                why[heading] = "heads a section whose only line was removed" if lines == 1 else f"heads a section whose {lines} lines were all removed"
            heading, lines = (i, 0) if tag == "h" and i < len(tags) else (None, 0)
        elif heading is not None:
            if removed[i]:
                lines += 1
            else:
                heading = None
    return why


def tie_box_tails(texts: Sequence[str], junk: np.ndarray, removed: np.ndarray,
                  blank_before: Sequence[float] | np.ndarray, blank_after: Sequence[float] | np.ndarray) -> dict[int, str]:
    """Remove the short last line of a removed box: a line glued under MIN_ITEMS
    or more removed lines (no blank line between), with a blank line or the
    end of the text after it, short and not a sentence (`could_head_list`),
    scoring HEADER_FLOOR or more (`removed` is updated in place). Returns the
    lines removed this way, each with why.

    A newsletter or notification box ends in a button or a dismiss link
    ("Maybe later", "No thanks"): two words that say little on their own, so
    the box went and its last button stayed. The blank line after it is what
    says it belongs to the box above and not to the paragraph below; a text
    with no blank lines gives no such sign, and the rule then waits for the
    text's end."""
    why: dict[int, str] = {}
    blank = [bool(b) for b in blank_before]
    for start, tail in _glued_removed(removed, blank):
        # A run is maximal, so a line glued under it is not removed.
        if tail - start < MIN_ITEMS or tail == len(texts) or blank[tail]:
            continue
        closes = tail == len(texts) - 1 or bool(blank_after[tail])
        if closes and junk[tail] >= HEADER_FLOOR and could_head_list(texts[tail]):
            removed[tail] = True
            why[tail] = f"ends a box of {tail - start} removed lines above it and scores {junk[tail]:.2f} >= {HEADER_FLOOR}"
    return why


RUN_FLOOR = 0.15
_TEASER_MAX_CHARS = 150
_TEASER_MAX_WORDS = 20
_NOT_A_TEASER_END = (".", ":", ",", ";", "。", "：")


def could_be_teaser(text: str) -> bool:
    """A headline's shape: two to twenty words, and not ending as a sentence
    or a lead-in does (a question or an exclamation can be a headline)."""
    text = text.strip()
    return 0 < len(text) <= _TEASER_MAX_CHARS and 2 <= len(text.split()) <= _TEASER_MAX_WORDS and not text.endswith(_NOT_A_TEASER_END)


def tie_headed_runs(texts: Sequence[str], junk: np.ndarray, removed: np.ndarray, heads_list: np.ndarray,
                    blank_before: Sequence[float] | np.ndarray) -> dict[int, str]:
    """Remove the headline-shaped lines glued under a sure list header, when
    header and lines are a block of their own between blank lines (`removed`
    is updated in place). Returns the lines removed this way, each with why.

    The header: removed at SURE_HEADER or more as a headline list's
    (`heads_list`: the line's likeliest junk label is headline_list), with a
    blank line above it or at the top of the text. Under it, glued: MIN_ITEMS
    or more lines, each shaped like a headline (`could_be_teaser`), none
    removed yet, running to a blank line or the end of the text, and
    averaging RUN_FLOOR or more. "More from Sport" over three sober sports
    headlines, or "READ NEXT" over three "> " teasers: such headlines read
    like subheadings one by one (0.2 to 0.5 in context) and stayed under
    their removed header, while `tie_list_headers` waits for 0.35 and a list
    with markers. Looser versions (a sentence could end the run; removed
    lines could be part of it; no blank line needed above) took subheadings
    and fact lists glued under an inserted dangling header on the composed
    dev sets (docs/quality-history.md)."""
    why: dict[int, str] = {}
    blank = [bool(b) for b in blank_before]
    n = len(texts)
    for header in np.flatnonzero(removed & heads_list & (junk >= SURE_HEADER)).tolist():
        if not could_head_list(texts[header]):
            continue
        stop = header + 1
        while stop < n and not blank[stop] and could_be_teaser(texts[stop]):
            stop += 1
        items = range(header + 1, stop)
        set_apart = (header == 0 or blank[header]) and (stop == n or blank[stop])
        if len(items) < MIN_ITEMS or not set_apart or any(removed[i] for i in items):
            continue
        mean = float(junk[header + 1: stop].mean())
        if mean < RUN_FLOOR:
            continue
        removed[header + 1: stop] = True
        for i in items:
            why[i] = f"one of {len(items)} headline-shaped lines ({mean:.2f} >= {RUN_FLOOR}) glued under a list header removed at {junk[header]:.2f}"
    return why
