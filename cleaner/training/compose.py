"""Compose labelled documents from authored sources.

A document is an authored article cut into segments (paragraphs, subheadings,
lists, quotes), with hard negatives (content that looks like junk) and junk
units (boilerplate of every label) inserted at segment boundaries: at the start,
in the middle, at the end, and as a dangling header. Each composed document
knows the exact character span and label of every segment, so labels are exact
by construction. Every random choice comes from one seeded generator.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import Callable

from .noise import noise_unit
from .sources import CELL_SEPARATOR, TABLE_ROLES, Line, Sources

JUNK_WEIGHTS = {
    "headline_list": 0.34, "read_more": 0.14, "promo": 0.18, "ad": 0.08,
    "share": 0.08, "meta": 0.09, "comments": 0.04, "legal": 0.05,
}
TEASER_MARKERS = ("- ", "• ", "* ", "» ", "→ ", "► ", "▪ ", "· ", "– ", "", "", "", "1. ", "1) ", "> ", "✓ ", "| ")
LIST_MARKERS = ("- ", "• ", "* ", "▪ ", "– ", "", "1. ", "1) ")
# How a table reaches plain text: cells joined by a bar (as `extract.py`
# renders an HTML table), Markdown rows, tabs, or spaces; with their weights.
TABLE_SEPARATORS = {CELL_SEPARATOR: 5, "markdown": 2, "\t": 2, "  ": 1, " ": 1}
SITES = ("The Daily Ledger", "Northwind Post", "Metro Wire", "Gazette 24", "Hilltop Herald", "NewsNow", "Rundblick", "Le Veilleur", "El Faro Digital")


@dataclass(slots=True)
class Segment:
    """Consecutive lines rendered together, with one label."""

    lines: list[str]
    roles: list[str]
    label: str = "content"
    hard: bool = False


@dataclass(slots=True)
class Composed:
    """A composed document: the segments and, once rendered, text and spans."""

    id: str
    lang: str
    segments: list[Segment]


def _stable_share(key: str) -> float:
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF


def _partition(sources: Sources, assign: Callable[[str], int], n: int) -> list[Sources]:
    """Split every pool of `sources` into `n` disjoint parts by `assign(key)`."""
    parts = [Sources() for _ in range(n)]

    def deal(items, key):
        out = [[] for _ in range(n)]
        for item in items:
            out[assign(key(item))].append(item)
        return out

    for lang, arts in sources.articles.items():
        for part, items in zip(parts, deal(arts, lambda a: a[0])):
            part.articles[lang] = items
    for lang, units in sources.hard_negatives.items():
        for part, items in zip(parts, deal(units, lambda u: u[0].text)):
            part.hard_negatives[lang] = items
    for lang in sources.boilerplate:
        for part, headers in zip(parts, deal(sources.headers[lang], str)):
            part.headers[lang] = headers
        for part, teasers in zip(parts, deal(sources.teasers[lang], str)):
            part.teasers[lang] = teasers
        for part in parts:
            part.boilerplate[lang] = {}
        for name, junk_units in sources.boilerplate[lang].items():
            for part, dealt in zip(parts, deal(junk_units, lambda u: u[0])):
                part.boilerplate[lang][name] = dealt
    return parts


def split_sources(sources: Sources, dev_share: float = 0.15) -> tuple[Sources, Sources]:
    """Split articles and boilerplate units into disjoint train and dev parts.

    The split hashes each item's id or text, so it does not move when files are
    added, and dev scores measure generalisation to unseen articles and junk.
    """
    train, dev = _partition(sources, lambda key: int(_stable_share(key) < dev_share), 2)
    return train, dev


def fold_sources(sources: Sources, folds: int) -> list[Sources]:
    """Disjoint source folds: documents composed from different folds share no
    article, teaser or boilerplate unit, so out-of-fold scores are honest."""
    return _partition(sources, lambda key: int(_stable_share("fold:" + key) * folds) % folds, folds)


def article_segments(lines: list[Line], rng: random.Random) -> list[Segment]:
    """Group an article's lines into segments, list items together under one marker."""
    segments: list[Segment] = []
    for line in lines:
        previous = segments[-1].roles[-1] if segments else ""
        if (line.role in ("ul", "ol") and previous == line.role) or (line.role == "row" and previous in TABLE_ROLES):
            segments[-1].lines.append(line.text)
            segments[-1].roles.append(line.role)
        else:
            segments.append(Segment([line.text], [line.role]))
    for seg in segments:
        if seg.roles[0] == "para" and rng.random() < 0.06:
            # Scraped paragraphs often lose their closing punctuation.
            seg.lines = [seg.lines[0].rstrip(".!?")]
        if seg.roles[0] in ("ul", "ol"):
            marker = rng.choice(LIST_MARKERS if seg.roles[0] == "ul" else ("1. ", "1) ", "", "1. "))
            seg.lines = [mark_item(marker, i, t) for i, t in enumerate(seg.lines)]
    return segments


def mark_item(marker: str, index: int, text: str) -> str:
    """`text` as list item `index` under `marker` ("1. " numbers it)."""
    return marker.replace("1", str(index + 1), 1) + text if marker else text


def _case(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.1:
        return text.upper()
    if roll < 0.2:
        return text.title()
    if roll < 0.25:
        return text.lower()
    return text


def _teaser(sources: Sources, lang: str, rng: random.Random) -> str:
    if rng.random() < 0.2:
        arts = sources.articles[rng.choice(sources.languages)] if rng.random() < 0.2 else sources.articles.get(lang) or sources.articles["en"]
        text = next((l.text for l in rng.choice(arts)[1] if l.role == "title"), None)
        if text:
            return text
    pool = sources.teasers.get(lang) or sources.teasers["en"]
    text = rng.choice(pool)
    roll = rng.random()
    if roll < 0.06:
        text += f" | {rng.choice(SITES)}"
    elif roll < 0.1:
        text += rng.choice((" (Video)", " (Photos)", " [Gallery]", " - " + rng.choice(SITES)))
    elif roll < 0.13:
        text = f"{rng.randint(1, 28)} {rng.choice(('Jan', 'Mar', 'Jun', 'Oct'))} — {text}"
    return text


def headline_list(sources: Sources, lang: str, rng: random.Random, header: bool = True) -> Segment:
    headers = sources.headers.get(lang) or sources.headers["en"]
    marker = rng.choice(TEASER_MARKERS)
    teasers = [_teaser(sources, lang, rng) for _ in range(rng.randint(2, 8))]
    if rng.random() < 0.08:  # some widgets lower-case or upper-case every teaser
        teasers = [t.lower() if rng.random() < 0.6 else t for t in teasers]
    items = [mark_item(marker, i, t) for i, t in enumerate(teasers)]
    lines = ([_case(rng.choice(headers), rng)] if header else []) + items
    return Segment(lines, ["junk"] * len(lines), "headline_list")


def junk_unit(label: str, sources: Sources, lang: str, rng: random.Random) -> Segment:
    """One junk unit of `label`, with `{headline}` slots filled."""
    if label == "headline_list":
        return headline_list(sources, lang, rng, header=rng.random() < 0.8)
    units = sources.boilerplate.get(lang, {}).get(label) or sources.boilerplate["en"][label]
    lines = [l.replace("{headline}", _teaser(sources, lang, rng)) for l in rng.choice(units)]
    return Segment(lines, ["junk"] * len(lines), label)


def compose(sources: Sources, index: int, rng: random.Random) -> Composed:
    """Compose one labelled document."""
    langs = sources.languages
    # Other languages in proportion to the square root of their article
    # count: one with five times the articles gets more documents, and a
    # thinly covered one is not drowned out.
    lang = "en" if rng.random() < 0.6 or "en" not in langs else rng.choices(langs, weights=[len(sources.articles[l]) ** 0.5 for l in langs])[0]
    art_id, lines = rng.choice(sources.articles[lang])
    roll = rng.random()
    if roll < 0.1:  # snippets: a few lines, as API users often pass
        start = rng.randint(0, max(0, len(lines) - 3))
        lines = lines[start: start + rng.randint(1, 3)]
    elif roll < 0.35:  # a shortened article keeps documents of every length
        lines = lines[: max(2, rng.randint(3, len(lines)))]
    segments = article_segments(lines, rng)
    if segments and segments[0].roles[0] == "title" and rng.random() < 0.25:
        segments = segments[1:]
    junk_lang = lang if rng.random() < 0.8 else "en"

    # About 1.5 hard-negative units a document: content that looks like junk
    # is what a model deletes by mistake, so it should be seen often.
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
        pools = sources.hard_negative_pools(lang)
        if pools:
            unit = _hard_negative(*pools, rng)
            hard_segments = article_segments(unit, rng)
            for s in hard_segments:
                s.hard = True
            at = rng.randint(1, len(segments)) if segments else 0
            segments[at:at] = hard_segments

    _insert_odd_content(segments, sources, lang, rng)

    snippet = roll < 0.1
    # A snippet is mostly clean text: without that, a lone line looks like junk.
    n_junk = rng.choice((0, 0, 0, 1) if snippet else (0, 1, 1, 2, 2, 2, 3, 4))
    for _ in range(n_junk):
        label = rng.choices(list(JUNK_WEIGHTS), weights=list(JUNK_WEIGHTS.values()))[0]
        seg = junk_unit(label, sources, junk_lang, rng)
        segments.insert(_junk_position(segments, rng), seg)
    if rng.random() < 0.18:
        # A header whose list the extractor or scraper dropped: dangling at the
        # end (as in the seed), orphaned mid-text, or left at the top.
        headers = sources.headers.get(junk_lang) or sources.headers["en"]
        dangling = _case(rng.choice(headers), rng)
        roll = rng.random()
        at = len(segments) if roll < 0.6 else 0 if roll < 0.7 else rng.randint(1, max(1, len(segments)))
        segments.insert(at, Segment([dangling], ["junk"], "headline_list"))
    return Composed(f"doc-{index:05d}", lang, segments)


# The share of hard-negative draws that are tables: about one document in ten
# then holds a table. Drawn like any other unit, tables (a fifth of the units)
# were in a quarter of the documents, and the model grew lenient towards every
# line with a bar in it.
TABLE_SHARE = 0.07


def _hard_negative(tables: list[list[Line]], others: list[list[Line]], rng: random.Random) -> list[Line]:
    """A hard-negative unit, a table TABLE_SHARE of the time."""
    pool = tables if tables and (not others or rng.random() < TABLE_SHARE) else others
    return rng.choice(pool)


def _junk_position(segments: list[Segment], rng: random.Random) -> int:
    """Where a junk unit goes: the start, the end or between two segments,
    and three times in ten right next to content that could pass for junk (a
    hard negative or a short one-line paragraph). Left to chance, about a
    third of junk units touched a hard negative (over 40% now), and the model
    took short sentences glued to a teaser list or a promo box as part of it."""
    confusable = [i for i, seg in enumerate(segments) if seg.hard or (seg.roles == ["para"] and len(seg.lines[0]) < 100)]
    if confusable and rng.random() < 0.3:
        return rng.choice(confusable) + rng.randint(0, 1)  # just before or just after it
    roll = rng.random()
    return 0 if roll < 0.1 else len(segments) if roll < 0.25 else rng.randint(1, max(1, len(segments)))


def _sober_teaser(sources: Sources, lang: str, rng: random.Random) -> str | None:
    """A teaser that could pass for a news subheading (no clickbait tells)."""
    pool = sources.teasers.get(lang) or sources.teasers["en"]
    for _ in range(5):
        text = rng.choice(pool)
        if not any(tell in text for tell in ("!", "$", "You", "you", "|", "This ")):
            return text
    return None


def _insert_odd_content(segments: list[Segment], sources: Sources, lang: str, rng: random.Random) -> None:
    """Add content that a tidy-prose model would wrongly delete: generated odd
    lines (see noise.py) and headline-like subheadings above paragraphs."""
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
        lines, role = noise_unit(rng, sources.vocabulary(lang))
        seg = Segment(lines, [role] * len(lines), hard=True)
        if role == "ul":
            marker = rng.choice(LIST_MARKERS)
            seg.lines = [mark_item(marker, i, t) for i, t in enumerate(lines)]
        segments.insert(rng.randint(1, max(1, len(segments))), seg)
    paragraphs = [i for i, seg in enumerate(segments) if seg.roles[0] == "para" and not seg.hard and i > 0]
    for _ in range(rng.choice((0, 0, 1, 2))):
        if not paragraphs:
            break
        heading = _sober_teaser(sources, lang, rng)
        if heading:
            at = rng.choice(paragraphs)
            segments.insert(at, Segment([_case(heading, rng)], ["sub"], hard=True))
            paragraphs = [i + (i >= at) for i in paragraphs]


def table_text(seg: Segment, rng: random.Random) -> list[str]:
    """A table segment's rows as text, in one of TABLE_SEPARATORS' styles (a
    Markdown header row may keep its "| --- |" rule line)."""
    style = rng.choices(list(TABLE_SEPARATORS), weights=list(TABLE_SEPARATORS.values()))[0]
    rows: list[str] = []
    for text, role in zip(seg.lines, seg.roles):
        cells = text.split(CELL_SEPARATOR)
        if style != "markdown":
            rows.append(style.join(cells))
            continue
        rows.append("| " + " | ".join(cells) + " |")
        if role == "thead" and rng.random() < 0.7:
            rows.append("|" + " --- |" * len(cells))
    return rows


def render_text(doc: Composed, rng: random.Random) -> dict:
    """Render to plain text; return a record in the eval/injected text.jsonl format,
    plus the spans of its tables (`tables`, content; for measuring)."""
    style = rng.random()
    parts: list[str] = []
    injected, hard, tables = [], [], []
    pos = 0
    for i, seg in enumerate(doc.segments):
        if i:
            blank = style < 0.35 or (style < 0.55 and rng.random() < 0.5)
            sep = "\n\n" if blank else "\n"
            parts.append(sep)
            pos += len(sep)
        inner = "\n\n" if (seg.label == "headline_list" and rng.random() < 0.05) else "\n"
        is_table = seg.roles[0] in TABLE_ROLES
        body = "\n".join(table_text(seg, rng)) if is_table else inner.join(seg.lines)
        if seg.label != "content":
            injected.append({"start": pos, "end": pos + len(body), "label": seg.label})
        elif seg.hard:
            hard.append({"start": pos, "end": pos + len(body), "label": "content"})
        if is_table:
            tables.append({"start": pos, "end": pos + len(body), "label": "content"})
        parts.append(body)
        pos += len(body)
    if rng.random() < 0.3:
        parts.append("\n")
    return {"id": doc.id, "lang": doc.lang, "text": "".join(parts), "injected": injected, "hard_negatives": hard, "tables": tables}
