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
