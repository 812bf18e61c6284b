"""The page headline atop an HTML body is reported as `title`, and can be kept."""

from cleaner import Cleaner

PAGE = """<!DOCTYPE html><html><head><title>Ferry timetable changes | Coast Gazette</title></head><body>
<article><h1>Winter Ferry Timetable Cuts Two Evening Sailings</h1>
<p>The island ferry will drop its 8 p.m. and 10 p.m. sailings from November until March, the operator said on Monday, citing low passenger numbers in previous winters.</p>
<p>Commuters who work late shifts on the mainland said the change would leave them stranded, and the island council has asked the operator to keep at least one late crossing on Fridays.</p>
<p>The operator said it would review the timetable in February once it had counted passengers on the remaining sailings.</p>
</article></body></html>"""

HEADLINE = "Winter Ferry Timetable Cuts Two Evening Sailings"


def test_headline_is_removed_as_title_with_its_reason(cleaner):
    result = cleaner.clean(PAGE, kind="html")
    assert not result.text.startswith(HEADLINE)
    assert result.text.startswith("The island ferry")
    first = result.removed[0]
    assert (first.start, first.label, first.text.rstrip("\n")) == (0, "title", HEADLINE)
    assert "headline" in result.blocks[0].reason
    assert result.to_dict()["counts"] == {"title": 1}
    assert result.restore() == result.base


def test_keep_title_keeps_the_headline():
    result = Cleaner(keep=["title"]).clean(PAGE, kind="html")
    assert result.text.startswith(HEADLINE)
    assert all(span.label != "title" for span in result.removed)


def test_text_input_keeps_its_first_line(cleaner):
    text = HEADLINE + "\nThe island ferry will drop its 8 p.m. and 10 p.m. sailings from November until March.\n"
    assert cleaner.clean(text, kind="text").text.startswith(HEADLINE)


def test_a_body_that_is_only_a_headline_keeps_it(cleaner):
    html = f"<html><body><article><h1>{HEADLINE}</h1></article></body></html>"
    result = cleaner.clean(html, kind="html")
    assert result.text.strip() == HEADLINE
    assert result.removed == ()
