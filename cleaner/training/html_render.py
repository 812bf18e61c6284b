"""Render composed documents as HTML pages in varied markup.

Junk goes in the markup real sites use for it (related-link boxes, asides,
figure captions, ad slots, share bars) and sometimes in plain paragraphs, with
class names that are sometimes telling and sometimes opaque, so the model learns
from the extracted text rather than from class names trafilatura may drop.
Content tables become `<table>`s (extraction makes each row a line of cells
joined by " | "), and a few teaser lists and share bars are laid out in tables
too, so that a table row is judged by what it says, not by being a row.
"""

from __future__ import annotations

import html
import random

from .compose import Composed, Segment
from .sources import CELL_SEPARATOR, TABLE_ROLES

_OPAQUE = ("c-block", "x9f2", "module", "wrap", "entry-part", "blk", "el-3")
_TELLING = {
    "headline_list": ("related", "trending", "more-stories", "recirc"),
    "read_more": ("inline-link", "related-inline", "see-also"),
    "promo": ("newsletter", "promo", "subscribe-box", "cta"),
    "ad": ("ad", "ad-slot", "advert", "sponsor"),
    "share": ("share", "social", "share-bar"),
    "meta": ("byline", "caption", "credit", "meta"),
    "comments": ("comments", "discussion"),
    "legal": ("cookie", "consent", "disclaimer"),
}


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _cls(label: str, rng: random.Random) -> str:
    pool = _TELLING.get(label, _OPAQUE) if rng.random() < 0.5 else _OPAQUE
    return rng.choice(pool)


def strip_item_marker(line: str) -> str:
    for marker in ("- ", "• ", "* ", "» ", "→ ", "► ", "▪ ", "· ", "– ", "> ", "✓ ", "| "):
        if line.startswith(marker):
            return line[len(marker):]
    head, _, rest = line.partition(" ")
    if head[:-1].isdigit() and head[-1:] in ".)":
        return rest
    return line


def _content(seg: Segment, rng: random.Random) -> str:
    role = seg.roles[0]
    if role == "title":
        return f"<h1>{_e(seg.lines[0])}</h1>"
    if role == "sub":
        tag = rng.choice(("h2", "h2", "h3", "h4"))
        return f"<{tag}>{_e(seg.lines[0])}</{tag}>" if rng.random() < 0.85 else f"<p><strong>{_e(seg.lines[0])}</strong></p>"
    if role in ("ul", "ol"):
        tag = "ol" if role == "ol" else "ul"
        items = "".join(f"<li>{_e(strip_item_marker(l))}</li>" for l in seg.lines)
        return f"<{tag}>{items}</{tag}>"
    if role == "quote":
        return f"<blockquote><p>{_e(seg.lines[0])}</p></blockquote>"
    if role in TABLE_ROLES:
        return _table(seg, rng)
    return "".join(_paragraph(line, rng) for line in seg.lines)


def _paragraph(line: str, rng: random.Random) -> str:
    text = _e(line)
    if rng.random() < 0.15:
        words = text.split(" ")
        if len(words) > 6:
            k = rng.randint(1, len(words) - 3)
            words[k] = f'<a href="/topic/{k}">{words[k]}</a>'
            text = " ".join(words)
    return f"<p>{text}</p>"


def _table(seg: Segment, rng: random.Random) -> str:
    """A content table: header cells in <th>, in a <thead> or not; a table
    without a header row sometimes has its first column in <th> (a spec
    sheet's keys)."""
    side_keys = "thead" not in seg.roles and rng.random() < 0.3
    head, body = [], []
    for text, role in zip(seg.lines, seg.roles):
        cells = text.split(CELL_SEPARATOR)
        if role == "thead":
            head.append("<tr>" + "".join(f"<th>{_e(c)}</th>" for c in cells) + "</tr>")
            continue
        tags = ["th" if side_keys and i == 0 else "td" for i in range(len(cells))]
        body.append("<tr>" + "".join(f"<{t}>{_e(c)}</{t}>" for t, c in zip(tags, cells)) + "</tr>")
    if head and rng.random() < 0.6:
        inner = f"<thead>{''.join(head)}</thead><tbody>{''.join(body)}</tbody>"
    else:
        inner = "".join(head + body)
    table = f"<table>{inner}</table>"
    return table if rng.random() < 0.7 else f'<div class="{rng.choice(("table-wrap", "wp-block-table", *_OPAQUE))}">{table}</div>'


def _link(text: str, rng: random.Random) -> str:
    return f'<a href="/story/{rng.randint(1000, 99999)}">{_e(text)}</a>'


# What an old-style teaser table puts next to each headline.
_TEASER_CELLS = ("{h}:{m:02d}", "{d}.{mo:02d}.2026", "{h} h", "({c})", "{d}/{mo}")


def _teaser_table(items: list[str], rng: random.Random) -> str:
    """Teasers in a layout table, perhaps with a time or count beside each;
    always links: a table of bare headlines reads as a content table."""
    extra = rng.choice(("", *_TEASER_CELLS))
    rows = []
    for text in items:
        cells = f"<td>{_link(text, rng)}</td>"
        if extra:
            values = dict(h=rng.randint(1, 23), m=rng.randint(0, 59), d=rng.randint(1, 28), mo=rng.randint(1, 12), c=rng.randint(0, 400))
            cells += f"<td>{extra.format(**values)}</td>"
        rows.append(f"<tr>{cells}</tr>")
    return "<table>" + "".join(rows) + "</table>"


def _list_items(items: list[str], rng: random.Random) -> str:
    """Teaser items in one of the ways sites mark them up."""
    linked = rng.random() < 0.5
    item = (lambda t: _link(t, rng)) if linked else _e
    if rng.random() < 0.08:
        return _teaser_table(items, rng)
    style = rng.randint(0, 5)
    if style <= 1:
        tag = "ul" if style == 0 else "ol"
        return f"<{tag}>" + "".join(f"<li>{item(t)}</li>" for t in items) + f"</{tag}>"
    if style == 2:
        return "".join(f"<p>{item(t)}</p>" for t in items)
    if style == 3:
        marker = rng.choice(("- ", "• ", "» ", "→ ", "▪ "))
        return "".join(f"<p>{_e(marker)}{item(t)}</p>" for t in items)
    if style == 4:
        return "<p>" + "<br>".join(item(t) for t in items) + "</p>"
    return "".join(f"<div>{item(t)}</div>" for t in items)


def _headline_list(lines: list[str], cls: str, rng: random.Random) -> str:
    items = [strip_item_marker(l) for l in lines]
    header = ""
    if len(items) > 1 and not any(l[:1] in "-•*»→►▪·–>✓|" or l[:1].isdigit() for l in lines[:1]):
        text = _e(items[0])
        header = rng.choice((f"<h3>{text}</h3>", f"<h4>{text}</h4>", f"<h2>{text}</h2>", f"<p><strong>{text}</strong></p>", f"<p>{text}</p>", f"<div>{text}</div>"))
        items = items[1:]
    body = header + _list_items(items, rng)
    wrapper = rng.choice(("div", "section", "aside", "div", ""))
    return f'<{wrapper} class="{cls}">{body}</{wrapper}>' if wrapper else body


def _junk(seg: Segment, rng: random.Random) -> str:
    label, lines, cls = seg.label, seg.lines, _cls(seg.label, rng)
    roll = rng.random()
    if label == "headline_list":
        return _headline_list(lines, cls, rng)
    if label == "read_more" and len(lines) == 1:
        lead, sep, rest = lines[0].partition(": ")
        if sep and roll < 0.7:
            return f"<p><strong>{_e(lead)}:</strong> {_link(rest, rng)}</p>"
        return f'<p class="{cls}">{_link(lines[0], rng) if roll < 0.85 else _e(lines[0])}</p>'
    if label == "meta" and roll < 0.35:
        return f'<figure><img src="/img/{rng.randint(1, 999)}.jpg" alt=""><figcaption>{_e(" ".join(lines))}</figcaption></figure>'
    if label == "share" and roll < 0.5:
        return f'<div class="{cls}">' + " ".join(_link(l, rng) for l in lines) + "</div>"
    if label == "share" and roll < 0.6:  # one table row of links
        return f'<table class="{cls}"><tr>' + "".join(f"<td>{_link(l, rng)}</td>" for l in lines) + "</tr></table>"
    if len(lines) == 1 and roll < 0.6:
        tag = rng.choice(("p", "p", "div", "span"))
        return f"<{tag}>{_e(lines[0])}</{tag}>"
    box = rng.random()
    if box < 0.4:
        inner = "".join(f"<p>{_e(l)}</p>" for l in lines)
    elif box < 0.7:
        inner = "".join(f"<p>{_e(l)}</p>" if i else f"<{rng.choice(('h3', 'h4', 'strong'))}>{_e(l)}</{rng.choice(('h3', 'h4'))}>" for i, l in enumerate(lines))
    else:
        inner = "".join(f"<p>{_e(l)}</p>" for l in lines[:-1]) + f"<button>{_e(lines[-1])}</button>"
    wrapper = rng.choice(("div", "aside", "section", "div"))
    return f'<{wrapper} class="{cls}">{inner}</{wrapper}>'


_NAV = ("Home", "World", "Politics", "Business", "Tech", "Sport", "Culture", "Opinion")


def render_html(doc: Composed, rng: random.Random) -> str:
    """A whole page: chrome around an article holding the document's segments."""
    body = "\n".join(_content(s, rng) if s.label == "content" else _junk(s, rng) for s in doc.segments)
    title = next((s.lines[0] for s in doc.segments if s.roles[0] == "title"), "Article")
    nav = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in _NAV)
    return (
        f'<!DOCTYPE html><html lang="{doc.lang}"><head><meta charset="utf-8"><title>{_e(title)}</title></head>'
        f'<body><header><nav><ul>{nav}</ul></nav></header><main><article class="{rng.choice(_OPAQUE)}">\n{body}\n</article></main>'
        f'<footer><p>© 2026 {rng.choice(("Example Media", "Hilltop Press", "Rundblick GmbH"))}. All rights reserved.</p></footer></body></html>'
    )
