"""Headings whose box of links the extractor dropped (`cleaner/orphans.py`)."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from cleaner.blocks import Block
from cleaner.orphans import ORPHAN_RULE, orphaned_titles, widgets_by_heading, widgets_by_title

LINKS = '<li><a href="/s/1">Doctors Stunned By This One Weird Morning Habit</a></li><li><a href="/s/2">You Won\'t Believe What This Allotment Sold For</a></li><li><a href="/s/3">Celebrities Who Look Unrecognisable Today</a></li>'
STORY = ("The regional water authority said on Monday that reservoir levels had recovered to 84 per cent of capacity "
         "after a wet spring, the highest figure for the time of year since 2014.")


def _tree(body: str):
    return lxml_html.fromstring(f"<html><body><article>{body}</article></body></html>")


def test_a_heading_and_a_list_of_links_that_make_a_widget_are_found():
    tree = _tree(f'<p>{STORY}</p><div class="box"><h3>Readers also liked</h3><ul>{LINKS}</ul></div><p>{STORY}</p>')
    boxes = widgets_by_heading(tree, {"Readers also liked"})
    assert list(boxes) == ["Readers also liked"]
    assert boxes["Readers also liked"][0] == "Doctors Stunned By This One Weird Morning Habit"


def test_a_heading_in_its_own_wrapper_is_looked_at_from_the_wrapper():
    tree = _tree(f'<p>{STORY}</p><section><div class="title"><h4>Most read</h4></div><ol>{LINKS}</ol></section>')
    assert list(widgets_by_heading(tree, {"Most read"})) == ["Most read"]


def test_a_heading_over_a_run_of_linked_paragraphs_is_a_widget():
    teasers = "".join(f'<p><a href="/s/{i}">{t}</a></p>' for i, t in enumerate(("Flood warning lifted for river towns", "Council publishes updated bin schedule", "Ferry timetable changes next week")))
    tree = _tree(f"<p>{STORY}</p><aside><h4>More from the site</h4>{teasers}</aside><p>{STORY}</p>")
    assert list(widgets_by_heading(tree, {"More from the site"})) == ["More from the site"]


NOT_WIDGETS = {
    # Another heading follows: the element is a section, not one widget.
    "another heading after the box": (f"<div><h3>Readers also liked</h3><ul>{LINKS}</ul><h3>Next</h3></div>", "Readers also liked"),
    # The heading's section goes on after the box: it titles the section, not the box.
    "subheading with a box inserted under it": (f"<h2>Bills stay the same</h2><ul>{LINKS}</ul><p>{STORY}</p>", "Bills stay the same"),
    "box of mostly prose": (f'<section><h3>Background</h3><div><p>{STORY} See <a href="/a">the report</a> and <a href="/b">the map</a>.</p></div></section>', "Background"),
    # Only the headings the extraction kept are read.
    "heading the extraction did not keep": (f"<div><h3>Readers also liked</h3><ul>{LINKS}</ul></div>", "Something else"),
}


@pytest.mark.parametrize("case", sorted(NOT_WIDGETS))
def test_what_is_not_a_widget_s_title(case):
    body, heading = NOT_WIDGETS[case]
    assert widgets_by_heading(_tree(body), {heading}) == {}


def test_a_bold_paragraph_or_a_titled_div_can_title_a_widget():
    bold = _tree(f'<p>{STORY}</p><div><p><strong>Most read</strong></p><ul>{LINKS}</ul></div>')
    titled = _tree(f'<p>{STORY}</p><section><div class="title">Most read</div><ol>{LINKS}</ol></section>')
    assert list(widgets_by_title(bold, {"Most read"})) == ["Most read"]
    assert list(widgets_by_title(titled, {"Most read"})) == ["Most read"]


def test_a_short_paragraph_opening_an_article_is_not_a_widget_s_title():
    tree = _tree(f'<p>Updated on Monday</p><p>{STORY} See <a href="/a">the report</a>.</p><p>{STORY}</p>')
    assert widgets_by_title(tree, {"Updated on Monday"}) == {}


def _lines(*texts_and_tags: tuple[str, str]) -> list[Block]:
    return [Block(0, len(text), len(text), text, tag=tag) for text, tag in texts_and_tags]


def test_a_title_is_orphaned_only_when_its_links_are_gone():
    tree = _tree(f'<p>{STORY}</p><div><h3>Readers also liked</h3><ul>{LINKS}</ul></div>')
    blocks = _lines((STORY, "p"), ("Readers also liked", "h"))
    dropped = f"{STORY}\nReaders also liked"
    kept = dropped + "\nDoctors Stunned By This One Weird Morning Habit\nYou Won't Believe What This Allotment Sold For"
    assert orphaned_titles(tree, dropped, blocks) == {"Readers also liked"}
    assert orphaned_titles(tree, kept, blocks) == set()


def test_only_short_paragraph_lines_are_taken_for_titles():
    sentence = "The authority listed the work it finished over the winter."
    tree = _tree(f"<div><p>{sentence}</p><ul>{LINKS}</ul></div>")
    assert orphaned_titles(tree, sentence, _lines((sentence, "p"))) == set()


PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Reservoirs recover</title></head><body><main><article>
<h1>Reservoirs recover after wet spring</h1>
<p>The regional water authority said on Monday that reservoir levels had recovered to 84 per cent of capacity after a wet spring, the highest figure for the time of year since 2014.</p>
<p>Engineers had warned in January that a dry summer could force hosepipe restrictions for the first time in a decade, and the authority spent the winter repairing leaking mains across the district.</p>
<div class="c-block">{title}<ul>{links}</ul></div>
<h2>Bills stay the same</h2>
<p>Customers will see no change to their bills this year, the authority said, although a planned review of charges will go ahead in the autumn as scheduled.</p>
<p>The authority will publish its next reservoir report in July, when it expects levels to begin their usual summer fall.</p>
</article></main></body></html>"""


@pytest.mark.parametrize(("markup", "title"), [("<h3>{}</h3>", "Readers also liked"), ("<p><strong>{}</strong></p>", "Elsewhere on the site")],
                         ids=["heading", "bold paragraph"])
def test_the_title_left_by_a_dropped_widget_is_removed_and_says_why(cleaner, markup, title):
    """trafilatura drops the widget's links and keeps its title, which the
    model alone scores as content (0.07 and 0.05)."""
    result = cleaner.clean(PAGE.format(title=markup.format(title), links=LINKS), kind="html")
    orphan = next(d for d in result.blocks if d.text == title)
    assert orphan.removed and orphan.label == "headline_list"
    assert ORPHAN_RULE in orphan.reason
    assert title not in result.text
    assert "Bills stay the same" in result.text and "Customers will see no change" in result.text
    assert result.restore() == result.base


def test_keep_headline_list_keeps_the_orphaned_heading():
    from cleaner import Cleaner

    result = Cleaner(keep=["headline_list"]).clean(PAGE.format(title="<h3>Readers also liked</h3>", links=LINKS), kind="html")
    assert "Readers also liked" in result.text
