"""Extract the article body from HTML with trafilatura, keeping its structure.

trafilatura's plain-text output throws away what it knew about each line: that a
line was a heading, a list item or a link. The classifier needs exactly that, so
we take trafilatura's XML body and render it to text ourselves, one line per
block, remembering each line's tag and link share. The rendered text is the
`base` that removed-span offsets index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .blocks import Block
from .br_runs import wrap_br_runs
from .preformatted import mark_preformatted_as_code
from .errors import InputError, first_line
from .fragment import HEADING_TAGS, is_fragment, markup_body, own_body
from .nesting import flatten, is_suspiciously_deep
from .orphans import orphaned_titles
from .visible import has_forbidden_reference, html_xml_safe, visible, visible_code

_BLOCK_TAGS = {"head": "h", "p": "p", "item": "li", "quote": "quote", "code": "code", "row": "row", "list": "", "table": "", "div": "", "body": ""}
# Where a <code> is a word or two of a sentence ("use <code>len</code> for
# sizes"), not a block of its own: made a line of its own, it cut the
# sentence into three lines, each scored alone.
_INLINE_PARENTS = frozenset({"p", "head", "item", "cell", "hi", "ref", "del", "code"})


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """trafilatura settings, chosen by measurement on the AEB and traf dev sets."""

    include_comments: bool = False
    include_tables: bool = True
    favor_precision: bool = False
    favor_recall: bool = False
    fast: bool = False
    # Read a page from its own markup when trafilatura's result is its last
    # resort, a single paragraph of text (`_own_markup_of_fallback`).
    read_text_dumps: bool = True


class _Renderer:
    """Flattens trafilatura's XML body into tagged lines."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str, int, tuple[int, int], str]] = []
        self._parts: list[str] = []
        self._link_chars = 0
        self._tag = "p"
        self._markup = ""  # Block.markup of the line being rendered
        self._lists_open: list[list] = []  # [rend, items so far] of each list the walk is inside
        self._tables_open: list[bool] = []  # per table the walk is inside: no row yet
        self._items_begun: set[int] = set()  # list items that have a line already
        self._quotes = 0  # quotations the walk is inside
        # The list and the list item being rendered, numbered in document order.
        self._place = (-1, -1)
        self._lists = self._items = 0

    def _flush(self) -> None:
        if self._parts:
            text = (visible_code if self._tag == "code" else visible)("".join(self._parts))
            if text:
                self.lines.append((text, self._tag, min(self._link_chars, len(text)), self._place, self._item_markup()))
        self._parts = []
        self._link_chars = 0

    def _add(self, text: str | None, in_link: bool) -> None:
        if text:
            self._parts.append(text)
            if in_link:
                self._link_chars += len(text.strip())

    def render(self, root, tag: str) -> None:
        """Add the lines of `root`'s subtree, all of them tagged `tag` or finer."""
        self.visit(root, tag, False)
        self._flush()

    def visit(self, el, tag: str, in_link: bool) -> None:
        name = el.tag if isinstance(el.tag, str) else ""
        own_tag = tag
        outer_markup = self._markup
        is_block = name in _BLOCK_TAGS and not (name == "code" and _is_inline(el))
        if is_block:
            self._flush()
            own_tag = _BLOCK_TAGS[name] or tag
            if name == "head":
                own_tag = "h1" if el.get("rend") == "h1" else "h"
            self._tag = own_tag
            self._markup = self._markup_of(el, name)
        elif name == "lb":
            self._flush()
            self._tag = tag
        elif name == "cell" and self._parts:
            self._parts.append(" | ")
        outer = self._place
        if name == "list":
            self._place, self._lists = (self._lists, -1), self._lists + 1
            self._lists_open.append([el.get("rend", ""), 0])
        elif name == "table":
            self._tables_open.append(True)
        elif name == "item":
            self._place, self._items = (self._place[0], self._items), self._items + 1
        self._quotes += name == "quote"
        child_link = in_link or name == "ref"
        self._add(el.text, child_link)
        for child in el:
            self.visit(child, own_tag, child_link)
        if is_block:
            self._flush()
            self._tag = tag
            self._markup = outer_markup
        self._quotes -= name == "quote"
        if name == "list":
            self._lists_open.pop()
        elif name == "table":
            self._tables_open.pop()
        self._place = outer
        self._add(el.tail, in_link)

    def _item_markup(self) -> str:
        """The markup of the line being flushed: a list item's second line
        (after a <br>, or its second paragraph) is marked "+", more of the
        same item, not an item of its own."""
        markup, item = self._markup, self._place[1]
        if item < 0 or not markup.startswith(("ul", "ol")):
            return markup
        if item in self._items_begun:
            return markup + "+"
        self._items_begun.add(item)
        return markup

    def _markup_of(self, el, name: str) -> str:
        """`Block.markup` for the lines of block element `el`."""
        if name == "head":
            rend = el.get("rend", "")
            return rend if rend in HEADING_TAGS else ""
        if name == "item" and self._lists_open:
            kind = self._lists_open[-1]
            kind[1] += 1
            depth = len(self._lists_open) - 1
            return f"{'ol' if kind[0] == 'ol' else 'ul'}{kind[1]}" + (f":{depth}" if depth else "")
        if name == "row":
            first = bool(self._tables_open and self._tables_open[-1])
            if first:
                self._tables_open[-1] = False
            # A header row is mostly header cells: a row that only opens with one
            # (<th scope="row">Motor</th><td>250 W</td>) is a row of the body.
            cells = [cell.get("role") == "head" for cell in el]
            return "thead" if 2 * sum(cells) > len(cells) else "tstart" if first else ""
        if self._quotes or name == "quote":
            return "quote"
        # A paragraph inside a list item (<li><p>...</p></li>) is still the item.
        return self._markup if self._markup.startswith(("ul", "ol")) else ""


def _is_inline(code) -> bool:
    """Whether a <code> element sits inside a line of text: a word or two of
    code in a paragraph, a list item or a table cell. Code of several lines
    standing alone in a list item (no text of the item right before or after
    it: a step's `<pre>`) is a block of its own; its commands, run together
    on one line, became another command. Code wrapped across lines within a
    sentence ("Pass <code>--max-bytes\n5000</code> to ...") stays in it, and
    in a cell code stays in its row."""
    parent = code.getparent()
    if parent is None or parent.tag not in _INLINE_PARENTS:
        return False
    if parent.tag != "item" or "\n" not in "".join(code.itertext()).strip():
        return True
    previous = code.getprevious()
    before = parent.text if previous is None else previous.tail
    return bool((before or "").strip() or (code.tail or "").strip())


def extract_blocks(html: str, options: ExtractOptions = ExtractOptions()) -> tuple[str, list[Block]]:
    """Return the extracted text and its blocks; ("", []) when nothing is found.

    Raises InputError when the page defeats lxml or trafilatura (an exception
    from inside them), naming what went wrong.
    """
    fragment = is_fragment(html)
    settings = replace(options, favor_recall=True, favor_precision=False) if fragment else options
    doc, tree = _trafilatura(html, settings)
    if doc is None and has_forbidden_reference(html):
        # "&#xfffe;" and the like made trafilatura give up on the whole page.
        html = html_xml_safe(html)
        doc, tree = _trafilatura(html, settings)
    body = doc.body if doc is not None else None
    renderer = _Renderer()
    try:
        if fragment and (body is None or not "".join(body.itertext()).strip()):
            body = own_body(html)  # trafilatura found nothing (or would not parse so small a piece)
        elif tree is not None and options.read_text_dumps:
            own = _own_markup_of_fallback(body, tree)
            body = body if own is None else own
        if body is None:
            return "", []
        renderer.render(body, "p")
        if options.include_comments and doc is not None and doc.commentsbody is not None:
            renderer.render(doc.commentsbody, "comment")
    except RecursionError as exc:
        raise InputError("HTML is nested too deeply to extract its text") from exc
    base, blocks = _join(renderer.lines)
    # No tree when trafilatura's parser refused the page and a fragment's own markup gave the lines.
    orphans = orphaned_titles(tree, base, blocks) if tree is not None else set()
    if orphans:
        for block in blocks:
            block.orphaned = block.tag in ("h", "p") and block.text in orphans
    return base, blocks


def _own_markup_of_fallback(body, tree):
    """The page's own markup, for what it holds, when trafilatura's result is
    one of its last resorts: a single paragraph of plain text, which rendered
    as it is makes one line ("Pancakes Mix the flour ... Two eggs A cup of
    flour ..."), headings, list items, menus and all, that the classifier can
    neither keep in part nor remove in part. None otherwise.

    - Every text of the body, one per line: a page it could not find an
      article in (a small page, often). The body's markup stands for it.
    - The text of the page's `<article>` joined with spaces: its own
      extraction gave under 250 characters. That is a short page in English
      but an ordinary news brief in Chinese or Japanese, which say as much in
      a third of the characters. The article's markup stands for it, without
      what that fallback left out (`_pruned_as_trafilatura_did`)."""
    if body is None or len(body) != 1 or body[0].tag != "p" or len(body[0]):
        return None
    text = body[0].text or ""
    if "\n" in text:
        return markup_body(tree.find("body"))
    article = _article_run_together(text, tree)
    return None if article is None else markup_body(_pruned_as_trafilatura_did(article))


_DUMP_PREFIX = 60  # characters of the paragraph and of the article compared


def _article_run_together(text: str, tree):
    """The page's one top-level `<article>` when `text` (trafilatura's lone
    paragraph) starts as that article's text does (trafilatura may have
    pruned some of its elements before joining), else None."""
    if len(text) < _DUMP_PREFIX:
        return None
    articles = tree.xpath("//article[not(ancestor::article)]")
    if len(articles) != 1:
        return None
    own = " ".join(articles[0].text_content().split())
    return articles[0] if own[:_DUMP_PREFIX] == text[:_DUMP_PREFIX] else None


def _pruned_as_trafilatura_did(article):
    """A copy of `article` without what trafilatura's fallback left out of its
    text (asides, footers, cookie notices, scripts: its `basic_cleaning`)."""
    from copy import deepcopy

    from trafilatura.baseline import basic_cleaning

    return basic_cleaning(deepcopy(article))


def _trafilatura(html: str, options: ExtractOptions):
    """trafilatura's document for `html` (None when it finds nothing)."""
    from trafilatura import bare_extraction

    try:
        tree = _parse(html)
        if tree is None:
            return None, None
        return bare_extraction(
            tree,
            include_comments=options.include_comments,
            include_tables=options.include_tables,
            include_links=True,
            favor_precision=options.favor_precision,
            favor_recall=options.favor_recall,
            fast=options.fast,
            with_metadata=False,
            # Not "python" (the default): that also renders the body as plain
            # text (`Document.text`), which the cleaner renders its own way.
            output_format="txt",
        ), tree
    except RecursionError as exc:
        raise InputError("HTML is nested too deeply to extract its text") from exc
    except Exception as exc:  # lxml and trafilatura failures, whatever their type
        raise InputError(f"HTML could not be extracted ({type(exc).__name__}: {first_line(exc)})") from exc


def _parse(html: str):
    """Parse as trafilatura would, re-parsing a flattened copy when the tree is
    deep enough to have hit the parser's nesting limit (see nesting.py), make
    loose text next to links paragraphs (see br_runs.py) and a <pre>'s text
    code (see preformatted.py)."""
    from trafilatura import load_html

    tree = load_html(html)
    preamble = _PREAMBLE.match(html) if tree is None else None
    if preamble is not None and preamble.end():
        # trafilatura refuses a page without "html" in its first 50
        # characters and without a <head>: one after blank lines, an XML
        # prolog or comments (a template's output) came out empty.
        html = html[preamble.end():]
        tree = load_html(html)
    if tree is not None and is_suspiciously_deep(tree):
        tree = load_html(flatten(html))
    if tree is not None:
        wrap_br_runs(tree)
        mark_preformatted_as_code(tree)
    return tree


# Whitespace, XML declarations and comments before a page's first tag.
_PREAMBLE = re.compile(r"\s*+(?:(?:<\?[^>]*+>|<!--(?:[^-]|-(?!->))*+-->)\s*+)*+")


def _join(lines: list[tuple[str, str, int, tuple[int, int], str]]) -> tuple[str, list[Block]]:
    blocks: list[Block] = []
    pos = 0
    for i, (text, tag, link_chars, (list_id, item_id), markup) in enumerate(lines):
        end = pos + len(text)
        stop = end + 1 if i < len(lines) - 1 else end
        blocks.append(Block(pos, end, stop, text, tag=tag, link_ratio=link_chars / len(text), list_id=list_id, item_id=item_id,
                            markup=markup))
        pos = stop
    return "\n".join(line[0] for line in lines), blocks
