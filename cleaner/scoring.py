"""Metric functions for the evaluation sets in ../shared (see its README).

Everything here is pure: strings and numbers in, numbers out, no I/O, so the
metrics can be unit-tested on hand-made strings and reused by any runner.

Four metrics, one per kind of gold data:

* AEB (Article Extraction Benchmark): 4-token shingle multisets. Shingles reward
  getting runs of words right, so a stray paragraph costs precision in
  proportion to its length and word order matters. Per-page counts are
  normalised to sum to 1 so long pages do not outweigh short ones.
* traf (trafilatura's evaluation set): snippet containment. The gold data is a
  handful of snippets per page that must or must not appear, so only substring
  tests on whitespace-normalised text are meaningful.
* injected text: line-level labels. Boilerplate in saved text comes in whole
  lines, so a line is the natural unit; the majority rule makes a span that
  stops one character short of (or spills one character past) a line not flip
  the verdict.
* injected HTML leaks: the share of inserted boilerplate lines that survive
  extraction, the figure that says whether junk got through.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

Span = tuple[int, int]
"""A half-open ``[start, end)`` range of Python string offsets."""

_TOKEN = re.compile(r"\w+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SHINGLE_SIZE = 4
_MIN_LEAK_CHARS = 4


class Scores(NamedTuple):
    """Precision, recall and their harmonic mean."""

    precision: float
    recall: float
    f1: float


def f1_score(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall; 0 when both are 0."""
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def normalize_space(text: str) -> str:
    """Collapse every whitespace run (newlines, NBSP, tabs) to one space and strip.

    Extractors differ in how they join blocks; containment tests must not
    depend on that.
    """
    return _SPACES.sub(" ", text).strip()


# --- AEB: shingle multisets -------------------------------------------------


class AebCounts(NamedTuple):
    """One page's shingle TP/FP/FN, each divided by their sum (all 0 if none)."""

    tp: float
    fp: float
    fn: float


def tokens(text: str) -> list[str]:
    """Unicode ``\\w+`` runs: language-neutral and blind to punctuation and layout."""
    return _TOKEN.findall(text)


def shingles(text: str, size: int = _SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of ``size``-token shingles.

    A text shorter than ``size`` tokens still yields one (shorter) shingle, so a
    short but correct output is not scored as empty; an empty text yields none.
    """
    words = tokens(text)
    if not words:
        return Counter()
    count = max(1, len(words) - size + 1)
    return Counter(tuple(words[i : i + size]) for i in range(count))


def aeb_page_counts(pred: str, truth: str) -> AebCounts:
    """Multiset overlap (TP), surplus (FP) and deficit (FN) of shingles, normalised.

    Normalising by TP+FP+FN gives every page the same weight in the averages.
    """
    predicted, expected = shingles(pred), shingles(truth)
    tp = sum((predicted & expected).values())
    fp = sum((predicted - expected).values())
    fn = sum((expected - predicted).values())
    total = tp + fp + fn
    if not total:
        return AebCounts(0.0, 0.0, 0.0)
    return AebCounts(tp / total, fp / total, fn / total)


def aeb_page_precision(counts: AebCounts) -> float:
    """TP/(TP+FP); 1 for a perfect page (FP=FN=0), 0 when nothing was output."""
    tp, fp, fn = counts
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fp == 0:
        return 0.0
    return tp / (tp + fp)


def aeb_page_recall(counts: AebCounts) -> float:
    """TP/(TP+FN); 1 for a perfect page (FP=FN=0), 0 when nothing was expected."""
    tp, fp, fn = counts
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fn == 0:
        return 0.0
    return tp / (tp + fn)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def aeb_summary(counts: Iterable[AebCounts]) -> Scores:
    """Macro-averaged precision and recall, and F1 of the two averages.

    Precision is averaged over pages with output (TP+FP > 0): an empty output
    says nothing about precision and is already punished in recall. Recall is
    averaged over pages with expected text (TP+FN > 0).
    """
    pages = list(counts)
    precision = _mean([aeb_page_precision(c) for c in pages if c.tp + c.fp > 0])
    recall = _mean([aeb_page_recall(c) for c in pages if c.tp + c.fn > 0])
    return Scores(precision, recall, f1_score(precision, recall))


# --- traf: snippet containment ----------------------------------------------


class TrafCounts(NamedTuple):
    """Snippet outcomes: wanted found (tp), unwanted found (fp), wanted missing
    (fn), unwanted missing (tn)."""

    tp: int
    fp: int
    fn: int
    tn: int


def traf_page_counts(output: str, wanted: Iterable[str], unwanted: Iterable[str]) -> TrafCounts:
    """Count which snippets occur in the whitespace-normalised output.

    Snippets are normalised the same way, so a snippet written with a double
    space or a line break can still be found.
    """
    text = normalize_space(output)
    found = [normalize_space(s) in text for s in wanted]
    leaked = [normalize_space(s) in text for s in unwanted]
    return TrafCounts(sum(found), sum(leaked), found.count(False), leaked.count(False))


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def traf_summary(counts: Iterable[TrafCounts]) -> Scores:
    """Micro-averaged precision and recall: counts are summed over all pages first."""
    tp = fp = fn = 0
    for c in counts:
        tp, fp, fn = tp + c.tp, fp + c.fp, fn + c.fn
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return Scores(precision, recall, f1_score(precision, recall))


# --- injected text: majority-covered lines ----------------------------------


class LineCounts(NamedTuple):
    """Line outcomes for one document (non-blank lines only)."""

    tp: int  # injected and removed
    fp: int  # not injected but removed
    fn: int  # injected but kept
    content: int  # lines not injected
    hard: int  # lines mostly inside hard-negative spans
    hard_removed: int  # ... of which removed

    @property
    def all_right(self) -> bool:
        """Every line got the right verdict."""
        return self.fp == 0 and self.fn == 0


class LineScores(NamedTuple):
    """Line metric over a set of documents; shares are None without a denominator."""

    precision: float
    recall: float
    f1: float
    content_removed: float | None
    hard_negative_removed: float | None
    docs_all_right: float | None


def line_spans(text: str) -> list[Span]:
    """Offsets of each line without its terminator; ``\\r\\n``, ``\\r`` and ``\\n`` all end a line."""
    spans, start = [], 0
    for brk in _LINE_BREAK.finditer(text):
        spans.append((start, brk.start()))
        start = brk.end()
    spans.append((start, len(text)))
    return spans


def _coverage(length: int, spans: Iterable[Span]) -> bytearray:
    """One flag per character: 1 where any span covers it (overlaps count once)."""
    mask = bytearray(length)
    for start, end in spans:
        start, end = max(0, start), min(length, end)
        if start < end:
            mask[start:end] = b"\x01" * (end - start)
    return mask


def _majority(text: str, line: Span, mask: bytearray) -> bool:
    """More than half of the line's non-space characters are flagged."""
    chars = [i for i in range(*line) if not text[i].isspace()]
    return 2 * sum(mask[i] for i in chars) > len(chars)


def line_counts(
    text: str,
    injected: Iterable[Span],
    removed: Iterable[Span],
    hard_negatives: Iterable[Span] = (),
) -> LineCounts:
    """Score one document's removed spans against its injected spans, line by line.

    A non-blank line is injected when more than half of its non-space
    characters lie in injected spans, removed likewise for removed spans, and a
    hard negative likewise for hard-negative spans. Exactly half is not a
    majority. Spans are ``(start, end)`` offsets into ``text``.
    """
    masks = [_coverage(len(text), spans) for spans in (injected, removed, hard_negatives)]
    tp = fp = fn = content = hard = hard_removed = 0
    for line in line_spans(text):
        if not text[line[0] : line[1]].strip():
            continue
        is_injected, is_removed, is_hard = (_majority(text, line, m) for m in masks)
        tp += is_injected and is_removed
        fp += is_removed and not is_injected
        fn += is_injected and not is_removed
        content += not is_injected
        hard += is_hard
        hard_removed += is_hard and is_removed
    return LineCounts(tp, fp, fn, content, hard, hard_removed)


def content_removed_by_label(text: str, injected: Iterable[Span], removed: Iterable[tuple[int, int, str]]) -> Counter[str]:
    """The content lines a run removed (the false positives of
    `line_counts`), counted by the label of the removed spans that cover
    most of each line's non-space characters: which labels cost precision,
    so a user knows what `--keep` would give back."""
    removed = list(removed)
    injected_mask = _coverage(len(text), injected)
    removed_mask = _coverage(len(text), [(start, end) for start, end, _ in removed])
    found: Counter[str] = Counter()
    for line in line_spans(text):
        if not text[line[0] : line[1]].strip() or _majority(text, line, injected_mask) or not _majority(text, line, removed_mask):
            continue
        found[_likeliest_label(text, line, removed)] += 1
    return found


def junk_found_by_label(text: str, injected: Iterable[tuple[int, int, str]], removed: Iterable[Span]) -> dict[str, tuple[int, int]]:
    """(lines removed, lines) of the injected lines of `line_counts`, by
    the gold label covering most of each line: which kinds of junk a run
    misses ("meta 30 of 75"), where recall alone says only how much."""
    injected = list(injected)
    injected_mask = _coverage(len(text), [(start, end) for start, end, _ in injected])
    removed_mask = _coverage(len(text), removed)
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for line in line_spans(text):
        if not text[line[0] : line[1]].strip() or not _majority(text, line, injected_mask):
            continue
        label = _likeliest_label(text, line, injected)
        total[label] += 1
        found[label] += _majority(text, line, removed_mask)
    return {label: (found[label], n) for label, n in total.items()}


def _likeliest_label(text: str, line: Span, spans: Sequence[tuple[int, int, str]]) -> str:
    """The label of the spans that cover most of the line's non-space characters."""
    cover: Counter[str] = Counter()
    for start, end, label in spans:
        cover[label] += sum(not text[i].isspace() for i in range(max(start, line[0]), min(end, line[1])))
    return cover.most_common(1)[0][0]


def _share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def line_summary(counts: Iterable[LineCounts]) -> LineScores:
    """Micro-averaged line precision/recall plus the damage shares.

    Precision of a run that removed nothing is 1 if nothing had to go and 0
    otherwise (and recall mirrors it), the same convention as the AEB page
    scores: doing nothing on a clean set is perfect, on a dirty set it is not.
    """
    docs = list(counts)
    totals = [sum(column) for column in zip(*docs)] or [0] * len(LineCounts._fields)
    tp, fp, fn, content, hard, hard_removed = totals
    precision = tp / (tp + fp) if tp + fp else float(fn == 0)
    recall = tp / (tp + fn) if tp + fn else float(fp == 0)
    return LineScores(
        precision,
        recall,
        f1_score(precision, recall),
        _share(fp, content),
        _share(hard_removed, hard),
        _share(sum(c.all_right for c in docs), len(docs)),
    )


# --- injected HTML: leaked lines ----------------------------------------------


def leak_counts(output: str, injected_lines: Iterable[str]) -> tuple[int, int]:
    """(lines still present, lines checked) for one page.

    Lines under four characters after whitespace normalisation are skipped:
    a bare "|" or "Ad" occurs in any text and would count as a leak by chance.
    """
    text = normalize_space(output)
    lines = [n for n in map(normalize_space, injected_lines) if len(n) >= _MIN_LEAK_CHARS]
    return sum(line in text for line in lines), len(lines)


def leak_share(counts: Iterable[tuple[int, int]]) -> float | None:
    """Share of all checked injected lines, over all pages, that leaked."""
    leaked = checked = 0
    for found, total in counts:
        leaked, checked = leaked + found, checked + total
    return _share(leaked, checked)


# --- seed: exact lines and spans -----------------------------------------------


def nonblank_lines(text: str) -> list[str]:
    """The text's lines with trailing whitespace trimmed, blank lines dropped."""
    return [text[s:e].rstrip() for s, e in line_spans(text) if text[s:e].strip()]


def spans_match(removed: Iterable[Span], expected: Iterable[Span], text: str) -> bool:
    """True when the removed spans are exactly the expected ones.

    A removed span may also take the line break that follows the expected span,
    since removing a whole line naturally takes its terminator with it.
    """
    got, want = sorted(removed), sorted(expected)
    return len(got) == len(want) and all(
        g_start == w_start and g_end in (w_end, _end_of_break(text, w_end))
        for (g_start, g_end), (w_start, w_end) in zip(got, want)
    )


def _end_of_break(text: str, pos: int) -> int:
    """Offset just past the line break starting at ``pos``, or ``pos`` if there is none."""
    brk = _LINE_BREAK.match(text, pos)
    return brk.end() if brk else pos
