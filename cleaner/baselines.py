"""Reference systems that `cleaner eval` scores next to the cleaner.

The project's claim is that it keeps the article and drops the junk better
than the tools people reach for today, so each of them is measured in the
same run, on the same documents, with the same metrics:

* ``trafilatura``: `trafilatura.extract` with its default settings for HTML;
  plain text passed through unchanged (trafilatura has no text mode).
* ``c4``: the line rule of the C4 corpus (written here from its published
  description), after trafilatura for HTML: a line stays only if it ends in
  terminal punctuation, has at least three words, and mentions neither
  JavaScript nor a cookie or privacy policy. Its page-level filters (too few
  sentences, "lorem ipsum", curly brackets) drop whole documents and are left
  out: the metrics here score lines.
* ``justext``: jusText with its default settings (optional: ``pip install
  -e '.[compare]'``). It classifies a page's own paragraphs, so for HTML it
  replaces the extractor rather than following it; for plain text each line
  is given to it as one paragraph. Its stop-word test needs the page's
  language: the stop-word list that covers most of the words of the
  paragraphs it makes is used, as a caller who knew the language would
  choose it.

Each system returns an `evaluation.Output`: for text, the removed spans index
the input (whole lines with their line breaks), so the line metric applies.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable, Sequence
from functools import lru_cache

import trafilatura

from .evaluation import BASELINE, Output, System
from .scoring import Span, line_spans
from .spans import cut_ranges

# --- the C4 line rule ----------------------------------------------------------

# Full stop, exclamation and question marks, and the closing quotes C4 also
# accepted (“ closes a German quote); the CJK marks, so that Chinese and
# Japanese lines are not all dropped.
_TERMINAL = (".", "!", "?", '"', "”", "“", "’", "»", "。", "！", "？")
_C4_MIN_WORDS = 3
_C4_POLICY = ("javascript", "cookie policy", "privacy policy", "terms of use", "uses cookies", "use of cookies", "use cookies")


def c4_keeps(line: str) -> bool:
    """Whether the C4 line rule keeps this line (blank lines are not judged)."""
    stripped = line.strip()
    if not stripped.endswith(_TERMINAL) or len(stripped.split()) < _C4_MIN_WORDS:
        return False
    lowered = stripped.lower()
    return not any(phrase in lowered for phrase in _C4_POLICY)


def _text_lines(text: str) -> list[Span]:
    """The non-blank lines of a text, each span taking its line break."""
    spans = line_spans(text)
    ends = [start for start, _ in spans[1:]] + [len(text)]
    return [(start, next_start) for (start, end), next_start in zip(spans, ends) if text[start:end].strip()]


def c4_removed(text: str) -> tuple[Span, ...]:
    """The spans of the non-blank lines the C4 rule drops, each with its line break."""
    return tuple((start, end) for start, end in _text_lines(text) if not c4_keeps(text[start:end]))


def _c4_run(document: str, kind: str) -> Output:
    base = document if kind == "text" else (trafilatura.extract(document) or "")
    removed = c4_removed(base)
    return Output(cut_ranges(base, removed), base, removed)


C4 = System("c4 rule", _c4_run)


# --- jusText -------------------------------------------------------------------

_WORD = re.compile(r"\w+")
# jusText's xpath of a paragraph made from line k: /html[1]/body[1]/p[k+1].
_LINE_PARAGRAPH = re.compile(r"/p\[(\d+)\]$")


@lru_cache(maxsize=1)
def _stop_words() -> dict[str, frozenset[str]]:
    import justext

    return {language: frozenset(justext.get_stoplist(language)) for language in sorted(justext.get_stoplists())}


def best_stoplist(text: str) -> frozenset[str]:
    """The jusText stop-word list that covers most of the text's words (ties:
    the first language in alphabetical order)."""
    words = [w.lower() for w in _WORD.findall(text[:20_000])]
    lists = _stop_words()
    best = max(lists, key=lambda language: sum(word in lists[language] for word in words))
    return lists[best]


def _justext_html(document: str) -> Output:
    """jusText's own steps (`justext.justext`), with the stop-word list chosen
    from the paragraphs it made, so the page is parsed once."""
    from justext import core

    if not document.strip():
        return Output("", "")  # lxml refuses an empty document
    paragraphs = core.ParagraphMaker.make_paragraphs(core.preprocessor(core.html_to_dom(document)))
    stoplist = best_stoplist(" ".join(p.text for p in paragraphs))
    core.classify_paragraphs(paragraphs, stoplist, core.LENGTH_LOW_DEFAULT, core.LENGTH_HIGH_DEFAULT,
                             core.STOPWORDS_LOW_DEFAULT, core.STOPWORDS_HIGH_DEFAULT, core.MAX_LINK_DENSITY_DEFAULT,
                             core.NO_HEADINGS_DEFAULT)
    core.revise_paragraph_classification(paragraphs, core.MAX_HEADING_DISTANCE_DEFAULT)
    text = "\n".join(p.text for p in paragraphs if not p.is_boilerplate)
    return Output(text, text)


def _justext_text(document: str) -> Output:
    """Each non-blank line as one paragraph of a page; a line jusText calls
    boilerplate is removed whole, with its line break."""
    import justext

    lines = _text_lines(document)
    if not lines:
        return Output(document, document)
    page = "<html><body>" + "".join(f"<p>{html.escape(document[s:e].strip())}</p>" for s, e in lines) + "</body></html>"
    good = set()
    for paragraph in justext.justext(page, best_stoplist(document)):
        found = _LINE_PARAGRAPH.search(paragraph.xpath)
        if found and not paragraph.is_boilerplate:
            good.add(int(found.group(1)) - 1)
    removed = tuple(span for k, span in enumerate(lines) if k not in good)
    return Output(cut_ranges(document, removed), document, removed)


def _justext_run(document: str, kind: str) -> Output:
    return _justext_text(document) if kind == "text" else _justext_html(document)


JUSTEXT = System("justext", _justext_run)


# --- choosing ------------------------------------------------------------------

BASELINES: dict[str, System] = {"trafilatura": BASELINE, "c4": C4, "justext": JUSTEXT}
DEFAULT_BASELINES = ("trafilatura", "c4", "justext")
_NEEDS: dict[str, Callable[[], object]] = {"justext": lambda: __import__("justext")}


def missing_reason(name: str) -> str | None:
    """Why a baseline cannot run here (its package is not installed), or None."""
    try:
        _NEEDS.get(name, lambda: None)()
    except ImportError:
        return f"{name} is not installed (pip install {name}, or the project's compare extra: pip install -e '.[compare]')"
    return None


def pick_baselines(names: Sequence[str]) -> list[System]:
    """The named baselines in order; ValueError for an unknown name; one not
    installed is left out with a message on stderr (so the default list works
    anywhere)."""
    unknown = [name for name in names if name not in BASELINES]
    if unknown:
        raise ValueError(f"unknown baseline {unknown[0]!r}: choose from {', '.join(BASELINES)}")
    chosen = []
    for name in names:
        reason = missing_reason(name)
        if reason:
            print(f"skipping baseline {reason}", file=sys.stderr)
        else:
            chosen.append(BASELINES[name])
    return chosen
