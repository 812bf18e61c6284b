"""Quality gates on the shared evaluation sets, pinned next to the corpus digests.

Like trafilatura's CI gate: if a change drops a figure below its floor, CI goes
red. The floors sit a little under the bundled model's measured figures (README,
"Quality"); they are pinned to the exact files measured, so a changed corpus
skips with a message to re-pin rather than silently moving the goalposts.
"""

from __future__ import annotations

import hashlib

import pytest

from cleaner.evaluation import evaluate

from .conftest import SHARED, assert_within_floors, shared_or_skip

# set -> (file whose digest is pinned, SHA-256 prefix, floors)
FLOORS = {
    "injected-text": ("eval/injected/text.jsonl", "7f6cd8e61ecb1f67", {"precision": 0.92, "recall": 0.95, "content_removed_max": 0.02}),
    "injected-html": ("eval/injected/html.jsonl", "c2759620686cc09c", {"f1": 0.95, "leaked_max": 0.04}),
    "aeb": ("eval/aeb/ground-truth.json", "8307407756416ba7", {"f1": 0.960, "recall": 0.962}),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_quality_stays_above_its_floor(name, cleaner):
    path, digest, floors = FLOORS[name]
    corpus = shared_or_skip(*path.split("/"))
    if hashlib.sha256(corpus.read_bytes()).hexdigest()[:16] != digest:
        pytest.skip(f"{corpus} changed since the floors were pinned: re-measure and re-pin them")
    row = next(r for r in evaluate(SHARED, cleaner, sets=(name,)) if r.system == "cleaner")
    assert row.errors == 0
    assert_within_floors(row, floors, name)
