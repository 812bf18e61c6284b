"""Stage one's word model: a linear model over a line's words, kept as plain arrays.

Trained with scikit-learn's SGD (log loss, one-vs-rest), then stored as a
vocabulary and weight matrices so that scoring a document is one small sparse
product: no per-call validation, and nothing version-specific in the pickle.
"""

from __future__ import annotations

import warnings
from collections import Counter
from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier

from .features import line_tokens


class LexicalModel(BaseEstimator):
    """Multi-class logistic model on word uni/bigrams plus standardised shapes.

    `fit` learns `vocabulary_` (token -> column), `word_coef_` (V x C),
    `shape_mean_`, `shape_scale_`, `shape_coef_` (S x C) and `intercept_` (C).
    """

    def __init__(self, n_classes: int, alpha: float = 1e-5, min_df: int = 2, max_features: int = 200_000, random_state: int = 0) -> None:
        self.n_classes = n_classes
        self.alpha = alpha
        self.min_df = min_df
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, tokens: Sequence[list[str]], shapes: np.ndarray, y: np.ndarray) -> "LexicalModel":
        df = Counter(t for line in tokens for t in set(line))
        kept = [t for t, c in df.most_common(self.max_features) if c >= self.min_df]
        self.vocabulary_ = {t: i for i, t in enumerate(sorted(kept))}
        self.shape_mean_ = shapes.mean(axis=0)
        scale = shapes.std(axis=0)
        self.shape_scale_ = np.where(scale > 0, scale, 1.0)
        X = sparse.hstack([self._words(tokens), sparse.csr_matrix(self._scaled(shapes))], format="csr")
        sgd = SGDClassifier(loss="log_loss", alpha=self.alpha, max_iter=30, tol=1e-4, random_state=self.random_state)
        with warnings.catch_warnings():
            # 30 epochs is a deliberate budget: more changes dev scores by noise only.
            warnings.simplefilter("ignore", ConvergenceWarning)
            sgd.fit(X, y)
        coef = np.zeros((self.n_classes, X.shape[1]))
        intercept = np.full(self.n_classes, -30.0)  # a class absent from y is never predicted
        coef[sgd.classes_] = sgd.coef_ if len(sgd.classes_) > 2 else np.vstack([-sgd.coef_, sgd.coef_])
        intercept[sgd.classes_] = sgd.intercept_ if len(sgd.classes_) > 2 else [-sgd.intercept_[0], sgd.intercept_[0]]
        n_words = len(self.vocabulary_)
        self.word_coef_ = np.ascontiguousarray(coef[:, :n_words].T, dtype=np.float32)
        self.shape_coef_ = coef[:, n_words:].T.copy()
        self.intercept_ = intercept
        return self

    def _scaled(self, shapes: np.ndarray) -> np.ndarray:
        return (shapes - self.shape_mean_) / self.shape_scale_

    def _entries(self, tokens: Sequence[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, column, value) entries of the token vectors: each occurrence adds
        1/sqrt(n_tokens), so a line's vector has unit length when its tokens are
        distinct. Unknown tokens count in n_tokens, so a line of unseen words
        weighs little. Repeated (row, column) entries add up."""
        lookup = self.vocabulary_.get
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        cols = np.fromiter((lookup(t, -1) for line in tokens for t in line), dtype=np.int64, count=int(lengths.sum()))
        rows = np.repeat(np.arange(len(tokens)), lengths)
        vals = np.repeat(1.0 / np.sqrt(np.maximum(lengths, 1)), lengths)
        known = cols >= 0
        return rows[known], cols[known], vals[known]

    def _words(self, tokens: Sequence[list[str]]) -> sparse.csr_matrix:
        rows, cols, vals = self._entries(tokens)
        return sparse.csr_matrix((vals.astype(np.float32), (rows, cols)), shape=(len(tokens), len(self.vocabulary_)))

    def predict_proba(self, tokens: Sequence[list[str]], shapes: np.ndarray) -> np.ndarray:
        """One-vs-rest probabilities, normalised per row (as scikit-learn does)."""
        rows, cols, vals = self._entries(tokens)
        contributions = self.word_coef_[cols] * vals[:, None]
        words = np.column_stack([np.bincount(rows, weights=contributions[:, k], minlength=len(tokens)) for k in range(self.n_classes)])
        decision = words + self._scaled(shapes) @ self.shape_coef_ + self.intercept_
        probs = 1.0 / (1.0 + np.exp(-np.clip(decision, -50, 50)))
        return probs / probs.sum(axis=1, keepdims=True)


def tokens_of(texts: Sequence[str]) -> list[list[str]]:
    return [line_tokens(t) for t in texts]
