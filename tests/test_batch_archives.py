"""`cleaner batch` over .zip and .tar archives of pages: each file in the
archive is a document, in archive order; a damaged archive keeps what was
read before the damage and says where it stopped."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import clean
from cleaner.batch_io import count_inputs
from cleaner.cli import app

from .conftest import EXAMPLES

runner = CliRunner()
PAGE = (EXAMPLES / "page.html").read_bytes()
ARTICLE = (EXAMPLES / "article.txt").read_bytes()
PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)
MEMBERS = [("site/a.html", PAGE), ("site/sub/b.txt", ARTICLE), ("site/c.png", PNG)]


def make_zip(path: Path, members=MEMBERS) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("site/", b"")  # a folder entry: not a document
        for name, data in members:
            archive.writestr(name, data)
    return path


def make_tar(path: Path, members=MEMBERS) -> Path:
    mode = "w:gz" if path.name.endswith((".gz", ".tgz")) else "w"
    with tarfile.open(path, mode) as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def batch(*args: str) -> list[dict]:
    result = runner.invoke(app, ["batch", *args, "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize("name", ["site.zip", "site.tar", "site.tar.gz", "site.tgz"])
def test_every_file_in_an_archive_is_a_document_in_archive_order(tmp_path, name):
    archive = make_zip(tmp_path / name) if name.endswith(".zip") else make_tar(tmp_path / name)
    records = batch(str(archive))
    assert [r["source"] for r in records] == [f"{archive}:{member}" for member, _ in MEMBERS]
    assert records[0]["kind"] == "html" and records[0]["text"] == clean(PAGE).text
    assert records[1]["kind"] == "text" and records[1]["text"] == clean(ARTICLE).text
    assert records[2]["error"] == "input looks like PNG image, not text or HTML"
    assert count_inputs([str(archive)]) is None  # a stream: the progress bar counts without a total


def test_glob_picks_members_as_it_picks_files_in_a_folder(tmp_path):
    records = batch(str(make_zip(tmp_path / "site.zip")), str(make_tar(tmp_path / "site.tar.gz")), "--glob", "*.html")
    assert [r["source"].rsplit(":", 1)[1] for r in records] == ["site/a.html", "site/a.html"]


def test_an_archive_in_a_folder_is_read_too(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "loose.txt").write_bytes(ARTICLE)
    make_zip(folder / "more.zip")
    sources = [r["source"] for r in batch(str(folder))]
    assert sources == [str(folder / "loose.txt"), *(f"{folder / 'more.zip'}:{m}" for m, _ in MEMBERS)]


def test_a_member_over_the_size_limit_is_refused_unread(tmp_path):
    archive = make_zip(tmp_path / "big.zip", [("big.txt", b"word " * 2000), ("small.txt", b"A short line of text about the pier.\n")])
    records = batch(str(archive), "--max-bytes", "1000")
    assert records[0]["error"] == "input is 10,000 bytes, over the limit of 1,000 (raise it with --max-bytes)"
    assert records[1]["kind"] == "text"


def test_a_damaged_archive_keeps_what_came_before_the_damage(tmp_path):
    whole = make_tar(tmp_path / "whole.tar").read_bytes()
    cut = tmp_path / "cut.tar"
    cut.write_bytes(whole[:512 + 1536 + 512 + 200])  # a.html whole, then b.txt's data cut short
    records = batch(str(cut))
    assert [r["source"] for r in records] == [f"{cut}:site/a.html", str(cut)]
    assert records[0]["text"] == clean(PAGE).text
    assert records[1]["error"] == f"cannot read {cut} as an archive: unexpected end of data"
    broken = tmp_path / "broken.zip"
    broken.write_bytes(make_zip(tmp_path / "ok.zip").read_bytes()[:-100])  # its index is at the end
    assert batch(str(broken)) == [{"source": str(broken), "error": f"cannot read {broken} as an archive: File is not a zip file"}]


@pytest.mark.parametrize("name", ["site.zip", "site.tar", "site.tar.gz"])
def test_cleaner_clean_given_an_archive_names_batch(tmp_path, name):
    archive = make_zip(tmp_path / name) if name.endswith(".zip") else make_tar(tmp_path / name)
    result = runner.invoke(app, ["clean", str(archive)])
    kind = "ZIP archive" if name.endswith(".zip") else "tar archive"
    assert result.exit_code == 2
    assert result.stderr.strip() == f"cleaner: error: input looks like {kind}, not text or HTML: `cleaner batch` reads the files in it"


def test_a_zip_member_that_does_not_decompress_is_its_own_error_record(tmp_path):
    # zlib's error is no OSError: it stopped the whole batch with an internal error (exit 70).
    path = make_zip(tmp_path / "site.zip")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("site/sub/b.txt")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 10: start + 40] = b"\xff" * 30
    path.write_bytes(bytes(data))
    records = batch(str(path), str(EXAMPLES / "article.txt"))
    assert [r["source"] for r in records] == [f"{path}:site/a.html", f"{path}:site/sub/b.txt", f"{path}:site/c.png",
                                              str(EXAMPLES / "article.txt")]
    assert records[0]["kind"] == "html" and records[3]["kind"] == "text"
    assert records[1]["error"].startswith(f"cannot read site/sub/b.txt in {path}: ")


def test_a_zip_of_a_version_zipfile_cannot_read_is_one_error_record(tmp_path):
    path = make_zip(tmp_path / "site.zip")
    data = bytearray(path.read_bytes())
    central = data.rindex(b"PK\x01\x02", 0, data.rindex(b"PK\x05\x06"))  # the last member's central directory entry
    data[central + 6: central + 8] = (253).to_bytes(2, "little")  # "version needed to extract": 25.3
    path.write_bytes(bytes(data))
    records = batch(str(path), str(EXAMPLES / "article.txt"))
    assert records[0]["source"] == str(path) and records[0]["error"] == f"cannot read {path} as an archive: zip file version 25.3"
    assert records[1]["kind"] == "text"
