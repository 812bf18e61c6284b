"""Widget titles whose list the extractor dropped.

A "Related stories" or "People are also reading:" box is a title over a list
of links. trafilatura drops link-dense lists but often keeps the title over
them, which then sits between two paragraphs looking exactly like a
subheading: its own words are its only evidence, and a short title has few.
The source page says what happened: the title opens an element whose rest is
a box of links (a widget), and the extracted text kept few of the links.
This module reads that off the parsed page (trafilatura extracts from a copy
of it), for the short lines the extraction kept, so stage three can tell an
orphaned title from a real subheading.
"""

from __future__ import annotations

from itertools import islice
from typing import Iterator

from .blocks import Block
from .smoothing import could_head_list
from .visible import visible

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ORPHAN_LABEL = "headline_list"
ORPHAN_RULE = "a widget title over a box of links that the extractor dropped"
LINK_SHARE = 0.6   # a box counts as links when this share of its text is link text
_MIN_LINKS = 2
_MAX_BOX_ELEMENTS = 500  # per element of a widget: a box of links is small, and reading a bigger one costs more than it can tell


def orphaned_titles(tree, base: str, blocks: list[Block]) -> set[str]:
    """The texts of the extracted headings ("h" lines) and short paragraph
    lines that title a widget of which the extracted text `base` kept fewer
    than half of the links: the extractor dropped the box and left its title."""
    headings = {b.text for b in blocks if b.tag == "h"}
    titles = {b.text for b in blocks if b.tag == "p" and could_head_list(b.text)}
    boxes = {**widgets_by_heading(tree, headings), **widgets_by_title(tree, titles)} if headings or titles else {}
    return {text for text, links in boxes.items() if sum(link in base for link in links) * 2 < len(links)}


def widgets_by_heading(tree, texts: set[str]) -> dict[str, tuple[str, ...]]:
    """Of the headings (h1-h6) whose text is in `texts`, each that opens a
    widget whose rest is links (at least two, LINK_SHARE of its text), with
    the links' texts."""
    if not texts:
        return {}
    candidates = ((visible(h.text_content()), h) for h in tree.iter(_HEADINGS))
    return _widgets(((text, h) for text, h in candidates if text in texts))


def widgets_by_title(tree, texts: set[str]) -> dict[str, tuple[str, ...]]:
    """The same for titles that are not headings ("<p><strong>Most
    read</strong></p>", "<div class="title">Most read</div>"), looked for
    just above each list (`<ul>`, `<ol>`): the element before the list,
    when it opens their parent. Reading every paragraph and span of a page
    for its text cost three times as much as the rest of this module."""
    if not texts:
        return {}
    candidates = (_element_sibling(box, -1) for box in tree.iter("ul", "ol"))
    titled = ((visible(el.text_content()), el) for el in candidates
              if el is not None and el.tag not in _HEADINGS and _element_sibling(el, -1) is None)
    return _widgets(((text, el) for text, el in titled if text in texts))


def _widgets(titled: Iterator) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for text, node in titled:
        if text in found:
            continue
        rest = _widget_rest(node)
        if not rest or not all(_small(el) for el in rest):
            continue
        links = [link for el in rest for link in (visible(a.text_content()) for a in el.iter("a")) if link]
        if len(links) < _MIN_LINKS:
            continue
        total = sum(len(visible(el.text_content())) for el in rest)
        if total and sum(map(len, links)) >= LINK_SHARE * total:
            found[text] = tuple(links)
    return found


def _widget_rest(el) -> list:
    """What a title opens, directly or from a wrapper holding only the title
    (`<div><h3>Related</h3><ul>…</ul></div>`, or a title over a run of
    linked paragraphs): the elements after it, none of them a heading. Empty
    when the title does not open its parent. A subheading with a box of
    links inserted under it has its own paragraphs after the box, so its
    rest is mostly prose, not links."""
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
        node = parent  # the title's own wrapper: look one level up
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
    title read the whole page."""
    return sum(1 for _ in islice(box.iter(), _MAX_BOX_ELEMENTS + 1)) <= _MAX_BOX_ELEMENTS
