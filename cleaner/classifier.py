"""The two-stage block classifier, as a scikit-learn estimator.

Stage one scores each line on its own (words plus shape features, a linear
model over all labels): it says what kind of junk a line looks like. Stage two
decides junk-or-content for each line from stage one's probabilities of the
line and its neighbours, the run of similar lines it belongs to, its topic
overlap with the document and its place in the document (gradient-boosted
trees): it says whether, here, the line is junk. Stage two is trained on
out-of-fold stage-one probabilities so it learns how far to trust them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from .blocks import Block
from .context import context_matrix
from .features import marker_of, shape_matrix
from .labels import CONTENT, LABELS
from .lexical import LexicalModel, tokens_of
from .trees import CompiledTrees


@dataclass(slots=True)
class DocView:
    """The non-blank blocks of one document, with the blank-line layout around them."""

    blocks: list[Block]
    is_html: bool
    blank_before: np.ndarray = field(default_factory=lambda: np.zeros(0))
    blank_after: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @classmethod
    def from_blocks(cls, blocks: Sequence[Block], is_html: bool) -> "DocView":
        kept: list[Block] = []
        before: list[float] = []
        after: list[float] = []
        previous_blank = False
        for block in blocks:
            if block.blank:
                previous_blank = True
                if after:
                    after[-1] = 1.0
                continue
            kept.append(block)
            before.append(float(previous_blank))
            after.append(0.0)
            previous_blank = False
        return cls(kept, is_html, np.asarray(before), np.asarray(after))


class BlockClassifier(BaseEstimator):
    """Scores each block of a document as content or one of the junk labels.

    Parameters are stored as given (scikit-learn convention); `fit` learns
    `lexical_` (stage one), `context_` (stage two, compiled) and `classes_`.
    """

    def __init__(
        self,
        alpha: float = 1e-5,
        folds: int = 4,
        max_iter: int = 150,
        learning_rate: float = 0.1,
        max_leaf_nodes: int = 31,
        max_depth: int | None = 7,
        content_weight: float = 1.0,
        random_state: int = 0,
    ) -> None:
        self.alpha = alpha
        self.folds = folds
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.max_depth = max_depth
        self.content_weight = content_weight
        self.random_state = random_state

    def _new_lexical(self) -> LexicalModel:
        return LexicalModel(len(LABELS), alpha=self.alpha, random_state=self.random_state)

    def fit(self, docs: Sequence[DocView], labels: Sequence[Sequence[str]], groups: Sequence[int] | None = None) -> "BlockClassifier":
        """Learn both stages from documents and their per-block labels.

        `groups` gives each document's source fold: stage two is trained on
        stage-one probabilities from models that never saw the fold's articles
        or junk, so it learns how much to trust stage one on unseen text.
        Without groups each document is its own group.
        """
        self.classes_ = np.asarray(LABELS)
        index = {label: i for i, label in enumerate(LABELS)}
        tokens = tokens_of([b.text for doc in docs for b in doc.blocks])
        y = np.asarray([index[l] for doc_labels in labels for l in doc_labels])
        doc_groups = np.arange(len(docs)) if groups is None else np.asarray(groups)
        row_groups = np.repeat(doc_groups, [len(d.blocks) for d in docs])
        shapes = np.vstack([shape_matrix(d.blocks, d.is_html) for d in docs])

        oof = np.zeros((len(y), len(LABELS)))
        n_splits = min(self.folds, len(np.unique(row_groups)))
        for train, test in GroupKFold(n_splits=n_splits).split(shapes, y, row_groups):
            model = self._new_lexical().fit([tokens[i] for i in train], shapes[train], y[train])
            oof[test] = model.predict_proba([tokens[i] for i in test], shapes[test])
        self.lexical_ = self._new_lexical().fit(tokens, shapes, y)

        X2, offset = [], 0
        for doc in docs:
            n = len(doc.blocks)
            X2.append(self._context(doc, oof[offset: offset + n], shapes[offset: offset + n]))
            offset += n
        is_junk = (y != index[CONTENT]).astype(np.int8)
        # Deleting real content costs a reader more than leaving a junk line in,
        # so content lines can weigh more in stage two's loss.
        weights = np.where(is_junk == 1, 1.0, self.content_weight)
        trees = HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            max_depth=self.max_depth,
            random_state=self.random_state,
        ).fit(np.vstack(X2), is_junk, sample_weight=weights)
        self.context_ = CompiledTrees(trees)
        return self

    def _context(self, doc: DocView, probs: np.ndarray, shapes: np.ndarray) -> np.ndarray:
        markers = [marker_of(b.text) for b in doc.blocks]
        return context_matrix([b.text for b in doc.blocks], probs, shapes, markers, doc.blank_before, doc.blank_after, content_col=0)

    def stage_one(self, doc: DocView) -> tuple[np.ndarray, np.ndarray]:
        """Context-free class probabilities (n, len(LABELS)) and the shape matrix."""
        shapes = shape_matrix(doc.blocks, doc.is_html)
        return self.lexical_.predict_proba(tokens_of([b.text for b in doc.blocks]), shapes), shapes

    def predict_doc(self, doc: DocView) -> tuple[np.ndarray, np.ndarray]:
        """Return (stage-one probabilities, junk probability in context) per block."""
        if not doc.blocks:
            return np.zeros((0, len(LABELS))), np.zeros(0)
        probs, shapes = self.stage_one(doc)
        return probs, self.context_.predict_proba(self._context(doc, probs, shapes))
