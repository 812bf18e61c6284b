"""The systems `cleaner eval` scores next to the cleaner: the C4 line rule and
jusText (trafilatura alone is `evaluation.BASELINE`). Their figures in the
README are only worth as much as these adapters are right."""

from __future__ import annotations

import pytest

from cleaner.baselines import BASELINES, C4, JUSTEXT, best_stoplist, c4_keeps, c4_removed, pick_baselines
from cleaner.evaluation import evaluate

from .conftest import EXAMPLES, shared_or_skip

ARTICLE = (EXAMPLES / "article.txt").read_text(encoding="utf-8")
PAGE = (EXAMPLES / "page.html").read_text(encoding="utf-8")


def _restored(text: str, removed: tuple[tuple[int, int], ...], kept: str) -> str:
    """The kept text with the removed spans put back where they were."""
    out, at, taken = [], 0, 0
    for start, end in removed:
        out.append(kept[taken: taken + start - at])
        taken += start - at
        out.append(text[start:end])
        at = end
    out.append(kept[taken:])
    return "".join(out)


@pytest.mark.parametrize(
    "line, kept",
    [
        ("The council voted to rebuild the pier on Tuesday.", True),
        ("Why did the council change its mind?", True),
        ('He said: "We will rebuild it."', True),
        ("Sie sagte: „Wir bauen sie wieder auf.“", True),
        ("Share this article", False),             # no terminal punctuation
        ("Thanks!", False),                        # under three words
        ("Please enable JavaScript to see the comments.", False),
        ("This site uses cookies to give you the best experience.", False),
        ("Read our privacy policy for details.", False),
    ],
)
def test_c4_rule_on_single_lines(line, kept):
    assert c4_keeps(line) is kept


def test_c4_removes_whole_lines_and_restores():
    result = C4.run(ARTICLE, "text")
    assert result.base == ARTICLE
    assert result.removed == c4_removed(ARTICLE)
    assert _restored(ARTICLE, result.removed, result.text) == ARTICLE
    kept = [line for line in result.text.splitlines() if line.strip()]
    assert all(c4_keeps(line) for line in kept)
    # The rule's known cost: a title and a subheading go with the junk.
    assert "What the Plan Includes" not in result.text
    assert "Most Popular Right Now:" not in result.text
    assert "Engineers will replace 46 cast-iron piles" in result.text


def test_c4_runs_after_trafilatura_on_html():
    result = C4.run(PAGE, "html")
    assert result.text.strip() and result.base != PAGE
    assert all(c4_keeps(line) for line in result.text.splitlines() if line.strip())


def test_justext_judges_each_text_line_as_a_paragraph():
    result = JUSTEXT.run(ARTICLE, "text")
    assert result.base == ARTICLE
    assert _restored(ARTICLE, result.removed, result.text) == ARTICLE
    for start, end in result.removed:  # whole lines, each with its line break
        assert start == 0 or ARTICLE[start - 1] == "\n"
        assert end == len(ARTICLE) or ARTICLE[end - 1] == "\n"
    assert "Councillors in Harbour Town voted 9 to 2" in result.text
    # Its context rule keeps short lines between good ones (the teaser list),
    # and drops short lines at the edges (the title, the share bar).
    assert "• Locals Can't Believe What This Beach Hut Sold For" in result.text
    assert not result.text.startswith("Harbour Town Votes")
    assert "WhatsApp" not in result.text


LONG = ("The central library will stay open until nine in the evening every Friday from March, after a survey "
        "found that most of the residents who answered could not visit it during their working hours at all, "
        "and the council said that it would look at the other branches in the town later in the year.")
STORY_PAGE = f"""<html><body><nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<p>{LONG}</p><p>{LONG.replace("library", "museum")}</p>
<ul><li><a href="/a">Famous Baker Admits The One Spice She Hides</a></li><li><a href="/b">Fans Stunned By New Look</a></li></ul>
</body></html>"""


def test_justext_on_html_keeps_long_paragraphs_and_drops_links():
    result = JUSTEXT.run(STORY_PAGE, "html")
    assert result.text == result.base
    assert result.text.splitlines() == [LONG, LONG.replace("library", "museum")]


def test_justext_finds_nothing_good_on_a_page_of_short_paragraphs():
    """jusText wants a paragraph of 200 characters before it trusts a page:
    the bundled example page has none, and it keeps nothing of it."""
    assert JUSTEXT.run(PAGE, "html").text == ""


def test_justext_blank_text_is_left_alone():
    result = JUSTEXT.run("\n  \n", "text")
    assert result.text == "\n  \n" and result.removed == ()
    for page in ("", "  \n"):  # lxml refuses an empty document
        assert JUSTEXT.run(page, "html").text == ""


@pytest.mark.parametrize(
    "text, language",
    [
        ("The council said that it would not be able to pay for the work this year.", "English"),
        ("Der Rat sagte, dass er die Arbeiten in diesem Jahr nicht bezahlen könne.", "German"),
        ("El ayuntamiento dijo que no podría pagar las obras este año porque no hay dinero.", "Spanish"),
    ],
)
def test_stoplist_follows_the_language(text, language):
    import justext

    assert best_stoplist(text) == frozenset(justext.get_stoplist(language))


def test_pick_baselines_refuses_unknown_names_and_skips_missing_packages(monkeypatch, capsys):
    with pytest.raises(ValueError, match="unknown baseline 'boilerpipe'"):
        pick_baselines(["c4", "boilerpipe"])
    assert pick_baselines(["justext", "c4"]) == [BASELINES["justext"], BASELINES["c4"]]

    def not_installed() -> None:
        raise ImportError("No module named 'justext'")

    monkeypatch.setitem(__import__("cleaner.baselines", fromlist=["_NEEDS"])._NEEDS, "justext", not_installed)
    assert pick_baselines(["trafilatura", "justext"]) == [BASELINES["trafilatura"]]
    assert "skipping baseline justext is not installed (pip install justext" in capsys.readouterr().err


def test_c4_figures_on_the_seed():
    """The seed's five teasers and two headers lack a full stop, and so do
    its title and three subheadings: the rule finds all seven junk lines and
    takes four content lines with them."""
    shared = shared_or_skip("seed").parent
    rows = evaluate(shared, None, sets=("seed",), baselines=(C4,))
    (row,) = rows
    assert row.system == "c4 rule"
    assert row.recall == pytest.approx(1.0)
    assert row.precision == pytest.approx(7 / 11)
    assert row.seed.startswith("FAIL")
