"""A <pre> is read as code, so that its lines stay lines.

trafilatura keeps a <pre> as code only when it looks like code to its
heuristics (a <code> inside, highlighter spans, or one of a few code words);
any other <pre> becomes a quotation, whose text the cleaner renders as one
line, as it must for a <blockquote> (whose line breaks in the source mean
nothing). On the evaluation pages every <pre> read as a quotation was in fact
code: a tmux configuration, R and Python listings, all run together into one
line. A <pre>'s line breaks are meant, code or not (a poem, a table drawn with
spaces), so before trafilatura sees the page the text of every <pre> without
a <code> inside is put in one.
"""

from __future__ import annotations

from .visible import xml_safe


def mark_preformatted_as_code(tree) -> None:
    """Wrap, in place, the content of each <pre> that holds no <code> in a <code>
    (only the outermost of nested ones: each page element is looked at once)."""
    inner: set = set()
    pres = []
    for pre in tree.iter("pre"):
        if pre in inner:
            continue
        inner.update(pre.iter("pre"))
        if pre.find(".//code") is None and "".join(pre.itertext()).strip():
            pres.append(pre)
    if not pres:
        return
    from lxml import etree  # here, so that cleaning text never imports lxml

    for pre in pres:
        code = etree.Element("code")
        code.text, pre.text = xml_safe(pre.text) if pre.text else pre.text, None  # as in br_runs.py
        code.extend(list(pre))  # moves each child, its tail with it
        pre.append(code)
