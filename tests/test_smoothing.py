"""Stage three: a list's items are decided together, and with their header."""

import numpy as np
import pytest

from cleaner.smoothing import HEADER_FLOOR, SURE_HEADER, could_head_list, list_runs, smooth_lists, tie_list_headers

TRAIL = """Rangers close the upper trail after a rockslide
A section of the ridge trail above Millbrook was closed on Saturday after heavy rain loosened a slope and sent boulders across the path, the park service said.
Popular this week
1. You Won't Believe What This Allotment Sold For
2. Flood warning lifted for river towns
3. Doctors Stunned By This Simple Morning Habit
4. Council publishes updated bin schedule
The park service said the lower loop and the lake path remain open and asked walkers to respect the barriers.
What walkers should bring:
- a paper map of the lower loop
- two litres of water per person
- a waterproof jacket, because showers are frequent in autumn
Rangers expect to reopen the upper trail before the half-term holiday.
"""


def test_runs_are_consecutive_items_of_one_marker_family():
    texts = ["Intro.", "1. one", "2. two", "3. three", "- a", "- b", "Para.", "- lone"]
    assert list_runs(texts, [""] * len(texts), is_html=False) == [(1, 4), (4, 6)]


def test_html_runs_come_from_list_item_tags():
    tags = ["p", "li", "li", "h", "li", "li", "li"]
    assert list_runs(["x"] * len(tags), tags, is_html=True) == [(1, 3), (4, 7)]


def test_items_take_their_lists_mean_and_others_keep_their_own_score():
    junk = np.array([0.1, 0.9, 0.4, 0.95, 0.2])
    smoothed, sizes = smooth_lists(junk, [(1, 4)])
    assert smoothed == pytest.approx([0.1, 0.75, 0.75, 0.75, 0.2])
    assert sizes.tolist() == [0, 3, 3, 3, 0]


def test_a_teaser_list_goes_whole_and_a_fact_list_stays_whole(cleaner):
    result = cleaner.clean(TRAIL, kind="text")
    teasers = [d for d in result.blocks if d.text[:2] in ("1.", "2.", "3.", "4.")]
    facts = [d for d in result.blocks if d.text.startswith("- ")]
    assert [d.removed for d in teasers] == [True] * 4
    assert len({d.junk_score for d in teasers}) == 1
    assert [d.removed for d in facts] == [False] * 3
    assert "What walkers should bring:" in result.text
    assert "Flood warning lifted" not in result.text


def test_the_explanation_names_the_list(cleaner):
    item = next(d for d in cleaner.clean(TRAIL, kind="text").blocks if d.text.startswith("2. Flood"))
    assert item.list_size == 4
    assert "its list of 4" in item.reason
    assert item.context_score is not None


HEADED = ["Paragraph of the story, long enough to be a sentence.", "More from the site", "- One teaser", "- Another teaser", "Next paragraph."]


def _tie(junk, threshold=0.55):
    junk = np.array(junk)
    removed = junk >= threshold
    why = tie_list_headers(HEADED, junk, removed, [(2, 4)])
    return removed.tolist(), why


def test_a_header_leaning_junk_goes_with_its_removed_list():
    removed, why = _tie([0.0, 0.40, 0.9, 0.9, 0.0])
    assert removed == [False, True, True, True, False]
    assert list(why) == [1] and "heads a removed list" in why[1]


def test_a_sure_header_takes_a_list_leaning_junk_along():
    removed, why = _tie([0.0, 0.95, 0.45, 0.45, 0.0])
    assert removed == [False, True, True, True, False]
    assert sorted(why) == [2, 3] and f">= {SURE_HEADER}" in why[2]


@pytest.mark.parametrize("junk", [
    [0.0, HEADER_FLOOR - 0.01, 0.9, 0.9, 0.0],   # the header leans content: it stays
    [0.0, 0.85, 0.45, 0.45, 0.0],                # the header is removed, but not surely enough
    [0.0, 0.95, HEADER_FLOOR - 0.01, HEADER_FLOOR - 0.01, 0.0],  # the list leans content
    [0.0, 0.40, 0.45, 0.45, 0.0],                # neither side is removed
])
def test_otherwise_each_side_keeps_its_own_decision(junk):
    removed, why = _tie(junk)
    assert removed == [j >= 0.55 for j in junk] and why == {}


def test_a_sentence_or_a_long_line_does_not_head_a_list():
    assert could_head_list("Popular this week") and could_head_list("What walkers should bring:")
    assert not could_head_list("The council said the road will reopen.")
    assert not could_head_list("a line of more than nine words that goes on and on and on")
    junk = np.array([0.0, 0.40, 0.9, 0.9, 0.0])
    removed = junk >= 0.55
    texts = [HEADED[0], "The ferry will run again on Monday.", *HEADED[2:]]
    assert tie_list_headers(texts, junk, removed, [(2, 4)]) == {} and not removed[1]


def test_a_tied_line_says_why_in_the_explanation(cleaner, monkeypatch):
    """Through the pipeline: scores as stage two might give them, the
    decision and the reason a user sees."""
    from cleaner import pipeline

    def fake_smooth(junk, runs):
        smoothed, sizes = smooth_lists(junk, runs)
        smoothed[:] = [0.0, 0.40, 0.9, 0.9, 0.0]
        return smoothed, sizes

    monkeypatch.setattr(pipeline, "smooth_lists", fake_smooth)
    result = cleaner.clean("\n".join(HEADED), kind="text")
    header = result.blocks[1]
    assert header.removed and header.label != "content"
    assert "heads a removed list" in header.reason
    assert "More from the site" not in result.text and result.restore() == "\n".join(HEADED)
