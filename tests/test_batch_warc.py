"""Batch mode over WARC archives: HTML responses only, by target URI, whole records before any damage."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.batch import DocumentError
from cleaner.cli import app
from cleaner.warc import decode_http, warc_pages

from .conftest import EXAMPLES

runner = CliRunner()
PAGE = (EXAMPLES / "page.html").read_bytes()
LATIN = "<html><body><article><p>Le café crème et la crème brûlée du marché, préparés à la française, sont très appréciés.</p></article></body></html>"


def _write_warc(path, gz: bool) -> None:
    """A small crawl: a request, HTML pages (one labelled Latin-1 by HTTP only),
    an image, a redirect, a metadata record."""
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=gz)

        def response(uri: str, payload: bytes, content_type: str, status: str = "200 OK") -> None:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers))

        request = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        w.write_record(w.create_warc_record("https://news.example/a", "request", payload=io.BytesIO(b""), http_headers=request))
        response("https://news.example/a", PAGE, "text/html; charset=utf-8")
        response("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        response("https://news.example/old", b"<html>Moved</html>", "text/html", status="301 Moved Permanently")
        w.write_record(w.create_warc_record("https://news.example/a", "metadata", payload=io.BytesIO(b"via: test\n"), warc_content_type="application/warc-fields"))
        response("https://news.example/fr", LATIN.encode("cp1252"), "text/html; charset=ISO-8859-1")
        response("https://news.example/b", PAGE, "application/xhtml+xml")


def _records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_a_page_labelled_with_no_web_encoding_keeps_its_place_and_the_pages_after_it(tmp_path):
    archive = tmp_path / "odd.warc.gz"
    with archive.open("wb") as f:
        w = WARCWriter(f, gzip=True)
        for uri, label in (("https://news.example/1", "utf-8"), ("https://news.example/2", "undefined"), ("https://news.example/3", "utf-8")):
            headers = StatusAndHeaders("200 OK", [("Content-Type", f"text/html; charset={label}")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(PAGE), http_headers=headers))
    result = runner.invoke(app, ["batch", str(archive), "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    records = _records(result.stdout)
    assert [r["source"] for r in records] == ["https://news.example/1", "https://news.example/2", "https://news.example/3"]
    assert records[1]["text"] == records[0]["text"] == records[2]["text"]


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_warc_gives_one_record_per_html_response(tmp_path, name):
    archive = tmp_path / name
    _write_warc(archive, gz=name.endswith(".gz"))
    result = runner.invoke(app, ["batch", str(archive), "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    records = _records(result.stdout)
    assert [r["source"] for r in records] == ["https://news.example/a", "https://news.example/fr", "https://news.example/b"]
    assert all(r["kind"] == "html" for r in records)
    assert records[0]["removed"] and "Trending Now" not in records[0]["text"]
    assert "café crème" in records[1]["text"] and "brûlée" in records[1]["text"]
    assert records[2]["text"] == records[0]["text"]
    assert "3 documents, 0 errors" in result.stderr


def test_a_truncated_warc_keeps_every_page_before_the_cut(tmp_path):
    whole = tmp_path / "whole.warc.gz"
    _write_warc(whole, gz=True)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 300])  # inside the last page's gzip member
    result = runner.invoke(app, ["batch", str(cut), "--jobs", "1", "--quiet"])
    assert result.exit_code == 0
    assert "Traceback" not in result.stderr
    records = _records(result.stdout)
    assert [r["source"] for r in records[:2]] == ["https://news.example/a", "https://news.example/fr"]
    assert "text" in records[0] and "text" in records[1]
    assert len(records) == 3 and "truncated" in records[2]["error"]


def test_damage_in_an_uncompressed_warc_is_an_error_record_after_the_pages_before_it(tmp_path):
    whole = tmp_path / "whole.warc"
    _write_warc(whole, gz=False)
    data = whole.read_bytes()
    for size in (len(data) - 40, data.index(b"https://news.example/b") + 10):  # cut in a page's body; in a record's headers
        cut = tmp_path / f"cut{size}.warc"
        cut.write_bytes(data[:size])
        pages = list(warc_pages(cut))
        assert [source for source, _ in pages[:2]] == ["https://news.example/a", "https://news.example/fr"]
        assert len(pages) == 3 and isinstance(pages[2][1], DocumentError)
        assert "truncated" in pages[2][1].message


def test_a_file_that_is_not_a_warc_is_one_error_record(tmp_path):
    fake = tmp_path / "fake.warc.gz"
    fake.write_bytes(b"this is not an archive\n" * 10)
    result = runner.invoke(app, ["batch", str(fake), "--jobs", "1", "--quiet"])
    assert result.exit_code == 0
    [record] = _records(result.stdout)
    assert record["source"] == str(fake) and record["error"].startswith(f"damaged WARC {fake}")


def test_http_charset_decides_the_decoding_unless_a_bom_or_binary_says_otherwise():
    assert decode_http("Grüße".encode("cp1252"), "text/html; charset=iso-8859-1") == "Grüße"
    assert decode_http("Grüße".encode("utf-8"), 'text/html; charset="UTF-8"') == "Grüße"
    assert decode_http(b"\xef\xbb\xbfhi", "text/html; charset=iso-8859-1") == b"\xef\xbb\xbfhi"  # the BOM wins: the cleaner decodes
    assert decode_http(b"abc", "text/html; charset=no-such-codec") == b"abc"
    # Python codecs that are no web encoding: "undefined" raised a bare
    # UnicodeError, which ended the archive's reading at that page.
    for label in ("undefined", "utf-7", "unicode_escape", "rot13"):
        assert decode_http("Grüße +AKM-".encode("utf-8"), f"text/html; charset={label}") == "Grüße +AKM-".encode("utf-8")
    assert decode_http(b"abc", "text/html") == b"abc"


def test_carry_copies_warc_headers_into_each_page_s_record(tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    _write_warc(archive, gz=True)
    result = runner.invoke(app, ["batch", str(archive), "--carry", "WARC-Date,WARC-Record-ID,WARC-No-Such-Header", "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.stderr
    records = _records(result.stdout)
    assert [r["source"] for r in records] == ["https://news.example/a", "https://news.example/fr", "https://news.example/b"]
    for record in records:
        assert list(record)[:3] == ["source", "WARC-Date", "WARC-Record-ID"] and "WARC-No-Such-Header" not in record
        assert record["WARC-Record-ID"].startswith("<urn:uuid:") and record["WARC-Date"][:2] == "20"
    assert len({r["WARC-Record-ID"] for r in records}) == 3


@pytest.mark.parametrize("gz", [True, False], ids=["gzip", "plain"])
def test_a_response_without_a_target_uri_is_an_error_record_and_the_pages_after_it_stay(tmp_path, gz):
    # warcio failed on it (an AttributeError), which ended the archive there: the pages after it were lost.
    archive = tmp_path / ("odd.warc.gz" if gz else "odd.warc")
    with archive.open("wb") as f:
        w = WARCWriter(f, gzip=gz)
        for uri in ("https://news.example/1", "https://news.example/2", "https://news.example/3"):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = w.create_warc_record(uri, "response", payload=io.BytesIO(PAGE), http_headers=headers)
            if uri.endswith("/2"):
                record.rec_headers.remove_header("WARC-Target-URI")
                record_id = record.rec_headers.get_header("WARC-Record-ID")
            w.write_record(record)
    result = runner.invoke(app, ["batch", str(archive), "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    records = _records(result.stdout)
    assert [r["source"] for r in records] == ["https://news.example/1", "", "https://news.example/3"]
    assert records[1]["error"] == f"the response record {record_id} has no WARC-Target-URI: which page it holds cannot be told"
    assert records[2]["text"] == records[0]["text"]
