"""Stage three: a list's items are decided together, and with their header."""

import numpy as np
import pytest

from cleaner.extract import extract_blocks
from cleaner.smoothing import (HEADER_FLOOR, RUN_FLOOR, SURE_HEADER, could_head_list, glued_runs, item_keys, list_runs,
                               smooth_lists, tie_box_tails, tie_headed_runs, tie_list_headers)

from .conftest import PAGE_HEAD, PAGE_TAIL, stage_two_says

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


def test_html_runs_end_where_the_page_starts_another_list():
    tags = ["p", "li", "li", "li", "li", "li", "p"]
    lists, item_ids = [-1, 0, 0, 0, 1, 1, -1], [-1, 0, 1, 2, 3, 4, -1]
    assert list_runs(["x"] * len(tags), tags, True, lists=lists, items=item_keys(item_ids)) == [(1, 4), (4, 6)]


def test_the_lines_of_one_html_item_are_one_item_of_its_list():
    # Two teaser cards, each a headline and a dek: one list of two items.
    tags = ["li", "h", "li", "h"]
    lists, items = [0, 0, 0, 0], item_keys([0, 0, 1, 1])
    assert list_runs(["x"] * 4, tags, True, lists=lists, items=items) == [(0, 4)]
    # One card alone is not a list.
    assert list_runs(["x"] * 2, tags[:2], True, lists=lists[:2], items=items[:2]) == []


def test_an_item_counts_once_by_its_first_line():
    junk = np.array([0.9, 0.1, 0.8, 0.0, 0.3])
    items = item_keys([0, 0, 1, 1, -1])
    smoothed, sizes = smooth_lists(junk, [(0, 4)], items)
    assert smoothed == pytest.approx([0.85, 0.85, 0.85, 0.85, 0.3])
    assert sizes.tolist() == [2, 2, 2, 2, 0]


def test_extraction_numbers_each_line_s_list_and_item():
    html = ("<html><body><article><p>" + "A paragraph of the story that is long enough to be kept. " * 4 + "</p>"
            "<ul><li>First fact of the list</li><li>Second fact of the list</li></ul>"
            "<ul><li><h3>A card headline</h3><p>The card's one-line summary.</p></li><li>Another item</li></ul>"
            "<p>" + "The story goes on after the lists with more sentences. " * 4 + "</p></article></body></html>")
    _, blocks = extract_blocks(html)
    places = {b.text: (b.list_id, b.item_id) for b in blocks}
    assert places["First fact of the list"][0] == places["Second fact of the list"][0] >= 0
    assert places["A card headline"] == places["The card's one-line summary."]
    assert places["A card headline"][0] == places["Another item"][0] != places["First fact of the list"][0]
    assert places["A card headline"][1] != places["Another item"][1]
    assert all(b.list_id == b.item_id == -1 for b in blocks if b.text.startswith(("A paragraph", "The story")))


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


FACTS = ["212 leaking mains repaired across the district", "Three reservoirs refilled ahead of schedule",
         "A new pumping station opened at Hollins Bridge", "Meters fitted to 4,800 more homes"]
TEASERS = ["Doctors Stunned By This One Weird Morning Habit", "You Won't Believe What This Allotment Sold For",
           "Celebrities Who Look Unrecognisable Today"]
DEKS = ["The routine takes two minutes and costs nothing.", "The buyer had never grown a vegetable in his life.",
        "Number six has changed beyond all recognition."]


def test_a_teaser_list_right_after_a_fact_list_is_judged_on_its_own(cleaner):
    """Two <ul>s in a row are two lists: averaged as one, the teasers
    (about 1.0 each) and the facts (about 0.1) met at 0.49 and all stayed."""
    facts = "<ul>" + "".join(f"<li>{f}</li>" for f in FACTS) + "</ul>"
    teasers = "<ul>" + "".join(f'<li><a href="/s/{i}">{t}</a></li>' for i, t in enumerate(TEASERS)) + "</ul>"
    result = cleaner.clean(PAGE_HEAD + "<p>The authority listed the work it finished over the winter:</p>" + facts + teasers + PAGE_TAIL, kind="html")
    assert all(fact in result.text for fact in FACTS)
    assert not any(teaser in result.text for teaser in TEASERS)
    assert {span.label for span in result.removed} == {"title", "headline_list"}
    assert result.restore() == result.base


def test_a_teaser_card_goes_whole_headline_and_dek(cleaner):
    cards = "<ul>" + "".join(f'<li><h3><a href="/s/{i}">{t}</a></h3><h4>{d}</h4></li>' for i, (t, d) in enumerate(zip(TEASERS, DEKS))) + "</ul>"
    result = cleaner.clean(PAGE_HEAD + cards + PAGE_TAIL, kind="html")
    assert not any(line in result.text for line in TEASERS + DEKS)
    dek = next(d for d in result.blocks if d.text == DEKS[0])
    assert dek.removed and "its list of 3" in dek.reason
    assert "Customers will see no change" in result.text


def test_a_list_of_content_cards_stays(cleaner):
    steps = [("Soak the beans", "Cover them with three times their volume of cold water and leave them overnight."),
             ("Rinse and cover again", "Drain the soaking water, rinse the beans and cover them with fresh water by five centimetres."),
             ("Simmer gently", "Bring the pot to the boil, then turn it down and simmer for an hour, topping up the water as needed.")]
    cards = "<ol>" + "".join(f"<li><h3>{h}</h3><p>{p}</p></li>" for h, p in steps) + "</ol>"
    result = cleaner.clean(PAGE_HEAD + cards + PAGE_TAIL, kind="html")
    assert all(h in result.text and p in result.text for h, p in steps)


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
    stage_two_says(monkeypatch, dict(zip(HEADED, [0.0, 0.40, 0.9, 0.9, 0.0])).get)
    result = cleaner.clean("\n".join(HEADED), kind="text")
    header = result.blocks[1]
    assert header.removed and header.label != "content"
    assert "heads a removed list" in header.reason
    assert "More from the site" not in result.text and result.restore() == "\n".join(HEADED)


@pytest.mark.parametrize(("removed", "blank_before", "marker_runs", "runs"), [
    ([0, 0, 1, 1, 1, 0], [0, 0, 0, 0, 0, 0], [], [(2, 5)]),         # glued under line 1: a run
    ([0, 0, 1, 1, 1, 0], [0, 0, 1, 0, 0, 0], [], []),               # a blank line above: nothing to tie
    ([0, 0, 1, 1, 1, 1], [0, 0, 0, 0, 1, 0], [], [(2, 4)]),         # a blank line ends a run; the next has none above
    ([0, 0, 1, 0, 1, 0], [0, 0, 0, 0, 0, 0], [], []),               # single removed lines are no list
    ([1, 1, 1, 0, 0, 0], [0, 0, 0, 0, 0, 0], [], []),               # at the top: no line above to tie
    ([0, 0, 1, 1, 1, 0], [0, 0, 0, 0, 0, 0], [(2, 4)], []),         # marker lists are tied as they are
])
def test_glued_runs_are_removed_lines_without_markers_glued_to_the_line_above(removed, blank_before, marker_runs, runs):
    assert glued_runs(np.array(removed, dtype=bool), blank_before, marker_runs) == runs


_BUS = ("The county's new bus timetable takes effect on Monday, adding late services on four routes after a year of "
        "complaints from shift workers at the hospital.")
_TEASERS = ["Retired Teacher Finds Rare Coin in Garden Shed", "Why Everyone Is Talking About This New Kitchen Gadget",
            "Mayor Reveals Surprising Reason Behind Road Closures", "You Won't Believe What This Old Barn Was Hiding"]
_DRIVERS = ("Drivers' representatives said they had been consulted on the changes and welcomed the extra hours, which the "
            "county will pay for from its transport reserve.")


def _teaser_scores(header: str, header_score: float):
    """Stage two's scores as a model might give them: the teasers over the
    threshold, the header under it, the paragraphs far under."""
    return lambda text: header_score if text == header else 0.9 if text in _TEASERS else 0.0


@pytest.mark.parametrize(("gap", "header_goes"), [("\n", True), ("\n\n", False)])
def test_the_header_glued_to_an_unmarked_teaser_list_goes_with_it(cleaner, monkeypatch, gap, header_goes):
    """Text lists are found by their markers; a bare teaser list's header
    stayed behind. With the header ("Money matters") at 0.5 and the teasers at
    0.9 against a threshold of 0.75: glued to them, it goes with them; set
    apart by a blank line, it is judged alone."""
    from cleaner import Cleaner

    stage_two_says(monkeypatch, _teaser_scores("Money matters", 0.5))
    text = f"{_BUS}\nMoney matters{gap}" + "\n".join(_TEASERS) + f"\n\n{_DRIVERS}"
    result = Cleaner(threshold=0.75).clean(text, kind="text")
    header = next(b for b in result.blocks if b.text == "Money matters")
    assert all(b.removed for b in result.blocks if b.text in _TEASERS)
    assert header.removed is header_goes
    assert ("heads a removed list" in header.reason) is header_goes
    assert _BUS in result.text and _DRIVERS in result.text


def _bus_page(header: str, below: list[str]) -> str:
    more = ("The county said the late services would be reviewed after six months, once it had figures on how many "
            "passengers used them on weekday evenings.")
    return (f"<html><body><article><h1>Late buses</h1><p>{_BUS}</p><p>{more}</p><p><strong>{header}</strong></p>"
            + "".join(below) + f"<p>{_DRIVERS}</p></article></body></html>")


def test_in_html_a_header_over_removed_paragraphs_goes_with_them(monkeypatch):
    """A teaser box laid out as paragraphs of links, not as a list: its
    lines in a row count as one for the header rule, as a list's do."""
    from cleaner import Cleaner

    stage_two_says(monkeypatch, _teaser_scores("Before you go", 0.4))
    teasers = [f'<p><a href="/t{i}">{t}</a></p>' for i, t in enumerate(_TEASERS)]
    result = Cleaner(threshold=0.6).clean(_bus_page("Before you go", teasers), kind="html")
    header = next(b for b in result.blocks if b.text == "Before you go")
    assert header.removed and "heads a removed list" in header.reason
    assert all(b.removed for b in result.blocks if b.text in _TEASERS) and _DRIVERS in result.text
    content = [f"<p>{_DRIVERS.replace('hours', f'hours on route {n}')}</p>" for n in (1, 2)]
    kept = Cleaner(threshold=0.6).clean(_bus_page("Before you go", content), kind="html")
    assert "Before you go" in kept.text


_BOX = ["The harbour board met on Tuesday to agree the budget for next year's dredging work.",
        "Stay in the loop", "Our morning briefing, in your inbox every weekday.", "Sign me up", "Maybe later",
        "Members argued for hours about the cost of the work and who should pay for it."]


def _tails(junk, blank_before, blank_after, texts=_BOX, threshold=0.6):
    junk = np.array(junk)
    removed = junk >= threshold
    why = tie_box_tails(texts, junk, removed, blank_before, blank_after)
    return removed.tolist(), why


def test_the_last_button_of_a_removed_box_goes_with_it():
    removed, why = _tails([0.0, 0.9, 0.95, 0.9, 0.4, 0.0], [0, 1, 0, 0, 0, 1], [1, 0, 0, 0, 1, 0])
    assert removed == [False, True, True, True, True, False]
    assert list(why) == [4] and "ends a box of 3 removed lines" in why[4]


@pytest.mark.parametrize(("junk", "blank_before", "blank_after"), [
    ([0.0, 0.9, 0.95, 0.9, HEADER_FLOOR - 0.01, 0.0], [0, 1, 0, 0, 0, 1], [1, 0, 0, 0, 1, 0]),  # the line leans content
    ([0.0, 0.9, 0.95, 0.9, 0.4, 0.0], [0, 1, 0, 0, 1, 1], [1, 0, 0, 1, 1, 0]),  # a blank line sets it apart
    ([0.0, 0.9, 0.95, 0.9, 0.4, 0.0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]),  # no blank line after it: the paragraph may go on
    ([0.0, 0.0, 0.0, 0.9, 0.4, 0.0], [0, 1, 0, 0, 0, 1], [1, 0, 0, 0, 1, 0]),  # one removed line is no box
])
def test_otherwise_the_line_under_a_box_keeps_its_own_decision(junk, blank_before, blank_after):
    removed, why = _tails(junk, blank_before, blank_after)
    assert removed == [j >= 0.6 for j in junk] and why == {}


def test_a_sentence_under_a_box_is_not_its_button():
    texts = [*_BOX[:4], "The board will vote again in March.", _BOX[5]]
    removed, why = _tails([0.0, 0.9, 0.95, 0.9, 0.4, 0.0], [0, 1, 0, 0, 0, 1], [1, 0, 0, 0, 1, 0], texts)
    assert not removed[4] and why == {}


def test_at_the_end_of_a_text_without_blank_lines_the_tail_goes():
    removed, why = _tails([0.0, 0.0, 0.9, 0.95, 0.9, 0.4], [0] * 6, [0] * 6, [_BOX[0], _BOX[5], *_BOX[1:5]])
    assert removed == [False, False, True, True, True, True] and list(why) == [5]


@pytest.mark.parametrize("kind", ["text", "html"])
def test_a_box_tail_is_tied_in_text_only_and_says_why(cleaner, monkeypatch, kind):
    """Through the pipeline, with scores as stage two might give them. HTML
    has no blank lines to tell a box's last line from the next paragraph."""
    scores = dict(zip(_BOX, [0.0, 0.9, 0.95, 0.9, 0.4, 0.0]))
    stage_two_says(monkeypatch, lambda text: scores.get(text, 0.0))
    if kind == "text":
        document = f"{_BOX[0]}\n\n" + "\n".join(_BOX[1:5]) + f"\n\n{_BOX[5]}"
    else:
        document = (PAGE_HEAD + f"<p>{_BOX[0]}</p><div class=\"box\">" + "".join(f"<p>{t}</p>" for t in _BOX[1:5])
                    + f"</div><p>{_BOX[5]}</p>" + PAGE_TAIL)
    result = cleaner.clean(document, kind=kind)
    tail = next(b for b in result.blocks if b.text == "Maybe later")
    assert tail.removed is (kind == "text")
    assert ("ends a box of 3 removed lines" in tail.reason) is (kind == "text")
    assert _BOX[0] in result.text and _BOX[5] in result.text
    assert result.restore() == result.base



def test_a_heading_goes_when_its_whole_section_was_removed():
    from cleaner.smoothing import tie_section_headings

    tags = ["h1", "p", "h", "p", "h", "p", "p", "h", "p", "h"]
    removed = np.array([False, False, False, True, False, True, False, False, True, False])
    why = tie_section_headings(tags, removed)
    # Sections: [3] all removed -> heading 2 goes; [5, 6] half kept -> heading 4 stays;
    # [8] removed -> heading 7 goes; heading 9 has no lines under it -> stays.
    assert sorted(why) == [2, 7] and removed.tolist() == [False, False, True, True, False, True, False, True, True, False]
    assert why[2] == "heads a section whose only line was removed"


def test_an_about_the_author_heading_goes_with_its_removed_bio(cleaner):
    # The heading stayed, dangling at the article's end, when the bio under it was removed.
    body = ("<p>The council approved the harbour plan on Tuesday after a long debate about its cost and its timing.</p>"
            "<p>Work on the pier starts in March and should be finished before the summer season begins next year.</p>"
            "<h2>About the author</h2><p>Lucy Brennan is the Post's local government correspondent. She has covered "
            "the council for twelve years. Follow her on X @lucybrennan.</p>")
    result = cleaner.clean(f"<html><body><article><h1>Harbour plan approved</h1>{body}</article></body></html>", kind="html")
    heading, bio = result.blocks[3], result.blocks[4]
    assert bio.text.startswith("Lucy Brennan") and bio.removed and bio.label == "meta"
    assert heading.text == "About the author" and heading.removed and heading.junk_score < 0.1  # the model alone kept it
    assert heading.rule == "heads a section whose only line was removed" and heading.label == "meta"
    assert "About the author" not in result.text and result.restore() == result.base


def test_a_heading_stays_over_a_section_that_keep_leaves_in(cleaner):
    # The rule ran before `keep`: with keep=["meta"] the caption stayed and its heading went.
    from cleaner import Cleaner

    body = ("<p>The council approved the harbour plan on Tuesday after a long debate about its cost and its timing.</p>"
            "<p>Work on the pier starts in March and should be finished before the summer season begins next year.</p>"
            "<h2>About the author</h2><p>Lucy Brennan is the Post's local government correspondent. She has covered "
            "the council for twelve years. Follow her on X @lucybrennan.</p>")
    page = f"<html><body><article><h1>Harbour plan approved</h1>{body}</article></body></html>"
    kept = Cleaner(keep=["meta"]).clean(page, kind="html")
    assert "About the author\nLucy Brennan" in kept.text
    assert "About the author" not in Cleaner().clean(page, kind="html").text


_HEADED = [
    "The visitors had the better of the second half and deserved their point, the manager said afterwards.",
    "More from the Gazette",
    "Harbour bridge to close for two weekends of repairs",
    "Why the night buses keep running late",
    "Bakery on Mill Street wins a national award",
    "Tickets for the spring fair go on sale on Monday morning.",
]


def _headed(junk, blank_before, texts=_HEADED, heads_list=(False, True, False, False, False, False)):
    junk = np.array(junk)
    removed = junk >= 0.65
    why = tie_headed_runs(texts, junk, removed, np.array(heads_list), blank_before)
    return removed.tolist(), why


def test_sober_headlines_set_apart_under_a_sure_list_header_go_with_it():
    removed, why = _headed([0.0, 0.97, 0.22, 0.45, 0.2, 0.0], [0, 1, 0, 0, 0, 1])
    assert removed == [False, True, True, True, True, False]
    assert sorted(why) == [2, 3, 4] and "one of 3 headline-shaped lines" in why[2]


@pytest.mark.parametrize(("junk", "blank_before", "texts", "heads_list"), [
    ([0.0, SURE_HEADER - 0.01, 0.3, 0.4, 0.3, 0.0], [0, 1, 0, 0, 0, 1], _HEADED, (0, 1, 0, 0, 0, 0)),  # header not sure
    ([0.0, 0.97, 0.3, 0.4, 0.3, 0.0], [0, 1, 0, 0, 0, 1], _HEADED, (0, 0, 0, 0, 0, 0)),  # header reads as another label
    ([0.0, 0.97, 0.1, 0.1, 0.1, 0.0], [0, 1, 0, 0, 0, 1], _HEADED, (0, 1, 0, 0, 0, 0)),  # lines lean content (< RUN_FLOOR)
    ([0.0, 0.97, 0.3, 0.4, 0.3, 0.0], [0, 0, 0, 0, 0, 1], _HEADED, (0, 1, 0, 0, 0, 0)),  # header glued to the paragraph above
    ([0.0, 0.97, 0.3, 0.4, 0.3, 0.0], [0, 1, 0, 0, 0, 0], _HEADED, (0, 1, 0, 0, 0, 0)),  # a sentence glued under them
    ([0.0, 0.97, 0.3, 0.9, 0.3, 0.0], [0, 1, 0, 0, 0, 1], _HEADED, (0, 1, 0, 0, 0, 0)),  # part of the run went already
    ([0.0, 0.97, 0.3, 0.4, 0.3, 0.0], [0, 1, 0, 0, 0, 1],
     [*_HEADED[:3], "Fares rise by 4% from April.", *_HEADED[4:]], (0, 1, 0, 0, 0, 0)),  # a sentence among them
])
def test_otherwise_lines_under_a_removed_header_keep_their_own_decision(junk, blank_before, texts, heads_list):
    removed, why = _headed(junk, blank_before, texts, heads_list)
    assert removed == [j >= 0.65 for j in junk] and why == {}
    assert RUN_FLOOR < HEADER_FLOOR


def test_a_headed_run_is_tied_in_text_and_says_why(cleaner, monkeypatch):
    """Through the pipeline, with scores as stage two might give them."""
    scores = dict(zip(_HEADED, [0.0, 0.97, 0.22, 0.45, 0.2, 0.0]))
    stage_two_says(monkeypatch, lambda text: scores.get(text, 0.0))
    document = f"{_HEADED[0]}\n\n" + "\n".join(_HEADED[1:5]) + f"\n\n{_HEADED[5]}\n"
    result = cleaner.clean(document, kind="text")
    assert result.text == f"{_HEADED[0]}\n\n{_HEADED[5]}\n"
    assert all("headline-shaped lines" in b.reason for b in result.blocks if b.text in _HEADED[2:5])
    assert result.restore() == result.base
