"""The result of cleaning one document: the text, and exactly what was removed.

Like ftfy's `fix_and_explain`, a `CleanResult` carries its own proof: `restore()`
puts the removed spans back and must give `base` character for character.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

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
    threshold is applied to: the same, except for a list item (`list_size` > 0),
    which takes the mean score of its list (stage three). A line decided by a
    rule instead of the model (the page headline) says so in `rule`.
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


@dataclass(frozen=True, slots=True)
class ModelInfo:
    name: str
    version: str
    sha256: str


@dataclass(frozen=True, slots=True)
class CleanResult:
    """Clean text plus the report of what was cut from `base` to get it."""

    text: str
    base: str
    kind: str
    removed: tuple[RemovedSpan, ...]
    model: ModelInfo
    blocks: tuple[BlockDecision, ...] = field(default=(), repr=False)
    threshold: float = 0.5

    def restore(self) -> str:
        """Put the removed spans back into `text`; equals `base` by construction."""
        return _restore(self.text, self.removed)

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}  # a plain loop: Counter costs more for a handful of spans
        for span in self.removed:
            counts[span.label] = counts.get(span.label, 0) + 1
        return counts

    def to_dict(self, include_text: bool = False) -> dict:
        """The JSON report (see README, "Report format")."""
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
        return report


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
