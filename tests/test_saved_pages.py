"""Pages saved by a browser as one file (MHTML, Safari web archives) clean as
the page they hold; a damaged one is a clear error."""

from __future__ import annotations

import base64
import binascii
import json
import plistlib

import pytest
from typer.testing import CliRunner

from cleaner import InputError, clean
from cleaner.cli import app

from .conftest import EXAMPLES, PAGE_HEAD, PAGE_TAIL, assert_exact_report

PAGE = (EXAMPLES / "page.html").read_bytes()
BOUNDARY = "----MultipartBoundary--k2Qw8xJm3Lr7----"
FRAME = b'<html><body><p>Advertisement frame: buy two get one free.</p></body></html>'


def part(content: bytes, content_type: str = "text/html", encoding: str = "quoted-printable",
         location: str = "https://news.example.org/2026/library-hours", content_id: str | None = None) -> str:
    """One MHTML part as browsers write it."""
    if encoding == "quoted-printable":
        body = binascii.b2a_qp(content).decode("ascii")
    elif encoding == "base64":
        body = base64.encodebytes(content).decode("ascii")
    else:
        body = content.decode("latin-1")
    headers = [f"Content-Type: {content_type}"]
    if content_id:
        headers.append(f"Content-ID: <{content_id}>")
    headers += [f"Content-Transfer-Encoding: {encoding}", f"Content-Location: {location}"]
    return "\r\n".join(headers) + "\r\n\r\n" + body


def mhtml(*parts: str, snapshot: str | None = "https://news.example.org/2026/library-hours", start: str | None = None,
          newline: str = "\r\n", closed: bool = True) -> bytes:
    """An MHTML file: Chrome's headers (a snapshot location) or, with
    snapshot=None, Internet Explorer's (and a `start` parameter if given)."""
    head = ["From: <Saved by Blink>" if snapshot else "From: <Saved by Windows Internet Explorer 8>"]
    if snapshot:
        head.append(f"Snapshot-Content-Location: {snapshot}")
    head += ["Subject: Library to open late on Fridays", "Date: Sat, 28 Nov 2026 09:12:40 -0000", "MIME-Version: 1.0",
             "Content-Type: multipart/related;", '\ttype="text/html";']
    if start:
        head.append(f'\tstart="<{start}>";')
    head.append(f'\tboundary="{BOUNDARY}"')
    text = "\r\n".join(head) + "\r\n\r\n\r\n"
    for one in parts:
        text += f"--{BOUNDARY}\r\n{one}\r\n"
    if closed:
        text += f"--{BOUNDARY}--\r\n"
    return text.replace("\r\n", newline).encode("latin-1")


CSS = part(b"body { font-family: Georgia, serif; }\n", "text/css", location="cid:css-1@mhtml.blink")
PNG = part(b"\x89PNG\r\n\x1a\n" + bytes(300), "image/png", "base64", location="https://news.example.org/logo.png")


def assert_same_as_page(result, page: bytes = PAGE) -> None:
    expected = clean(page)
    assert (result.kind, result.base, result.text, result.removed) == ("html", expected.base, expected.text, expected.removed)
    assert result.removed, "the example page has junk: the comparison would be empty without it"
    assert_exact_report(result)


def test_chrome_mhtml_cleans_as_the_page_it_holds():
    assert_same_as_page(clean(mhtml(part(PAGE), CSS, PNG)))


def test_mhtml_read_into_a_string_first_cleans_the_same():
    assert_same_as_page(clean(mhtml(part(PAGE), CSS, PNG).decode("utf-8")))


def test_kind_html_unwraps_and_kind_text_reads_the_file_as_it_is():
    data = mhtml(part(PAGE), CSS)
    assert_same_as_page(clean(data, kind="html"))
    as_text = clean(data, kind="text")
    assert as_text.kind == "text" and as_text.base.startswith("From: <Saved by Blink>")


def test_the_page_is_the_part_the_snapshot_names_not_an_earlier_frame():
    frame = part(FRAME, location="https://ads.example.net/frame")
    assert_same_as_page(clean(mhtml(frame, CSS, part(PAGE))))


def test_internet_explorer_mht_base64_page_picked_by_start_in_its_declared_charset():
    page = (PAGE_HEAD.replace('<meta charset="utf-8">', "") + "<p>The caf\u00e9 on the ground floor will stay open with the library, serving cr\u00eapes until 8.30 p.m.</p>" + PAGE_TAIL)
    data = page.encode("cp1252")
    frame = part(FRAME, location="https://ads.example.net/frame", content_id="frame@x")
    root = part(data, 'text/html; charset="windows-1252"', "base64", location="https://water.example.org/", content_id="root@x")
    result = clean(mhtml(frame, root, snapshot=None, start="root@x"))
    assert "The caf\u00e9 on the ground floor" in result.text and "cr\u00eapes" in result.text
    assert "Advertisement frame" not in result.base
    assert_same_as_page(result, page.encode("utf-8"))


def test_without_start_or_snapshot_the_first_html_part_is_the_page():
    assert_same_as_page(clean(mhtml(CSS, part(PAGE), part(FRAME, location="https://ads.example.net/frame"), snapshot=None)))


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("closed", [True, False], ids=["closed", "cut-short"])
def test_line_endings_and_a_file_cut_after_the_page(newline, closed):
    assert_same_as_page(clean(mhtml(part(PAGE), CSS, newline=newline, closed=closed)))


def test_a_file_cut_short_inside_its_page_is_a_clear_error():
    # It gave the page's first half, as if it were all of it, with exit 0.
    cut = mhtml(part(PAGE, encoding="8bit"), closed=False)
    cut = cut[: cut.index(b"to Wednesdays.")]
    with pytest.raises(InputError, match="MHTML file cut short inside its page"):
        clean(cut)


def test_a_page_inside_a_nested_multipart_alternative_is_found():
    # What email clients save as .mht: a plain-text copy and the page side by side, one level down. It was refused.
    inner = "inner-boundary-7Xq"
    alternative = (f'Content-Type: multipart/alternative; boundary="{inner}"\r\n\r\n'
                   f"--{inner}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe page as plain text.\r\n"
                   f"--{inner}\r\n{part(PAGE, encoding='base64')}\r\n--{inner}--")
    assert_same_as_page(clean(mhtml(alternative, CSS, snapshot=None)))


def test_a_boundary_lookalike_inside_the_page_does_not_end_it():
    # On a line of its own, as a delimiter is, but with more after it.
    page = PAGE.replace(b"to Wednesdays.</p>", f"to Wednesdays.\n--{BOUNDARY}x is how the archive marks parts.</p>".encode())
    result = clean(mhtml(part(page, encoding="8bit"), CSS))
    assert result.kind == "html" and "how the archive marks parts" in result.base


def test_mhtml_without_a_page_is_a_clear_error():
    with pytest.raises(InputError, match="MHTML file with no HTML page in it"):
        clean(mhtml(CSS, PNG))


def test_mhtml_page_with_broken_base64_is_a_clear_error():
    broken = part(PAGE, encoding="base64").rsplit("\r\n\r\n", 1)[0] + "\r\n\r\nQUJD=X"
    with pytest.raises(InputError, match="does not decode as base64"):
        clean(mhtml(broken))


def test_text_that_mentions_multipart_related_is_still_text():
    text = ("Note: multipart/related is the MIME type browsers use for saved pages.\n\n"
            "The format keeps a page and its images in one file, which is why archivists like it.\n")
    result = clean(text.encode("utf-8"))
    assert result.kind == "text" and result.base == text


def web_archive(content: bytes, mime: str = "text/html", encoding: str | None = "UTF-8") -> bytes:
    main = {"WebResourceData": content, "WebResourceMIMEType": mime, "WebResourceURL": "https://news.example.org/2026/library-hours",
            "WebResourceFrameName": ""}
    if encoding:
        main["WebResourceTextEncodingName"] = encoding
    sub = {"WebResourceData": b"body{}", "WebResourceMIMEType": "text/css", "WebResourceURL": "https://news.example.org/site.css"}
    return plistlib.dumps({"WebMainResource": main, "WebSubresources": [sub]}, fmt=plistlib.FMT_BINARY)


def test_safari_web_archive_cleans_as_the_page_it_holds():
    assert_same_as_page(clean(web_archive(PAGE)))


def test_web_archive_page_is_read_in_its_text_encoding():
    page = (PAGE_HEAD.replace('<meta charset="utf-8">', "") + "<p>Les cr\u00eapes du caf\u00e9 seront servies jusqu'\u00e0 20 h 30, a pr\u00e9cis\u00e9 la biblioth\u00e8que.</p>" + PAGE_TAIL)
    result = clean(web_archive(page.encode("cp1252"), encoding="windows-1252"))
    assert "Les cr\u00eapes du caf\u00e9 seront servies jusqu'\u00e0 20 h 30" in result.text


def test_web_archive_of_a_text_file_cleans_as_text():
    text = (EXAMPLES / "article.txt").read_bytes()
    result = clean(web_archive(text, mime="text/plain"))
    assert result.kind == "text" and result.base == text.decode("utf-8")


@pytest.mark.parametrize(("data", "message"), [
    (web_archive(b"\x89PNG\r\n\x1a\n" + bytes(40), mime="image/png"), "web archive of a image/png file, not of a page"),
    (web_archive(PAGE)[:-40], "Safari web archive that could not be read"),
    (plistlib.dumps({"WebMainResource": {"WebResourceMIMEType": "text/html"}}, fmt=plistlib.FMT_BINARY), "no WebMainResource data"),
])
def test_a_web_archive_without_a_readable_page_is_a_clear_error(data, message):
    with pytest.raises(InputError, match=message):
        clean(data)


def test_cli_cleans_a_saved_page_and_reports_a_bad_one_in_one_line(tmp_path):
    good, bad = tmp_path / "page.mhtml", tmp_path / "broken.mhtml"
    good.write_bytes(mhtml(part(PAGE), CSS, PNG))
    bad.write_bytes(mhtml(CSS))
    runner = CliRunner()
    result = runner.invoke(app, ["clean", str(good), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["text"] == clean(PAGE).text
    result = runner.invoke(app, ["clean", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.strip() == "cleaner: error: input is an MHTML file with no HTML page in it (no text/html part)"


def test_batch_over_a_folder_of_saved_pages(tmp_path):
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "a.mhtml").write_bytes(mhtml(part(PAGE), CSS, PNG))
    (folder / "b.webarchive").write_bytes(web_archive(PAGE))
    (folder / "c.mht").write_bytes(mhtml(CSS))
    result = CliRunner().invoke(app, ["batch", str(folder)])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    expected = clean(PAGE).text
    assert [r["source"].rsplit("/", 1)[1] for r in records] == ["a.mhtml", "b.webarchive", "c.mht"]
    assert [r.get("text") for r in records[:2]] == [expected, expected]
    assert "no HTML page" in records[2]["error"]


def test_a_boundary_in_rfc_2231_form_is_read():
    data = mhtml(part(PAGE), CSS).replace(f'boundary="{BOUNDARY}"'.encode(), f"boundary*=us-ascii''{BOUNDARY}".encode())
    assert_same_as_page(clean(data))
