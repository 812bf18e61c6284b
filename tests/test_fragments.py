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


SHORT_CHINESE_PAGE = """<html lang="zh-CN"><head><meta charset="utf-8"><title>老桥加固</title></head><body>
<nav><a href="/">首页</a> <a href="/news">新闻</a></nav>
<article><h1>河西区三座老桥明年春天前完成加固</h1>
<p>河西区将在明年春天前完成三座老旧桥梁的加固工程，区交通局周三在发布会上公布了具体时间表。</p>
<p>据介绍，三座桥梁均建于上世纪八十年代，近年来检测中多次发现桥墩出现裂缝。</p>
<div class="share"><a href="#">分享到微信</a> <a href="#">分享到微博</a> <a href="#">复制链接</a></div>
<h2>施工安排</h2>
<p>第一阶段将从下月起封闭北桥的两条车道，预计持续四十天，其间公交线路临时绕行。</p>
<p>交通局表示，施工期间将在附近路口增派交警疏导，并通过广播及时发布路况信息。</p>
<div class="related"><h3>热门推荐</h3><ul>
<li><a href="/a">这种早餐千万别再吃了，医生都说不好</a></li>
<li><a href="/b">月薪三千如何存下十万？他的方法绝了</a></li>
<li><a href="/c">今年最火的旅游城市竟然是它</a></li></ul></div>
<aside>广告位招租</aside>
</article><footer>版权所有 © 2026 河西日报社</footer></body></html>"""


def test_a_short_article_run_together_is_read_from_its_own_markup(cleaner):
    """Under 250 characters of article, trafilatura falls back on the text
    of the page's `<article>`, joined with spaces into one paragraph. That
    is a short page in English but a news brief in Chinese: it came out as
    one line holding the share bar and the teasers, which the classifier
    could neither keep nor cut in part. The article is read from its own
    markup instead, without what trafilatura's fallback leaves out (here
    the `<aside>`)."""
    result = cleaner.clean(SHORT_CHINESE_PAGE)
    lines = result.base.splitlines()
    assert len(lines) == 11 and lines[0] == "河西区三座老桥明年春天前完成加固" and "广告位招租" not in result.base
    removed = {line for span in result.removed for line in span.text.splitlines() if line.strip()}
    assert {"河西区三座老桥明年春天前完成加固", "分享到微信 分享到微博 复制链接", "这种早餐千万别再吃了，医生都说不好",
            "月薪三千如何存下十万？他的方法绝了", "今年最火的旅游城市竟然是它"} == removed - {"热门推荐"}  # the header: by seed
    assert result.removed[0].label == "title" and "施工安排" in result.text.splitlines()
    assert result.restore() == result.base


def test_a_paragraph_is_matched_to_the_page_s_one_article_only():
    """Which `<article>` trafilatura's paragraph came from is known only when
    the page has one (nested ones aside); with two, or when the paragraph
    does not start as the article does, its paragraph stands."""
    from lxml import etree, html as lxml_html

    from cleaner.extract import _own_markup_of_fallback

    words = "The harbour board met on Tuesday evening and voted to rebuild the old pier at last."
    body = etree.Element("body")
    etree.SubElement(body, "p").text = words + " Share this"
    one = lxml_html.fromstring(f"<html><body><article><p>{words}</p><p>Share this</p></article></body></html>")
    two = lxml_html.fromstring(f"<html><body><article><p>{words}</p></article><article><p>{words}</p></article></body></html>")
    nested = lxml_html.fromstring(f"<html><body><article><p>{words}</p><article><p>Share this</p></article></article></body></html>")
    other = lxml_html.fromstring("<html><body><article><p>A different story altogether, about the ferry timetable.</p></article></body></html>")
    assert _own_markup_of_fallback(body, one) is not None and _own_markup_of_fallback(body, nested) is not None
    assert _own_markup_of_fallback(body, two) is None and _own_markup_of_fallback(body, other) is None
    etree.SubElement(body[0], "hi").text = "bold"  # a paragraph with markup is trafilatura's own extraction
    assert _own_markup_of_fallback(body, one) is None


@pytest.mark.parametrize("odd", ["\ud800", "\udfff", "\x00", "\x0c", "&#xfffe;"])
def test_a_character_xml_forbids_does_not_cut_a_whole_page_short(cleaner, odd):
    """libxml2 stopped reading a page at a lone surrogate (which a str from
    JSON can hold), silently: the base ended at the fourth paragraph."""
    paragraphs = [f"<p>Paragraph {i}: the harbour board met on Tuesday evening and voted to rebuild the old pier.</p>" for i in range(1, 11)]
    paragraphs[3] = paragraphs[3].replace("voted", f"voted{odd}")
    result = cleaner.clean("<html><body><article>" + "".join(paragraphs) + "</article></body></html>", kind="html")
    assert [line.split(":")[0] for line in result.base.splitlines()] == [f"Paragraph {i}" for i in range(1, 11)]
    assert "voted to rebuild" in result.base.splitlines()[3].replace("voted ", "voted ")
