"""The founding example: ../shared/seed/kursk-article.txt must come out exactly right."""

from __future__ import annotations

import json

from cleaner import clean

from .conftest import shared_or_skip


def _seed():
    folder = shared_or_skip("seed")
    text = (folder / "kursk-article.txt").read_text(encoding="utf-8")
    expected_lines = [l for l in (folder / "kursk-article.clean.txt").read_text(encoding="utf-8").splitlines() if l.strip()]
    spans = json.loads((folder / "kursk-article.spans.json").read_text(encoding="utf-8"))["injected"]
    return text, expected_lines, spans


def test_seed_kept_lines_equal_the_clean_file():
    text, expected_lines, _ = _seed()
    result = clean(text, kind="text")
    assert [l for l in result.text.splitlines() if l.strip()] == expected_lines


def test_seed_removed_spans_are_the_injected_ones():
    text, _, spans = _seed()
    result = clean(text, kind="text")
    assert len(result.removed) == len(spans)
    for got, want in zip(result.removed, spans):
        assert got.start == want["start"]
        # A span may take its trailing line break with it.
        assert got.end in (want["end"], want["end"] + 1)
        assert text[want["start"]:want["end"]] == want["text"]
        assert got.text.rstrip("\n") == want["text"]
        assert got.label == "headline_list"


def test_seed_auto_detects_text_and_report_restores_input():
    text, _, _ = _seed()
    result = clean(text)
    assert result.kind == "text"
    assert result.base == text
    assert result.restore() == text
