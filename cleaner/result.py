"""The result of cleaning one document: the text, and exactly what was removed.

Like ftfy's `fix_and_explain`, a `CleanResult` carries its own proof: `restore()`
puts the removed spans back and must give `base` character for character.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any, overload

REPORT_SCHEMA = "cleaner.report/1"


@dataclass(frozen=True, slots=True)
class RemovedSpan:
    """A removed stretch of `base`: `base[start:end] == text`."""

    start: int
    end: int
    label: str
    score: float
    text: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "label": self.label, "score": round(self.score, 4), "text": self.text}


@dataclass(frozen=True, slots=True)
class BlockDecision:
    """How one line was classified, for `--explain` (jusText's detailed output).

    `looks_like` and `looks_score` are the context-free first stage: the label
    the line alone resembles most. `context_score` is the second stage's
    probability that, in its context, the line is junk. `junk_score` is what the
    threshold is applied to: the same, except for a list item (`list_size` > 0,
    its list's number of items), which takes the mean score of its list
    (stage three). A line decided by a
    rule instead of the model (the page headline), or removed with the list
    it heads or the header it sits under (`smoothing.tie_list_headers`), or
    with the box it closes (`smoothing.tie_box_tails`),
    says so in `rule`. `tag` is the line's role as the model reads it;
    `markup` adds what only the Markdown output uses (a heading's level, a
    numbered list, a quotation, a table header: `blocks.Block.markup`).
    """

    start: int
    end: int
    text: str
    tag: str
    looks_like: str
    looks_score: float
    junk_score: float
    label: str
    removed: bool
    threshold: float
    kept_by_keep: bool = False
    context_score: float | None = None
    list_size: int = 0
    rule: str = ""
    markup: str = ""  # `Block.markup`: heading level, numbered item ("ol2"), quotation, table header

    @property
    def reason(self) -> str:
        """One line saying why, built on demand (most callers never ask)."""
        if self.rule:
            keep = f"; kept because {self.label} is in keep" if self.kept_by_keep else ""
            return f"{self.rule}{keep}"
        looks = f"looks like {self.looks_like} ({self.looks_score:.2f})"
        verdict = f"{'>=' if self.junk_score >= self.threshold else '<'} {self.threshold:g}"
        if self.list_size:
            context = f"junk in context {self.context_score:.2f}, its list of {self.list_size} {self.junk_score:.2f} {verdict}"
        else:
            context = f"junk in context {self.junk_score:.2f} {verdict}"
        keep = f"; kept because {self.label} is in keep" if self.kept_by_keep else ""
        return f"{looks}; {context}{keep}"

    def to_dict(self) -> dict:
        return {**asdict(self), "reason": self.reason}


class BlockDecisions(Sequence[BlockDecision]):
    """A result's BlockDecision per line, made only when first read.

    Most callers want the text and the removed spans, and a batch throws the
    per-line decisions away; building a frozen dataclass per line cost about
    a tenth of cleaning a short text. So the pipeline hands over one list per
    BlockDecision field, and the objects are made on first access (then kept).
    Compares equal to the tuple of the same decisions."""

    __slots__ = ("_columns", "_made")
    FIELDS = tuple(f.name for f in fields(BlockDecision))

    def __init__(self, columns: dict[str, list[Any]]) -> None:
        self._columns = tuple(columns[name] for name in self.FIELDS)  # KeyError: a field is missing
        self._made: tuple[BlockDecision, ...] | None = None

    def column(self, name: str) -> list[Any]:
        """One field's values, line by line, without making the objects."""
        return self._columns[self.FIELDS.index(name)]

    def _all(self) -> tuple[BlockDecision, ...]:
        if self._made is None:
            self._made = tuple(map(BlockDecision, *self._columns))
        return self._made

    @overload
    def __getitem__(self, index: int) -> BlockDecision: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[BlockDecision, ...]: ...
    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._columns[0])

    def __iter__(self):
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (BlockDecisions, tuple)):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return f"BlockDecisions({len(self)} lines)"


@dataclass(frozen=True, slots=True)
class ModelInfo:
    name: str
    version: str
    sha256: str


@dataclass(frozen=True, slots=True, repr=False)
class CleanResult:
    """Clean text plus the report of what was cut from `base` to get it."""

    text: str
    base: str
    kind: str
    removed: tuple[RemovedSpan, ...]
    model: ModelInfo
    blocks: Sequence[BlockDecision] = field(default=(), repr=False)  # a BlockDecisions, or ()
    threshold: float = 0.5

    def __repr__(self) -> str:
        # Short whatever the document's size: the dataclass repr held the text,
        # the base and every span's text, twice the page, in any log line or failed assert.
        return (f"CleanResult(kind={self.kind!r}, text={_preview(self.text)}, base={_preview(self.base)}, "
                f"removed={len(self.removed)} spans {self.counts}, model={self.model.name!r}, threshold={self.threshold})")

    def restore(self) -> str:
        """Put the removed spans back into `text`; equals `base` by construction."""
        return _restore(self.text, self.removed)

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}  # a plain loop: Counter costs more for a handful of spans
        for span in self.removed:
            counts[span.label] = counts.get(span.label, 0) + 1
        return counts

    def to_markdown(self) -> str:
        """The clean text with the page's structure as Markdown (headings,
        lists, quotes, tables; `markdown_output.py`); text input as `text`."""
        from .markdown_output import result_markdown

        return result_markdown(self)

    def to_dict(self, include_text: bool = False, include_markdown: bool = False) -> dict:
        """The JSON report (see README, "Report format"), with the clean text
        and its Markdown (`to_markdown`) if asked."""
        report = {
            "schema": REPORT_SCHEMA,
            "kind": self.kind,
            "model": {"name": self.model.name, "version": self.model.version, "sha256": self.model.sha256},
            "threshold": self.threshold,
            "base_length": len(self.base),
            "text_length": len(self.text),
            "removed": [span.to_dict() for span in self.removed],
            "counts": self.counts,
        }
        if include_text:
            report["text"] = self.text
        if include_markdown:
            report["markdown"] = self.to_markdown()
        return report


_PREVIEW = 60  # characters of a text a repr shows


def _preview(text: str) -> str:
    """The start of `text` and its length, for a repr."""
    return repr(text) if len(text) <= _PREVIEW else f"{text[:_PREVIEW]!r}… ({len(text):,} chars)"


def _restore(text: str, removed: tuple[RemovedSpan, ...]) -> str:
    parts: list[str] = []
    text_pos = 0
    base_pos = 0
    for span in removed:
        kept = span.start - base_pos
        parts.append(text[text_pos: text_pos + kept])
        parts.append(span.text)
        text_pos += kept
        base_pos = span.end
    parts.append(text[text_pos:])
    return "".join(parts)
