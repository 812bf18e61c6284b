"""The clean text as Markdown (`CleanResult.to_markdown`, `--format markdown`,
`cleaner batch --markdown`): a page's headings, lists, quotes and tables kept
as structure, removed lines absent, and text that would read as syntax escaped."""

from __future__ import annotations

import html as html_module
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner import Cleaner
from cleaner.cli import app
from cleaner.markdown_output import blocks_markdown, escape_line, heading, table_cells
from cleaner.result import BlockDecision

from .conftest import EXAMPLES

runner = CliRunner()

LEAD = ("The island ferry company will run two extra evening sailings every day from June to September, after a "
        "season in which the last boat left many visitors stranded on the quay.")
CLUB = ("1. FC Island, the local football club, welcomed the change: its supporters often missed the last boat "
        "after evening matches.")
CLOSE = ("Timetables for the winter season will be published in August, and the company said it would review the "
         "late sailings in the autumn.")
QUOTE = '"We heard the complaints and we listened," said the operations manager, Ines Calloway.'

# An authored page with every structure the extractor tags, and a teaser box.
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Ferry timetable changes</title></head>
<body><nav><a href="/">Home</a> <a href="/travel">Travel</a></nav>
<main><article>
<h1>Island Ferry Adds Late Sailings for the Summer</h1>
<p>{LEAD}</p>
<h2>What changes</h2>
<ul><li>A 21:30 sailing from the harbour, every day</li><li>A 22:45 return from the island, every day</li>
<li>Car tickets up by £2 each way</li></ul>
<blockquote>{QUOTE}</blockquote>
<h4>Trending Now</h4>
<ul><li>Famous Baker Admits The One Spice She Hides In Every Cake</li>
<li>This Town's Best-Kept Secret Is Finally Out</li><li>Fans Stunned By Singer's New Look</li></ul>
<h2>Summer fares</h2>
<table><tr><th>Ticket</th><th>Single</th><th>Return</th></tr>
<tr><td>Foot passenger</td><td>£6.50</td><td>£11.00</td></tr>
<tr><td>Car and driver</td><td>£32.00</td><td>£58.00</td></tr></table>
<p>{CLUB}</p>
<p>{CLOSE}</p>
</article></main><footer><p>© 2026 Island Gazette</p></footer></body></html>"""

EXPECTED = f"""{LEAD}

## What changes

- A 21:30 sailing from the harbour, every day
- A 22:45 return from the island, every day
- Car tickets up by £2 each way

> {QUOTE}

## Summer fares

| Ticket | Single | Return |
| --- | --- | --- |
| Foot passenger | £6.50 | £11.00 |
| Car and driver | £32.00 | £58.00 |

1\\. FC Island, the local football club, welcomed the change: its supporters often missed the last boat after evening matches.

{CLOSE}
"""


def test_page_structure_comes_out_as_markdown(cleaner):
    result = cleaner.clean(PAGE, kind="html")
    assert result.to_markdown() == EXPECTED
    # The same lines as the plain text, in the same order: only marks are added.
    assert "Trending Now" in result.base and "Trending Now" not in result.to_markdown()


def test_kept_labels_come_back_in_the_markdown():
    result = Cleaner(keep=["title", "headline_list"]).clean(PAGE, kind="html")
    markdown = result.to_markdown()
    assert markdown.startswith("# Island Ferry Adds Late Sailings for the Summer\n\n")
    assert "## Trending Now\n\n- Famous Baker Admits The One Spice She Hides In Every Cake\n" in markdown


def test_text_input_is_its_clean_text(cleaner):
    for name in ("article.txt", "article.md"):
        result = cleaner.clean((EXAMPLES / name).read_text(encoding="utf-8"), kind="text")
        assert result.to_markdown() == result.text


def test_empty_page_gives_empty_markdown(cleaner):
    assert cleaner.clean("<html><body></body></html>", kind="html").to_markdown() == ""


@pytest.mark.parametrize(
    "line, escaped",
    [
        ("# 1 in sales again", "\\# 1 in sales again"),
        ("- 5 °C overnight", "\\- 5 °C overnight"),
        ("+ more to come", "\\+ more to come"),
        ("1. FC Köln won", "1\\. FC Köln won"),
        ("2) the second point", "2\\) the second point"),
        ("> not a quote", "\\> not a quote"),
        ("| not a table", "\\| not a table"),
        ("---", "\\---"),
        ("```", "\\`\\`\\`"),
        ("*Bold* claims", "*Bold* claims"),
        ("#hashtag", "#hashtag"),
        ("1.5 million people", "1.5 million people"),
        ("+44 20 7946 0000", "+44 20 7946 0000"),
        ("Plain sentence.", "Plain sentence."),
    ],
)
def test_line_starts_that_read_as_syntax_are_escaped(line, escaped):
    assert escape_line(line) == escaped


def test_cli_format_markdown():
    result = runner.invoke(app, ["clean", "-", "--format", "markdown"], input=PAGE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == EXPECTED


def test_batch_markdown_in_records_and_files(tmp_path):
    pages = tmp_path / "in"
    pages.mkdir()
    (pages / "ferry.html").write_text(PAGE, encoding="utf-8")
    (pages / "article.txt").write_text((EXAMPLES / "article.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = runner.invoke(app, ["batch", str(pages), "--markdown", "-o", str(out), "--quiet", "--jobs", "1"])
    assert done.exit_code == 0, done.stderr
    records = {json.loads(line)["source"].rsplit("/", 1)[-1]: json.loads(line) for line in out.read_text().splitlines()}
    assert records["ferry.html"]["markdown"] == EXPECTED
    assert records["article.txt"]["markdown"] == records["article.txt"]["text"]

    folder = tmp_path / "out"
    done = runner.invoke(app, ["batch", str(pages), "--markdown", "-o", f"{folder}/", "--quiet", "--jobs", "2"])
    assert done.exit_code == 0, done.stderr
    (md,) = folder.glob("*ferry.md")
    assert md.read_text(encoding="utf-8") == EXPECTED

    plain = tmp_path / "plain.jsonl"
    done = runner.invoke(app, ["batch", str(pages), "-o", str(plain), "--quiet"])
    assert done.exit_code == 0, done.stderr
    assert all("markdown" not in json.loads(line) for line in plain.read_text().splitlines())


def test_clean_many_keeps_what_markdown_needs_only_when_asked():
    from cleaner import CleanerError
    from cleaner.batch import clean_many

    with_markdown = list(clean_many([PAGE, PAGE], jobs=2, kind="html", markdown=True))
    assert [r.to_markdown() for r in with_markdown] == [EXPECTED, EXPECTED]
    (plain,) = clean_many([PAGE], jobs=2, kind="html")
    with pytest.raises(CleanerError, match="pass markdown=True to clean_many"):
        plain.to_markdown()


_PAGE_PARTS = st.one_of(
    st.sampled_from(["<h1>", "</h1>", "<h2>", "</h2>", "<p>", "</p>", "<ul><li>", "</li><li>", "</li></ul>", "<ol><li>",
                     "<blockquote>", "</blockquote>", "<table><tr><td>", "</td><td>", "</td></tr><tr><td>", "</td></tr></table>",
                     "<pre><code>", "</code></pre>", "<a href='/x'>", "</a>", "<br>",
                     "# not a heading", "1. FC", "- dash", "> mark", "| bar", "```", "---",
                     "The council met on Tuesday to vote on the plan for the harbour, which passed by nine votes to two. "]),
    st.text(max_size=40),
)
_PAGES = st.lists(_PAGE_PARTS, max_size=40).map(lambda parts: "<html><body><article>" + "".join(parts) + "</article></body></html>")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PAGES)
def test_markdown_holds_every_kept_line_in_order(cleaner, page):
    result = cleaner.clean(page, kind="html")
    markdown = result.to_markdown()
    at = 0
    for block in result.blocks:
        if block.removed:
            continue
        text = block.text.strip()
        if block.tag in ("h", "h1"):
            written = heading(1, text)[2:]
        elif block.tag == "row":
            written = " | ".join(table_cells(text))
        else:
            written = text if block.tag == "code" else escape_line(text)
        found = markdown.find(written, at)
        assert found >= 0, (block.text, markdown)
        at = found


STEPS_BODY = f"""<h2>How to book</h2>
<p>{LEAD}</p>
<h3>Online</h3>
<ol><li>Choose the sailing and the ticket type</li><li>Pay by card and keep the reference number</li></ol>
<blockquote><p>{QUOTE}</p><p>"The late boats were the most requested change," she added.</p></blockquote>
<table><tr><th>Ticket</th><th>Single</th></tr><tr><td>Foot passenger</td><td>£6.50</td></tr></table>
<p>{CLOSE}</p>"""

STEPS_EXPECTED = f"""## How to book

{LEAD}

### Online

1. Choose the sailing and the ticket type
2. Pay by card and keep the reference number

> {QUOTE}
>
> "The late boats were the most requested change," she added.

| Ticket | Single |
| --- | --- |
| Foot passenger | £6.50 |

{CLOSE}
"""


@pytest.mark.parametrize("page", [f"<html><body><article>{STEPS_BODY}</article></body></html>", STEPS_BODY],
                         ids=["whole page", "fragment"])
def test_heading_levels_numbered_lists_and_quoted_paragraphs(cleaner, page):
    result = cleaner.clean(page, kind="html")
    assert result.to_markdown() == STEPS_EXPECTED
    assert [b.markup for b in result.blocks if b.tag in ("h", "li", "row")] == ["h2", "h3", "ol1", "ol2", "thead", ""]


def _rendered(markdown: str) -> str:
    """The Markdown as CommonMark with tables renders it (markdown-it-py,
    which rich, a dependency, brings)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(markdown)


@pytest.mark.parametrize(
    "line",
    ["***", "___", "_ _ _", "* * *", "---", "===", "[1]: https://example.com/a", "<div> is a block element",
     "<!-- not a comment --> shown", "# 1 in sales", "1. FC Köln", "2) the second point", "- 5 °C", "+ more", "> not a quote",
     "``` not a fence", "~~~ nor this"],
)
def test_escaped_lines_render_as_written(line):
    import html

    assert _rendered(escape_line(line)) == f"<p>{html.escape(line, quote=False)}</p>\n"


def test_a_closing_hash_in_a_heading_stays(cleaner):
    page = f"<html><body><article><h2>Installation #</h2><p>{LEAD}</p><h3>C#</h3><p>{CLOSE}</p></article></body></html>"
    markdown = cleaner.clean(page, kind="html").to_markdown()
    assert "## Installation \\#\n" in markdown and "### C#\n" in markdown
    assert "<h2>Installation #</h2>" in _rendered(markdown) and "<h3>C#</h3>" in _rendered(markdown)


TABLES = f"""<html><body><article><p>{LEAD}</p>
<table><tr><th>Name</th><th></th><th>Score</th></tr><tr><td>Ann</td><td>x</td><td>9</td></tr>
<tr><td>a || b</td><td>x|y</td><td></td></tr></table>
<table><tr><th>Year</th><th>Rain</th></tr><tr><td>2024</td><td>800</td></tr></table>
<p>{CLOSE}</p></article></body></html>"""


def test_tables_keep_empty_cells_bars_and_their_own_header(cleaner):
    markdown = cleaner.clean(TABLES, kind="html").to_markdown()
    assert ("| Name |  | Score |\n| --- | --- | --- |\n| Ann | x | 9 |\n| a \\|\\| b | x\\|y |  |\n\n"
            "| Year | Rain |\n| --- | --- |\n| 2024 | 800 |\n") in markdown
    rendered = _rendered(markdown)
    assert rendered.count("<table>") == 2 and "<td>a || b</td>\n<td>x|y</td>" in rendered


def test_a_nested_list_is_indented_under_its_item(cleaner):
    page = ("<html><body><article><h2>Method</h2><ol><li>Preheat the oven and grease a large baking tin.</li>"
            "<li>Mix the dry ingredients in a bowl:<ul><li>two cups of plain flour</li><li>one cup of sugar</li></ul></li>"
            f"<li>Bake for twenty minutes until golden on top.</li></ol><p>{CLOSE}</p></article></body></html>")
    markdown = cleaner.clean(page, kind="html").to_markdown()
    assert ("1. Preheat the oven and grease a large baking tin.\n2. Mix the dry ingredients in a bowl:\n"
            "   - two cups of plain flour\n   - one cup of sugar\n3. Bake for") in markdown
    assert ("<li>Mix the dry ingredients in a bowl:\n<ul>\n<li>two cups of plain flour</li>\n<li>one cup of sugar</li>\n"
            "</ul>\n</li>\n<li>Bake for") in _rendered(markdown)


def test_nested_lists_three_deep_and_a_parent_s_next_line():
    page = _page("<ul><li>Ferries of the northern route<ol><li>The morning boat from the harbour"
                 "<ul><li>calls at the lighthouse pier</li></ul></li><li>The evening boat from the island</li></ol>"
                 "and the line under the northern route</li><li>Ferries of the southern route</li></ul>")
    markdown = Cleaner(keep=["headline_list", "read_more", "promo", "share"]).clean(page, kind="html").to_markdown()
    assert ("- Ferries of the northern route\n  1. The morning boat from the harbour\n     - calls at the lighthouse pier\n"
            "  2. The evening boat from the island\n\n  and the line under the northern route\n"
            "- Ferries of the southern route\n") in markdown
    rendered = _rendered(markdown)
    assert rendered.count("<ul>") == 2 and rendered.count("<ol>") == 1 and "<pre>" not in rendered
    assert "<li>calls at the lighthouse pier</li>" in rendered
    assert "</ol>\n<p>and the line under the northern route</p>\n</li>\n<li>\n<p>Ferries of the southern route</p>" in rendered


def _item(text: str, markup: str) -> BlockDecision:
    """A kept list line, as a page with its other lines removed leaves it."""
    return BlockDecision(start=0, end=len(text), text=text, tag="li", looks_like="content", looks_score=1.0,
                         junk_score=0.0, label="content", removed=False, threshold=0.55, markup=markup)


def test_a_nested_item_whose_parent_was_removed_is_not_indented_into_code():
    markdown = blocks_markdown([_item("first nested point", "ul1:2"), _item("second nested point", "ul2:2"),
                                _item("back at the top", "ul2")])
    # At the top of the page now, the two nested items and the top-level one are two lists.
    assert markdown == "- first nested point\n- second nested point\n* back at the top\n"


def test_a_nested_numbered_list_left_starting_at_3_is_still_a_list():
    # Only a list starting at 1 may interrupt text: without a blank line,
    # "3. Bake" would run on as the parent item's text.
    markdown = blocks_markdown([_item("Make the dough", "ol1"), _item("Bake it for twenty minutes", "ol3:1"),
                                _item("Let it cool", "ol4:1"), _item("Serve it warm", "ol2")])
    assert markdown == "1. Make the dough\n\n   3. Bake it for twenty minutes\n   4. Let it cool\n2. Serve it warm\n"
    assert '<p>Make the dough</p>\n<ol start="3">\n<li>Bake it for twenty minutes</li>' in _rendered(markdown)


def test_an_item_of_stars_is_not_a_thematic_break():
    # The second list's mark is "*", and "* **" alone would be one.
    markdown = blocks_markdown([_item("First point of one list", "ul1"), _item("**", "ul1")])
    assert markdown == "- First point of one list\n* \\**\n"
    assert "<hr" not in _rendered(markdown) and "<li>**</li>" in _rendered(markdown)


def test_code_kept_inside_a_quote_is_still_code(cleaner):
    page = (f"<h2>Install</h2><p>Install it with the following command before you start the tutorial:</p>"
            f"<pre><code>pip install ``cleaner``</code></pre><p>{LEAD}</p>")
    markdown = cleaner.clean(page, kind="html").to_markdown()
    assert "\n```\npip install ``cleaner``\n```\n" in markdown


def _page(body: str) -> str:
    return f"<html><body><article><p>{LEAD}</p>{body}<p>{CLOSE}</p></article></body></html>"


@pytest.mark.parametrize(
    "body, markdown, html",
    [
        ("<ol><li><p>First step of the method, done slowly.</p></li><li><p>Second step of the method is simple.</p></li></ol>",
         "1. First step of the method, done slowly.\n2. Second step of the method is simple.\n",
         "<ol>\n<li>First step of the method, done slowly.</li>\n<li>Second step of the method is simple.</li>\n</ol>"),
        ("<ol><li>First step of the method, done slowly.<br>Continue the first step carefully.</li>"
         "<li>Second step of the method is simple.</li></ol>",
         "1. First step of the method, done slowly.\n   Continue the first step carefully.\n2. Second step of the method is simple.\n",
         "<li>First step of the method, done slowly.\nContinue the first step carefully.</li>"),
        ("<ol><li>Alpha item of the first list here</li><li>Beta item of the first list here</li></ol>"
         "<ol><li>Gamma item of the second list</li><li>Delta item of the second list</li></ol>",
         "1. Alpha item of the first list here\n2. Beta item of the first list here\n"
         "1) Gamma item of the second list\n2) Delta item of the second list\n",
         "</ol>\n<ol>\n<li>Gamma item of the second list</li>"),
        ("<ol><li>Outer step one of the method<ol><li>Inner step alpha of the method</li><li>Inner step beta of the method</li>"
         "</ol></li><li>Outer step two of the method</li></ol>",
         "1. Outer step one of the method\n   1. Inner step alpha of the method\n   2. Inner step beta of the method\n"
         "2. Outer step two of the method\n",
         "<li>Outer step one of the method\n<ol>\n<li>Inner step alpha of the method</li>"),
        ("<ul><li>First point of the summary, at length<br>and its second line</li><li>Second point of the summary</li></ul>",
         "- First point of the summary, at length\n  and its second line\n- Second point of the summary\n",
         "<li>First point of the summary, at length\nand its second line</li>"),
        ("<ul><li>First point of the first summary</li><li>Second point of the first summary</li></ul>"
         "<ul><li>First point of the second summary</li><li>Second point of the second summary</li></ul>",
         "- First point of the first summary\n- Second point of the first summary\n"
         "* First point of the second summary\n* Second point of the second summary\n",
         "</ul>\n<ul>\n<li>First point of the second summary</li>"),
        ("<ul><li>Outer point of the summary<ul><li>Inner detail alpha</li><li>Inner detail beta</li></ul></li>"
         "<li>Second outer point of the summary</li></ul>",
         "- Outer point of the summary\n  - Inner detail alpha\n  - Inner detail beta\n- Second outer point of the summary\n",
         "<li>Inner detail beta</li>\n</ul>\n</li>\n<li>Second outer point of the summary</li>\n</ul>"),
    ],
    ids=["paragraphs in items", "br in an item", "two lists", "nested numbered list", "br in a bullet",
         "two bulleted lists", "nested bulleted list"],
)
def test_list_items_keep_their_shape(body, markdown, html):
    rendered_markdown = Cleaner(keep=["headline_list", "read_more", "promo", "share"]).clean(_page(body), kind="html").to_markdown()
    assert markdown in rendered_markdown
    assert html in _rendered(rendered_markdown)


def test_tables_without_header_cells_get_an_empty_header(cleaner):
    body = ("<table><tr><th>Name</th><th>Score</th></tr><tr><td>Ann</td><td>9</td></tr></table>"
            "<table><tr><td>Bob</td><td>7</td></tr><tr><td>Cai</td><td>8</td></tr></table>")
    markdown = cleaner.clean(_page(body), kind="html").to_markdown()
    assert "| Name | Score |\n| --- | --- |\n| Ann | 9 |\n\n|  |  |\n| --- | --- |\n| Bob | 7 |\n| Cai | 8 |\n" in markdown
    assert "<td>Bob</td>" in _rendered(markdown)


def test_a_table_of_row_headers_is_all_body_and_a_matrix_keeps_its_header(cleaner):
    # A row opening with <th scope="row"> made the table's first row its header.
    body = ('<table><tr><th scope="row">Motor</th><td>250 W</td></tr><tr><th scope="row">Battery</th><td>625 Wh</td></tr></table>'
            "<table><tr><td></td><th>Mon</th><th>Tue</th></tr><tr><th>High</th><td>14</td><td>12</td></tr></table>")
    markdown = cleaner.clean(_page(body), kind="html").to_markdown()
    assert "|  |  |\n| --- | --- |\n| Motor | 250 W |\n| Battery | 625 Wh |\n" in markdown
    assert "| Mon | Tue |  |\n| --- | --- | --- |\n| High | 14 | 12 |\n" in markdown  # (its empty corner cell is not kept)


@pytest.mark.parametrize(
    "text, shown",
    [("In HTML source you must write &amp;amp; to get an ampersand, the guide explains at length.", "&amp;amp;"),
     ("On Windows type C:\\Users\\\\* or \\# to match the files, the help page explains at length.", "C:\\Users\\\\* or \\#"),
     ("[a\\]]: /u is how the manual writes a reference with a bracket in it, at some length.", "[a\\]]: /u is"),
     # A page that shows markup as text: rendered raw, the text was gone (or a live script).
     ("Put <script src=app.js defer></script> in the head of the page, the guide explains at length.", "<script src=app.js defer></script>"),
     ("A <!-- note --> and a <?php echo 1; ?> tag are shown as text here, as the tutorial explains.", "<!-- note -->"),
     ("Write to <editor@example.org> or see <https://example.org/form> for the form, the page says.", "<editor@example.org>"),
     # Backticks in text made code spans, inside which the escapes showed as backslashes.
     ("To match a literal star, write `\\*` in the pattern, and `&amp;` for an ampersand, the note says.", "`\\*`")],
    ids=["entity", "backslashes", "bracket in a label", "tags", "comment", "autolinks", "backticks"],
)
def test_entities_and_backslashes_show_as_written(cleaner, text, shown):
    page = _page(f"<p>{html_module.escape(text, quote=False)}</p>")
    rendered = _rendered(cleaner.clean(page, kind="html").to_markdown())
    assert f"<p>{html_module.escape(text, quote=False)}</p>" in rendered and html_module.escape(shown, quote=False) in rendered


_PLAIN_PARTS = st.one_of(
    st.sampled_from(["<h1>", "</h1>", "<h3>", "</h3>", "<p>", "</p>", "<ul><li>", "</li><li>", "</li></ul>", "<ol><li>",
                     "</li></ol>", "<blockquote>", "</blockquote>", "<table><tr><th>", "</th><th>", "</th></tr><tr><td>",
                     "</td><td>", "</td></tr></table>", "<pre><code>", "</code></pre>", "<br>",
                     "# not a heading", "1. FC", "2) two", "- dash", "+ plus", "> mark", "| bar", "```", "~~~", "---", "***",
                     "___", "===", "[1]: /u", "#", "The council met on Tuesday to vote on the plan for the harbour, which passed. "]),
    st.text(alphabet=st.characters(blacklist_characters="*_`[]<>&\\!|", blacklist_categories=("Cs", "Cc")), max_size=30),
)
_PLAIN_PAGES = st.lists(_PLAIN_PARTS, max_size=30).map(lambda parts: "<html><body><article>" + "".join(parts) + "</article></body></html>")


def _words(html_text: str) -> str:
    """The rendered HTML's text, whitespace collapsed."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = Text()
    parser.feed(html_text)
    return " ".join(" ".join(parser.parts).split())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PLAIN_PAGES)
def test_rendered_markdown_gives_every_kept_line_back(cleaner, page):
    """Rendered by a CommonMark parser, the Markdown shows each kept line's
    text as written, in order: no line start is read as syntax, nothing is
    swallowed (lines without inline *, _, `, [, <, & or \\, which are left as
    written on purpose)."""
    result = Cleaner(keep=["title", "headline_list", "read_more", "promo", "ad", "share", "meta", "comments", "legal"]).clean(page, kind="html")
    shown = _words(_rendered(result.to_markdown()))
    at = 0
    for block in result.blocks:
        if block.removed or block.tag == "row" or any(char in block.text for char in "*_`[]<>&\\!"):
            continue
        text = " ".join(block.text.split())
        found = shown.find(text, at)
        assert found >= 0, (text, result.to_markdown(), shown)
        at = found


# Printable (an item of unassigned code points shows nothing and makes no
# line), without the inline syntax left as written on purpose.
_ITEM_TEXT = st.text(alphabet=st.characters(whitelist_categories=("L", "N", "P", "S"), blacklist_characters="*_`[]<>&\\"),
                     min_size=1, max_size=12)
_LISTS = st.recursive(
    st.tuples(st.sampled_from(["ul", "ol"]), st.lists(st.tuples(_ITEM_TEXT, st.just(None)), min_size=1, max_size=3)),
    lambda inner: st.tuples(st.sampled_from(["ul", "ol"]), st.lists(st.tuples(_ITEM_TEXT, st.none() | inner), min_size=1, max_size=3)),
    max_leaves=12,
)


def _list_html(tree) -> str:
    kind, items = tree
    inner = "".join(f"<li>{html_module.escape(text)}{_list_html(sub) if sub else ''}</li>" for text, sub in items)
    return f"<{kind}>{inner}</{kind}>"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LISTS, min_size=1, max_size=2), st.randoms(use_true_random=False))
def test_nested_lists_render_at_their_depth(lists, random):
    """Rendered by a CommonMark parser, every kept item is a list item of
    its kind at its depth, with its text; also when a random part of the
    lines is removed (a removed parent lifts its children, never deeper)."""
    from lxml import html as lxml_html

    page = _page("".join(map(_list_html, lists)))
    result = Cleaner(keep=["title", "headline_list", "read_more", "promo", "ad", "share", "meta", "comments", "legal"]).clean(page, kind="html")
    items = [block for block in result.blocks if block.tag == "li" and not block.removed]
    for kept in (items, [block for block in items if random.random() < 0.6]):
        rendered = lxml_html.fromstring(f"<div>{_rendered(blocks_markdown(kept))}</div>")
        assert not rendered.findall(".//pre") and not rendered.findall(".//hr")
        shown = [(" ".join(li.xpath("string(.)").split()), li.getparent().tag) for li in rendered.iter("li")]
        assert len(shown) == len(kept)
        for (text, kind), block in zip(shown, kept):
            assert kind == block.markup[:2] and text.startswith(" ".join(block.text.split()))
        if kept is items:  # nothing removed: each item at its own depth
            depths = [sum(a.tag in ("ul", "ol") for a in li.iterancestors()) - 1 for li in rendered.iter("li")]
            assert depths == [int(block.markup.partition(":")[2] or 0) for block in kept]
