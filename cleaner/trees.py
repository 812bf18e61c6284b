"""Stage two's trees, compiled to flat arrays and evaluated for all rows at once.

scikit-learn's HistGradientBoostingClassifier predicts tree by tree in a Python
loop, which dominates the cost of cleaning a short document. Here every tree's
nodes go into shared arrays and one loop over depth walks all rows through all
trees together. The result equals `predict_proba(X)[:, 1]` (tested), and the
pickle holds plain arrays only.
"""

from __future__ import annotations

import numpy as np


class CompiledTrees:
    """A fitted binary HistGradientBoostingClassifier as arrays."""

    def __init__(self, model) -> None:
        # _predictors and _baseline_prediction are private but stable across
        # the scikit-learn range this package pins; a test checks equality.
        trees = [iteration[0].nodes for iteration in model._predictors]
        sizes = [len(t) for t in trees]
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        nodes = np.concatenate(trees)
        shift = np.repeat(offsets, sizes)
        self.feature_ = nodes["feature_idx"].astype(np.intp)
        self.threshold_ = nodes["num_threshold"].astype(np.float64)
        self.left_ = (nodes["left"].astype(np.intp) + shift)
        self.right_ = (nodes["right"].astype(np.intp) + shift)
        self.is_leaf_ = nodes["is_leaf"].astype(bool)
        self.missing_left_ = nodes["missing_go_to_left"].astype(bool)
        self.value_ = nodes["value"].astype(np.float64)
        self.roots_ = offsets.astype(np.intp)
        self.depth_ = int(nodes["depth"].max()) if len(nodes) else 0
        self.baseline_ = float(np.ravel(model._baseline_prediction)[0])
        # Leaves point to themselves, so walking past a leaf stays on it.
        leaf_ids = np.flatnonzero(self.is_leaf_)
        self.left_[leaf_ids] = leaf_ids
        self.right_[leaf_ids] = leaf_ids
        self.feature_[leaf_ids] = 0
        self.children_ = np.stack([self.left_, self.right_], axis=1)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """P(class 1) per row."""
        n = X.shape[0]
        if n == 0:
            return np.zeros(0)
        if np.isnan(X).any():
            return self._predict_with_missing(X)
        flat = X.ravel()
        base = (np.arange(n) * X.shape[1])[:, None]
        node = np.broadcast_to(self.roots_, (n, len(self.roots_))).copy()
        for _ in range(self.depth_):
            go_right = flat[base + self.feature_[node]] > self.threshold_[node]
            node = self.children_[node, go_right.view(np.int8)]
        return self._proba(node)

    def _predict_with_missing(self, X: np.ndarray) -> np.ndarray:
        n = X.shape[0]
        node = np.broadcast_to(self.roots_, (n, len(self.roots_))).copy()
        rows = np.arange(n)[:, None]
        for _ in range(self.depth_):
            x = X[rows, self.feature_[node]]
            go_left = np.where(np.isnan(x), self.missing_left_[node], x <= self.threshold_[node])
            node = np.where(go_left, self.left_[node], self.right_[node])
        return self._proba(node)

    def _proba(self, node: np.ndarray) -> np.ndarray:
        raw = self.value_[node].sum(axis=1) + self.baseline_
        return 1.0 / (1.0 + np.exp(-np.clip(raw, -50.0, 50.0)))
