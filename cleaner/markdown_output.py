"""The clean text of an HTML page as Markdown: headings, lists, quotes, tables.

`CleanResult.text` is plain lines, which is what the offsets index and what
most pipelines want. LLM-data jobs often want the article's structure too:
which lines were headings, which a list, which a table. The extractor
already tags every line (`extract.py`), so the kept lines are written out
with the Markdown that says the same:

* a page heading (``h1``) as ``#``, other headings as ``##`` (trafilatura
  does not keep the level below it);
* list items as ``- `` (ordered or not: the extractor does not say which),
  consecutive items as one list;
* quotes as ``> ``, code as a fenced block, table rows (cells joined by
  `` | ``) as a Markdown table whose first row is its header;
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
# Lines of one of these tags that follow each other form one Markdown block.
_RUNS = {"li", "row", "code", "quote"}


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
    """Markdown for kept lines in order, from their tags."""
    parts: list[str] = []
    for tag, run in groupby(kept, key=lambda block: _run_key(block.tag)):
        texts = [block.text.strip() for block in run]
        if tag in _RUNS:
            parts.append(_RENDER_RUN[tag](texts))
        else:
            parts.extend(_single(tag, text) for text in texts)
    return "\n\n".join(parts) + "\n" if parts else ""


def _run_key(tag: str) -> str:
    return tag if tag in _RUNS or tag in ("h", "h1") else "p"


def _single(tag: str, text: str) -> str:
    if tag == "h1":
        return "# " + text
    if tag == "h":
        return "## " + text
    return escape_line(text)


def _list(texts: Sequence[str]) -> str:
    return "\n".join("- " + escape_line(text) for text in texts)


def _quote(texts: Sequence[str]) -> str:
    return "\n>\n".join("> " + escape_line(text) for text in texts)


def _code(texts: Sequence[str]) -> str:
    fence = "````" if any("```" in text for text in texts) else "```"
    return "\n".join([fence, *texts, fence])


def _table(texts: Sequence[str]) -> str:
    rows = [f"| {text} |" for text in texts]
    width = texts[0].count(" | ") + 1
    return "\n".join([rows[0], "|" + " --- |" * width, *rows[1:]])


_RENDER_RUN = {"li": _list, "quote": _quote, "code": _code, "row": _table}
