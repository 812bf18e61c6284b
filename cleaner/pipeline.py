"""The cleaning pipeline: decode, extract or split, classify, cut."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .blocks import Block, split_lines
from .scorer import DocView
from .decode import decode_bytes, looks_like_html
from .errors import CleanerError, InputError
from .extract import ExtractOptions, extract_blocks
from .labels import JUNK_LABELS, LABELS, parse_labels
from .model_store import LoadedModel, load_model
from .result import BlockDecision, CleanResult
from .spans import delete_spans, removed_spans

KINDS = ("auto", "html", "text")
# Per-kind defaults, chosen by measurement (README, "Quality"). HTML has been
# through trafilatura, which already drops most junk, so a line of its output is
# less likely to be junk than a line of a saved page, and a higher bar fits.
DEFAULT_THRESHOLDS = {"text": 0.5, "html": 0.7}
DEFAULT_MAX_BYTES = 50_000_000


class Cleaner:
    """Loads the model once and cleans any number of documents.

    `threshold` is the in-context junk probability at or above which a line is
    removed (None: 0.5 for text, 0.7 for HTML); `keep` names junk labels to leave in the text (e.g. ["meta"]).
    A Cleaner holds no per-document state, so one instance may serve many
    threads.
    """

    def __init__(
        self,
        threshold: float | None = None,
        keep: Iterable[str] | str | None = None,
        model_path: str | Path | None = None,
        trust_model: bool = False,
        extract_options: ExtractOptions = ExtractOptions(),
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise CleanerError(f"threshold must be between 0 and 1, got {threshold}")
        self.threshold = threshold
        self.keep = parse_labels(list(keep) if keep is not None and not isinstance(keep, str) else keep)
        self.extract_options = extract_options
        self.max_bytes = max_bytes
        self._model: LoadedModel = _bundled_model() if model_path is None else load_model(model_path, trust=trust_model)

    @property
    def model(self) -> LoadedModel:
        return self._model

    def clean(self, document: str | bytes, kind: str = "auto") -> CleanResult:
        """Clean one document; see `CleanResult` for what comes back."""
        text, kind = self._prepare(document, kind)
        if kind == "html":
            base, blocks = extract_blocks(text, self.extract_options) if text.strip() else ("", [])
        else:
            base, blocks = text, split_lines(text)
        threshold = DEFAULT_THRESHOLDS[kind] if self.threshold is None else self.threshold
        decisions = self._decide(blocks, is_html=kind == "html", threshold=threshold)
        removed_flags = [d.removed for d in decisions]
        spans = removed_spans(base, blocks, removed_flags, [d.label for d in decisions], [d.junk_score for d in decisions])
        return CleanResult(delete_spans(base, spans), base, kind, spans, self._model.info, tuple(decisions), threshold)

    def _prepare(self, document: str | bytes, kind: str) -> tuple[str, str]:
        if kind not in KINDS:
            raise CleanerError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        if isinstance(document, (bytes, bytearray, memoryview)):
            data = bytes(document)
            if len(data) > self.max_bytes:
                raise InputError(f"input is {len(data):,} bytes, over the limit of {self.max_bytes:,} (raise max_bytes)")
            document = decode_bytes(data)
        elif not isinstance(document, str):
            raise CleanerError(f"document must be str or bytes, not {type(document).__name__}")
        elif len(document) > self.max_bytes:
            raise InputError(f"input is {len(document):,} characters, over the limit of {self.max_bytes:,} (raise max_bytes)")
        if kind == "auto":
            kind = "html" if looks_like_html(document) else "text"
        return document, kind

    def _decide(self, blocks: Sequence[Block], is_html: bool, threshold: float) -> list[BlockDecision]:
        view = DocView.from_blocks(blocks, is_html)
        if not view.blocks:
            return []
        probs, junk = self._model.classifier.predict_doc(view)
        removed = junk >= threshold
        labels = _junk_labels(probs, removed)
        looks = probs.argmax(axis=1)
        looks_scores = probs[np.arange(len(looks)), looks].tolist()
        # Plain Python values: indexing numpy arrays element by element is slow.
        removed_flags, junk_scores, looks_labels = removed.tolist(), junk.tolist(), [LABELS[k] for k in looks.tolist()]
        decisions = []
        for i, block in enumerate(view.blocks):
            label = labels[i] if removed_flags[i] else "content"
            kept_by_keep = removed_flags[i] and label in self.keep
            decisions.append(BlockDecision(
                block.start, block.end, block.text, block.tag or "line", looks_labels[i], looks_scores[i],
                junk_scores[i], label, removed_flags[i] and not kept_by_keep, threshold, kept_by_keep,
            ))
        return decisions


def _junk_labels(probs: np.ndarray, removed: np.ndarray) -> list[str]:
    """Name each removed line's junk category, pooling evidence over its run of
    removed neighbours so a header takes the label of the list it heads: the
    label maximises the line's junk probabilities plus its run's mean."""
    labels = ["content"] * len(removed)
    lines = np.flatnonzero(removed)
    if not lines.size:
        return labels
    junk_probs = probs[lines, 1:]
    run = np.cumsum(np.diff(lines, prepend=-2) != 1) - 1
    # Added row by row in order, as mean(axis=0) over each run adds them
    # (np.add.reduceat may add in another order).
    run_sums = np.zeros((run[-1] + 1, junk_probs.shape[1]))
    np.add.at(run_sums, run, junk_probs)
    run_means = run_sums / np.bincount(run)[:, None]
    best = (junk_probs + run_means[run]).argmax(axis=1)
    for line, label in zip(lines.tolist(), best.tolist()):
        labels[line] = JUNK_LABELS[label]
    return labels


@functools.lru_cache(maxsize=1)
def _bundled_model() -> LoadedModel:
    """The bundled model, checked and loaded once per process and shared."""
    return load_model()


def clean(document: str | bytes, kind: str = "auto", threshold: float | None = None, keep: Iterable[str] | str | None = None) -> CleanResult:
    """Clean one document with the bundled model (loaded once per process)."""
    return Cleaner(threshold=threshold, keep=keep).clean(document, kind)
