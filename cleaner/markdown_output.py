"""The clean text of an HTML page as Markdown: headings, lists, quotes, tables.

`CleanResult.text` is plain lines, which is what the offsets index and what
most pipelines want. LLM-data jobs often want the article's structure too:
which lines were headings, which a list, which a table. The extractor
already tags every line (`extract.py`, with `Block.markup` for what the
model does not read), so the kept lines are written out with the Markdown
that says the same:

* headings at their level (``#`` for the page headline, ``##`` to
  ``######`` below it; ``##`` when the page did not say);
* list items as ``- ``, or with their own numbers in a numbered list; an
  item's next lines (after a <br>, or its second paragraph) and a list
  nested in it indented under it; a list following another with the other
  mark (``*``, ``1)``), so Markdown sees a new list;
* quotations as ``> `` (each paragraph of one a quoted paragraph), code as
  a fenced block, table rows (cells joined by `` | ``) as Markdown tables,
  one per header row or first row (`Block.markup` "thead", "tstart"), with
  an empty header row where the page gave none;
* anything else as a paragraph, blocks separated by a blank line.

A line whose start would read as Markdown syntax ("# 1 in sales", "1. FC
Köln", "- 5 °C overnight", "***", "[1]: url", "<div>") gets a backslash
before it, and so do a heading's closing "#", a backslash before punctuation,
an "&" that opens an entity, a "<" that opens a tag (a page showing markup
as text must not give live HTML) and a backtick, so the text comes back as
written; other inline characters (``*``, ``_``, ``[``) are left alone, as
most Markdown writers for web text do. Removed lines are simply absent.

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
# marks, fences, table bars, thematic breaks ("***", "_ _ _"), lines that
# would underline the one above, link reference definitions ("[1]: url")
# and the start of raw HTML ("<div", "<!--").
_SYNTAX_START = re.compile(
    r"(?:#{1,6}(?:\s|$)|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|>|```|~~~|\||[=-]+\s*$"
    r"|(?:[-*_][ \t]*){3,}$|\[(?:[^\]\\]|\\.)*\]:|<[A-Za-z/!?])"
)
# Inside a line: a backslash before punctuation (Markdown would read it as an
# escape and drop it), an ampersand opening an entity ("&amp;" would show as
# "&"), a "<" opening a tag, comment or autolink (a page that shows markup
# as text, "put <script src=...> in the head", would give live HTML: the text
# gone, or a script), and a backtick (two made a code span, inside which
# the other escapes show as backslashes).
_INLINE = re.compile(r"\\(?=[!-/:-@\[-`{-~])|&(?=#?[0-9A-Za-z]+;)|<(?=[A-Za-z/!?])|`")
_ORDERED = re.compile(r"(\d{1,9})([.)])")
# A heading's closing run of "#", which Markdown drops: "Installation #".
_CLOSING_HASHES = re.compile(r"(^|[ \t])(#+)[ \t]*$")
# A list item's markup: kind, number in its list, depth of nesting (none at
# the top), "+" on the item's next lines.
_ITEM_MARKUP = re.compile(r"([ou]l)(\d{1,9})(?::(\d{1,4}))?(\+?)")
# A bar between two cells of a table row as the extractor writes it (" | "):
# with a space or the row's edge on each side.
_SEPARATOR = re.compile(r"(?:(?<=\s)|^)\|(?=\s|$)")


def escape_line(text: str) -> str:
    """`text` with a backslash where its start would read as Markdown
    syntax, and where Markdown would eat a backslash or decode an entity."""
    text = escape_inline(text)
    if not _SYNTAX_START.match(text):
        return text
    ordered = _ORDERED.match(text)
    if ordered:  # "1. FC Köln" -> "1\. FC Köln": the escape goes before the mark
        return ordered.group(1) + "\\" + text[ordered.end(1):]
    return "\\" + text


def escape_inline(text: str) -> str:
    """`text` with a backslash before each backslash that precedes
    punctuation, each "&" that opens an entity, each "<" that opens a tag
    and each backtick, so that all show as written."""
    return _INLINE.sub(lambda m: "\\" + m.group(), text)


def heading(level: int, text: str) -> str:
    """A heading line whose text comes back as written ("C#" stays, a
    closing "#" that Markdown would drop is escaped)."""
    return "#" * level + " " + _CLOSING_HASHES.sub(lambda m: m.group(1) + "\\" + m.group(2), escape_inline(text))


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
            parts.extend(_RENDER_RUN[key](blocks))
        else:
            parts.extend(_single(block) for block in blocks)
    return "\n\n".join(parts) + "\n" if parts else ""


def _run_key(block: BlockDecision) -> str:
    """Which Markdown block a line belongs to; lines with the same key that
    follow each other make one (a list, a table, a quotation, a code block)."""
    if block.tag in ("row", "code", "h", "h1"):
        return block.tag  # trafilatura keeps a <pre> as code inside a quote
    if block.tag == "quote" or block.markup == "quote":
        return "quote"
    # An item, or a paragraph inside one; nested lists go with their parent.
    return "list" if block.tag == "li" or block.markup.startswith(("ol", "ul")) else "p"


def _single(block: BlockDecision) -> str:
    text = block.text.strip()
    if block.tag == "h1":
        return heading(1, text)
    if block.tag == "h":
        return heading(int(block.markup[1]) if block.markup[:1] == "h" else 2, text)
    return escape_line(text)


def _items(blocks: Sequence[BlockDecision]) -> list[str]:
    """List items as "- " or with their own numbers (so a numbered list
    interrupted by a nested one goes on from where it was), a nested list
    indented under its item and an item's next lines ("ol3+", "ul3:1+")
    too. At one indentation, an item of the same kind numbered no higher
    than the one before starts another list (the next list of the page),
    which Markdown only sees as another when the mark changes: "-" and
    "*", "1." and "1)" take turns. A nested item whose parent was removed
    goes under the nearest item above it that was kept, never deeper, so
    no line is indented into a code block."""
    lines: list[str] = []
    open_items: list[tuple[int, int]] = []  # (depth, indentation of its content) of each item a line may go under
    last_at: dict[int, tuple[str, int, bool]] = {}  # per indentation: kind, number and other mark of its last item
    item_line_at: int | None = None  # the indentation of the last line, if it opened an item
    for n, block in enumerate(blocks, start=1):
        text = escape_line(block.text.strip())
        found = _ITEM_MARKUP.fullmatch(block.markup)
        kind, number, depth, more = ((found.group(1), int(found.group(2)), int(found.group(3) or 0), found.group(4) == "+")
                                     if found else ("ul", n, 0, False))
        deeper = bool(open_items) and open_items[-1][0] > depth
        while open_items and open_items[-1][0] > depth:
            open_items.pop()
        if more and open_items:
            if deeper:  # after a nested list; run on, the line would join that list's last item
                lines.append("")
            lines.append(" " * open_items[-1][1] + text)
            item_line_at = None
            continue
        if open_items and open_items[-1][0] == depth:
            open_items.pop()
        indent = open_items[-1][1] if open_items else 0
        before = last_at.get(indent)
        other = before is not None and before[2] ^ (before[0] == kind and number <= before[1])
        mark = f"{number}{')' if other else '.'}" if kind == "ol" else "*" if other else "-"
        starts_list = before is None or before[0] != kind or before[2] != other
        if starts_list and kind == "ol" and number != 1 and item_line_at != indent and lines:
            # After text, a numbered list that starts at 2 or more is
            # more of the text: only a blank line lets it begin.
            lines.append("")
        if mark in ("*", "-") and not text.strip(mark + " \t"):
            text = "\\" + text  # "* **" would be a thematic break
        lines.append(f"{' ' * indent}{mark} {text}")
        item_line_at = indent
        open_items.append((depth, indent + len(mark) + 1))
        last_at = {at: last for at, last in last_at.items() if at < indent}
        last_at[indent] = (kind, number, other)
    return ["\n".join(lines)]


def _quote(blocks: Sequence[BlockDecision]) -> list[str]:
    return ["\n>\n".join("> " + escape_line(block.text.strip()) for block in blocks)]


def _code(blocks: Sequence[BlockDecision]) -> list[str]:
    texts = [block.text for block in blocks]  # as extracted: the first line's indentation is code too
    longest = max((len(run) for text in texts for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return ["\n".join([fence, *texts, fence])]


def _table(blocks: Sequence[BlockDecision]) -> list[str]:
    """Each table of the run: a header row ("thead", after a row that is
    not one) or the first row of a table without one ("tstart") starts a
    new one. Rows are padded to the widest, and a bar inside a cell is
    escaped."""
    tables: list[tuple[bool, list[list[str]]]] = []
    for i, block in enumerate(blocks):
        starts = block.markup == "tstart" or block.markup == "thead" and (i == 0 or blocks[i - 1].markup != "thead")
        if i == 0 or starts:
            tables.append((block.markup == "thead", []))
        tables[-1][1].append(table_cells(block.text.strip()))
    return [_table_lines(rows, headed) for headed, rows in tables]


def table_cells(row: str) -> list[str]:
    """A row's cells: the extractor joins them with " | ", and an empty one
    leaves a bar with spaces on both sides ("Name | | Score"); a bar next to
    other text ("a || b", "x|y") is the cell's own, and escaped."""
    return [escape_inline(cell.strip()).replace("|", "\\|") for cell in _SEPARATOR.split(row)]


def _table_lines(rows: list[list[str]], headed: bool) -> str:
    """A Markdown table; one whose page gave no header row gets an empty
    one, since Markdown makes the first row the header."""
    width = max(map(len, rows))
    lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]
    header = lines[0] if headed else "|" + "  |" * width
    return "\n".join([header, "|" + " --- |" * width, *(lines[1:] if headed else lines)])


_RENDER_RUN = {"list": _items, "quote": _quote, "code": _code, "row": _table}
