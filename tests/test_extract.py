"""How an HTML page becomes the base text: code keeps its lines, a word of
code stays in its sentence."""

from __future__ import annotations

import pytest
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
])
def test_visible_code(raw, shown):
    assert visible_code(raw) == shown
