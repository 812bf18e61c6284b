"""Stage three: a list's items are decided together."""

import numpy as np
import pytest

from cleaner.smoothing import list_runs, smooth_lists

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
