"""HTML fragments (an article region a scraper already cut out of its page):
extracted with trafilatura's recall setting, or from their own markup when
trafilatura finds nothing (`cleaner/fragment.py`); and small whole pages,
read from their own markup when trafilatura's result is its last resort."""

from __future__ import annotations

import pytest

from cleaner.fragment import is_fragment

P1 = "The harbour board met on Tuesday evening and voted nine to two to rebuild the old pier, which has been closed since a storm damaged its supports two winters ago."
P2 = "Engineers told the meeting that the work would take eighteen months. The first section, closest to the promenade, would reopen to walkers next spring."
P3 = "Local traders welcomed the decision, saying the closure had cost them most of their summer visitors."
BODY = f"""<div class="article-body">
<p>{P1}</p>
<p>{P2}</p>
<div class="related"><h3>Trending now</h3><ul>
<li><a href="/bakery">You won't believe what this local bakery did</a></li>
<li><a href="/beaches">10 beaches you have to visit this summer</a></li>
<li><a href="/celeb">Celebrity spotted buying fish and chips on the seafront</a></li>
</ul></div>
<h2>What the plan includes</h2>
<ul><li>New steel piles driven into the seabed</li><li>A wider deck with space for market stalls</li></ul>
<p>{P3}</p>
<p><strong>Read more:</strong> <a href="/traders">Seafront traders count the cost of a quiet summer</a></p>
</div>"""


def test_an_article_body_fragment_keeps_its_subheading_and_list(cleaner):
    result = cleaner.clean(BODY)
    assert result.kind == "html"
    lines = result.text.splitlines()
    for kept in (P1, P2, "What the plan includes", "New steel piles driven into the seabed", "A wider deck with space for market stalls", P3):
        assert kept in lines
    for gone in ("Trending now", "this local bakery", "Read more"):
        assert gone not in result.text
    assert result.restore() == result.base
    tags = {d.text: d.tag for d in result.blocks}
    assert tags["What the plan includes"] == "h" and tags["New steel piles driven into the seabed"] == "li"


@pytest.mark.parametrize("fragment,lines", [
    (f"<p>{P3}</p>", [P3]),
    ("<ul><li>Two eggs</li><li>A cup of <a href='/flour'>flour</a></li></ul>", ["Two eggs", "A cup of flour"]),
    (f"<div>{P3} <!-- a note --> <script>var tracker = 1;</script><style>p {{ color: red }}</style>Second part<br>after a break.</div>",
     [f"{P3} Second part", "after a break."]),
])
def test_a_small_fragment_gives_its_own_text(cleaner, fragment, lines):
    """trafilatura returns nothing for these; the result was empty."""
    result = cleaner.clean(fragment, kind="html")
    assert result.base.splitlines() == lines
    assert result.text.splitlines() == lines


def test_an_empty_fragment_gives_an_empty_result(cleaner):
    assert cleaner.clean("<p>  </p><!-- only a comment -->", kind="html").text == ""


@pytest.mark.parametrize("html,expected", [
    ("<div><p>x</p></div>", True),
    ("<p>x</p>", True),
    ("<!DOCTYPE html><p>x</p>", False),
    ("<html><p>x</p></html>", False),
    ("<div></div><BODY><p>x</p>", False),
])
def test_a_fragment_is_html_without_page_tags(html, expected):
    assert is_fragment(html) is expected


@pytest.mark.parametrize("fragment", [
    f"<p>{P3}\x00</p>",              # NUL: lxml refuses any string that holds one
    f"<p>{P3}\x01\x1f</p>",          # other control characters
    f"<p>{P3}\ud800</p>",            # a lone surrogate, which a str from JSON can hold
    f"<p>{P3}&#xfffe;</p>",          # a reference to a non-character, which the parser makes real
])
def test_a_fragment_with_characters_xml_forbids_gives_its_text(cleaner, fragment):
    """Fragments holding these raised ValueError from inside lxml, or an
    AttributeError when trafilatura's parser gave no page tree."""
    result = cleaner.clean(fragment, kind="html")
    assert result.text == P3


SMALL_PAGE = """<!doctype html><html><head><title>Pancakes</title></head><body>
<nav><a href="/">Home</a> <a href="/recipes">Recipes</a> <a href="/about">About us</a></nav>
<h1>Weekend pancakes</h1>
<div class="text">Mix the flour and the eggs in a large bowl until smooth.</div>
<ul><li>Two eggs</li><li>A cup of flour</li></ul>
<div class="text">Cook each one on a hot pan for two minutes a side.</div>
<footer>Copyright 2026 Example Kitchen. All rights reserved.</footer>
</body></html>"""


def test_a_small_whole_page_is_read_from_its_own_markup(cleaner):
    """trafilatura finds no article in so small a page (its text in `<div>`s,
    not `<p>`s) and, as a last resort, returns all of the body's text in one
    paragraph: it came out as a single line, menu and footer included, which
    the classifier could neither keep nor cut in part."""
    result = cleaner.clean(SMALL_PAGE)
    assert result.base.splitlines() == [
        "Home Recipes About us", "Weekend pancakes", "Mix the flour and the eggs in a large bowl until smooth.",
        "Two eggs", "A cup of flour", "Cook each one on a hot pan for two minutes a side.",
        "Copyright 2026 Example Kitchen. All rights reserved.",
    ]
    assert [b.tag for b in result.blocks][1:5] == ["h1", "p", "li", "li"]
    assert {s.text.strip(): s.label for s in result.removed} == {
        "Home Recipes About us": "headline_list", "Copyright 2026 Example Kitchen. All rights reserved.": "meta"}
    assert result.restore() == result.base


@pytest.mark.parametrize("odd", ["\ud800", "\udfff", "\x00", "\x0c", "&#xfffe;"])
def test_a_character_xml_forbids_does_not_cut_a_whole_page_short(cleaner, odd):
    """libxml2 stopped reading a page at a lone surrogate (which a str from
    JSON can hold), silently: the base ended at the fourth paragraph."""
    paragraphs = [f"<p>Paragraph {i}: the harbour board met on Tuesday evening and voted to rebuild the old pier.</p>" for i in range(1, 11)]
    paragraphs[3] = paragraphs[3].replace("voted", f"voted{odd}")
    result = cleaner.clean("<html><body><article>" + "".join(paragraphs) + "</article></body></html>", kind="html")
    assert [line.split(":")[0] for line in result.base.splitlines()] == [f"Paragraph {i}" for i in range(1, 11)]
    assert "voted to rebuild" in result.base.splitlines()[3].replace("voted ", "voted ")
