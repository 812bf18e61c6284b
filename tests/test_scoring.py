"""Metric functions on tiny hand-made strings, with hand-computed expectations."""

from __future__ import annotations

from collections import Counter

import pytest

from cleaner.scoring import (
    AebCounts,
    LineCounts,
    TrafCounts,
    aeb_page_counts,
    aeb_page_precision,
    aeb_page_recall,
    aeb_summary,
    content_removed_by_label,
    junk_found_by_label,
    f1_score,
    leak_counts,
    leak_share,
    line_counts,
    line_spans,
    line_summary,
    nonblank_lines,
    normalize_space,
    shingles,
    spans_match,
    tokens,
    traf_page_counts,
    traf_summary,
)


def span_of(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


# --- AEB ----------------------------------------------------------------------


def test_tokens_are_unicode_word_runs_and_keep_case():
    words = ["Straße", "café", "naïve", "東京", "x", "y_z", "42"]
    assert tokens("Straße, café! naïve 東京 x-y_z 42") == words
    assert tokens("A a") == ["A", "a"]


def test_shingles_of_short_and_empty_text():
    assert shingles("a b c d e") == Counter({("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1})
    assert shingles("a b") == Counter({("a", "b"): 1})  # under 4 tokens: one shorter shingle
    assert shingles("") == Counter()
    assert shingles(" ... !") == Counter()  # no word characters at all


def test_identical_texts_are_perfect():
    counts = aeb_page_counts("a b c d e", "a b c d e")
    assert counts == AebCounts(1.0, 0.0, 0.0)
    assert aeb_summary([counts]) == (1.0, 1.0, 1.0)


def test_one_word_changed_costs_one_shingle_each_way():
    # pred shingles: 1234 2345 3456; truth: 1234 2345 345x -> tp 2, fp 1, fn 1, sum 4
    counts = aeb_page_counts("one two three four five six", "one two three four five seven")
    assert counts == pytest.approx((0.5, 0.25, 0.25))
    assert aeb_page_precision(counts) == pytest.approx(2 / 3)
    assert aeb_page_recall(counts) == pytest.approx(2 / 3)


def test_case_matters():
    assert aeb_page_counts("A b c d", "a b c d") == AebCounts(0.0, 0.5, 0.5)


def test_multiset_duplicates_cost_precision():
    # "x y z w x y z w" has shingles xyzw, yzwx, zwxy, wxyz, xyzw: xyzw twice
    doubled, single = "x y z w x y z w", "x y z w"
    counts = aeb_page_counts(doubled, single)
    assert counts == pytest.approx((0.2, 0.8, 0.0))  # tp 1, fp 4, fn 0
    assert aeb_page_precision(counts) == pytest.approx(0.2)
    assert aeb_page_recall(counts) == 1.0
    assert aeb_page_counts(single, doubled) == pytest.approx((0.2, 0.0, 0.8))


def test_short_texts_compare_as_one_shingle():
    assert aeb_page_counts("hello world", "hello world") == AebCounts(1.0, 0.0, 0.0)
    counts = aeb_page_counts("hello world", "hello there")
    assert counts == AebCounts(0.0, 0.5, 0.5)
    assert aeb_page_precision(counts) == 0.0
    assert aeb_page_recall(counts) == 0.0


def test_empty_prediction_is_left_out_of_precision():
    perfect = aeb_page_counts("a b c d", "a b c d")
    empty = aeb_page_counts("", "a b c d")
    assert empty == AebCounts(0.0, 0.0, 1.0)
    # precision averages only the perfect page; recall averages 1 and 0
    assert aeb_summary([perfect, empty]) == pytest.approx((1.0, 0.5, 2 / 3))


def test_page_without_expected_text_is_left_out_of_recall():
    perfect = aeb_page_counts("a b c d", "a b c d")
    spurious = aeb_page_counts("a b c d", "")
    assert spurious == AebCounts(0.0, 1.0, 0.0)
    assert aeb_summary([perfect, spurious]) == pytest.approx((0.5, 1.0, 2 / 3))


def test_both_empty_page_counts_nowhere():
    nothing = aeb_page_counts("", "")
    assert nothing == AebCounts(0.0, 0.0, 0.0)
    assert aeb_page_precision(nothing) == 1.0  # FP = FN = 0
    half = aeb_page_counts("one two three four five six", "one two three four five seven")
    assert aeb_summary([half, nothing]) == pytest.approx((2 / 3, 2 / 3, 2 / 3))


def test_summary_of_nothing_is_zero():
    assert aeb_summary([]) == (0.0, 0.0, 0.0)


def test_f1_is_the_harmonic_mean():
    assert f1_score(1.0, 0.5) == pytest.approx(2 / 3)
    assert f1_score(0.0, 0.0) == 0.0


# --- traf ---------------------------------------------------------------------


def test_normalize_space_collapses_all_whitespace():
    assert normalize_space(" a\u00a0 b\r\n\tc  ") == "a b c"


def test_traf_page_counts_on_normalised_output():
    output = "Alpha  beta\n gamma. Delta"
    counts = traf_page_counts(output, ["beta gamma", "missing bit"], ["Delta", "nope"])
    assert counts == TrafCounts(tp=1, fp=1, fn=1, tn=1)
    # a snippet holding a line break is normalised too
    assert traf_page_counts(output, ["beta\ngamma."], []) == TrafCounts(1, 0, 0, 0)


def test_traf_empty_output_finds_nothing():
    assert traf_page_counts("", ["a", "b"], ["c"]) == TrafCounts(tp=0, fp=0, fn=2, tn=1)


def test_traf_summary_sums_before_dividing():
    # tp 3, fp 1, fn 1 -> P 0.75, R 0.75
    pages = [TrafCounts(1, 1, 1, 1), TrafCounts(2, 0, 0, 3)]
    assert traf_summary(pages) == pytest.approx((0.75, 0.75, 0.75))
    assert traf_summary([TrafCounts(0, 0, 4, 2)]) == (0.0, 0.0, 0.0)


# --- injected text lines ----------------------------------------------------------


def test_line_spans_handle_lf_crlf_and_cr():
    assert line_spans("keep me\r\ndrop me\r\nkeep too") == [(0, 7), (9, 16), (18, 26)]
    assert line_spans("a\rb\nc") == [(0, 1), (2, 3), (4, 5)]
    assert line_spans("a\n") == [(0, 1), (2, 2)]
    assert line_spans("") == [(0, 0)]


def test_line_counts_exact_removal():
    text = "Title\nJunk line\nBody text here\n"
    junk = span_of(text, "Junk line\n")
    assert line_counts(text, [junk], [junk]) == LineCounts(tp=1, fp=0, fn=0, content=2, hard=0, hard_removed=0)
    assert line_counts(text, [junk], [junk]).all_right


def test_line_counts_with_crlf():
    text = "keep me\r\ndrop me\r\nkeep too"
    drop = span_of(text, "drop me\r\n")
    counts = line_counts(text, [drop], [drop])
    assert counts == LineCounts(1, 0, 0, 2, 0, 0)
    # removing the wrong line: one miss, one false removal
    wrong = line_counts(text, [drop], [span_of(text, "keep too")])
    assert wrong == LineCounts(0, 1, 1, 2, 0, 0)
    assert not wrong.all_right


def test_exactly_half_a_line_is_not_a_majority():
    text = "abcd"
    assert line_counts(text, [(0, 2)], []) == LineCounts(0, 0, 0, 1, 0, 0)  # 2 of 4: content
    assert line_counts(text, [(0, 3)], []) == LineCounts(0, 0, 1, 0, 0, 0)  # 3 of 4: injected


def test_majority_counts_only_non_space_characters():
    text = "ab    cd"  # 4 non-space characters
    assert line_counts(text, [(0, 6)], []).fn == 0  # "ab    ": 2 of 4
    assert line_counts(text, [(0, 7)], []).fn == 1  # "ab    c": 3 of 4


def test_blank_lines_are_ignored_and_overlaps_count_once():
    text = "abcdef\n   \n"
    # spans overlap on "bc": union covers "abcd", 4 of 6; the blank line is never scored
    counts = line_counts(text, [(0, 3), (1, 4)], [(0, 11)])
    assert counts == LineCounts(1, 0, 0, 0, 0, 0)


def test_hard_negative_lines_are_tracked():
    text = "Intro sentence.\nStep one\nStep two\nPromo box\n"
    hard = span_of(text, "Step one\nStep two")
    promo = span_of(text, "Promo box")
    removed = [span_of(text, "Step two\nPromo box")]
    counts = line_counts(text, [promo], removed, [hard])
    assert counts == LineCounts(tp=1, fp=1, fn=0, content=3, hard=2, hard_removed=1)


def test_line_summary_micro_averages():
    docs = [LineCounts(1, 0, 0, 2, 0, 0), LineCounts(0, 1, 1, 3, 1, 1)]
    scores = line_summary(docs)
    assert scores == pytest.approx((0.5, 0.5, 0.5, 0.2, 1.0, 0.5))


def test_line_summary_when_nothing_is_removed():
    missed = line_summary([LineCounts(0, 0, 2, 3, 0, 0)])
    assert (missed.precision, missed.recall, missed.f1) == (0.0, 0.0, 0.0)
    assert missed.content_removed == 0.0
    assert missed.hard_negative_removed is None  # no hard-negative lines at all
    clean = line_summary([LineCounts(0, 0, 0, 3, 0, 0)])
    assert (clean.precision, clean.recall, clean.docs_all_right) == (1.0, 1.0, 1.0)
    empty = line_summary([])
    assert empty.docs_all_right is None and empty.content_removed is None


# --- injected HTML leaks -----------------------------------------------------------


def test_leak_counts_normalise_and_skip_short_lines():
    output = "Read the story.\nSubscribe   now for more"
    lines = ["Subscribe now\nfor more", "Ad", "  Ab  ", "Share this page", "Wxyz"]
    # "Ad" and "Ab" are under 4 characters; "Wxyz" (exactly 4) is checked and absent
    assert leak_counts(output, lines) == (1, 3)
    assert leak_counts("", lines) == (0, 3)


def test_leak_share_is_over_all_lines():
    assert leak_share([(1, 2), (0, 2)]) == 0.25
    assert leak_share([]) is None


# --- seed helpers --------------------------------------------------------------------


def test_nonblank_lines_drop_blank_lines_and_trailing_space():
    assert nonblank_lines("a \r\n\r\n b\n\n") == ["a", " b"]


def test_spans_match_allows_the_trailing_line_break_only():
    text = "keep\nJUNK\nkeep"
    junk = [span_of(text, "JUNK")]
    assert spans_match(junk, junk, text)
    assert spans_match([span_of(text, "JUNK\n")], junk, text)
    assert not spans_match([span_of(text, "JUNK\nk")], junk, text)
    assert not spans_match([span_of(text, "\nJUNK")], junk, text)
    assert not spans_match([], junk, text)
    assert not spans_match([(5, 7), (7, 9)], junk, text)  # split in two


def test_spans_match_takes_a_whole_crlf():
    text = "keep\r\nJUNK\r\nkeep"
    junk = [span_of(text, "JUNK")]
    assert spans_match([span_of(text, "JUNK\r\n")], junk, text)
    assert not spans_match([span_of(text, "JUNK\r")], junk, text)


def test_junk_found_by_label_counts_each_junk_line_under_its_gold_label():
    text = "Story.\nTrending now\nTeaser one\nTeaser two\n\nSubscribe today\nStory again.\n"
    injected = [(*span_of(text, "Trending now\nTeaser one\nTeaser two"), "list"), (*span_of(text, "Subscribe today"), "promo")]
    # The header and the first teaser go, the second stays; the promo stays;
    # a content line removed is no junk found.
    removed = [span_of(text, "Trending now\nTeaser one\n"), span_of(text, "Story again.")]
    assert junk_found_by_label(text, injected, removed) == {"list": (2, 3), "promo": (0, 1)}
    # A line two labels share goes under the one that covers most of it.
    split = [(0, text.index("Teaser one") + 3, "list"), (text.index("Teaser one") + 3, len(text), "promo")]
    assert junk_found_by_label(text, split, [])["promo"] == (0, 4)


def test_content_removed_by_label_counts_each_wrongly_removed_line_once():
    text = "Story line one.\nShare this\nRead more: x\nStory line two.\n\nStory line three.\n"
    injected = [span_of(text, "Share this")]
    removed = [
        (*span_of(text, "Share this"), "share"),  # right: not counted
        (*span_of(text, "Read more: x"), "read_more"),  # content removed
        (text.index("Story line two."), text.index("Story line two.") + 6, "meta"),  # "Story " alone: a minority
        (text.index("line three."), text.index("line three.") + 4, "ad"),  # the line's majority is the next span's
        (text.index(" three."), len(text), "promo"),
    ]
    assert content_removed_by_label(text, injected, removed) == Counter({"read_more": 1, "promo": 1})
