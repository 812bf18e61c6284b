"""Batch mode: many documents in, one record each out, in order, errors in place."""

from __future__ import annotations

import gzip
import json
import select
import subprocess
import sys
import time

from typer.testing import CliRunner

import pytest

from cleaner import CleanerError
from cleaner.batch import DocumentError, clean_many, clean_tagged
from cleaner.batch_io import count_inputs
from cleaner.cli import app

from .conftest import EXAMPLES

runner = CliRunner()
ARTICLE = (EXAMPLES / "article.txt").read_text(encoding="utf-8")
PAGE = (EXAMPLES / "page.html").read_text(encoding="utf-8")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)


def _records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_clean_many_keeps_order_and_puts_errors_in_place():
    docs = [ARTICLE, PNG, PAGE, "", ARTICLE]
    results = list(clean_many(docs))
    assert len(results) == len(docs)
    assert isinstance(results[1], DocumentError) and results[1].index == 1 and "PNG" in results[1].message
    assert results[2].kind == "html" and results[3].text == ""
    assert results[0].text == results[4].text


def test_a_tagged_document_that_is_not_a_pair_fails_alone():
    """A 1- or 3-tuple raised from inside the run, ending it for every document."""
    for jobs in (1, 2):
        results = list(clean_many([ARTICLE, ("text",), ("text", ARTICLE, "extra"), (3, ARTICLE), ("text", ARTICLE)], jobs=jobs))
        assert [type(r).__name__ for r in results] == ["CleanResult", "DocumentError", "DocumentError", "DocumentError", "CleanResult"]
        assert [r.message for r in results[1:4]] == [
            "a tagged document must be a (kind, document) pair, got (str)",
            "a tagged document must be a (kind, document) pair, got (str, str, str)",
            "a tagged document must be a (kind, document) pair, got (int, str)",
        ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_documents_a_worker_cannot_be_sent_fail_alone(jobs, tmp_path):
    # A memoryview in a (kind, document) pair, or an open file, cannot be
    # pickled: with workers, that error ended the run and every result was lost.
    with (tmp_path / "f.txt").open("wb") as handle:
        items = [ARTICLE, ("text", memoryview(ARTICLE.encode())), handle, ("text", handle), bytearray(ARTICLE.encode())]
        results = list(clean_many(items, jobs=jobs))
    assert [type(r).__name__ for r in results] == ["CleanResult", "CleanResult", "DocumentError", "DocumentError", "CleanResult"]
    assert results[1].text == results[4].text == results[0].text
    assert results[2].index == 2 and results[2].message == "document must be str or bytes, not BufferedWriter"


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_input_failing_part_way_keeps_the_results_cleaned_before_it(jobs):
    # With workers, the finished chunks in flight were dropped with the input's exception.
    def source():
        for i in range(100):
            yield f"Line {i} of a story about the harbour council and its vote.\n"
        raise ConnectionError("upstream reset")

    results = []
    with pytest.raises(ConnectionError, match="upstream reset"):
        for result in clean_many(source(), jobs=jobs):
            results.append(result)
    assert len(results) == 96 and all(r.text.startswith(f"Line {i} of") for i, r in enumerate(results))  # 3 whole chunks of 32


def _clean_many_in_a_pool_worker(jobs: int) -> str:
    try:
        return " ".join(type(r).__name__ for r in clean_many([ARTICLE] * 2, jobs=jobs))
    except CleanerError as exc:
        return str(exc)


def test_workers_asked_for_inside_a_pool_worker_are_a_clear_error():
    # multiprocessing refused with an AssertionError from deep inside the pool.
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        one, two = pool.map(_clean_many_in_a_pool_worker, [1, 2])
    assert one == "CleanResult CleanResult"
    assert two.startswith("jobs > 1 starts worker processes, which a daemonic process")


@pytest.mark.parametrize("args, message", [
    (["--jobs", "100000"], "--jobs must be from 0 (one per core) to"),  # it started thousands of processes
    (["--glob", ""], "--glob '' is not a file name pattern"),  # ValueError from inside pathlib
])
def test_batch_option_mistakes_are_usage_errors(tmp_path, args, message):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["batch", str(tmp_path), *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"cleaner: error: {message}") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("glob", ["", ".", "./"])
def test_a_glob_pathlib_refuses_is_a_usage_error(tmp_path, glob):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["batch", str(tmp_path), "--glob", glob])
    assert result.exit_code == 2 and "is not a file name pattern" in result.stderr  # "." raised ValueError: exit 70


def test_an_output_inside_an_input_folder_or_linked_to_an_input_is_refused(tmp_path):
    """The walk read (and the writer emptied) a file that was both: exit 0, data lost."""
    folder = tmp_path / "d"
    folder.mkdir()
    source = folder / "in.jsonl"
    source.write_text(json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    before = source.read_bytes()
    result = runner.invoke(app, ["batch", str(folder), "-o", str(source)])
    assert result.exit_code == 2 and "is inside the input folder" in result.stderr
    linked = tmp_path / "hard.jsonl"
    linked.hardlink_to(source)
    result = runner.invoke(app, ["batch", str(source), "-o", str(linked)])
    assert result.exit_code == 2 and "is also an input" in result.stderr
    assert source.read_bytes() == before


def test_clean_many_settings_and_odd_documents():
    """memoryview documents could not be sent to workers (the run raised
    TypeError), keep=None raised TypeError, and a str keep was split into letters."""
    results = list(clean_many([ARTICLE, memoryview(ARTICLE.encode()), bytearray(ARTICLE.encode())], jobs=2))
    assert [r.text for r in results[1:]] == [results[0].text] * 2
    assert list(clean_many([ARTICLE], keep=None))[0].text == results[0].text
    assert list(clean_many([ARTICLE], keep="meta"))[0].text == list(clean_many([ARTICLE], keep=["meta"]))[0].text
    for settings, message in ((dict(keep=5), "keep must be label names"), (dict(kind="bogus"), "kind must be one of")):
        with pytest.raises(CleanerError, match=message):
            list(clean_many([ARTICLE], **settings))


def test_writing_the_output_over_an_input_is_refused(tmp_path):
    """The run emptied its own input and reported 0 documents."""
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    before = source.read_bytes()
    result = runner.invoke(app, ["batch", str(source), "-o", str(tmp_path / "." / "in.jsonl")])
    assert result.exit_code == 2
    assert "is also an input" in result.stderr
    assert source.read_bytes() == before


def test_two_workers_give_the_same_output_as_one():
    docs = [ARTICLE, PAGE, PNG] * 15
    one = [r.to_dict(include_text=True) if not isinstance(r, DocumentError) else r for r in clean_many(docs, jobs=1)]
    two = [r.to_dict(include_text=True) if not isinstance(r, DocumentError) else r for r in clean_many(docs, jobs=2)]
    assert one == two


def test_batch_over_a_folder(tmp_path):
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.png").write_bytes(PNG)
    (folder / "sub" / "c.html").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(folder), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.stderr
    records = _records(out.read_text(encoding="utf-8"))
    assert [r["source"] for r in records] == [str(folder / "a.txt"), str(folder / "b.png"), str(folder / "sub" / "c.html")]
    assert records[0]["kind"] == "text" and "Most Popular Right Now" not in records[0]["text"]
    assert records[1]["error"] == "input looks like PNG image, not text or HTML"
    assert records[2]["kind"] == "html" and records[2]["counts"]
    assert "3 documents, 1 errors" in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_fast_reaches_every_worker(tmp_path, monkeypatch, jobs):
    # With trafilatura's fallback extractors made to fail (the workers fork
    # after this, so they have it too), only a run that skips them cleans the page.
    def fallback(*args, **kwargs):
        raise RuntimeError("fallback extractors called")

    monkeypatch.setattr("trafilatura.core.compare_extraction", fallback)
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("a.html", "b.html", "c.html"):
        (folder / name).write_text(PAGE, encoding="utf-8")
    records = {}
    for fast in (False, True):
        out = tmp_path / f"out-{fast}.jsonl"
        args = ["batch", str(folder), "-o", str(out), "--jobs", jobs] + (["--fast"] if fast else [])
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.stderr
        records[fast] = _records(out.read_text(encoding="utf-8"))
    assert all("fallback extractors called" in r["error"] for r in records[False])
    assert [r["kind"] for r in records[True]] == ["html"] * 3
    assert all(r["text"] and r["counts"] for r in records[True])


def test_a_link_loop_in_a_folder_is_an_error_record_not_the_end_of_the_run(tmp_path):
    # It used to stop the run before the first record, blaming the output ("cannot write out.jsonl: Too many levels of symbolic links").
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "loop").symlink_to(folder / "loop")
    (folder / "z.html").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    records = _records(out.read_text(encoding="utf-8"))
    assert [r["source"] for r in records] == [str(folder / name) for name in ("a.txt", "loop", "z.html")]
    assert records[1]["error"] == f"cannot read {folder / 'loop'}: Too many levels of symbolic links"
    assert records[0]["kind"] == "text" and records[2]["kind"] == "html"
    assert count_inputs([str(folder)]) == 3


def test_a_json_id_that_is_no_string_is_its_json_text_and_a_null_one_the_line(tmp_path):
    path = tmp_path / "in.jsonl"
    ids = [None, {"a": 1}, True, 12345678901234567890, "x"]
    path.write_text("".join(json.dumps({"id": i, "text": ARTICLE}) + "\n" for i in ids), encoding="utf-8")
    result = runner.invoke(app, ["batch", str(path), "--quiet"])
    assert result.exit_code == 0, result.stderr
    assert [r["source"] for r in _records(result.stdout)] == [f"{path}:1", '{"a":1}', "true", "12345678901234567890", "x"]


def test_names_the_file_system_refuses_are_one_line_errors_not_internal_ones(tmp_path):
    too_long = "x" * 300
    result = runner.invoke(app, ["batch", str(tmp_path / f"{too_long}.jsonl"), str(EXAMPLES / "article.txt"), "--quiet"])
    assert result.exit_code == 0, result.stderr
    records = _records(result.stdout)
    assert records[0]["error"] == f"cannot read {tmp_path / too_long}.jsonl: File name too long" and records[1]["kind"] == "text"
    result = runner.invoke(app, ["batch", str(EXAMPLES / "article.txt"), "-o", str(tmp_path / f"{too_long}.jsonl")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"cleaner: error: cannot write {tmp_path / too_long}.jsonl: File name too long"


@pytest.mark.parametrize("command", [["batch", str(EXAMPLES / "article.txt")], ["clean", str(EXAMPLES / "article.txt")]])
def test_a_closed_standard_output_is_a_one_line_error(command):
    import os

    done = subprocess.run([sys.executable, "-m", "cleaner", *command], stderr=subprocess.PIPE, text=True,
                          preexec_fn=lambda: os.close(1), timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("cleaner: error: standard output is closed") and len(done.stderr.splitlines()) == 1


def test_upper_case_suffixes_are_read_and_written_as_lower_case_ones(tmp_path):
    # "CRAWL.JSONL" was one text document and "-o OUT.JSONL.GZ" came out uncompressed.
    path = tmp_path / "CRAWL.JSONL.GZ"
    path.write_bytes(gzip.compress("".join(json.dumps({"id": f"d{i}", "text": ARTICLE}) + "\n" for i in range(3)).encode()))
    out = tmp_path / "OUT.JSONL.GZ"
    result = runner.invoke(app, ["batch", str(path), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.stderr
    assert [r["source"] for r in _records(gzip.decompress(out.read_bytes()).decode("utf-8"))] == ["d0", "d1", "d2"]


def test_an_output_that_fails_as_it_closes_is_an_error_not_a_success(tmp_path, monkeypatch):
    # Closing writes what is still buffered (a Parquet file's rows and footer,
    # a gzip stream's end); a full disk then left an incomplete file, and the run exited 0.
    import errno

    from cleaner.batch_output import JsonlSink

    def close(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(JsonlSink, "close", close)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(EXAMPLES / "article.txt"), "-o", str(out), "--quiet"])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"cleaner: error: cannot write {out}: No space left on device"


def test_jsonl_stdin_to_stdout_with_bad_records_in_place():
    lines = [
        json.dumps({"id": "first", "text": ARTICLE}),
        "this is not json",
        json.dumps({"id": "third", "body": "no text field"}),
        json.dumps({"id": "fourth", "html": PAGE}),
    ]
    result = runner.invoke(app, ["batch", "-", "--jobs", "1", "--quiet"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    records = _records(result.stdout)
    assert [r["source"] for r in records] == ["first", "stdin:2", "third", "fourth"]
    assert "error" in records[1] and "not JSON" in records[1]["error"]
    assert records[2]["error"] == "record has no string field 'text' or 'html'"
    assert records[3]["kind"] == "html"
    assert result.stderr == ""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_carry_copies_input_fields_into_each_output_record(tmp_path, jobs):
    """A pipeline keeps its URL and crawl date next to the clean text without
    joining the output back to its input; error records carry them too."""
    lines = [
        {"id": "first", "url": "https://example.org/a", "date": "2026-11-01", "meta": {"lang": "en"}, "text": ARTICLE},
        {"id": "second", "url": "https://example.org/b", "body": "no text field"},
        {"id": "third", "html": PAGE, "date": "2026-11-03"},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = runner.invoke(app, ["batch", str(source), "--carry", "url, date,meta,url", "--jobs", jobs, "--quiet"])
    assert result.exit_code == 0, result.stderr
    first, second, third = _records(result.stdout)
    assert list(first)[:4] == ["source", "url", "date", "meta"] and first["meta"] == {"lang": "en"}
    assert first["text"] == clean_many([ARTICLE]).__next__().text
    assert second == {"source": "second", "url": "https://example.org/b", "error": "record has no string field 'text' or 'html'"}
    assert list(third)[:2] == ["source", "date"] and "url" not in third and third["kind"] == "html"
    folder = tmp_path / "out"
    assert runner.invoke(app, ["batch", str(source), "--carry", "url", "-o", f"{folder}/", "--jobs", jobs, "--quiet"]).exit_code == 0
    report = json.loads(next(folder.glob("*first*.report.json")).read_text(encoding="utf-8"))
    assert list(report)[:2] == ["source", "url"] and report["url"] == "https://example.org/a"


def test_carry_refuses_a_field_the_record_has_of_its_own(tmp_path):
    result = runner.invoke(app, ["batch", "-", "--carry", "url,text,counts"], input="{}\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("cleaner: error: --carry cannot copy 'counts', 'text': the output record has its own")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_line_too_long_for_the_size_limit_is_skipped_unread(tmp_path):
    """JSONL lines were read whole whatever --max-bytes said: a 200 MB line
    took 700 MB, and a stream of zeros with no line break all memory."""
    huge = json.dumps({"id": "huge", "text": "word " * 40_000}).encode() + b"\n"  # 200 KB, over 6 x 1,000 + 64 KB
    lines = huge + json.dumps({"id": "next", "text": ARTICLE}).encode() + b"\n"
    source = tmp_path / "in.jsonl"
    source.write_bytes(lines)
    for args, feed in (([str(source)], None), (["-"], lines)):
        result = runner.invoke(app, ["batch", *args, "--max-bytes", "1000", "--jobs", "1", "--quiet"], input=feed)
        assert result.exit_code == 0, result.stderr
        first, second = _records(result.stdout)
        assert first["error"] == "line 1 is too long to be a record under the size limit (raise it with --max-bytes)"
        assert second["source"] == "next" and "error" in second  # the article is over 1,000 bytes too, as a document
    assert _records(runner.invoke(app, ["batch", str(source), "--jobs", "1", "--quiet"]).stdout)[0]["source"] == "huge"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_json_the_standard_library_refuses_is_an_error_record_not_the_end_of_the_run(tmp_path, jobs):
    """Lines orjson refuses go to the standard library, which raised
    ValueError for a 5,000-digit integer and RecursionError for deep nesting:
    the run ended with no output at all. A byte-order mark opening the file
    made its first record an error."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join([
        b"\xef\xbb\xbf" + json.dumps({"id": "bom", "text": ARTICLE}).encode() + b"\n",
        b'{"id": "digits", "text": ' + b"9" * 5000 + b"}\n",
        b"[" * 100_000 + b"\n",
        b'{"a":' * 3000 + b"\n",
        json.dumps({"id": "last", "text": ARTICLE}).encode() + b"\n",
    ]))
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(source), "-o", str(out), "--jobs", jobs, "--quiet"])
    assert result.exit_code == 0, result.stderr
    records = _records(out.read_text(encoding="utf-8"))
    assert [r["source"] for r in records] == ["bom", f"{source}:2", f"{source}:3", f"{source}:4", "last"]
    assert "error" not in records[0] and "error" not in records[4]
    assert "4300 digits" in records[1]["error"]
    assert [r["error"] for r in records[2:4]] == ["line 3 is not JSON: nested too deeply to read", "line 4 is not JSON: nested too deeply to read"]


def test_integers_outside_64_bits_are_carried_exactly(tmp_path):
    """orjson read an integer outside 64 bits as a float without a word: a
    big id or carried count came out with its last digits lost."""
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": 2**64, "text": "A short note.\n", "n": [-(2**63) - 1, 2**64 - 1], "x": 1.5e300},
        {"id": 7, "text": "Another note.\n", "n": 2**70},
    ]), encoding="utf-8")
    result = runner.invoke(app, ["batch", str(source), "--jobs", "1", "--quiet", "--carry", "n,x"])
    assert result.exit_code == 0, result.stderr
    first, second = _records(result.stdout)
    assert (first["source"], first["n"], first["x"]) == ("18446744073709551616", [-(2**63) - 1, 2**64 - 1], 1.5e300)
    assert (second["source"], second["n"]) == ("7", 2**70)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_bytes_crlf_bad_utf8_and_unicode_line_breaks_give_one_record_each(tmp_path, jobs):
    """Input lines are read as bytes: CRLF endings, a byte that is not UTF-8
    (it becomes U+FFFD, as a text reader would make it) and text holding
    U+2028 / NEL; every record comes out as exactly one output line."""
    separated = ARTICLE.replace("\n\n", "\u2028", 1) + "\nNEL\x85here\n"
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join([
        json.dumps({"id": "crlf", "text": ARTICLE}).encode() + b"\r\n",
        b'{"id": "latin1", "text": "Caf\xe9 au lait, ' + b"word " * 20 + b'"}\n',
        json.dumps({"id": "breaks", "text": separated}, ensure_ascii=False).encode("utf-8") + b"\n",
    ]))
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(source), "-o", str(out), "--jobs", jobs, "--quiet"])
    assert result.exit_code == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()  # splits at U+2028 and NEL too
    records = [json.loads(line) for line in lines]
    assert [r["source"] for r in records] == ["crlf", "latin1", "breaks"]
    assert records[0]["removed"] and "error" not in records[1]
    assert records[1]["text"].startswith("Caf\ufffd au lait")
    # The separators survive the round trip, in the kept text or in a removed span.
    carried = records[2]["text"] + "".join(span["text"] for span in records[2]["removed"])
    assert "\u2028" in carried and "\x85" in carried


def _line_within(stream, seconds: float) -> bytes:
    ready, _, _ = select.select([stream], [], [], seconds)
    assert ready, f"no record within {seconds} s"
    return stream.readline()


def test_a_pipe_line_over_the_limit_is_dropped_as_it_comes():
    import os
    import threading

    from cleaner.batch import IDLE
    from cleaner.batch_io import TOO_LONG, _live_lines

    read_end, write_end = os.pipe()

    def writer() -> None:
        with os.fdopen(write_end, "wb") as out:
            out.write(b"short\n" + b"x" * 5_000 + b"\nafter\n" + b"y" * 5_000)

    threading.Thread(target=writer, daemon=True).start()
    lines = [line for line in _live_lines(read_end, size=64, limit=1_000) if line is not IDLE]
    os.close(read_end)
    assert lines == [b"short\n", TOO_LONG, b"after\n", TOO_LONG]


@pytest.mark.parametrize("blocking", [True, False], ids=["blocking", "non-blocking"])
def test_pipe_lines_arrive_whole_with_idle_where_the_writer_waits(blocking):
    """Lines split across reads come out whole, a last line without a break
    too, and IDLE comes when the writer stops before finishing a line (and
    only then: a waiting partial line is not cut)."""
    import os
    import threading

    from cleaner.batch import IDLE
    from cleaner.batch_io import _live_lines

    read_end, write_end = os.pipe()
    os.set_blocking(read_end, blocking)
    resume = threading.Event()

    def writer() -> None:
        os.write(write_end, b"first line\nsecond ")
        resume.wait(60)
        os.write(write_end, b"half\n" + b"x" * 100_000 + b"\nno break at the end")
        os.close(write_end)

    threading.Thread(target=writer, daemon=True).start()
    got = []
    for item in _live_lines(read_end, size=7):
        got.append(item)
        if item is IDLE:
            resume.set()
    os.close(read_end)
    assert got[:2] == [b"first line\n", IDLE]
    assert [x for x in got if x is not IDLE] == [b"first line\n", b"second half\n", b"x" * 100_000 + b"\n", b"no break at the end"]


@pytest.mark.parametrize("options", [["--jobs", "1"], ["--jobs", "2"], ["--jobs", "2", "--unordered"]], ids=["jobs1", "jobs2", "unordered"])
def test_records_from_a_slow_pipe_come_out_as_they_arrive(options):
    """A producer that sends one record and waits gets its record back before
    sending the next, instead of once 32 have come (a chunk) or at the end."""
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "batch", "-", *options, "--quiet"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for i in range(3):
            proc.stdin.write(json.dumps({"id": f"doc-{i}", "text": ARTICLE}).encode() + b"\n")
            proc.stdin.flush()
            record = json.loads(_line_within(proc.stdout, 60))
            assert record["source"] == f"doc-{i}" and record["removed"]
        proc.stdin.write(b"not json\n" + json.dumps({"id": "last", "html": PAGE}).encode() + b"\n")
        proc.stdin.close()
        rest = _records(proc.stdout.read().decode("utf-8"))
        assert [r["source"] for r in rest] == ["stdin:4", "last"] and "not JSON" in rest[0]["error"]
        assert proc.wait(timeout=60) == 0 and proc.stderr.read() == b""
    finally:
        if proc.poll() is None:
            proc.kill()


def test_gzipped_jsonl_in_and_out_with_custom_fields(tmp_path):
    source = tmp_path / "in.jsonl.gz"
    with gzip.open(source, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"key": "k1", "content": ARTICLE}) + "\n")
    out = tmp_path / "out.jsonl.gz"
    result = runner.invoke(app, ["batch", str(source), "-o", str(out), "--text-field", "content", "--id-field", "key", "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    with gzip.open(out, "rt", encoding="utf-8") as f:
        records = _records(f.read())
    assert records[0]["source"] == "k1" and records[0]["removed"]


def test_strict_fails_the_run_when_a_document_failed(tmp_path):
    bad = tmp_path / "x.png"
    bad.write_bytes(PNG)
    relaxed = runner.invoke(app, ["batch", str(bad), "--jobs", "1"])
    strict = runner.invoke(app, ["batch", str(bad), "--jobs", "1", "--strict"])
    assert relaxed.exit_code == 0 and strict.exit_code == 1
    assert _records(strict.stdout)[0]["error"].startswith("input looks like PNG")


def test_missing_input_is_an_error_record_not_a_crash(tmp_path):
    result = runner.invoke(app, ["batch", str(tmp_path / "nope.txt"), "--jobs", "1", "--quiet"])
    assert result.exit_code == 0
    assert _records(result.stdout) == [{"source": str(tmp_path / "nope.txt"), "error": f"no such file: {tmp_path / 'nope.txt'}"}]


@pytest.mark.usefixtures("timers_fire_anywhere")
def test_a_document_over_the_time_limit_becomes_an_error_record():
    slow = "many words on one long line " * 300_000  # 8.4 MB: under the 10 MB size limit
    results = list(clean_many(["A short text.", slow, "Another short text."], timeout=0.05))
    assert isinstance(results[1], DocumentError) and results[1].message.startswith("timed out after 0.05 s (the per-document time limit")
    assert results[0].text == "A short text." and results[2].text == "Another short text."


def test_resume_after_sigterm_gives_the_uninterrupted_output(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(300):
        (folder / f"{i:04d}.txt").write_text(ARTICLE if i % 3 else PAGE, encoding="utf-8")
    (folder / "0150.txt").write_bytes(PNG)
    command = [sys.executable, "-m", "cleaner", "batch", str(folder), "--jobs", "1", "--quiet"]
    whole = tmp_path / "whole.jsonl"
    subprocess.run([*command, "-o", str(whole)], check=True, timeout=300)

    part = tmp_path / "part.jsonl"
    proc = subprocess.Popen([*command, "-o", str(part)])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not part.exists() or part.read_bytes().count(b"\n") < 40):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=60) == 143  # stopped between records, as the shell reports a SIGTERM
    written = part.read_bytes().count(b"\n")
    assert 40 <= written < 300, "the run was meant to be cut part-way"

    subprocess.run([*command, "-o", str(part), "--resume"], check=True, timeout=300)
    assert part.read_bytes() == whole.read_bytes()
    assert len(_records(part.read_text(encoding="utf-8"))) == 300


def test_unordered_results_come_as_they_finish_each_with_its_tag():
    # 60,000 distinct lines take over a second to clean, so the first chunk
    # (this and 31 short texts) finishes long after the second (9 short
    # texts). A document of one long line is not slow: one such, cleaned in
    # 10 ms, left the two chunks racing, and the test failed now and then.
    slow = "".join(f"Line number {i} of a long document, with words.\n" for i in range(60_000))
    docs = [slow, *["A short text."] * 40]
    tags = [tag for tag, _ in clean_tagged(enumerate(docs), jobs=2, timeout=None, ordered=False)]
    assert sorted(tags) == list(range(41))
    assert tags[:9] == list(range(32, 41))  # the second chunk, in its own order


@pytest.mark.parametrize("ordered", [True, False])
def test_input_is_read_only_as_fast_as_workers_free_up(ordered):
    pulled = 0

    def documents():
        nonlocal pulled
        for i in range(400):
            pulled += 1
            yield i, "A short text."

    from cleaner.batch import _CHUNK

    results = clean_tagged(documents(), jobs=2, ordered=ordered)
    next(results)
    assert pulled <= 2 * 2 * _CHUNK + _CHUNK < 400  # the chunks in flight (2 per worker) and the one being filled
    assert len(list(results)) == 399


def test_unordered_cli_run_writes_the_same_records(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(40):
        (folder / f"{i:02d}.txt").write_bytes(PNG if i == 7 else (ARTICLE if i % 2 else PAGE).encode())
    ordered = runner.invoke(app, ["batch", str(folder), "--jobs", "2", "--quiet"])
    unordered = runner.invoke(app, ["batch", str(folder), "--jobs", "2", "--quiet", "--unordered"])
    assert unordered.exit_code == 0
    assert sorted(_records(unordered.stdout), key=lambda r: r["source"]) == _records(ordered.stdout)
    assert len(_records(unordered.stdout)) == 40


def test_a_document_that_kills_its_worker_becomes_an_error_record(monkeypatch):
    import multiprocessing
    import os

    import cleaner.batch_worker as batch

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the stand-in for a crashing page reaches the workers only when they fork")

    real = batch.clean_chunk

    def clean_or_die(cleaner, settings, chunk):
        if any(item == "DIE" for _, item in chunk):  # a page that crashes lxml or exhausts memory, in miniature
            os._exit(1)
        return real(cleaner, settings, chunk)

    monkeypatch.setattr(batch, "clean_chunk", clean_or_die)  # workers fork with it

    def slow_input():
        """The dying chunk is sent, then the input pauses long enough for the
        pool to break before the next chunk is submitted (a race, forced)."""
        yield from ["A short text."] * 20 + ["DIE"] + ["Another short text."] * 11
        time.sleep(1.0)
        yield from ["Another short text."] * 19

    for docs in (["A short text."] * 20 + ["DIE"] + ["Another short text."] * 30, slow_input()):
        results = list(clean_many(docs, jobs=2))
        assert len(results) == 51
        assert isinstance(results[20], DocumentError) and "worker process died" in results[20].message
        assert not any(isinstance(r, DocumentError) for i, r in enumerate(results) if i != 20)
        assert results[50].text == "Another short text."


def test_stopping_early_ends_a_worker_stuck_in_a_long_call(monkeypatch):
    """A worker inside one long C call never sees the stop signal; leaving a
    run (Ctrl-C, an error, a closed generator) must not wait for that call.
    The stand-in blocks the stop signal and sleeps a minute."""
    import multiprocessing
    import signal

    import cleaner.batch as batch_module
    import cleaner.batch_worker as batch_worker

    if multiprocessing.get_start_method() != "fork" or not hasattr(signal, "SIGUSR1"):
        pytest.skip("the stand-in for a stuck page reaches the workers only when they fork")
    real = batch_worker.clean_chunk

    def clean_or_hang(cleaner, settings, chunk):
        if any(item == "HANG" for _, item in chunk):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
            time.sleep(60)
        return real(cleaner, settings, chunk)

    monkeypatch.setattr(batch_worker, "clean_chunk", clean_or_hang)  # workers fork with it
    monkeypatch.setattr(batch_module, "STOP_GRACE", 1.0)
    results = clean_many(["A short text."] * 32 + ["HANG"] + ["Another short text."] * 31, jobs=2)
    assert next(results).text == "A short text."
    started = time.monotonic()
    results.close()
    assert time.monotonic() - started < 10


def test_ctrl_c_on_a_stream_to_stdout_says_what_is_written_and_how_to_go_on():
    """Interrupted while waiting for its writer: exit 130, whole records out,
    and no advice to --resume an output that cannot be resumed (stdout)."""
    import os
    import signal

    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "batch", "-", "--jobs", "1", "--quiet"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        proc.stdin.write(json.dumps({"id": "first", "text": ARTICLE}).encode() + b"\n")
        proc.stdin.flush()
        assert json.loads(_line_within(proc.stdout, 60))["source"] == "first"
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130 and out == b""
    assert err.decode().splitlines() == [
        "cleaner: interrupted by SIGINT; the output holds whole records only: "
        "--resume needs a plain .jsonl file or a folder as output, so rerun the inputs not yet written"
    ]
