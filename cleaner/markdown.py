"""Read Markdown syntax in plain text as the structure it stands for.

Scrapers that feed LLM-data pipelines often save pages as Markdown: links as
`[anchor](url)`, images as `![alt](url)`, headings as `## ...`, bold as
`**...**`. Read as plain words, a list of linked teasers is long lines full
of URL pieces ("https", "com", slugs), nothing like the teaser lists the model
knows, and it stays. Read as structure it is what an HTML page gives: the
anchors' words and the share of the line inside links.

`markdown_view` gives each such line a block with that reading, at the same
offsets: the report still indexes the text as given, and a line with no
Markdown syntax is left as it is. The link share is the feature HTML lines
carry (`extract.py`), which the model learned from pages: a line that is all
link is a teaser or a share button far more often than a line with three
linked words in a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from .blocks import Block

# [anchor](target "title") and ![alt](target): the target may hold one level of
# parentheses (Wikipedia-style URLs); the title is optional.
_LINK = re.compile(r'!?\[([^\[\]\n]{0,500})\]\((?:[^()\s]|\([^()\s]{0,200}\)){0,2000}(?:\s+"[^"\n]{0,300}")?\)')
# [anchor][label] and [anchor][] (reference-style links; the URL is on the
# label's definition line, "[label]: url", usually at the bottom).
_REFERENCE = re.compile(r"!?\[([^\[\]\n]{0,500})\]\[([^\[\]\n]{0,100})\]")
_DEFINITION = re.compile(r"""[ ]{0,3}\[([^\[\]\n]{1,100})\]:[ \t]*(?:<[^<>\s]{1,2000}>|[^<\s]{1,2000})(?:[ \t]+(?:"[^"\n]{0,300}"|'[^'\n]{0,300}'|\([^()\n]{0,300}\)))?[ \t]*\Z""")
# A heading's hashes and spaces, not a table's "#" column ("# | Team | Pts", "#\tName").
_HEADING = re.compile(r"[ ]{0,3}(#{1,6}) +(?=[^\s|])")
_BOLD = re.compile(r"\*\*(?=\S)([^*\n]{1,500}?)(?<=\S)\*\*|__(?=\S)([^_\n]{1,500}?)(?<=\S)__")
# HTML inside Markdown, read as a page's would be: <a href>anchor</a> as a link,
# <img alt> as its alt text, any other tag as nothing.
_HTML_LINK = re.compile(r"<a\s[^<>]{0,500}>([^<>\n]{0,500})</a\s*>", re.IGNORECASE)
_HTML_IMAGE = re.compile(r"<img\s[^<>]{0,500}?\balt\s*=\s*(?:\"([^\"<>]{0,300})\"|'([^'<>]{0,300})')[^<>]{0,500}>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,500}>")
_HTML_BREAK = re.compile(r"<br\b[^<>\n]{0,100}>", re.IGNORECASE)


def markdown_view(text: str, blocks: list[Block]) -> list[Block]:
    """`blocks` (the lines of `text`) with their Markdown read: the text a
    reader sees (anchors and alt texts for links and images, no heading
    hashes, bold stars or HTML tags) and the share of the line's characters
    inside links."""
    if not _might_hold_markdown(text):
        return blocks
    return [_read(block) if _might_hold_markdown(block.text) else block for block in blocks]


def _might_hold_markdown(text: str) -> bool:
    """Whether `text` holds a link's "](" or "][", a "#", "**", "__" or "<": one-character
    scans first, as a two-character one takes about 5 µs on a 5 KB text that
    is not ASCII."""
    return ("]" in text and ("](" in text or "][" in text)) or "#" in text or ("*" in text and "**" in text) or ("_" in text and "__" in text) or "<" in text


def _read(block: Block) -> Block:
    text = block.text
    heading = _HEADING.match(text)
    if heading:
        # The hashes go, the tag stays "": the model has seen headings in
        # plain text only as bare short lines, and a heading tag on a text
        # line, which it never met in training, made it drop subheadings.
        text = text[heading.end():].rstrip().rstrip("#").rstrip()
    anchors: list[str] = []

    def anchor(match: re.Match) -> str:
        anchors.append(match.group(1).strip())
        return match.group(1)

    if "<" in text:
        text = _HTML_LINK.sub(anchor, text)
        text = _HTML_IMAGE.sub(lambda m: m.group(1) or m.group(2) or "", text)
        text = _HTML_TAG.sub("", _HTML_BREAK.sub(" ", text))
    text = _LINK.sub(anchor, text)
    if "][" in text:
        text = _REFERENCE.sub(anchor, text)
    if "](" in text:
        # A linked image, [![alt](image)](target): the link around it, whose
        # anchor counts twice; the share is capped at the line's length.
        text = _LINK.sub(anchor, text)
    text = _BOLD.sub(lambda m: m.group(1) or m.group(2), text)
    read = replace(block, text=text)
    if text == block.text or read.blank:
        # Nothing read, or nothing visible left (an image without alt text, a
        # link around a zero-width space): the line as given is all there is
        # to judge, and it must stay a line, as blank lines are not scored.
        return block
    read.link_ratio = min(sum(len(a) for a in anchors), len(text)) / len(text)
    return read


@dataclass(frozen=True, slots=True)
class Layout:
    """A line decided by Markdown's layout: its label (None: the model's, or
    that of the line it `follows`), and why."""

    label: str | None
    why: str
    follows: int | None = None  # the line it goes or stays with, label and all


UNDERLINE_RULE = "underlines the line above (a Markdown heading), and goes or stays with it"
FENCE_RULE = "in a fenced code block, which goes or stays as a whole: its lines' mean"
DEFINITION_RULE = "defines a link of other lines (a reference-style link), and goes or stays with them"
FRONT_MATTER_RULE = "front matter (the metadata block that opens a Markdown file)"
FRONT_MATTER_LABEL = "meta"
# Front matter is short; a closing "---" further down is a rule between sections.
_FRONT_MATTER_LINES = 60
_FIELD = re.compile(r"[A-Za-z_][\w-]{0,40}[ \t]*[:=]")
# A reader's header: a few "Field Name: value" lines, then this one.
_CONTENT_MARK = "Markdown Content:"
_HEADER_FIELD = re.compile(r"[A-Z][A-Za-z]{0,20}(?: [A-Z][A-Za-z]{0,20}){0,3}:")
_HEADER_LINES = 12
# A code fence: three or more backticks or tildes, indented at most three
# spaces (CommonMark); a backtick fence's info string holds no backtick.
_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")


def markdown_rules(blocks: list[Block], base: str, blank_before: Sequence[float] | np.ndarray, removed: np.ndarray,
                   junk: np.ndarray, threshold: float) -> dict[int, Layout]:
    """Decide the lines that Markdown's layout decides, updating `removed` and
    `junk` in place; return those lines with how they were decided. A
    front-matter block (`---`, `key: value` lines, `---` at the very top)
    goes as meta, since it is the file's metadata, not its text. A fenced
    code block, fences included, goes or stays as a whole, by its lines'
    mean score against `threshold` (as a list does, `smoothing.py`): the
    model scores a lone "}" or "```" near the threshold, and a fence half
    removed turns the rest of the text into code. A Setext
    underline goes or stays with the line it underlines, and a link
    definition with the lines that use it (it goes only when they all go);
    one that follows a follower follows the line that one follows, so each
    `Layout.follows` names a line decided by the model or by front matter
    (the caller copies that line's final decision once every rule has run)."""
    decided: dict[int, Layout] = {}
    for i in front_matter(blocks):
        removed[i], junk[i] = True, 1.0
        decided[i] = Layout(FRONT_MATTER_LABEL, FRONT_MATTER_RULE)
    if "```" in base or "~~~" in base:
        for start, stop in code_fences(blocks, base):
            if start in decided:
                continue
            mean = float(junk[start:stop].mean())
            junk[start:stop], removed[start:stop] = mean, mean >= threshold
            for i in range(start, stop):
                decided[i] = Layout(None, f"{FENCE_RULE}, {mean:.2f}")
    follows: dict[int, tuple[int, str]] = {i: (i - 1, UNDERLINE_RULE) for i in underlines(blocks, blank_before) if i not in decided}
    if "]:" in base:
        for i, j in link_definitions(blocks, base, removed).items():
            if i not in decided:
                follows.setdefault(i, (j, DEFINITION_RULE))
    for i, (j, why) in follows.items():
        seen = {i}
        while j in follows and j not in seen:  # a chain: an underline under a definition
            seen.add(j)
            j = follows[j][0]
        if j in seen:  # a cycle, which only definitions using each other make: the model decides
            continue
        removed[i], junk[i] = removed[j], junk[j]
        decided[i] = Layout(None, why, follows=j)
    return decided


def code_fences(blocks: list[Block], base: str) -> list[tuple[int, int]]:
    """Index ranges [start, stop) of the fenced code blocks: an opening fence,
    the lines inside, and a closing fence of the same character, at least as
    long, alone on its line. A fence never closed is left alone: read to the
    end of the text, as CommonMark does, one stray fence would tie every
    line after it to one decision."""
    raws = [base[b.start:b.end] for b in blocks]
    closers = [_closing_fence(raw) for raw in raws]
    # Per fence character, the longest closing fence after each line: whether
    # an opening fence is ever closed is then one look, so the search stays
    # linear however many unclosed fences there are.
    longest_after = {"`": [0] * (len(raws) + 1), "~": [0] * (len(raws) + 1)}
    for j in range(len(raws) - 1, -1, -1):
        closer = closers[j]
        for char, longest in longest_after.items():
            longest[j] = max(longest[j + 1], closer[1] if closer and closer[0] == char else 0)
    fences: list[tuple[int, int]] = []
    i = 0
    while i < len(raws):
        opening = _FENCE.match(raws[i])
        if opening is None or (opening.group(1)[0] == "`" and "`" in raws[i][opening.end():]):
            i += 1
            continue
        char, length = opening.group(1)[0], len(opening.group(1))
        if longest_after[char][i + 1] < length:
            i += 1
            continue
        j = next(j for j in range(i + 1, len(raws)) if (closer := closers[j]) and closer[0] == char and closer[1] >= length)
        fences.append((i, j + 1))
        i = j + 1
    return fences


def _closing_fence(raw: str) -> tuple[str, int] | None:
    """(character, length) of a line that can close a fence: only fence
    characters, indented at most three spaces."""
    fence = raw.strip()
    if len(fence) < 3 or fence[0] not in "`~" or fence != fence[0] * len(fence) or len(raw) - len(raw.lstrip(" ")) > 3:
        return None
    return fence[0], len(fence)


def link_definitions(blocks: list[Block], base: str, removed: np.ndarray) -> dict[int, int]:
    """Each link definition line ("[label]: url", an optional title after)
    that some other line uses ("[anchor][label]", "[label][]"), and the line
    it goes with: the first of those lines that stays, or the first of them
    when none does. Definition lines do not count as users. Labels match
    without regard to case, and the first definition of a label counts."""
    defined: dict[str, int] = {}
    for i, block in enumerate(blocks):
        raw = base[block.start:block.end]
        if "]:" in raw:
            match = _DEFINITION.match(raw)
            if match:
                defined.setdefault(match.group(1).strip().lower(), i)
    if not defined:
        return {}
    definition_lines = set(defined.values())
    users: dict[int, list[int]] = {}
    for j, block in enumerate(blocks):
        raw = base[block.start:block.end]
        if "][" not in raw or j in definition_lines:
            continue
        for match in _REFERENCE.finditer(raw):
            definition = defined.get((match.group(2) or match.group(1)).strip().lower())
            if definition is not None:
                users.setdefault(definition, []).append(j)
    return {i: next((j for j in lines if not removed[j]), lines[0]) for i, lines in users.items()}


def front_matter(blocks: list[Block]) -> range:
    """The lines of a front-matter block opening the text (YAML between `---`
    lines, TOML between `+++`, or the fields a page-to-Markdown reader puts
    above "Markdown Content:"): an empty range when there is none."""
    if len(blocks) < 3:
        return range(0)
    fence = blocks[0].text.strip()
    if fence not in ("---", "+++"):
        return _reader_header(blocks)
    for i in range(1, min(len(blocks), _FRONT_MATTER_LINES)):
        text = blocks[i].text
        if text.strip() == fence:
            return range(i + 1) if i > 1 else range(0)
        # Every line between is a field, an item of a field's list, or a continuation.
        if not (_FIELD.match(text) or text[:1] in (" ", "\t") or text.startswith("- ")):
            return range(0)
    return range(0)


def _reader_header(blocks: list[Block]) -> range:
    """`Title: …`, `URL Source: …`, `Published Time: …` and so on, then a
    line `Markdown Content:`, at the very top (as the Jina reader writes it)."""
    if not blocks[0].text.startswith("Title:"):
        return range(0)
    for i in range(1, min(len(blocks), _HEADER_LINES)):
        text = blocks[i].text.strip()
        if text == _CONTENT_MARK:
            return range(i + 1)
        if not _HEADER_FIELD.match(text):
            return range(0)
    return range(0)


def underlines(blocks: list[Block], blank_before: Sequence[float] | np.ndarray) -> list[int]:
    """The lines of only "=" or only "-" right under another line (no blank
    between): a Setext heading's underline, which says nothing by itself and
    belongs with the line it underlines, the one before it."""
    return [i for i, block in enumerate(blocks)  # the first two characters rule out list items ("- ...") at once
            if (block.text[:2] in _UNDERLINE_HEADS or block.text[:1] == " ") and i and not blank_before[i]
            and _is_underline(block.text.strip())]


_UNDERLINE_HEADS = ("==", "--")


def _is_underline(text: str) -> bool:
    return len(text) >= 2 and (text.count("=") == len(text) or text.count("-") == len(text))
