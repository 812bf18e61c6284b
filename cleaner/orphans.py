"""Headings whose list the extractor dropped.

A "Related stories" or "People are also reading:" box is a heading over a
list of links. trafilatura drops link-dense lists but often keeps the heading
over them, which then sits between two paragraphs looking exactly like a
subheading: its own words are its only evidence, and a short heading has few.
The source page says what happened: the heading opens an element whose
rest is a box of links (a widget), and the extracted text kept few of the
links. This
module reads that off the parsed page (trafilatura extracts from a copy of
it), for the headings the extraction kept, so stage three can tell an
orphaned heading from a real subheading.
"""

from __future__ import annotations

from itertools import islice

from .visible import visible

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ORPHAN_LABEL = "headline_list"
ORPHAN_RULE = "a heading over a box of links that the extractor dropped"
LINK_SHARE = 0.6   # a box counts as links when this share of its text is link text
_MIN_LINKS = 2
_MAX_BOX_ELEMENTS = 500  # per element of a widget: a box of links is small, and reading a bigger one costs more than it can tell


def headings_over_link_boxes(tree, texts: set[str]) -> dict[str, tuple[str, ...]]:
    """Of the headings (h1-h6) whose text is in `texts`, each that opens a
    widget whose rest is links (at least two, LINK_SHARE of its text), with
    the links' texts. `texts` are the extracted headings, so most of a page's
    headings cost one text read."""
    found: dict[str, tuple[str, ...]] = {}
    for heading in tree.iter(_HEADINGS):
        text = visible(heading.text_content())
        if text not in texts or text in found:
            continue
        box = _widget_rest(heading)
        if not box or not all(_small(el) for el in box):
            continue
        links = [link for el in box for link in (visible(a.text_content()) for a in el.iter("a")) if link]
        if len(links) < _MIN_LINKS:
            continue
        total = sum(len(visible(el.text_content())) for el in box)
        if total and sum(map(len, links)) >= LINK_SHARE * total:
            found[text] = tuple(links)
    return found


def orphaned_headings(tree, base: str, headings: set[str]) -> set[str]:
    """The extracted `headings` that title a box of links of which the
    extracted text `base` kept less than half: the extractor dropped the
    box and left its title."""
    boxes = headings_over_link_boxes(tree, headings)
    return {text for text, links in boxes.items() if sum(link in base for link in links) * 2 < len(links)}


def _widget_rest(el) -> list:
    """What a heading titles when it opens its parent, directly or from a
    wrapper holding only the heading (`<div><h3>Related</h3><ul>…</ul></div>`,
    or the heading over a run of linked paragraphs): the elements after it,
    none of them a heading. Empty when the heading does not open its parent.
    A subheading with a box of links inserted under it has its own
    paragraphs after the box, so its rest is mostly prose, not links."""
    node = el
    for _ in range(2):
        if _element_sibling(node, -1) is None:
            rest = []
            after = _element_sibling(node, 1)
            while after is not None:
                if after.tag in _HEADINGS:
                    return []
                rest.append(after)
                after = _element_sibling(after, 1)
            if rest:
                return rest
        parent = node.getparent()
        if parent is None or _element_sibling(node, -1) is not None or _element_sibling(node, 1) is not None:
            return []
        node = parent  # the heading's own wrapper: look one level up
    return []


def _element_sibling(node, step: int):
    """The nearest element before (-1) or after (1) `node`, skipping comments."""
    sibling = node.getprevious() if step < 0 else node.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getprevious() if step < 0 else sibling.getnext()
    return sibling


def _small(box) -> bool:
    """At most _MAX_BOX_ELEMENTS elements under `box`, counted without
    walking past that many: a page of nested widgets must not make every
    heading read the whole page."""
    return sum(1 for _ in islice(box.iter(), _MAX_BOX_ELEMENTS + 1)) <= _MAX_BOX_ELEMENTS
