"""Stage three's veto: a full sentence that stage one is sure of stays in text."""

import numpy as np
import pytest

from cleaner.sure_lines import SURE_CONTENT, sure_sentences

from .conftest import PAGE_HEAD, PAGE_TAIL, stage_two_says

SNOW = [
    "Heavy snow closed the mountain pass for the second time this week.",
    "Most Read",
    "- Celebrity Chef Reveals the One Ingredient He Never Uses",
    "- Why Everyone Is Suddenly Buying This $20 Gadget",
    "The county said snowploughs had worked through the night to clear the road before the morning rush hour.",
    "Chains advised until Sunday",
]


@pytest.mark.parametrize(("line", "content", "sure"), [
    ("The pass has reopened in both directions, police said.", SURE_CONTENT, True),
    ("The pass has reopened in both directions, police said.  ", 0.99, True),
    ("山道は午後に全面再開した。", 0.99, True),
    ("The pass has reopened in both directions, police said.", SURE_CONTENT - 0.01, False),  # not sure enough
    ("Has the pass reopened?", 0.99, False),                      # questions are left to the model
    ("You won't believe what happened next...", 0.99, False),     # a teaser's trailing dots
    ("Celebrity Chef Reveals the One Ingredient He Never Uses", 0.99, False),
])
def test_only_full_sentences_stage_one_is_sure_of_are_vetoed(line, content, sure):
    assert sure_sentences([line], np.array([content]), np.array([True])) == ([0] if sure else [])


def test_only_removed_lines_are_looked_at():
    lines = ["The pass has reopened, police said.", "Drivers should carry chains until Sunday."]
    assert sure_sentences(lines, np.array([0.99, 0.99]), np.array([False, True])) == [1]


def test_a_sure_sentence_glued_to_a_teaser_list_stays_and_says_why(cleaner, monkeypatch):
    scores = dict(zip(SNOW, [0.0, 0.95, 0.95, 0.95, 0.9, 0.9]))
    stage_two_says(monkeypatch, scores.get)
    document = "\n".join(SNOW)
    result = cleaner.clean(document, kind="text")
    sure, unsure = result.blocks[4], result.blocks[5]
    assert sure.looks_score >= SURE_CONTENT  # a plain news sentence: any model trained here reads it so (0.98)
    assert not sure.removed and sure.label == "content"
    assert "full sentence of content" in sure.reason
    assert SNOW[4] in result.text
    assert unsure.removed  # no full stop: left to the model
    assert "Most Read" not in result.text and "Celebrity Chef" not in result.text
    assert result.restore() == document


def test_html_paragraphs_are_left_to_the_model(cleaner, monkeypatch):
    """In HTML most paragraphs end in a full stop, and the veto let more junk
    through there than it kept content (dev sets), so it does not apply."""
    page = PAGE_HEAD + "".join(f"<p>{line}</p>" for line in [SNOW[0], SNOW[4], SNOW[5]]) + PAGE_TAIL
    stage_two_says(monkeypatch, 0.9)  # every line
    result = cleaner.clean(page, kind="html")
    sure = [b for b in result.blocks if b.text == SNOW[4]]
    assert sure and sure[0].removed and SNOW[4] not in result.text
