"""The report is exact: offsets index `base`, and putting the spans back gives it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.spans import delete_spans

_LINE_BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\u2028", "\x0c"])
_LINES = st.one_of(
    st.text(max_size=80),
    st.sampled_from([
        "Trending Now:", "- Stars Shocked By What This Actor Did", "Advertisement", "Share this article",
        "Read more: Council approves new budget", "The council met on Tuesday to vote on the plan, which passed.",
        "## Subheading", "• 2 cups flour",
    ]),
)
_DOCS = st.lists(st.tuples(_LINES, _LINE_BREAKS), max_size=25).map(lambda parts: "".join(a + b for a, b in parts))


def _check(result, original: str) -> None:
    assert result.base == original
    assert result.restore() == original
    assert delete_spans(result.base, result.removed) == result.text
    previous_end = 0
    for span in result.removed:
        assert previous_end <= span.start < span.end <= len(result.base)
        assert result.base[span.start:span.end] == span.text
        assert 0.0 <= span.score <= 1.0
        previous_end = span.end
    # The per-line decisions (what --explain prints) agree with the report.
    for decision in result.blocks:
        assert result.base[decision.start:decision.end] == decision.text
        inside = [s for s in result.removed if s.start <= decision.start and decision.end <= s.end]
        assert bool(inside) == decision.removed
        assert all(s.label == decision.label for s in inside)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCS)
def test_spans_put_back_give_the_input(text):
    from cleaner import clean

    _check(clean(text, kind="text"), text)


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_arbitrary_unicode_text(text):
    from cleaner import clean

    _check(clean(text, kind="text"), text)


def test_crlf_document_removes_whole_lines_with_their_breaks(cleaner):
    body = (
        "The city council approved the new transit budget on Tuesday after a long debate.\r\n"
        "Advertisement\r\n"
        "Officials said construction on the first line would begin next spring.\r\n"
    )
    result = cleaner.clean(body, kind="text")
    assert [s.text for s in result.removed] == ["Advertisement\r\n"]
    assert result.text == body.replace("Advertisement\r\n", "")


def test_html_offsets_index_the_extracted_text(cleaner):
    from .conftest import EXAMPLES

    result = cleaner.clean((EXAMPLES / "page.html").read_bytes())
    assert result.kind == "html"
    _check(result, result.base)
    assert "Trending Now" not in result.text


def test_one_cleaner_serves_many_threads(cleaner):
    from concurrent.futures import ThreadPoolExecutor

    from .conftest import EXAMPLES

    docs = [(EXAMPLES / "article.txt").read_text(encoding="utf-8"), (EXAMPLES / "page.html").read_text(encoding="utf-8")] * 8
    expected = [cleaner.clean(d).to_dict(include_text=True) for d in docs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda d: cleaner.clean(d).to_dict(include_text=True), docs))
    assert got == expected


def test_line_decisions_read_like_a_tuple_and_survive_pickling():
    import pickle

    from cleaner import clean

    text = "Council passes budget\nThe council met on Tuesday to vote on the plan, which passed.\nAdvertisement\nShare this article\n"
    result = clean(text, kind="text")
    decisions = tuple(result.blocks)
    assert len(result.blocks) == len(decisions) == 4
    assert result.blocks[-1] is decisions[-1] and result.blocks[1:3] == decisions[1:3]
    assert result.blocks == decisions and [d.text for d in result.blocks] == text.splitlines()
    again = pickle.loads(pickle.dumps(result))
    assert again == result and again.blocks == decisions
    assert [d.removed for d in decisions] == [False, False, True, True]


def test_a_result_s_repr_stays_short_for_a_large_document(cleaner):
    # The dataclass repr held the text, the base and every span's text: twice the page in a log line.
    text = "The harbour board met on Tuesday and voted to rebuild the pier.\nAdvertisement\n" * 5000
    result = cleaner.clean(text, kind="text")
    shown = repr(result)
    assert len(shown) < 500 and str(result) == shown
    assert shown.startswith("CleanResult(kind='text', text='The harbour board") and f"({len(text):,} chars)" in shown
    assert f"removed={len(result.removed)} spans" in shown
