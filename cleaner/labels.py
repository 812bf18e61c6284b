"""The label set: `content` and the categories of junk a span can be removed as."""

from __future__ import annotations

from typing import Iterable

CONTENT = "content"
JUNK_LABELS: tuple[str, ...] = (
    "headline_list",  # trending / related / most-read lists and their headers
    "read_more",      # single inline teasers: "Read more: ...", "RELATED: ..."
    "promo",          # newsletter, subscribe, app, donate, coupon, paywall, podcast, event
    "ad",             # ad markers, sponsored labels
    "share",          # share and follow bars, print, copy link
    "meta",           # captions, credits, bylines, dates, reading time, tags, bios
    "comments",       # comment-section chrome and reader comments
    "legal",          # cookie and consent text, reprint notices, disclosures
)
LABELS: tuple[str, ...] = (CONTENT, *JUNK_LABELS)  # the model's classes, in its column order
TITLE = "title"  # the page headline atop an HTML body: removed by rule, not by the model
REMOVABLE_LABELS: tuple[str, ...] = (*JUNK_LABELS, TITLE)


def parse_labels(values: str | Iterable[str] | None) -> frozenset[str]:
    """Turn "meta,share" or ["meta"] (any iterable of names) into a validated
    set of removable labels; CleanerError for anything else."""
    from .errors import CleanerError

    if values is None:
        return frozenset()
    if isinstance(values, str):
        values = [values]
    elif isinstance(values, Iterable):
        values = list(values)
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise CleanerError(f"keep must be label names (a str or an iterable of str), got {values!r}")
    names = {part.strip() for value in values for part in value.split(",") if part.strip()}
    unknown = names - set(REMOVABLE_LABELS)
    if unknown:
        raise CleanerError(f"unknown label(s) {', '.join(sorted(unknown))}; choose from {', '.join(REMOVABLE_LABELS)}")
    return frozenset(names)
