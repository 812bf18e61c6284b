"""Quality gates on the project's own held-out documents (tests/heldout/).

Like the gates on ../shared (test_quality_floors.py), but on documents that
ship with the project, so they run in every clone. The floors sit a little
under the bundled model's measured figures and are pinned next to a digest
of the documents: changing a document skips the gate with a message to
re-measure and re-pin, rather than moving the goalposts silently.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cleaner.evaluation import evaluate

from .conftest import assert_within_floors

HELDOUT = Path(__file__).resolve().parent / "heldout"

# folder -> (SHA-256 prefix of its files, floors; "_max" marks a ceiling)
FLOORS = {
    "text": ("615fe2e14333b697", {"precision": 0.94, "recall": 0.55, "content_removed_max": 0.01, "hard_negative_removed_max": 0.01}),
    "html": ("3de4c9dfc6fa1926", {"f1": 0.97, "recall": 0.97, "leaked_max": 0.06}),
}


def digest(folder: Path) -> str:
    """SHA-256 over the folder's file names and bytes, in name order."""
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        sha.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_held_out_quality_stays_above_its_floor(name, cleaner):
    pinned, floors = FLOORS[name]
    folder = HELDOUT / name
    if not digest(folder).startswith(pinned):
        pytest.skip(f"{folder} changed since the floors were pinned: re-measure and re-pin them")
    [row] = evaluate(HELDOUT, cleaner, sets=(str(folder),), baselines=())
    assert row.errors == 0 and row.docs == len(list(folder.glob("*.html" if name == "html" else "*.txt")))
    assert_within_floors(row, floors, f"held-out {name}")


def test_every_held_out_document_is_well_formed():
    from cleaner.annotated import TAGS, read_annotated, read_page_folder

    texts = sorted((HELDOUT / "text").glob("*.txt"))
    assert len(texts) == 94
    for path in texts:
        doc = read_annotated(path)
        assert doc.text.strip() and all(tag in TAGS for *_, tag in doc.junk)
    pages = read_page_folder(HELDOUT / "html")
    assert len(pages) == 32 and all(page.body.strip() and page.junk_lines for page in pages)
