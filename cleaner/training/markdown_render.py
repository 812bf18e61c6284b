"""Render composed documents as the Markdown that page-to-Markdown scrapers save.

Headings get hashes, lists Markdown markers, quotes "> "; junk comes as it does
from such tools: teaser lists as lists of links, "Read more" lines with the
headline linked, share bars as links, captions in stars under an image line.
Content keeps links too (a few words of a paragraph linked), so a link alone
does not make a line junk. Labels come from `compose.render_text`, which this
feeds the rewritten segments: the spans are exact as for plain text.
"""

from __future__ import annotations

import random
import re

from ..textpass import WORD
from .compose import Composed, Segment, mark_item, render_text
from .html_render import strip_item_marker

_DOMAINS = ("news.example.com", "www.dailyledger.example", "metrowire.example.org", "hilltop-herald.example",
            "www.rundblick.example.de", "leveilleur.example.fr", "elfaro.example.es", "cdn.example.net")


def _url(text: str, rng: random.Random, image: bool = False) -> str:
    words = WORD.findall(text.lower())[: rng.randint(2, 7)] or ["page"]
    slug = "-".join(words)
    domain = rng.choice(_DOMAINS)
    if image:
        return f"https://{domain}/images/{rng.randint(2015, 2026)}/{slug}-{rng.randint(100, 9999)}.{rng.choice(('jpg', 'png', 'webp'))}"
    path = rng.choice((f"/{slug}", f"/{rng.randint(2015, 2026)}/{rng.randint(1, 12):02d}/{slug}", f"/news/{slug}-{rng.randint(1000, 99999)}",
                       f"/{slug}/", f"/{slug}?utm_source=related&utm_medium=web"))
    return f"https://{domain}{path}"


def _link(text: str, rng: random.Random) -> str:
    return f"[{text}]({_url(text, rng)})"


def _link_some_words(line: str, rng: random.Random) -> str:
    """A paragraph with a few of its words linked, as articles link sources."""
    words = line.split(" ")
    if len(words) < 6:
        return line
    n = rng.randint(1, 4)
    at = rng.randint(0, len(words) - n)
    phrase = " ".join(words[at: at + n])
    tail = len(phrase) - len(phrase.rstrip(".,;:!?"))
    core = phrase[: len(phrase) - tail] if tail else phrase
    if not core:
        return line
    return " ".join(words[:at] + [_link(core, rng) + phrase[len(core):]] + words[at + n:])


def _heading(text: str, rng: random.Random) -> str:
    return rng.choice((f"## {text}", f"## {text}", f"### {text}", f"#### {text}", f"**{text}**"))


def _content(seg: Segment, rng: random.Random) -> list[str]:
    role = seg.roles[0]
    if role == "title":
        return [f"# {seg.lines[0]}"]
    if role == "sub":
        return [_heading(seg.lines[0], rng)]
    if role in ("ul", "ol"):
        marker = "1. " if role == "ol" else rng.choice(("- ", "* ", "- "))
        return [mark_item(marker, i, strip_item_marker(line)) for i, line in enumerate(seg.lines)]
    if role == "quote":
        return [f"> {line}" for line in seg.lines]
    if role == "para":
        return [_link_some_words(line, rng) if rng.random() < 0.25 else line for line in seg.lines]
    return list(seg.lines)


def _headline_list(seg: Segment, rng: random.Random) -> list[str]:
    marker = rng.choice(("- ", "* ", "- ", "1. ", ""))
    lines = []
    for i, line in enumerate(seg.lines):
        item = strip_item_marker(line)
        if i == 0 and item == line and len(seg.lines) > 1:  # the header
            lines.append(rng.choice((f"### {line}", f"## {line}", f"**{line}**", line)))
            continue
        linked = _link(item, rng) if rng.random() < 0.9 else item
        lines.append(mark_item(marker, i, linked))
    return lines


def _read_more(line: str, rng: random.Random) -> str:
    label, colon, rest = line.partition(":")
    if colon and rest.strip() and len(label) < 40:
        return rng.choice((f"**{label}:** {_link(rest.strip(), rng)}", f"{label}: {_link(rest.strip(), rng)}", _link(line, rng)))
    return _link(line, rng) if rng.random() < 0.7 else _link_some_words(line, rng)


def _junk(seg: Segment, rng: random.Random) -> list[str]:
    label = seg.label
    if label == "headline_list":
        return _headline_list(seg, rng)
    if label == "read_more":
        return [_read_more(line, rng) for line in seg.lines]
    if label == "share":
        if rng.random() < 0.3:
            return [" ".join(_link(line, rng) for line in seg.lines)]
        return [_link(line, rng) if len(line) < 40 and rng.random() < 0.7 else line for line in seg.lines]
    if label == "promo":
        return [_link(line, rng) if len(line) < 40 and rng.random() < 0.5 else _link_some_words(line, rng) if rng.random() < 0.3 else line
                for line in seg.lines]
    if label == "meta":
        lines = [f"*{line}*" if rng.random() < 0.3 else line for line in seg.lines]
        if rng.random() < 0.3:
            alt = seg.lines[0] if rng.random() < 0.5 else ""
            lines.insert(0, f"![{alt}]({_url(seg.lines[0], rng, image=True)})")
        return lines
    if label == "legal":
        return [_link_some_words(line, rng) if rng.random() < 0.3 else line for line in seg.lines]
    return list(seg.lines)


def _segment(seg: Segment, rng: random.Random) -> Segment:
    if seg.roles[0] in ("thead", "row"):
        return seg  # render_text writes tables, Markdown bars among its styles
    lines = _content(seg, rng) if seg.label == "content" else _junk(seg, rng)
    return Segment(lines, [seg.roles[0]] * len(lines), seg.label, seg.hard)


_INLINE_LINK = re.compile(r"(!?\[[^\[\]\n]*\])\(([^()\s]+)\)")


def _as_references(segments: list[Segment]) -> list[Segment]:
    """The segments with every inline link made a reference-style one
    (`[anchor][3]`), and its definition (`   [3]: url`, as html2text
    indents them) in a segment of its own at the end, labelled as the line
    that uses it: a teaser's URL is junk with it, a paragraph's is content."""
    definitions: list[Segment] = []

    def reference(match: re.Match, label: str) -> str:
        number = len(definitions) + 1
        definitions.append(Segment([f"   [{number}]: {match.group(2)}"], ["para"], label))
        return f"{match.group(1)}[{number}]"

    out = [Segment([_INLINE_LINK.sub(lambda m: reference(m, seg.label), line) for line in seg.lines], seg.roles, seg.label, seg.hard)
           for seg in segments]
    return out + definitions


def render_markdown(doc: Composed, rng: random.Random, reference_links: bool = False) -> dict:
    """Render to Markdown, its links inline or, with `reference_links`, as
    html2text's `--reference-links` writes them; the record is
    `render_text`'s, with "format": "markdown"."""
    segments = [_segment(seg, rng) for seg in doc.segments]
    if reference_links:
        segments = _as_references(segments)
    record = render_text(Composed(doc.id, doc.lang, segments), rng)
    record["format"] = "markdown"
    return record
