"""The page headline atop an extracted HTML body.

trafilatura often leaves the article's `<h1>` as the body's first line. The
headline is the page's title, not its body text: article-extraction benchmarks
(AEB among them) score bodies without it, and a pipeline that stores titles as
metadata would get it twice. So it is removed by rule and reported under its
own label, `title`, which `keep=["title"]` (`--keep title`) keeps. Plain-text
input is left alone: there the first line may be a title the user wants.
"""

from __future__ import annotations

from .blocks import Block

HEADLINE_RULE = "the page headline (an <h1> opening the body); keep it with keep=['title']"


def leading_headline(blocks: list[Block], is_html: bool) -> int | None:
    """Index of the headline among the non-blank `blocks`, or None.

    Only an `<h1>` that opens the body and is followed by more text counts: a
    body that is nothing but a headline keeps it."""
    if is_html and len(blocks) > 1 and blocks[0].tag == "h1":
        return 0
    return None
