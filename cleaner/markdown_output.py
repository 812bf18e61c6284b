"""The clean text of an HTML page as Markdown: headings, lists, quotes, tables.

`CleanResult.text` is plain lines, which is what the offsets index and what
most pipelines want. LLM-data jobs often want the article's structure too:
which lines were headings, which a list, which a table. The extractor
already tags every line (`extract.py`, with `Block.markup` for what the
model does not read), so the kept lines are written out with the Markdown
that says the same:

* headings at their level (``#`` for the page headline, ``##`` to
  ``######`` below it; ``##`` when the page did not say);
* list items as ``- ``, or ``1.``, ``2.``, ... in a numbered list;
  consecutive items as one list;
* quotations as ``> `` (each paragraph of one a quoted paragraph), code as
  a fenced block, table rows (cells joined by `` | ``) as a Markdown table
  whose first row is its header;
* anything else as a paragraph, blocks separated by a blank line.

A line whose start would read as Markdown syntax ("# 1 in sales", "1. FC
Köln", "- 5 °C overnight") gets a backslash before it, so the text comes back
as written; inline characters (``*``, ``_``, ``[``) are left alone, as most
Markdown writers for web text do. Removed lines are simply absent.

Text input is returned as `result.text`: a text that was Markdown stays
Markdown, and plain text is already valid Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import TYPE_CHECKING

from .errors import CleanerError

if TYPE_CHECKING:
    from .result import BlockDecision, CleanResult

# Line starts that Markdown reads as structure: headings, list markers, quote
# marks, fences, table bars, and lines that would underline the one above.
_SYNTAX_START = re.compile(r"(?:#{1,6}(?:\s|$)|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|>|```|~~~|\||[=-]+\s*$)")
_ORDERED = re.compile(r"(\d{1,9})([.)])")


def escape_line(text: str) -> str:
    """`text` with a backslash where its start would read as Markdown syntax."""
    if not _SYNTAX_START.match(text):
        return text
    ordered = _ORDERED.match(text)
    if ordered:  # "1. FC Köln" -> "1\. FC Köln": the escape goes before the mark
        return ordered.group(1) + "\\" + text[ordered.end(1):]
    return "\\" + text


def result_markdown(result: CleanResult) -> str:
    """The kept lines of `result` as Markdown (see the module docstring).

    CleanerError for an HTML result that came back from a batch worker
    without its per-line decisions, rather than an empty page."""
    if result.kind != "html":
        return result.text
    if not result.blocks and result.text:
        raise CleanerError("this result holds no per-line decisions (batch workers drop them): "
                           "pass markdown=True to clean_many or clean_tagged, or use jobs=1")
    return blocks_markdown(block for block in result.blocks if not block.removed)


def blocks_markdown(kept: Iterable[BlockDecision]) -> str:
    """Markdown for kept lines in order, from their tags and markup."""
    parts: list[str] = []
    for key, run in groupby(kept, key=_run_key):
        blocks = list(run)
        if key in _RENDER_RUN:
            parts.append(_RENDER_RUN[key]([block.text.strip() for block in blocks]))
        else:
            parts.extend(_single(block) for block in blocks)
    return "\n\n".join(parts) + "\n" if parts else ""


def _run_key(block: BlockDecision) -> str:
    """Which Markdown block a line belongs to; lines with the same key that
    follow each other make one (a list, a table, a quotation, a code block)."""
    if block.tag == "quote" or block.markup == "quote":
        return "quote"
    if block.tag == "li":
        return "ol" if block.markup == "ol" else "ul"
    if block.tag in ("row", "code", "h", "h1"):
        return block.tag
    return "p"


def _single(block: BlockDecision) -> str:
    text = block.text.strip()
    if block.tag == "h1":
        return "# " + text
    if block.tag == "h":
        level = int(block.markup[1]) if block.markup[:1] == "h" else 2
        return "#" * max(level, 2) + " " + text
    return escape_line(text)


def _bullets(texts: Sequence[str]) -> str:
    return "\n".join("- " + escape_line(text) for text in texts)


def _numbered(texts: Sequence[str]) -> str:
    return "\n".join(f"{n}. {escape_line(text)}" for n, text in enumerate(texts, start=1))


def _quote(texts: Sequence[str]) -> str:
    return "\n>\n".join("> " + escape_line(text) for text in texts)


def _code(texts: Sequence[str]) -> str:
    fence = "````" if any("```" in text for text in texts) else "```"
    return "\n".join([fence, *texts, fence])


def _table(texts: Sequence[str]) -> str:
    rows = [f"| {text} |" for text in texts]
    width = texts[0].count(" | ") + 1
    return "\n".join([rows[0], "|" + " --- |" * width, *rows[1:]])


_RENDER_RUN = {"ul": _bullets, "ol": _numbered, "quote": _quote, "code": _code, "row": _table}
