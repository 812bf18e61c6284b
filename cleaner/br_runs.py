"""Text written straight into a container and broken with <br>, made paragraphs.

Older blogs and CMS pages often write an article as loose text in a <div> or
<section>, paragraphs separated by <br><br>. trafilatura reads such text from
each <br>'s tail, and with links kept (which the classifier needs, for link
density) a link ends that reading: "see the table of contents (<a>PDF</a>)
for details" came out as "see the table of contents (", the link and the
rest of the paragraph lost, and elsewhere a link's next word was glued to it
("Phu Quocfeatures"). So before trafilatura sees the page, each run of loose
text and inline elements between two <br>s (or other blocks) of such a
container becomes a <p>, which trafilatura reads whole, links and all; the
lines stay as the <br>s made them.

Only containers where loose text sits next to a link are rewritten, and then
all of their runs: next to a paragraph, trafilatura drops a container's
loose text, so wrapping some runs lost the others. On the 764 evaluation
pages 11 pages change: lost paragraphs come back on 6 (one had 538 words
instead of 469), a cookie notice and two image captions go, traf recall
0.932 -> 0.933; aeb and injected-html unchanged.
"""

from __future__ import annotations

from typing import Any

from .visible import xml_safe

# Containers whose loose text is wrapped. Paragraphs, list items, cells,
# headings and quotations are read whole by trafilatura already.
_CONTAINERS = frozenset({"div", "section", "article", "main", "body", "center"})
# Children that end a run of loose text: a line break, or a block of their own.
_BLOCKS = frozenset({
    "br", "p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "ul", "ol", "dl", "table",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "figure", "form", "center", "address", "details",
    "iframe", "script", "style", "noscript", "video", "audio",
})


def wrap_br_runs(tree) -> None:
    """Wrap, in place, the runs of loose text of every container that holds
    loose text next to a link and a <br> (see the module docstring)."""
    parents = [p for p in {br.getparent() for br in tree.iter("br")}
               if p is not None and p.tag in _CONTAINERS and _loose(p.text, list(p))]
    if not parents:
        return
    with_links = _elements_holding_links(tree)
    for parent in parents:
        _wrap(parent, with_links)


def _elements_holding_links(tree) -> set:
    """Every element that is or holds an <a>: one walk up from each link,
    stopping where an earlier walk went, so the cost is linear in the page
    (walking each container's own links instead cost that again for every
    container nested in another)."""
    marked: set = set()
    for link in tree.iter("a"):
        element = link
        while element is not None and element not in marked:
            marked.add(element)
            element = element.getparent()
    return marked


def _runs(parent) -> list[tuple[Any, list]]:
    """(the block child before it, or None at the start; its inline children)
    for each run of `parent`'s loose text."""
    runs: list[tuple[Any, list]] = []
    before: Any = None
    run: list = []
    for child in parent:
        if isinstance(child.tag, str) and child.tag in _BLOCKS:
            runs.append((before, run))
            before, run = child, []
        else:
            run.append(child)
    runs.append((before, run))
    return runs


def _wrap(parent, with_links: set) -> None:
    from lxml import etree  # here, so that cleaning text never imports lxml

    runs = [(parent.text if before is None else before.tail, before, run) for before, run in _runs(parent)]
    if not any(_loose(lead, run) and any(element in with_links for element in run) for lead, _, run in runs):
        return
    for lead, before, run in runs:
        if not run and not (lead or "").strip():
            continue
        paragraph = etree.Element("p")
        paragraph.text = xml_safe(lead) if lead else lead  # lxml refuses to set what its parser let in ("&#xfffe;")
        if before is None:
            parent.text = None
            parent.insert(0, paragraph)
        else:
            before.tail = None
            before.addnext(paragraph)
        paragraph.extend(run)  # moves each child, its tail with it


def _loose(lead: str | None, run: list) -> bool:
    """Whether the run (or, given a container's text and all its children,
    the container) holds loose text of its own."""
    return bool((lead or "").strip()) or any((element.tail or "").strip() for element in run)
