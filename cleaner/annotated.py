"""Labelled documents written by hand: block markers in plain text files.

A JSONL record with character offsets (the eval/injected/text.jsonl format)
is what a program writes; a person labelling a saved page wants to mark
blocks where they are. So a text file may open each block with a marker line,
``@@ <tag>``, that names what the lines under it are:

* ``@@ content``: the article's own lines;
* ``@@ hard_negative``: content that looks like junk (scored as content, and
  counted apart, as the shared set's hard negatives are);
* ``@@ <label>``: junk of one of the model's labels (``headline_list``,
  ``promo``, ...).

The marker lines are dropped; every other character, blank lines included,
is the document as written, and a junk block's span runs from its first to
the end of its last non-blank line. A page set is a folder of
``<id>.html`` files, each with ``<id>.body.txt`` (the gold article body, one
paragraph per line) and, optionally, ``<id>.junk.txt`` (the lines of junk put
into the page, one per line, which should not come out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .labels import JUNK_LABELS

_MARKER = re.compile(r"@@ ?([a-z_]*)[ \t]*\r?\n?")
HARD_NEGATIVE = "hard_negative"
TAGS = ("content", HARD_NEGATIVE, *JUNK_LABELS)


@dataclass(frozen=True)
class AnnotatedText:
    """A document and its labelled spans, as (start, end, tag) in text order."""

    text: str
    junk: tuple[tuple[int, int, str], ...]
    hard_negatives: tuple[tuple[int, int], ...]


def parse_annotated(source: str, where: str = "text") -> AnnotatedText:
    """The document a marked-up file describes; ValueError naming the line of
    a marker with an unknown tag, or of text before the first marker."""
    pieces: list[str] = []
    junk: list[tuple[int, int, str]] = []
    hard: list[tuple[int, int]] = []
    tag: str | None = None
    block_start = length = 0
    lines = source.splitlines(keepends=True)

    def close_block() -> None:
        if tag is None or tag == "content":
            return
        block = "".join(pieces[block_start:])
        stripped = block.rstrip()
        start = length - len(block) + (len(block) - len(block.lstrip()))
        if not stripped:
            return
        span = (start, length - len(block) + len(stripped))
        if tag == HARD_NEGATIVE:
            hard.append(span)
        else:
            junk.append((*span, tag))

    for number, line in enumerate(lines, start=1):
        marker = _MARKER.fullmatch(line) if line.startswith("@@") else None
        if marker is None:
            if tag is None:
                if line.strip():
                    raise ValueError(f"{where}, line {number}: text before the first '@@ <tag>' marker")
                continue
            pieces.append(line)
            length += len(line)
            continue
        if marker.group(1) not in TAGS:
            raise ValueError(f"{where}, line {number}: unknown tag {marker.group(1)!r} (choose from {', '.join(TAGS)})")
        close_block()
        tag, block_start = marker.group(1), len(pieces)
    close_block()
    if tag is None:
        raise ValueError(f"{where}: no '@@ <tag>' marker")
    return AnnotatedText("".join(pieces), tuple(junk), tuple(hard))


def read_annotated(path: Path) -> AnnotatedText:
    """`parse_annotated` on a UTF-8 file, line endings as written."""
    try:
        source = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not UTF-8 text") from None
    return parse_annotated(source, str(path))


@dataclass(frozen=True)
class LabelledPage:
    """A page, its gold article body and the junk lines put into it."""

    id: str
    html: str
    body: str
    junk_lines: tuple[str, ...]


def read_page_folder(folder: Path) -> list[LabelledPage]:
    """Every ``<id>.html`` of a folder with its ``<id>.body.txt`` (required)
    and ``<id>.junk.txt`` (optional), in name order."""
    pages = []
    for page in sorted(folder.glob("*.html")):
        body = page.with_name(page.stem + ".body.txt")
        if not body.is_file():
            raise ValueError(f"{page} has no gold body beside it ({body.name})")
        junk = page.with_name(page.stem + ".junk.txt")
        junk_lines = [line.strip() for line in _utf8(junk).splitlines()] if junk.is_file() else []
        pages.append(LabelledPage(page.stem, _utf8(page), _utf8(body), tuple(line for line in junk_lines if line)))
    return pages


def _utf8(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not UTF-8 text") from None
