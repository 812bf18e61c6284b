"""HTML fragments: the article region a scraper already cut out of a page.

A pipeline that selects `div.article-body` with CSS hands over a fragment, not
a page. trafilatura is built to find the article inside a page, and on a
fragment it second-guesses a choice already made: by default it dropped a
subheading and its fact list from an authored article body, and it refuses
a fragment that is a single element (one `<p>`, one `<ul>`) as not quite
HTML, so the caller got an empty result for plain content.

So a fragment is extracted with trafilatura's recall-first setting, and when
that finds nothing, the fragment's own markup is rendered (`own_body`): its
elements renamed to the vocabulary of trafilatura's XML, so that one renderer
(`extract._Renderer`) makes the lines either way, with scripts, styles, forms
and comments dropped. Full pages (anything with `<html>`, `<head>`, `<body>`
or a doctype) go to trafilatura as before, except that when all trafilatura
has is its last resort for a page it could not read, the text of the whole
body run together in one paragraph, the body's own markup gives the lines
instead (`extract.py`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .visible import html_xml_safe, xml_safe

if TYPE_CHECKING:
    from lxml import etree

_PAGE = re.compile(r"<(?:html|head|body)[\s>/]|<!doctype", re.IGNORECASE)
# Heading tags, whose level trafilatura keeps in "rend" ("h2"), as this does.
HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))

# Raw HTML tag -> the tag of trafilatura's XML that `extract._Renderer` reads.
_RENAMED = {
    "p": "p", "li": "item", "dt": "item", "dd": "item", "ul": "list", "ol": "list", "dl": "list",
    "blockquote": "quote", "pre": "code", "tr": "row", "td": "cell", "th": "cell",
    "table": "table", "thead": "div", "tbody": "div", "tfoot": "div", "a": "ref", "br": "lb",
    "h1": "head", "h2": "head", "h3": "head", "h4": "head", "h5": "head", "h6": "head",
    "div": "div", "section": "div", "article": "div", "main": "div", "header": "div", "footer": "div",
    "aside": "div", "nav": "div", "figure": "div", "figcaption": "p", "address": "p", "caption": "p",
    "details": "div", "summary": "p", "center": "div", "form": "div", "fieldset": "div", "hr": "lb",
}
# Elements whose content is not text a reader sees.
_DROPPED = frozenset(
    "script style noscript template iframe svg math canvas object embed head title meta link "
    "select option input textarea button audio video source track map area".split()
)


def is_fragment(html: str) -> bool:
    """True when `html` is a piece of a page: no `<html>`, `<head>`, `<body>` or doctype."""
    return _PAGE.search(html) is None


def own_body(html: str) -> "etree._Element | None":
    """The fragment's elements in trafilatura's XML vocabulary, under one
    `<body>`, or None when it holds no text. (trafilatura's parser refuses
    a single-element fragment, so lxml parses it here.)"""
    import lxml.html  # here: cleaning text never needs lxml, and importing it costs startup time
    from lxml import etree

    try:
        tree = lxml.html.document_fromstring(html_xml_safe(html))
    except (etree.ParserError, ValueError):
        return None
    return markup_body(tree.find("body"))


def markup_body(source) -> "etree._Element | None":
    """`source`'s children in trafilatura's XML vocabulary, under one
    `<body>`, or None when `source` is None or they hold no text."""
    from lxml import etree

    if source is None:
        return None
    out = etree.Element("body")
    _copy_children(source, out)
    return out if "".join(out.itertext()).strip() else None


def _copy_children(source, target) -> None:
    from lxml import etree  # imported by own_body already; a lookup here
    last = None  # where a dropped element's tail text goes
    for child in source:
        name = child.tag.lower() if isinstance(child.tag, str) else None
        if name is None or name in _DROPPED:  # comments, processing instructions, scripts
            if child.tail:
                _append_text(target, last, xml_safe(child.tail))
            continue
        element = etree.SubElement(target, _RENAMED.get(name, "hi"))
        if name in HEADING_TAGS or name in ("ul", "ol"):
            element.set("rend", name)  # as trafilatura marks heading levels and list kinds
        elif name == "th":
            element.set("role", "head")
        element.text = _xml_text(child.text)
        element.tail = _xml_text(child.tail)
        _copy_children(child, element)
        last = element


def _xml_text(text: str | None) -> str | None:
    return xml_safe(text) if text else text


def _append_text(parent, last, text: str) -> None:
    if last is None:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text
