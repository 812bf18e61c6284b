"""Markdown saved by page-to-Markdown scrapers: links, images, headings and
bold read as structure (`cleaner/markdown.py`), offsets still the text's."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner
from cleaner.blocks import split_lines
from cleaner.cli import app
from cleaner.markdown import DEFINITION_RULE, FENCE_RULE, UNDERLINE_RULE, code_fences, markdown_view

from .conftest import EXAMPLES

URL = "https://news.example.com"
# The bundled Markdown example (README), authored for this project.
ARTICLE = (EXAMPLES / "article.md").read_text(encoding="utf-8")
KEPT = [
    "# Harbour board votes to rebuild the old pier",
    "The harbour board met on Tuesday evening",
    f"Engineers told the meeting that the work would take [eighteen months]({URL}/2025/03/pier-plan).",
    "## What the plan includes",
    "- New steel piles driven into the seabed",
    "- A wider deck with space for market stalls",
    "- Lighting along the full length of the pier",
    '"We have waited long enough,"',
    "Local traders welcomed the decision",
]
REMOVED = {
    "**Read more:** [Seafront traders": "read_more",
    "[Subscribe to our newsletter]": "promo",
    "### Trending now": "headline_list",
    "* [You won't believe what this local bakery did]": "headline_list",
    "* [10 beaches you have to visit this summer]": "headline_list",
    "* [Celebrity spotted buying fish and chips": "headline_list",
    "Share: [Facebook]": "share",
}


@pytest.fixture(scope="module")
def result(cleaner):
    return cleaner.clean(ARTICLE, kind="text")


def test_markdown_junk_goes_and_the_article_stays(result):
    for line in KEPT:
        assert line in result.text, line
    for line, label in REMOVED.items():
        assert line not in result.text, line
        assert any(line in span.text and span.label == label for span in result.removed), (line, label)


def test_report_indexes_the_markdown_as_given(result):
    assert result.restore() == ARTICLE
    for span in result.removed:
        assert ARTICLE[span.start:span.end] == span.text
    by_line = {d.text: d for d in result.blocks}
    assert f"* [10 beaches you have to visit this summer]({URL}/beaches)" in by_line  # the line as given, URL and all


def test_the_same_junk_without_its_markdown_reading_stays(cleaner, monkeypatch):
    """Read as plain words (before markdown.py), the linked teaser list was kept."""
    monkeypatch.setattr("cleaner.pipeline.markdown_view", lambda text, blocks: blocks)
    text = cleaner.clean(ARTICLE, kind="text").text
    assert "* [10 beaches you have to visit this summer]" in text


def _view(text: str):
    return markdown_view(text, split_lines(text))


def test_links_are_read_as_their_anchors_with_the_link_share():
    teaser, sentence, image = _view(
        f"- [Ten beaches to visit]({URL}/beaches \"Beaches\")\n"
        f"The council said the [report](https://example.org/a_(b)) was late.\n"
        f"![A pier at dusk]({URL}/pier.jpg)"
    )
    assert (teaser.text, teaser.link_ratio) == ("- Ten beaches to visit", pytest.approx(20 / 22))
    assert sentence.text == "The council said the report was late."
    assert sentence.link_ratio == pytest.approx(6 / len(sentence.text))
    assert image.text == "A pier at dusk"
    assert (teaser.start, teaser.end) == (0, len(f"- [Ten beaches to visit]({URL}/beaches \"Beaches\")"))


def test_headings_and_bold_lose_their_marks_but_table_columns_and_hashtags_stay():
    heading, bold, table, tabs, hashtag, plain = _view(
        "## What the plan includes ##\n**Read more:** the rest\n# | Team | Pts\n#\tName\tPts\n#pier is trending\nPlain line."
    )
    assert heading.text == "What the plan includes"
    assert bold.text == "Read more: the rest"
    assert table.text == "# | Team | Pts"
    assert tabs.text == "#\tName\tPts"
    assert hashtag.text == "#pier is trending"
    assert plain.text == "Plain line."


def test_plain_text_is_not_touched():
    text = "A plain line.\nAnother one, with [brackets] and (parentheses).\n"
    blocks = split_lines(text)
    assert markdown_view(text, blocks) is blocks
    assert [b.text for b in markdown_view(text + "Price: $5 ** 2", split_lines(text + "Price: $5 ** 2"))][:2] == [b.text for b in blocks][:2]


SETEXT = f"""Harbour board votes to rebuild the old pier
============================================

[![Image 1: The pier at dusk]({URL}/pier.jpg)]({URL}/pier-large.jpg)

The harbour board met on Tuesday evening and voted nine to two to rebuild the old pier, which has been closed since a storm damaged its supports two winters ago.

What the plan includes
----------------------

*   New steel piles driven into the seabed
*   A wider deck with space for market stalls

Local traders welcomed the decision, saying the closure had cost them most of their summer visitors.

Related stories
---------------

*   [Seafront traders count the cost of a quiet summer]({URL}/traders)
*   [Storm damage bill tops two million]({URL}/storm-bill)
"""


def test_a_setext_underline_goes_or_stays_with_its_heading(cleaner):
    result = cleaner.clean(SETEXT, kind="text")
    decisions = [d for d in result.blocks if d.text.strip()]
    for above, line in zip(decisions, decisions[1:]):
        if set(line.text.strip()) in ({"="}, {"-"}):
            assert line.removed == above.removed, (above.text, line.text)
            assert "underlines the line above" in line.reason
    assert "What the plan includes\n----------------------\n" in result.text
    assert "Related stories" not in result.text and "---------------\n" not in result.text.splitlines(keepends=True)
    assert "Storm damage bill" not in result.text


def test_a_linked_image_reads_as_its_alt_text():
    (image,) = _view(f"[![Image 1: The pier at dusk]({URL}/pier.jpg)]({URL}/pier-large.jpg)")
    assert image.text == "Image 1: The pier at dusk"
    assert image.link_ratio == 1.0


FRONT_MATTER = """---
title: "Harbour board votes to rebuild the old pier"
date: 2025-03-04
tags:
  - harbour
  - pier
---

The harbour board met on Tuesday evening and voted nine to two to rebuild the old pier, which has been closed since a storm damaged its supports two winters ago.
"""


def test_front_matter_goes_as_meta_and_keep_meta_keeps_it(cleaner):
    from cleaner import Cleaner

    result = cleaner.clean(FRONT_MATTER, kind="text")
    assert result.text.startswith("The harbour board met")
    (span,) = result.removed
    assert (span.start, span.label, span.score) == (0, "meta", 1.0)
    assert "front matter" in result.blocks[0].reason
    assert Cleaner(keep=["meta"]).clean(FRONT_MATTER, kind="text").text == FRONT_MATTER


def test_toml_front_matter_goes_too(cleaner):
    text = FRONT_MATTER.replace("---", "+++").replace(": ", " = ")
    assert cleaner.clean(text, kind="text").text.startswith("The harbour board met")


def test_prose_between_rules_is_not_front_matter():
    from cleaner.markdown import front_matter

    lines = split_lines("---\nThe council met on Tuesday and voted to rebuild the pier.\n---\nMore.")
    assert front_matter(lines) == range(0)
    assert front_matter(split_lines("---\n---\nText")) == range(0)
    assert front_matter(split_lines(FRONT_MATTER)) == range(7)


def test_cleaner_clean_on_the_bundled_markdown_example():
    result = CliRunner().invoke(app, ["clean", str(EXAMPLES / "article.md"), "--format", "json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["kind"] == "text"
    assert report["counts"] == {"headline_list": 1, "promo": 1, "read_more": 1, "share": 1}
    assert "## What the plan includes" in report["text"] and "Trending now" not in report["text"]


def test_a_reader_header_goes_as_meta(cleaner):
    """The fields a page-to-Markdown reader writes above the page."""
    text = ("Title: Harbour board votes to rebuild the old pier\n\nURL Source: https://news.example.com/pier\n\n"
            "Published Time: 2025-03-04T18:00:00Z\n\nMarkdown Content:\n" + FRONT_MATTER.split("---\n\n", 1)[1])
    result = cleaner.clean(text, kind="text")
    assert result.text.startswith("The harbour board met")
    assert result.removed[0].label == "meta" and result.removed[0].start == 0


def test_a_title_line_without_the_reader_mark_is_not_a_header():
    from cleaner.markdown import front_matter

    assert front_matter(split_lines("Title: A talk on piers\nSpeaker: Ann Lee\nThe talk was well attended.")) == range(0)


@pytest.mark.parametrize("opening", [
    '<div align="center"><img src="logo.png" alt="Harbour board logo"></div>',  # a README's centred logo
    '<p align="center">\n  <img src="pier.jpg" width="400">\n</p>',
])
def test_markdown_that_opens_with_html_is_read_as_text(cleaner, opening):
    """It was taken for an HTML fragment, and trafilatura ran all of it into
    one line ("# Harbour ... ## What ... - New steel ..."), headings, list and
    teaser together."""
    document = f"{opening}\n\n{ARTICLE}"
    result = cleaner.clean(document)
    assert result.kind == "text"
    lines = result.text.splitlines()
    for kept in KEPT:
        assert any(line.startswith(kept) for line in lines), kept
    for gone in REMOVED:
        assert not any(line.startswith(gone) for line in lines), gone
    assert result.restore() == document


def test_an_html_fragment_with_a_markdown_looking_line_is_still_html(cleaner):
    fragment = "<div class='body'>\n<p>The harbour board met on Tuesday.</p>\n- a dash opens this line\n<ul><li>One</li><li>Two</li></ul>\n</div>"
    assert cleaner.clean(fragment).kind == "html"


def test_html_inside_markdown_is_read_as_a_page_would_be():
    logo, teaser, sentence, maths = _view(
        '<div align="center"><img src="logo.png" alt="Harbour board logo"></div>\n'
        '- <a href="/beaches">Ten beaches to visit</a>\n'
        "The pier<br>reopens in <b>May</b>.\n"
        "A < B and C > D, the teacher wrote.\n"
    )
    assert (logo.text, logo.link_ratio) == ("Harbour board logo", 0.0)
    assert (teaser.text, teaser.link_ratio) == ("- Ten beaches to visit", pytest.approx(20 / 22))
    assert sentence.text == "The pier reopens in May."
    assert maths.text == "A < B and C > D, the teacher wrote."  # not a tag


REFERENCE_STYLE = """# Harbour board votes to rebuild the old pier

The harbour board met on Tuesday evening and voted nine to two to rebuild the [old pier][pier], which has been closed since a storm damaged its supports two winters ago.

### Trending now

* [You won't believe what this local bakery did][2]
* [10 beaches you have to visit this summer][3]
* [Celebrity spotted buying fish and chips on the seafront][4]

Local traders welcomed the decision, saying the closure had cost them most of their summer visitors.

  [pier]: https://news.example.com/2025/03/pier-plan
  [2]: https://news.example.com/bakery
  [3]: https://news.example.com/beaches "Beaches"
  [4]: https://news.example.com/celeb
"""


def test_reference_style_links_are_read_and_their_definitions_follow_them(cleaner):
    """A definition goes only when every line that uses it goes, and takes
    its label: the teasers' three go with the list, the article's stays."""
    result = cleaner.clean(REFERENCE_STYLE, kind="text")
    assert "[old pier][pier]" in result.text
    assert "  [pier]: https://news.example.com/2025/03/pier-plan" in result.text.splitlines()
    for gone in ("Trending now", "bakery", "beaches", "celeb"):
        assert gone not in result.text, gone
    definitions = [d for d in result.blocks if d.text.lstrip().startswith("[") and "]:" in d.text]
    assert [(d.removed, d.label) for d in definitions] == [(False, "content")] + [(True, "headline_list")] * 3
    assert {d.rule for d in definitions} == {DEFINITION_RULE}
    assert result.restore() == REFERENCE_STYLE


def test_a_reference_style_link_is_read_as_its_anchor():
    (teaser,) = _view("* [Ten beaches to visit][3]")
    assert (teaser.text, teaser.link_ratio) == ("* Ten beaches to visit", pytest.approx(20 / 22))


@pytest.mark.parametrize("line", ["[\u200b](https://example.com)", "**\u200b**", "# \ufeff", "<b>\u2060</b>", "![](pier.jpg)"])
def test_markdown_that_reads_as_nothing_visible_is_judged_as_given(cleaner, line):
    """Such a line read as blank and dropped out of the scored lines, and
    cleaning failed with IndexError."""
    text = f"The harbour board met on Tuesday.\n{line}\nThe vote passed by nine to two.\n"
    result = cleaner.clean(text, kind="text")
    assert result.restore() == text
    assert len(result.blocks) == 3 and result.blocks[1].text == line


@pytest.mark.parametrize("text", [
    "Some words here [x][Z]\n[Z]: Subscribe\n---",
    "Some words here about the pier [x][Z]\n[Z]: https://example.com/subscribe\n---\nThe vote passed by nine to two.\n",
    "---\ntitle: Pier vote\n---\n===\nThe harbour board met on Tuesday and voted to rebuild the pier.\n",
])
def test_a_line_that_follows_another_takes_its_final_decision(cleaner, text):
    """An underline under a definition line copied the definition's decision
    before the definition changed its own: the underline was removed with
    the label "content". Every follower now copies its line's final decision."""
    result = cleaner.clean(text, kind="text")
    assert result.restore() == text
    assert all(span.label != "content" for span in result.removed)
    decisions = result.blocks
    for i, d in enumerate(decisions):
        if d.rule == UNDERLINE_RULE:
            assert (d.removed, d.label) == (decisions[i - 1].removed, decisions[i - 1].label)


def test_a_definition_is_a_url_and_a_title_only(cleaner):
    """A hard-wrapped paragraph whose first line looked like a definition
    ("[1]: https://... said the board, ...") was taken for one and removed
    with the promo that used its label."""
    import textwrap

    lead = ("The harbour board met on Tuesday evening and voted to rebuild the old pier after years of delay and argument, "
            "and engineers told the meeting that the work would take eighteen months and cost about four million pounds.")
    quoted = ("[1]: https://news.example.com/pier said the board, which published the full plan for the pier on its "
              "website and asked residents to send their comments before the end of the month, when the consultation closes.")
    text = "\n".join(textwrap.wrap(lead, 72)) + "\n\n" + "\n".join(textwrap.wrap(quoted, 72)) + "\n\nSubscribe to our newsletter [here][1]\n"
    result = cleaner.clean(text, kind="text")
    assert "when the consultation closes." in result.text and "Subscribe to our newsletter" not in result.text


INTRO = ("Most tools keep their settings in a small file next to the program, and Python reads one with the "
         "standard library alone.")
AFTER = "The function opens the file, parses it and returns a dictionary, so the caller never sees the file handle."
CODE = "```python\nimport json\n\ndef load(path):\n    with open(path) as handle:\n        return json.load(handle)\n}\n```"


def test_a_fenced_code_block_goes_or_stays_whole():
    # Alone, "}" and the closing "```" score 0.44 and 0.49: at this threshold
    # they went, and the fence left open made the rest of the text code.
    text = f"{INTRO}\n\n{CODE}\n\n{AFTER}\n\nShare this article\nFollow us on Twitter\n"
    result = Cleaner(threshold=0.4).clean(text, kind="text")
    assert result.text == f"{INTRO}\n\n{CODE}\n\n{AFTER}\n\n"
    fenced = [d for d in result.blocks if d.text in CODE.split("\n")]
    assert len(fenced) == 7 and len({d.junk_score for d in fenced}) == 1
    assert all(d.rule.startswith(FENCE_RULE) for d in fenced)


def test_a_fence_of_junk_goes_whole(cleaner):
    box = "~~~\nShare this article\nFollow us on Facebook\nSubscribe to our newsletter\n~~~"
    result = cleaner.clean(f"{INTRO}\n\n{box}\n\n{AFTER}\n", kind="text")
    assert result.text == f"{INTRO}\n\n\n{AFTER}\n"  # the blank lines around it stay, as around any removed line


def test_a_fence_never_closed_ties_nothing(cleaner):
    result = cleaner.clean(f"{INTRO}\n\n```\n{AFTER}\n\nShare this article\nFollow us on Twitter\n", kind="text")
    assert "Share this article" not in result.text and AFTER in result.text
    assert not any(d.rule.startswith(FENCE_RULE) for d in result.blocks)


@pytest.mark.parametrize("lines, fences", [
    (["```", "x", "```"], [(0, 3)]),
    (["~~~~ info", "x", "~~~", "y", "~~~~~"], [(0, 5)]),  # a shorter fence does not close a longer one
    (["```a`b", "x", "```"], []),  # a backtick in a backtick fence's info string: not a fence
    (["```", "x", "    ```", "```"], [(0, 4)]),  # indented four spaces: code, not a closing fence
    (["```", "x", "~~~", "```", "```", "y"], [(0, 4)]),  # the last fence is never closed
])
def test_code_fences(lines, fences):
    text = "\n".join(lines)
    assert code_fences(split_lines(text), text) == fences
