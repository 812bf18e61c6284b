"""Bad and unusual input: a clear error or a sane result, never a traceback."""

from __future__ import annotations

import pytest

from cleaner import Cleaner, InputError, clean
from cleaner.decode import decode_bytes, looks_like_html

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.mark.parametrize("document", ["", "   \n\t\n  ", b"", b"\n\n"])
def test_empty_and_whitespace_give_an_empty_result(document):
    result = clean(document)
    assert result.text.strip() == ""
    assert result.removed == ()


def test_png_bytes_are_refused_with_a_clear_error():
    with pytest.raises(InputError, match="PNG image"):
        clean(PNG)


def test_undecodable_binary_is_refused():
    with pytest.raises(InputError):
        clean(bytes(range(256)) * 20)


def test_malformed_html_gives_a_best_effort_result():
    html = "<html><body><div><p>The museum reopened on Saturday after a two-year renovation that cost far more than planned, and visitors queued around the block.<p>Curators said the new galleries doubled the space for the permanent collection<div><b>unclosed"
    result = clean(html, kind="html")
    assert "museum reopened" in result.text
    assert result.restore() == result.base


def test_html_text_loses_soft_hyphens_and_zero_width_marks_as_trafilatura_s_does():
    body = ("Die Wein\u00adwirt\u00adschaft im S\u00fcden w\u00e4chst seit Jahren, sagte der Ver\u00adband am Montag in Bozen. " * 3
            + "Ein Zero\u200bwidth-Zeichen \u200b steht hier.")
    result = clean(f"<html><body><article><p>{body}</p></article></body></html>", kind="html")
    assert "Die Weinwirtschaft im S\u00fcden" in result.text
    assert "Zerowidth-Zeichen steht hier." in result.text
    assert not any(ch in result.base for ch in "\u00ad\u200b")
    assert result.restore() == result.base


def test_plain_text_keeps_every_character():
    text = "Die Wein\u00adwirt\u00adschaft w\u00e4chst seit Jahren stetig, sagte der Verband am Montag.\n"
    assert clean(text, kind="text").text == text


def test_text_that_mentions_a_tag_is_still_text():
    text = "To make words bold in HTML, wrap them in <b> and </b>.\nThat is all there is to it."
    assert not looks_like_html(text)
    assert clean(text).kind == "text"


def test_html_is_detected():
    assert looks_like_html("<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert looks_like_html("  <div class='a'><p>Hello</p></div>")


def test_bytes_are_decoded_by_bom_and_declared_charset():
    assert decode_bytes("\ufeffCafé".encode("utf-8")) == "Café"
    assert decode_bytes("Café".encode("utf-16")) == "Café"
    page = '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 \x93quoted\x94</p></body></html>'.encode("latin-1")
    assert "Café “quoted”" in decode_bytes(page)


def test_over_the_size_limit_is_a_clear_error():
    with pytest.raises(InputError, match="over the limit"):
        Cleaner(max_bytes=100).clean(b"x" * 101)


def test_wrong_document_type_is_a_library_error():
    from cleaner import CleanerError

    with pytest.raises(CleanerError, match="str or bytes"):
        clean(12345)  # type: ignore[arg-type]
