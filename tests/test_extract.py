"""How an HTML page becomes the base text: code keeps its lines, a word of
code stays in its sentence, loose text next to a link is read whole, and
lines are NFC."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.visible import visible_code

runner = CliRunner()

INTRO = ("Python makes iteration simple. Here is a loop that prints numbers, which many beginners write first "
         "when they learn the language and want to see something happen.")
OUTRO = ("The loop above stops after three numbers because the range ends, and the break is only there to show "
         "the syntax of the statement to readers who have not met it.")
CODE = "for i in range(3):\n    print(i)\n\n    if i == 2:\n        break"


def _page(body: str) -> str:
    return (f"<html><head><title>Loops</title></head><body><article><h1>How to Loop in Python</h1><p>{INTRO}</p>"
            f"{body}<p>{OUTRO}</p></article></body></html>")


def test_a_code_block_keeps_its_lines_and_indentation(cleaner):
    # Trailing spaces and the blank lines around the code go, as they do around any line.
    result = cleaner.clean(_page(f"<pre><code>\n{CODE.replace('(i)', '(i)   ')}\n\n</code></pre>"), kind="html")
    assert f"{INTRO}\n{CODE}\n{OUTRO}" in result.base
    assert f"{INTRO}\n{CODE}\n{OUTRO}" in result.text
    (code,) = [block for block in result.blocks if block.tag == "code"]
    assert code.text == CODE and not code.removed
    assert result.restore() == result.base


def test_code_is_fenced_in_markdown_with_its_first_line_indented(cleaner):
    indented = "    x = compute()\n    print(x)"
    markdown = cleaner.clean(_page(f"<pre><code>{indented}</code></pre>"), kind="html").to_markdown()
    assert f"\n\n```\n{indented}\n```\n\n" in markdown


def test_the_cli_prints_code_as_the_page_has_it(tmp_path):
    path = tmp_path / "loop.html"
    path.write_text(_page(f"<pre><code>{CODE}</code></pre>"), encoding="utf-8")
    result = runner.invoke(app, ["clean", str(path)])
    assert result.exit_code == 0
    assert f"{CODE}\n" in result.stdout


@pytest.mark.parametrize("paragraph, line", [
    ("Use the <code>print</code> function to show a value, and the <code>len</code> function for the size of a list.",
     "Use the print function to show a value, and the len function for the size of a list."),
    ("<code>len(items)</code> counts the items of a list, whatever their type, in constant time on every platform.",
     "len(items) counts the items of a list, whatever their type, in constant time on every platform."),
])
def test_a_word_of_code_stays_in_its_sentence(cleaner, paragraph, line):
    result = cleaner.clean(_page(f"<p>{paragraph}</p>"), kind="html")
    assert f"\n{line}\n" in result.base
    assert [block.tag for block in result.blocks if block.text == line] == ["p"]


@pytest.mark.parametrize("raw, shown", [
    ("\n\n  x = 1  \n\ty = 2\n\n", "  x = 1\n\ty = 2"),  # indentation and tabs kept, trailing spaces dropped
    ("a\r\nb\rc", "a\nb\nc"),  # every line break is a newline
    ("\u00a0\u00a0if x:\n\u00a0\u00a0\u00a0\u00a0pass", "  if x:\n    pass"),  # &nbsp; indentation is spaces
    ("x\u00ad = 1\x07", "x = 1"),  # soft hyphens and control characters go, as in other lines
    ("\n \n", ""),
    ("print('Bru\u0308cke')", "print('Brücke')"),  # NFC, as every extracted line
])
def test_visible_code(raw, shown):
    assert visible_code(raw) == shown


LOOSE = ("Councillors argued for an hour about the cost of the repairs before the vote, and the public gallery was full "
         "for the first time in years.")


def _loose_page(paragraph: str) -> str:
    """An article written as loose text in a <section>, paragraphs split by <br><br>, as older CMS pages are."""
    return (f"<html><body><article><section class='body'><h2>The vote</h2><br><br>{LOOSE} {LOOSE}<br><br>{paragraph}"
            f"<br><br>{LOOSE}<br><br><h2>What next</h2><br>{LOOSE}</section></article></body></html>")


def test_loose_text_after_a_link_is_kept_whole(cleaner):
    # trafilatura alone, with links kept, ended this paragraph at "(".
    paragraph = "The full report (<a href='/report.pdf'>PDF</a>) lists every repair the engineers found on the pier."
    result = cleaner.clean(_loose_page(paragraph), kind="html")
    lines = result.base.split("\n")
    assert "The full report (PDF) lists every repair the engineers found on the pier." in lines
    assert lines.count(LOOSE) == 2 and f"{LOOSE} {LOOSE}" in lines  # a line per <br> run, as before


def test_a_word_after_a_link_keeps_its_space(cleaner):
    paragraph = "The pier at <a href='/harbour'>Harbour Town</a> reopens in May, after eighteen months of repairs to its deck."
    result = cleaner.clean(_loose_page(paragraph), kind="html")
    assert "The pier at Harbour Town reopens in May, after eighteen months of repairs to its deck." in result.base.split("\n")


def test_loose_text_without_links_is_left_to_trafilatura():
    from lxml import etree
    from trafilatura import load_html

    from cleaner.br_runs import wrap_br_runs

    plain = load_html(_loose_page("The pier reopens in May, after eighteen months of repairs to its deck."))
    before = etree.tostring(plain)
    wrap_br_runs(plain)
    assert etree.tostring(plain) == before

    linked = load_html(_loose_page("The pier at <a href='/h'>Harbour Town</a> reopens in May."))
    wrap_br_runs(linked)
    section = linked.find(".//section")
    assert [child.tag for child in section if child.tag != "br"] == ["h2", "p", "p", "p", "h2", "p"]
    assert section.text is None and all(not (child.tail or "").strip() for child in section)


def test_html_text_is_nfc_and_plain_text_is_kept_as_given(cleaner):
    decomposed = "Die Pru\u0308fung der Bru\u0308cke dauert la\u0308nger als geplant, sagte die Stadt am Montag."
    composed = "Die Prüfung der Brücke dauert länger als geplant, sagte die Stadt am Montag."
    assert decomposed != composed
    page = cleaner.clean(f"<html><body><article><p>{LOOSE}</p><p>{decomposed}</p><p>{LOOSE}</p></article></body></html>", kind="html")
    assert composed in page.base.split("\n") and decomposed not in page.base
    text = cleaner.clean(f"{LOOSE}\n{decomposed}\n", kind="text")
    assert text.text == f"{LOOSE}\n{decomposed}\n"  # the input itself: offsets index it


_MARKUP = st.lists(st.sampled_from([
    "<div>", "</div>", "<br>", "<a href='/x'>", "</a>", "<b>", "</b>", "<p>", "</p>", "<section>", "</section>", "<!-- c -->",
    "<span>", "</span>", "<img src=x>", "<h2>", "</h2>", "<ul><li>", "</li></ul>", "<center>", "</center>", "&amp;",
    "<table><tr><td>", "</td></tr></table>", " loose words ", "The pier reopens in May. ", "\n",
]), max_size=60)


@settings(max_examples=150, deadline=None)
@given(_MARKUP)
def test_wrapping_loose_text_keeps_every_character_in_order(parts):
    from lxml import etree
    from trafilatura import load_html

    from cleaner.br_runs import wrap_br_runs

    tree = load_html(f"<html><body>{''.join(parts)}</body></html>")
    if tree is None:
        return
    before = "".join(tree.itertext())
    wrap_br_runs(tree)
    assert "".join(tree.itertext()) == before
    etree.tostring(tree)  # still a tree lxml can write


def test_a_pre_keeps_its_lines_and_a_blockquote_is_one_line(cleaner):
    conf = "# .muxrc\nset-option -g mouse on\n\n  bind-key y copy-selection"
    page = _page(f"<pre>{conf}</pre><blockquote>The harbour master said the new\n   pier would open\n in May.</blockquote>")
    result = cleaner.clean(page, kind="html")
    (block,) = [b for b in result.blocks if b.tag == "code"]
    assert block.text == conf and not block.removed
    assert "The harbour master said the new pier would open in May." in result.base.split("\n")
    assert f"```\n{conf}\n```" in result.to_markdown()


def test_a_pre_holding_code_is_left_as_it_is():
    from lxml import etree
    from trafilatura import load_html

    from cleaner.preformatted import mark_preformatted_as_code

    tree = load_html(_page("<pre><code>x = 1</code></pre><pre>  </pre>"))
    before = etree.tostring(tree)
    mark_preformatted_as_code(tree)
    assert etree.tostring(tree) == before


@pytest.mark.parametrize("body", [
    "Loose text &#xfffe; next to <a href='/x'>a link</a>, on its own line.<br><br>More loose text.",
    "<pre>x = 1 &#xfffe;\ny = 2</pre>",
])
def test_a_character_xml_forbids_does_not_stop_the_rewriting(cleaner, body):
    # The parser lets "&#xfffe;" in; setting it as an element's text raised
    # ValueError, and the page failed as "could not be extracted".
    result = cleaner.clean(_page(body), kind="html")
    assert INTRO in result.text and OUTRO in result.text
    assert "\ufffe" not in result.base


def _refuse_fallback(monkeypatch) -> None:
    """Make trafilatura's fallback extractors (readability, jusText) fail,
    so a run that calls them is told apart from one that does not."""
    def fallback(*args, **kwargs):
        raise RuntimeError("fallback extractors called")

    monkeypatch.setattr("trafilatura.core.compare_extraction", fallback)


def test_fast_extraction_skips_trafilaturas_fallback_extractors(monkeypatch):
    # --fast exists to skip readability and jusText, most of the time trafilatura
    # spends beyond its own extractor; the default runs them.
    from cleaner import Cleaner, ExtractOptions, InputError

    page = _page("<p>The range function gives the numbers one at a time, so the loop needs no list of its own.</p>")
    expected = Cleaner().clean(page, kind="html")
    _refuse_fallback(monkeypatch)
    with pytest.raises(InputError, match="fallback extractors called"):
        Cleaner().clean(page, kind="html")
    fast = Cleaner(extract_options=ExtractOptions(fast=True)).clean(page, kind="html")
    assert fast.text == expected.text and fast.removed == expected.removed  # this page's own extractor suffices


def test_cli_fast_option(monkeypatch):
    page = _page("<p>The range function gives the numbers one at a time, so the loop needs no list of its own.</p>")
    _refuse_fallback(monkeypatch)
    refused = runner.invoke(app, ["clean", "-", "--kind", "html"], input=page)
    assert refused.exit_code == 2 and "fallback extractors called" in refused.stderr
    fast = runner.invoke(app, ["clean", "-", "--kind", "html", "--fast"], input=page)
    assert fast.exit_code == 0
    assert INTRO in fast.stdout and OUTRO in fast.stdout


@pytest.mark.parametrize("preamble", ["\n" * 60, "\r\n \t" * 30], ids=["blank-lines", "mixed-whitespace"])
def test_a_page_after_blank_lines_is_read(cleaner, preamble):
    # trafilatura refuses a page without "html" in its first 50 characters
    # and without a <head>; a template's output, blank lines first, came out empty.
    page = (f'{preamble}<!DOCTYPE html><html><body><article>'
            f"<h1>How to Loop in Python</h1><p>{INTRO}</p><p>{OUTRO}</p></article></body></html>")
    result = cleaner.clean(page)
    assert result.kind == "html"
    assert INTRO in result.text and OUTRO in result.text


def test_code_of_several_lines_in_a_list_item_keeps_its_lines(cleaner):
    # Read as a word of the item's sentence, "make build\nmake install" came out as one line: another command.
    page = _page("<ol><li><p>Build it and install it:</p><pre><code>make build\nmake install\n</code></pre></li>"
                 "<li>Then run <code>make test</code> to check the result.</li></ol>")
    result = cleaner.clean(page, kind="html")
    assert "Build it and install it:\nmake build\nmake install\n" in result.base
    assert "Then run make test to check the result." in result.base  # a word of code stays in its sentence
    assert "```\nmake build\nmake install\n```" in result.to_markdown()


def test_code_wrapped_across_lines_inside_an_item_s_sentence_stays_in_it(cleaner):
    page = _page("<ul><li>Pass <code>--max-bytes\n50000000</code> to raise the size limit for large pages.</li>"
                 "<li>Pass <code>--timeout 300</code> to give slow pages more time.</li></ul>")
    result = cleaner.clean(page, kind="html")
    assert "Pass --max-bytes 50000000 to raise the size limit for large pages.\n" in result.base
