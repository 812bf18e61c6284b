"""Cleaning several documents at once (`Cleaner.clean_each`) gives exactly
what cleaning them one by one gives: same text, spans, scores and
explanations, and the same errors in the same places."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import numpy as np
import pytest

from cleaner import Cleaner, CleanerError, InputError
from cleaner.blocks import split_lines
from cleaner.scorer import DocView

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"

# Lists at the end of one document and the start of the next, with the same
# marker: nothing about one may leak into the other's context features.
LIST_END = "The ferry trial starts in May, the harbour board said on Tuesday.\n\nMore from the harbour:\n- Night ferry timetable\n- Parking at the quay\n"
LIST_START = "- Night ferry timetable\n- Parking at the quay\nCouncillors approved the plan by nine votes to two after a long debate.\n"


def _documents() -> list[str | bytes]:
    article = (EXAMPLES / "article.txt").read_text(encoding="utf-8")
    page = (EXAMPLES / "page.html").read_text(encoding="utf-8")
    return [
        article, LIST_END, LIST_START, "", "   \n\t\n", PNG, page, article.replace("\n", "\r\n"),
        "Only one line here.", article[: len(article) // 2], LIST_END + LIST_START, "x" * 2_000_001,
    ]


def _view(text: str, is_html: bool = False) -> DocView:
    blocks = split_lines(text)
    if is_html:
        for block in blocks:
            block.tag = "li" if block.text.startswith("- ") else "p"
    return DocView.from_blocks(blocks, is_html)


def _outcome(result_or_error):
    if isinstance(result_or_error, CleanerError):
        return type(result_or_error), str(result_or_error)
    return result_or_error.to_dict(include_text=True), result_or_error.blocks


def test_clean_each_equals_clean_on_every_document():
    cleaner = Cleaner(max_bytes=2_000_000)
    documents = _documents()
    one_by_one = []
    for document in documents:
        try:
            one_by_one.append(cleaner.clean(document))
        except CleanerError as exc:
            one_by_one.append(exc)
    together = cleaner.clean_each(documents)
    assert len(together) == len(documents)
    assert [_outcome(r) for r in together] == [_outcome(r) for r in one_by_one]
    assert isinstance(together[5], InputError) and "PNG" in str(together[5])
    assert isinstance(together[-1], InputError) and "over the limit" in str(together[-1])


def test_scores_together_equal_scores_alone_to_the_last_bit(cleaner):
    article = (EXAMPLES / "article.txt").read_text(encoding="utf-8")
    lines = article.splitlines()
    # Many documents of many sizes: a matrix product, for one, may round a
    # row differently depending on how many rows there are.
    pieces = [_view("\n".join(lines[i: i + size])) for size in (1, 3, 7, 20) for i in range(0, len(lines), size)]
    documents = [_view(LIST_END), _view(LIST_START), _view(""), _view(LIST_END + LIST_START), _view(LIST_START, is_html=True), *pieces]
    together = copy.deepcopy(cleaner.model.classifier).predict_docs(documents)
    for view, (probs, junk) in zip(documents, together):
        alone_probs, alone_junk = copy.deepcopy(cleaner.model.classifier).predict_doc(view)
        assert np.array_equal(probs, alone_probs) and np.array_equal(junk, alone_junk)
    assert len(together[2][1]) == 0


def test_one_kind_per_document_and_a_wrong_count_of_kinds(cleaner):
    page = (EXAMPLES / "page.html").read_text(encoding="utf-8")
    results = cleaner.clean_each([page, page, "Plain words."], kind=["html", "text", "auto"])
    assert [r.kind for r in results] == ["html", "text", "text"]
    assert results[1].text == cleaner.clean(page, kind="text").text
    with pytest.raises(CleanerError, match="got 2 kinds for 3 documents"):
        cleaner.clean_each([page, page, "Plain words."], kind=["html", "text"])
    [bad] = cleaner.clean_each(["Some text."], kind=["pdf"])
    assert isinstance(bad, CleanerError) and "kind must be one of" in str(bad)
    [none] = cleaner.clean_each(["Some text."], kind=None)  # raised TypeError
    assert isinstance(none, CleanerError) and str(none) == "kind must be one of auto, html, text, got None"


@pytest.mark.usefixtures("timers_fire_anywhere")
def test_joint_scoring_over_the_time_limit_falls_back_to_one_at_a_time(monkeypatch):
    """Should scoring the documents together run past the time limit, each is
    scored alone under its own limit: the results are still clean's."""
    cleaner = Cleaner(timeout=0.3)
    scorer = cleaner.model.classifier
    real = scorer.predict_docs
    calls = []

    def slow_when_together(docs):
        calls.append(len(docs))
        if len(docs) > 1:
            time.sleep(5)  # the timer interrupts this
        return real(docs)

    monkeypatch.setattr(scorer, "predict_docs", slow_when_together)
    documents = [LIST_END, LIST_START, "Only one line here."]
    started = time.monotonic()
    together = cleaner.clean_each(documents)
    assert time.monotonic() - started < 3
    assert calls == [3, 1, 1, 1]
    assert [_outcome(r) for r in together] == [_outcome(cleaner.clean(d)) for d in documents]


@pytest.mark.parametrize("stage", ["reading", "scoring"])
def test_a_bug_on_one_document_costs_only_its_result(monkeypatch, stage):
    """A bug met on one document (here a planted one) stands in its place as
    an InternalError naming it; before, it ended the call for all of them."""
    from cleaner import InternalError

    cleaner = Cleaner()
    if stage == "reading":
        real_view = __import__("cleaner.pipeline", fromlist=["markdown_view"]).markdown_view

        def view(text, blocks):
            if "BOOM" in text:
                raise IndexError("planted")
            return real_view(text, blocks)

        monkeypatch.setattr("cleaner.pipeline.markdown_view", view)
    else:
        real_finish = cleaner._finish

        def finish(page, scores):
            if "BOOM" in page.base:
                raise IndexError("planted")
            return real_finish(page, scores)

        monkeypatch.setattr(cleaner, "_finish", finish)
    documents = [LIST_END, "One line, then BOOM.", LIST_START]
    results = cleaner.clean_each(documents, kind="text")
    assert isinstance(results[1], InternalError) and "IndexError: planted" in str(results[1])
    assert isinstance(results[1].__cause__, IndexError)
    assert [_outcome(results[i]) for i in (0, 2)] == [_outcome(Cleaner().clean(documents[i], kind="text")) for i in (0, 2)]
