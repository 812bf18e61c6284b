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
from .reading import has_suffix

# A line that opens with "@@" and a word is meant as a marker: it is one if
# the word, in any case and with "-" for "_", is a tag, and an error naming
# the line if not. "@@ -1,3 +1,4 @@" (a diff hunk) and "@@@" are text.
_MARKER_SHAPED = re.compile(r"[ \t]*@@[ \t]*([A-Za-z][\w-]*)(.*)")
# Lines end at LF, CRLF or CR only, as the cleaner's blocks do (str.splitlines
# also breaks at U+2028, U+0085 and form feeds, which stay inside a line there).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
HARD_NEGATIVE = "hard_negative"
TAGS = ("content", HARD_NEGATIVE, *JUNK_LABELS)
PAGE_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class AnnotatedText:
    """A document and its labelled spans, as (start, end, tag) in text order."""

    text: str
    junk: tuple[tuple[int, int, str], ...]
    hard_negatives: tuple[tuple[int, int], ...]


def _tag_of(line: str, where: str, number: int) -> str | None:
    """The tag a marker line names; None for a line of text; ValueError for
    a line shaped like a marker that names no tag."""
    shaped = _MARKER_SHAPED.match(line.rstrip("\r\n"))
    if shaped is None:
        return None
    word, rest = shaped.group(1), shaped.group(2)
    tag = word.lower().replace("-", "_")
    if tag not in TAGS:
        raise ValueError(f"{where}, line {number}: unknown tag {word!r} (choose from {', '.join(TAGS)})")
    if rest.strip():
        raise ValueError(f"{where}, line {number}: a marker line holds only '@@ <tag>', got {line.strip()!r}")
    return tag


def parse_annotated(source: str, where: str = "text") -> AnnotatedText:
    """The document a marked-up file describes; ValueError naming the line of
    a marker with an unknown tag, or of text before the first marker."""
    pieces: list[str] = []
    junk: list[tuple[int, int, str]] = []
    hard: list[tuple[int, int]] = []
    tag: str | None = None
    block_start = length = 0

    def close_block() -> None:
        if tag is None or tag == "content":
            return
        block = "".join(pieces[block_start:])
        stripped = block.rstrip()
        if not stripped:
            return
        start = length - len(block) + (len(block) - len(block.lstrip()))
        span = (start, length - len(block) + len(stripped))
        if tag == HARD_NEGATIVE:
            hard.append(span)
        else:
            junk.append((*span, tag))

    for number, match in enumerate(_LINE.finditer(source.removeprefix("\ufeff")), start=1):
        line = match.group()
        marked = _tag_of(line, where, number) if "@@" in line else None
        if marked is None:
            if tag is None:
                if line.strip():
                    raise ValueError(f"{where}, line {number}: text before the first '@@ <tag>' marker")
                continue
            pieces.append(line)
            length += len(line)
            continue
        close_block()
        tag, block_start = marked, len(pieces)
    close_block()
    if tag is None:
        raise ValueError(f"{where}: no '@@ <tag>' marker")
    return AnnotatedText("".join(pieces), tuple(junk), tuple(hard))


def read_annotated(path: Path) -> AnnotatedText:
    """`parse_annotated` on a UTF-8 file, line endings as written."""
    return parse_annotated(_utf8(path), str(path))


def annotated_files(folder: Path) -> list[Path]:
    """The folder's `.txt` files (any case), by name; subfolders are not read."""
    return sorted(p for p in folder.iterdir() if has_suffix(p.name, ".txt") and p.is_file())


@dataclass(frozen=True)
class LabelledPage:
    """A page (its bytes: decoded as the cleaner decodes pages), its gold
    article body and the junk lines put into it."""

    id: str
    html: bytes
    body: str
    junk_lines: tuple[str, ...]


def page_files(folder: Path) -> list[Path]:
    """The folder's pages (`.html`, `.htm`, any case), by name."""
    return sorted(p for p in folder.iterdir() if has_suffix(p.name, *PAGE_SUFFIXES) and p.is_file())


def read_page_folder(folder: Path, limit: int | None = None) -> list[LabelledPage]:
    """The first `limit` pages of a folder (all by default), each with its
    ``<id>.body.txt`` (required) and ``<id>.junk.txt`` (optional)."""
    pages = []
    for page in page_files(folder)[:limit]:
        body = page.with_name(page.stem + ".body.txt")
        if not body.is_file():
            raise ValueError(f"{page} has no gold body beside it ({body.name})")
        junk = page.with_name(page.stem + ".junk.txt")
        junk_lines = [line.strip() for line in _utf8(junk).splitlines()] if junk.is_file() else []
        pages.append(LabelledPage(page.stem, _bytes(page), _utf8(body), tuple(line for line in junk_lines if line)))
    return pages


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None


def _utf8(path: Path) -> str:
    try:
        return _bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not UTF-8 text") from None
