"""Hard-wrapped text (html2text, `lynx -dump`, mail): the lines of one wrapped
paragraph are joined for the model and go or stay together
(`cleaner/wrapping.py`); the report still indexes the text as given."""

from __future__ import annotations

import textwrap

import pytest

from cleaner.blocks import split_lines
from cleaner.wrapping import unwrap, wrap_width

from .conftest import EXAMPLES

ARTICLE = (EXAMPLES / "article.txt").read_text(encoding="utf-8")
PROMO = "Sign up for our free morning briefing and get the day's top local stories in your inbox."


def wrapped(text: str, width: int) -> str:
    """The bundled example as a wrapping tool saves it: prose cut at `width`,
    list items and short lines left whole."""
    return "\n".join(textwrap.fill(line, width, break_long_words=False) if len(line) > width and not line.startswith(("•", "-")) else line
                     for line in text.split("\n"))


@pytest.mark.parametrize("width", [60, 72, 78])
def test_a_wrapped_promo_goes_whole_and_wrapped_paragraphs_stay_whole(cleaner, width):
    text = wrapped(ARTICLE, width)
    assert wrap_width(split_lines(text)) is not None
    result = cleaner.clean(text, kind="text")
    assert result.restore() == text
    promo = textwrap.fill(PROMO, width)
    assert "\n" in promo and promo in text
    assert any(promo in span.text for span in result.removed), "the promo's lines go together"
    assert "inbox" not in result.text and "morning briefing" not in result.text
    for paragraph in ("Councillors in Harbour Town voted 9 to 2", "Engineers will replace 46 cast-iron piles",
                      "Opponents argued that the money would be better spent"):
        assert paragraph in result.text
    # Each wrapped paragraph is one decision, shown as the lines were given.
    decision = next(d for d in result.blocks if d.text.startswith("Engineers will replace"))
    assert "\n" in decision.text and decision.text == text[decision.start:decision.end]


def test_text_with_a_paragraph_per_line_is_not_touched():
    for text in (ARTICLE, ARTICLE.replace("\n", "\n\n")):
        blocks = split_lines(text)
        assert wrap_width(blocks) is None
        assert unwrap(blocks) == blocks


@pytest.mark.parametrize("lines", [
    # Headlines of like length, one after another: a width, but no sentence runs on.
    ["Council approves new budget for the coming year", "Local school wins national science award",
     "Harbour festival returns after two-year break", "New cycle lanes open along the seafront road",
     "Library extends its opening hours this winter", "Fishermen protest against the new quota rules"],
    # Table rows and code of like length.
    ["Quiet at low speed | Heavy to carry upstairs", "Washable HEPA filter | Short power cord",
     "Excellent on pet hair | Pricey bags", "Five-year warranty | Loud on the top setting",
     "Good battery life | Slow to charge fully", "Light to carry around | Small dust bin"],
])
def test_lines_of_like_length_that_do_not_run_on_are_not_joined(lines):
    text = "\n".join(lines)
    blocks = split_lines(text)
    assert unwrap(blocks) == blocks


def test_read_line_by_line_the_wrapped_promo_left_its_last_line(cleaner, monkeypatch):
    """What the cleaner did before `unwrap`: the promo's first line went, its
    last line ("your inbox.") stayed as a stray fragment."""
    monkeypatch.setattr("cleaner.pipeline.unwrap", lambda blocks: blocks)
    text = wrapped(ARTICLE, 78)
    assert "your inbox." in cleaner.clean(text, kind="text").text
