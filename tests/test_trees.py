"""The compiled trees give exactly scikit-learn's probabilities (trees.py relies
on private attributes of HistGradientBoostingClassifier; this pins them)."""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from cleaner.trees import CompiledTrees


def test_compiled_trees_equal_scikit_learn_with_and_without_missing_values():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2000, 12))
    X[rng.random(X.shape) < 0.05] = np.nan
    y = ((np.nan_to_num(X[:, 0]) + np.nan_to_num(X[:, 1]) * np.nan_to_num(X[:, 2])) > 0).astype(int)
    model = HistGradientBoostingClassifier(max_iter=40, max_depth=6, random_state=0).fit(X, y)
    compiled = CompiledTrees(model)
    dense = rng.normal(size=(300, 12))
    gappy = dense.copy()
    gappy[::5, 3] = np.nan
    for sample in (dense, gappy, dense[:1]):
        assert np.allclose(compiled.predict_proba(sample), model.predict_proba(sample)[:, 1], atol=1e-12)
    assert compiled.predict_proba(np.zeros((0, 12))).shape == (0,)


def test_padded_trees_walk_to_the_same_leaves_as_the_node_pointers():
    """predict_proba walks trees padded to full depth; the plain pointer walk is
    the reference. Exact equality, on trees deeper and shallower than the
    padding limit (the deep ones fall back to the pointer walk)."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(3000, 6))
    y = (np.sin(3 * X[:, 0]) + X[:, 1] * X[:, 2] > 0).astype(int)
    samples = rng.normal(size=(500, 6)).astype(np.float32)
    for depth in (3, 7, None):
        model = HistGradientBoostingClassifier(max_iter=30, max_depth=depth, max_leaf_nodes=63, random_state=0).fit(X, y)
        compiled = CompiledTrees(model)
        reference = compiled._proba(compiled._walk(samples))
        assert np.array_equal(compiled.predict_proba(samples), reference)
        assert (compiled._complete_layout() is None) == (compiled.depth_ > 10)
