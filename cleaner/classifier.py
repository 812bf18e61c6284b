"""The two-stage block classifier, as scikit-learn estimators (training side).

Stage one scores each line on its own (words plus shape features, a linear
model over all labels): it says what kind of junk a line looks like. Stage two
decides junk-or-content for each line from stage one's probabilities of the
line and its neighbours, the run of similar lines it belongs to, its topic
overlap with the document and its place in the document (gradient-boosted
trees): it says whether, here, the line is junk. Stage two is trained on
out-of-fold stage-one probabilities so it learns how far to trust them.

Fitted estimators expose `scorer_`, the numpy-only `BlockScorer` that the
model file holds and the pipeline runs.
"""

from __future__ import annotations

import warnings
from collections import Counter
from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GroupKFold

from .features import shape_matrix, tokens_of
from .labels import CONTENT, LABELS
from .scorer import BlockScorer, DocView, LexicalWeights, context_features
from .trees import CompiledTrees


def junk_class_weights(y: np.ndarray, power: float, cap: float = 5.0) -> dict[int, float] | None:
    """Loss weights that lift thin junk labels towards the biggest one.

    Composed documents hold tens of thousands of headline-list lines but under
    a thousand lines each of comment chrome, cookie text or captions; unweighted,
    stage one learns those as content (even lines it was trained on). Each junk
    class gets (largest junk class / its size) ** power, at most `cap`; content
    keeps weight 1; power 0 switches this off. With power 0.5 (the default)
    stage one recognises the thin labels (an authored comment-chrome or cookie
    line it was trained on no longer scores as content); on its own it cost
    precision on real pages, so it comes with larger stage-two leaves (see
    BlockClassifier.fit)."""
    if power <= 0:
        return None
    counts = np.bincount(y)
    largest = counts[1:].max() if len(counts) > 1 else 0
    return {int(k): 1.0 if k == 0 else float(min(cap, (largest / counts[k]) ** power)) for k in np.flatnonzero(counts)}


class LexicalModel(BaseEstimator):
    """Stage one: a one-vs-rest logistic model (SGD, log loss) on word uni- and
    bigrams over a vocabulary of tokens seen in `min_df` training lines, plus
    shapes standardised with a spread of at least `scale_floor`. `fit` learns
    `weights_` (a `LexicalWeights`)."""

    def __init__(self, n_classes: int, alpha: float = 1e-5, min_df: int = 2, max_features: int = 200_000,
                 balance: float = 0.0, scale_floor: float = 0.3, lead_weight: float = 1.0, random_state: int = 0) -> None:
        self.n_classes = n_classes
        self.lead_weight = lead_weight
        self.balance = balance
        self.scale_floor = scale_floor
        self.alpha = alpha
        self.min_df = min_df
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, tokens: Sequence[list[str]], shapes: np.ndarray, y: np.ndarray) -> "LexicalModel":
        df = Counter(t for line in tokens for t in set(line))
        kept = [t for t, c in df.most_common(self.max_features) if c >= self.min_df]
        vocabulary = {t: i for i, t in enumerate(sorted(kept))}
        # A rare yes/no cue (a copyright sign, a URL, a colon at the end) has a
        # tiny spread, so plain standardising turns its presence into a value
        # of 30 to 90: one cue then outweighs all of a line's words, and the
        # fit answers with logits of ±100 that cancel out. A floor on the
        # spread keeps every shape value within a few units.
        scale = shapes.std(axis=0)
        scale = np.maximum(scale, self.scale_floor) if self.scale_floor > 0 else np.where(scale > 0, scale, 1.0)
        weights = LexicalWeights(vocabulary, np.zeros((0, 0)), shapes.mean(axis=0), scale, np.zeros((0, 0)), np.zeros(0),
                                 self.lead_weight)
        rows, cols, vals = weights.entries(tokens)
        words = sparse.csr_matrix((vals.astype(np.float32), (rows, cols)), shape=(len(tokens), len(vocabulary)))
        X = sparse.hstack([words, sparse.csr_matrix(weights.scaled(shapes))], format="csr")
        sgd = SGDClassifier(loss="log_loss", alpha=self.alpha, max_iter=30, tol=1e-4, random_state=self.random_state,
                            class_weight=junk_class_weights(y, self.balance))
        with warnings.catch_warnings():
            # 30 epochs is a deliberate budget: more changes dev scores by noise only.
            warnings.simplefilter("ignore", ConvergenceWarning)
            sgd.fit(X, y)
        coef = np.zeros((self.n_classes, X.shape[1]))
        intercept = np.full(self.n_classes, -30.0)  # a class absent from y is never predicted
        coef[sgd.classes_] = sgd.coef_ if len(sgd.classes_) > 2 else np.vstack([-sgd.coef_, sgd.coef_])
        intercept[sgd.classes_] = sgd.intercept_ if len(sgd.classes_) > 2 else [-sgd.intercept_[0], sgd.intercept_[0]]
        n_words = len(vocabulary)
        weights.word_coef = np.ascontiguousarray(coef[:, :n_words].T, dtype=np.float32)
        weights.shape_coef = coef[:, n_words:].T.copy()
        weights.intercept = intercept
        self.weights_ = weights
        return self

    def predict_proba(self, tokens: Sequence[list[str]], shapes: np.ndarray) -> np.ndarray:
        return self.weights_.predict_proba(tokens, shapes)


class BlockClassifier(BaseEstimator):
    """Scores each block of a document as content or one of the junk labels.

    Parameters are stored as given (scikit-learn convention); `fit` learns
    `scorer_` (both stages, numpy only) and `classes_`.
    """

    def __init__(
        self,
        alpha: float = 1e-5,
        balance: float = 0.5,
        scale_floor: float = 0.3,
        folds: int = 4,
        max_iter: int = 150,
        learning_rate: float = 0.1,
        max_leaf_nodes: int = 31,
        max_depth: int | None = 7,
        min_samples_leaf: int = 200,
        l2_regularization: float = 1.0,
        content_weight: float = 1.0,
        lead_weight: float = 1.0,
        random_state: int = 0,
    ) -> None:
        self.lead_weight = lead_weight
        self.alpha = alpha
        self.balance = balance
        self.scale_floor = scale_floor
        self.folds = folds
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.content_weight = content_weight
        self.random_state = random_state

    def _new_lexical(self) -> LexicalModel:
        return LexicalModel(len(LABELS), alpha=self.alpha, balance=self.balance, scale_floor=self.scale_floor,
                            lead_weight=self.lead_weight, random_state=self.random_state)

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
        lexical = self._new_lexical().fit(tokens, shapes, y)

        X2, offset = [], 0
        for doc in docs:
            n = len(doc.blocks)
            X2.append(context_features(doc, oof[offset: offset + n], shapes[offset: offset + n]))
            offset += n
        is_junk = (y != index[CONTENT]).astype(np.int8)
        # Deleting real content costs a reader more than leaving a junk line in,
        # so content lines can weigh more in stage two's loss.
        weights = np.where(is_junk == 1, 1.0, self.content_weight)
        # Document-wide columns (line count, mean junk score, share of long
        # paragraphs) are shared by every line of a document, so small leaves
        # can carve out a few training documents and flip whole real pages.
        # min_samples_leaf=200 with l2_regularization=1.0 (scikit-learn's
        # defaults are 20 and 0) removed fewer content lines of real pages
        # with each of three training seeds.
        trees = HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            max_depth=self.max_depth,
            min_samples_leaf=self.min_samples_leaf,
            l2_regularization=self.l2_regularization,
            random_state=self.random_state,
        ).fit(np.vstack(X2), is_junk, sample_weight=weights)
        self.scorer_ = BlockScorer(lexical.weights_, CompiledTrees(trees))
        return self

    def predict_doc(self, doc: DocView) -> tuple[np.ndarray, np.ndarray]:
        """Return (stage-one probabilities, junk probability in context) per block."""
        return self.scorer_.predict_doc(doc)
