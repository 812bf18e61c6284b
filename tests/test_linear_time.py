"""Cost grows linearly with input: every regular expression in the package
against inputs built to make it backtrack, and whole documents of growing size.

Timings are compared as ratios between an input and one 4 or 8 times larger
(best of several alternating runs), never as absolute times, so a slow or
busy machine does not matter. Linear growth gives a ratio near the factor,
quadratic its square: the bounds sit in between with room for noise.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from typing import Callable

import pytest

import cleaner
from cleaner.errors import InputError
from cleaner.timelimit import TimeLimitExceeded, time_limit


def _best_of(call: Callable[[object], object], small_input, big_input, repeats: int) -> tuple[float, float]:
    small = big = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        call(small_input)
        small = min(small, time.perf_counter() - start)
        start = time.perf_counter()
        call(big_input)
        big = min(big, time.perf_counter() - start)
    return small, big


def assert_linear(call: Callable[[object], object], make: Callable[[int], object], n: int, factor: int, repeats: int = 3) -> None:
    """Fail when call(make(factor * n)) takes more than ~2.5x factor times
    call(make(n)); measure twice more before failing, to ride out noise.
    A catastrophic case fails on the 10-second limit instead of hanging."""
    small_input, big_input = make(n), make(factor * n)
    bound = 2.5 * factor
    ratios = []
    try:
        with time_limit(10.0):
            for attempt in range(3):
                small, big = _best_of(call, small_input, big_input, repeats * (attempt + 1))
                ratios.append(big / max(small, 1e-6))
                if ratios[-1] < bound:
                    return
    except TimeLimitExceeded:
        pytest.fail(f"over 10 s at n={n} or {factor * n}: catastrophic backtracking or worse")
    pytest.fail(f"time grew {min(ratios):.1f}x for {factor}x the input (bound {bound:.0f}x): not linear; ratios {ratios}")


def _finditer(pattern: re.Pattern) -> Callable[[object], object]:
    return lambda s: sum(1 for _ in pattern.finditer(s))


def _match(pattern: re.Pattern) -> Callable[[object], object]:
    return pattern.match


# For each module-level pattern: how the code applies it (match for anchored
# uses, finditer for searches, which tries every position) and inputs made of
# long runs of what it repeats, ending where a match fails.
ADVERSARIAL: dict[str, tuple[Callable, list[Callable[[int], object]]]] = {
    "cleaner.batch_output._UNSAFE": (_finditer, [lambda n: "/?" * (3 * n), lambda n: "a/" * (3 * n)]),
    "cleaner.batch_output._SCHEME": (_finditer, [lambda n: "a" * (5 * n) + ":/", lambda n: "a+" * (3 * n)]),
    "cleaner.batch_output._PAGE_SUFFIX": (_finditer, [lambda n: ".htm" * (2 * n) + "x", lambda n: "." * (5 * n)]),
    "cleaner.warc._CHARSET": (_finditer, [lambda n: "charset" + " " * (5 * n) + "x", lambda n: "charset=" * n, lambda n: "charset= '" + " " * (5 * n)]),
    "cleaner.baselines._LINE_PARAGRAPH": (_finditer, [lambda n: "/p[" + "1" * (5 * n) + "x", lambda n: "/p[1]" * n + "x"]),
    "cleaner.markdown_output._SYNTAX_START": (_match, [lambda n: "-" * (5 * n) + " " * (5 * n) + "x", lambda n: "=-" * n + "x",
                                                       lambda n: "[" + "\\]" * (3 * n), lambda n: "* " * (3 * n) + "x"]),
    "cleaner.markdown_output._SEPARATOR": (_finditer, [lambda n: " |" * (3 * n) + "x", lambda n: "| " * (3 * n)]),
    "cleaner.markdown_output._CLOSING_HASHES": (_finditer, [lambda n: " #" * (3 * n) + "x", lambda n: "#" * (5 * n) + " " * (5 * n) + "x"]),
    "cleaner.markdown_output._ITEM_MARKUP": (_match, [lambda n: "ol" + "1" * (5 * n), lambda n: "ul1:" + "1" * (5 * n)]),
    "cleaner.markdown_output._INLINE": (_finditer, [lambda n: "\\" * (5 * n) + "x", lambda n: "&" + "a" * (5 * n), lambda n: "&#" * (3 * n)]),
    "cleaner.markdown_output._ORDERED": (_match, [lambda n: "1" * (5 * n) + ".", lambda n: "9" * n]),
    "cleaner.saved_pages._FIELD": (_match, [lambda n: b"a" * (5 * n), lambda n: b"!" * (5 * n) + b"\n"]),
    "cleaner.saved_pages._BLANK_LINE": (_finditer, [lambda n: b"\r" * (5 * n) + b"x", lambda n: b"\n\r" * (3 * n) + b"x", lambda n: b"\r\n\r" * n]),
    "cleaner.annotated._MARKER_SHAPED": (_match, [lambda n: " " * (5 * n) + "@@" + "\t" * (5 * n) + "a" * (5 * n) + "!" * (5 * n),
                                                  lambda n: "@@ a" + "-_" * (3 * n) + " " * (5 * n) + "x", lambda n: "@@" * (3 * n)]),
    "cleaner.annotated._LINE": (_finditer, [lambda n: "a" * (5 * n), lambda n: "\r" * (5 * n), lambda n: "a\r\n" * (3 * n) + "a"]),
    "cleaner.context._STEM": (_finditer, [lambda n: "abcd " * n, lambda n: "a" * (5 * n) + "!"]),
    "cleaner.decode._DECLARED": (_finditer, [
        lambda n: b"<meta charset=" + b" " * (5 * n) + b"!", lambda n: b"<meta " * n,
        lambda n: b"<?xml encoding=" + b" " * (5 * n) + b"!", lambda n: b"<meta" + b" charset" * n,
    ]),
    "cleaner.decode._HTML_START": (_match, [
        lambda n: "<!---->" * n + "x", lambda n: " " * (5 * n) + "x", lambda n: "<!--" + "-" * (5 * n), lambda n: "<!-- -->  " * n + "x",
    ]),
    "cleaner.decode._TABLE_MARKUP_LINE": (_match, [lambda n: "<td>" * n + "<", lambda n: " " * (5 * n) + "x", lambda n: "<tr" + " " * (5 * n),
                                                  lambda n: "<td>" + "a" * (5 * n) + "<", lambda n: "</td" * n]),
    "cleaner.extract._PREAMBLE": (_match, [
        lambda n: " " * (5 * n) + "x", lambda n: "<!--" + "-" * (5 * n), lambda n: "<!-- -->" * n + "<?", lambda n: "<?" * (3 * n),
        lambda n: "<!--" + "->" * (3 * n),
    ]),
    "cleaner.decode._MARKDOWN_LINE": (_match, [
        lambda n: " " * (5 * n), lambda n: "#" * (5 * n), lambda n: "-" * (5 * n), lambda n: "]" * (5 * n), lambda n: "](" * (3 * n),
        lambda n: "a](b" * n,
    ]),
    "cleaner.decode._NON_ASCII_BYTE": (_finditer, [lambda n: b"a" * (5 * n)]),
    "cleaner.decode._WELL_FORMED_NON_ASCII": (_finditer, [lambda n: "a\ufffd" * (3 * n)]),
    "cleaner.charset_choice._NON_ASCII": (_finditer, [lambda n: "a" * (5 * n), lambda n: "a\u00e9" * (3 * n)]),
    "cleaner.markdown._LINK": (_finditer, [
        lambda n: "[" * (5 * n), lambda n: "[a](" + "(b)" * n, lambda n: "[a](" + "x" * (5 * n), lambda n: '[a](b "' + "t" * (5 * n),
        lambda n: "[a]" * (2 * n), lambda n: "![" * (3 * n),
    ]),
    "cleaner.markdown._HTML_LINK": (_finditer, [
        lambda n: "<a " * (2 * n), lambda n: "<a x>" + "y" * (5 * n), lambda n: "<a x>y</a" + " " * (5 * n), lambda n: "<a x>" * n,
    ]),
    "cleaner.markdown._HTML_IMAGE": (_finditer, [
        lambda n: "<img " * n, lambda n: "<img alt=" * n, lambda n: '<img alt="' + "x" * (5 * n), lambda n: "<img " + "x" * (5 * n),
    ]),
    "cleaner.markdown._HTML_TAG": (_finditer, [lambda n: "<a" * (3 * n), lambda n: "<a" + "b" * (5 * n), lambda n: "</" * (3 * n)]),
    "cleaner.markdown._HTML_BREAK": (_finditer, [lambda n: "<br" * (2 * n), lambda n: "<br" + " " * (5 * n)]),
    "cleaner.markdown._REFERENCE": (_finditer, [lambda n: "[a]" * (2 * n), lambda n: "[a][" * n, lambda n: "[" * (5 * n), lambda n: "![a][" + "b" * (5 * n)]),
    "cleaner.markdown._DEFINITION": (_match, [lambda n: " [" + "a" * (5 * n), lambda n: "[a]" * (2 * n), lambda n: "[a]:" + " " * (5 * n)]),
    "cleaner.markdown._HEADING": (_match, [lambda n: " " * (5 * n), lambda n: "#" * (5 * n)]),
    "cleaner.markdown._FENCE": (_match, [lambda n: "`" * (5 * n), lambda n: "~" * (5 * n) + "x", lambda n: " " * (5 * n)]),
    "cleaner.markdown._BOLD": (_finditer, [lambda n: "**a" * (2 * n), lambda n: "**" + "a " * (2 * n), lambda n: "__a" * (2 * n)]),
    "cleaner.visible._REFERENCE": (_finditer, [lambda n: "&#" * (3 * n), lambda n: "&#x" + "f" * (5 * n), lambda n: "&#" + "9" * (5 * n), lambda n: "&#1" * (2 * n)]),
    "cleaner.visible._NOT_XML": (_finditer, [lambda n: "a\x00" * (3 * n), lambda n: "a" * (5 * n)]),
    "cleaner.fragment._PAGE": (_finditer, [lambda n: "<html" * n, lambda n: "<!doc" * n, lambda n: "<" * (5 * n)]),
    "cleaner.markdown._HEADER_FIELD": (_match, [lambda n: "Ab " * n, lambda n: "A" + "b" * (5 * n)]),
    "cleaner.markdown._FIELD": (_match, [lambda n: "a" * (5 * n), lambda n: "a" + " " * (5 * n)]),
    "cleaner.decode._HTML_TAG": (_finditer, [lambda n: "<div" + " " * (5 * n), lambda n: "<div " * n, lambda n: "</" * (3 * n)]),
    "cleaner.cues.BULLET": (_finditer, [
        lambda n: " " * (5 * n) + "x", lambda n: "-" * (5 * n) + "x", lambda n: "[" + " " * (5 * n) + "x", lambda n: " -" * n + "x",
    ]),
    "cleaner.cues.NUMBERED": (_finditer, [lambda n: " " * (5 * n) + "1x", lambda n: " 1" * n]),
    "cleaner.features._WORD": (_finditer, [lambda n: ("a" * 50 + "!") * (n // 10)]),
    "cleaner.features._CJK_RUN": (_finditer, [lambda n: "\u4e00" * (5 * n), lambda n: "\u4e00a" * (3 * n)]),
    "cleaner.features.LABEL": (_match, [
        lambda n: "a" * (5 * n) + "!", lambda n: "a " * n + "!", lambda n: "a-" * n + " :5", lambda n: "'" * (5 * n) + ":",
    ]),
    "cleaner.textpass.WORD": (_finditer, [lambda n: ("a" * 50 + "!") * (n // 10)]),
    "cleaner.training.markdown_render._INLINE_LINK": (_finditer, [
        lambda n: "[" * (5 * n), lambda n: "[a](" + "b" * (5 * n), lambda n: "[a]" * (2 * n), lambda n: "![a](" * n,
    ]),
    "cleaner.training.sources._TABLE_RULE": (_match, [
        lambda n: "|" + " --- |" * n + " ---", lambda n: "|" + "-" * (5 * n), lambda n: "|" + " " * (5 * n) + "x",
    ]),
    "cleaner.cues._URLISH": (_finditer, [lambda n: "www" * n, lambda n: "http:/" * n, lambda n: ".co" * n, lambda n: "@!" * n]),
    "cleaner.textpass.SYMBOLS": (_finditer, [lambda n: "a" * (5 * n)]),
    "cleaner.textpass.UPPER": (_finditer, [lambda n: "a" * (5 * n)]),
    "cleaner.textpass.DIGIT": (_finditer, [lambda n: "a" * (5 * n)]),
    "cleaner.nesting._TOKEN": (_finditer, [
        lambda n: "<a" + "b" * (5 * n), lambda n: "<!--" + "-" * (5 * n), lambda n: "<" * (5 * n), lambda n: "<a " * n,
    ]),
    "cleaner.evaluation._PLAIN_LABEL": (_match, [lambda n: "a." * n + "!"]),
    "cleaner.scoring._TOKEN": (_finditer, [lambda n: ("a" * 50 + "!") * (n // 10)]),
    "cleaner.scoring._SPACES": (_finditer, [lambda n: " \t" * n + "x"]),
    "cleaner.scoring._LINE_BREAK": (_finditer, [lambda n: "\r" * (5 * n), lambda n: "\r\n" * n]),
    "cleaner.training.dataset._SPACE": (_finditer, [lambda n: " \t" * n + "x"]),
    "cleaner.training.sources._ORDERED": (_finditer, [lambda n: "1" * (5 * n), lambda n: "1." + " " * (5 * n)]),
}


def _module_patterns() -> dict[str, re.Pattern]:
    found = {}
    for info in pkgutil.walk_packages(cleaner.__path__, "cleaner."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and getattr(module, name) is value:
                found[f"{info.name}.{name}"] = value
    return found


def test_every_regex_has_adversarial_inputs():
    """A new pattern must come with its adversarial inputs here (a pattern
    imported into other modules counts once, under any of its names)."""
    patterns = _module_patterns()
    assert set(ADVERSARIAL) <= set(patterns)
    covered = {id(patterns[name]) for name in ADVERSARIAL}
    assert not [name for name, pattern in patterns.items() if id(pattern) not in covered]


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_regex_is_linear_on_adversarial_input(name):
    pattern = _module_patterns()[name]
    wrap, makers = ADVERSARIAL[name]
    for make in makers:
        assert_linear(wrap(pattern), make, n=4000, factor=8)


_LINES = [
    "The harbour board met on Tuesday evening and voted to rebuild the old pier.",
    "Advertisement",
    "• Stars Shocked By What This Actor Did",
    "",
    "Engineers said the work would take eighteen months, and traders welcomed it.",
]


def _text_doc(n: int) -> str:
    return "\n".join(_LINES[i % len(_LINES)] + f" {i}" * (i % 3) for i in range(n)) + "\n"


def _html_doc(n: int) -> str:
    paragraphs = "".join(f"<p>{_LINES[i % 2 * 4]} Item {i}.</p><ul><li><a href='/{i}'>Read more {i}</a></li></ul>" for i in range(n))
    return f"<html><body><article><h1>Pier</h1>{paragraphs}</article></body></html>"


@pytest.mark.parametrize(
    "make, n",
    [
        (_text_doc, 600),
        (lambda n: ("word " * n).strip(), 40_000),
        (_html_doc, 150),
        (lambda n: "<html><body>" + "<div>" * n + "<p>deep</p>" + "</div>" * n + "</body></html>", 2000),
        (lambda n: "<html><body><div>" + "".join(f"Loose text {i} <a href='/{i}'>a link</a> more.<br>" for i in range(n)) + "</div></body></html>", 400),
        (lambda n: "<html><body>" + "<div>Loose text <a href='/x'>a link</a> more.<br>" * n + "</div>" * n + "</body></html>", 400),
        (lambda n: "".join(f"```lang{i}\nA line of prose about the harbour, number {i}.\n" for i in range(n)), 600),
        (lambda n: "<html><body><p>The harbour.</p>" + "<pre>line\n" * n + "</pre>" * n + "</body></html>", 200),
    ],
    ids=["text lines", "one long text line", "html paragraphs", "html nesting", "loose text runs", "nested loose text",
         "unclosed code fences", "nested pre"],
)
def test_document_time_is_linear_in_size(cleaner, make, n):
    assert_linear(lambda doc: cleaner.clean(doc), make, n=n, factor=4)



_MHTML_HEAD = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; type="text/html"; boundary="b0"\r\n\r\n')


@pytest.mark.parametrize(
    "make, n",
    [
        (lambda n: _MHTML_HEAD + b"".join(b"--b0\r\nContent-Type: image/png\r\n\r\nxx\r\n" for _ in range(n)) + b"--b0--\r\n", 2000),
        (lambda n: _MHTML_HEAD + b"--b0\r\nContent-Type: text/css\r\n\r\n" + b"--b0x" * n, 20_000),
        (lambda n: _MHTML_HEAD + b"--b0\r\nContent-Type: text/css\r\n\r\n" + b"--b0x\n" * n, 20_000),
        (lambda n: _MHTML_HEAD + b"--b0\r\n" + b"Content-Type: text/html; x=1\r\n" * n + b"\r\n<p>page</p>\r\n--b0--", 2000),
    ],
    ids=["many small parts", "boundary lookalikes on one line", "boundary lookalike lines", "long part header"],
)
def test_saved_page_reading_is_linear(make, n):
    from cleaner.saved_pages import unwrap_saved_page

    def read(data: bytes) -> object:
        try:
            return unwrap_saved_page(data)
        except InputError:
            return None

    assert_linear(read, make, n=n, factor=4)


def test_nested_widgets_are_read_about_once():
    """orphans.py reads a heading's box only when it is small. Widgets nested
    inside each other (a heading and a box, the next widget in the box) would
    otherwise make each of 100 headings read every link below it: about 95
    times the cost of reading the links once, where the bound is 10 (measured
    1.7). Compared as a ratio, like the rest of this file."""
    from lxml import html as lxml_html

    from cleaner.orphans import widgets_by_heading
    from cleaner.visible import visible

    depth = 100
    body = "".join(f"<div><h3>Title {i}</h3><div>" for i in range(depth))
    body += "".join(f'<a href="/{i}">link {i}</a> ' for i in range(5000)) + "</div></div>" * depth
    tree = lxml_html.fromstring(f"<html><body>{body}</body></html>")
    titles = {f"Title {i}" for i in range(depth)}

    def best(call: Callable[[], object]) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        return min(times)

    read_once = best(lambda: [visible(a.text_content()) for a in tree.iter("a")])
    with time_limit(10.0):
        widgets = best(lambda: widgets_by_heading(tree, titles))
    assert widgets < 10 * read_once, f"{widgets / read_once:.0f}x one read of the links"
