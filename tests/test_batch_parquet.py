"""Batch mode with Parquet: rows in, rows out, the same records as JSONL."""

from __future__ import annotations

import datetime
import decimal
import json
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from cleaner import Cleaner  # noqa: E402
from cleaner import parquet as parquet_module  # noqa: E402
from cleaner.batch_io import Fields, count_inputs  # noqa: E402
from cleaner.cli import app  # noqa: E402

from .conftest import EXAMPLES  # noqa: E402

runner = CliRunner()
ARTICLE = (EXAMPLES / "article.txt").read_text(encoding="utf-8")
PAGE = (EXAMPLES / "page.html").read_bytes()


def _write(path, rows: list[dict], schema=None, row_group_size: int = 2) -> None:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path, row_group_size=row_group_size)


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def shard(tmp_path):
    """A shard as LLM-data sets ship them: ids, a text column, a binary HTML
    column, typed metadata, and one row with no document."""
    schema = pa.schema([("id", pa.string()), ("text", pa.string()), ("html", pa.binary()), ("url", pa.string()),
                        ("crawled", pa.date32()), ("score", pa.decimal128(5, 2)), ("tags", pa.list_(pa.string()))])
    rows = [
        {"id": "doc-1", "text": ARTICLE, "html": None, "url": "https://news.example/1",
         "crawled": datetime.date(2026, 11, 1), "score": decimal.Decimal("0.93"), "tags": ["local", "council"]},
        {"id": None, "text": None, "html": PAGE, "url": None, "crawled": None, "score": None, "tags": None},
        {"id": "doc-3", "text": None, "html": None, "url": "https://news.example/3",
         "crawled": datetime.date(2026, 11, 3), "score": None, "tags": []},
        {"id": "doc-4", "text": "Short note.\n", "html": None, "url": "https://news.example/4", "crawled": None,
         "score": None, "tags": None},
    ]
    path = tmp_path / "shard-00000.parquet"
    _write(path, rows, schema)
    return path


def test_parquet_rows_become_the_records_jsonl_would_give(shard):
    result = runner.invoke(app, ["batch", str(shard), "--jobs", "1", "--carry", "url,crawled,score,tags"])
    assert result.exit_code == 0, result.stderr
    records = _jsonl(result.stdout)
    assert [r["source"] for r in records] == ["doc-1", f"{shard}:2", "doc-3", "doc-4"]
    first, page, empty, short = records
    expected = Cleaner().clean(ARTICLE, kind="text")
    assert first["text"] == expected.text and first["kind"] == "text"
    assert first["removed"] == [span.to_dict() for span in expected.removed] and first["removed"]
    # Typed columns come out as JSON values: dates in ISO 8601, decimals as digits.
    assert (first["url"], first["crawled"], first["score"], first["tags"]) == (
        "https://news.example/1", "2026-11-01", "0.93", ["local", "council"])
    # A binary HTML column is read as a page's bytes.
    assert page["kind"] == "html" and page["text"] == Cleaner().clean(PAGE, kind="html").text
    assert empty["error"] == "row 3 has no string or binary value in 'text' or 'html'"
    assert empty["url"] == "https://news.example/3" and "text" not in empty
    assert short["text"] == "Short note.\n"


def test_a_parquet_output_holds_one_typed_row_per_document(shard, tmp_path):
    out = tmp_path / "cleaned.parquet"
    result = runner.invoke(app, ["batch", str(shard), "-o", str(out), "--jobs", "1", "--carry", "url,score",
                                 "--markdown", "--quiet"])
    assert result.exit_code == 0, result.stderr
    table = pq.read_table(out)
    assert table.column_names == ["source", "url", "score", "error", "schema", "kind", "model", "threshold",
                                  "base_length", "text_length", "removed", "counts", "text", "markdown"]
    assert table.schema.field("removed").type == pa.list_(pa.struct([
        ("start", pa.int64()), ("end", pa.int64()), ("label", pa.string()), ("score", pa.float64()), ("text", pa.string())]))
    rows = table.to_pylist()
    assert len(rows) == 4
    expected = Cleaner().clean(ARTICLE, kind="text")
    first = rows[0]
    assert first["source"] == "doc-1" and first["text"] == expected.text and first["error"] is None
    assert first["removed"] == [span.to_dict() for span in expected.removed]
    assert dict(first["counts"]) == expected.counts
    assert first["base_length"] == len(ARTICLE) and first["text_length"] == len(expected.text)
    assert first["model"]["sha256"] == expected.model.sha256
    assert first["score"] == decimal.Decimal("0.93")  # Parquet in and out: a carried column keeps its type
    assert table.schema.field("score").type == pa.decimal128(5, 2)
    assert rows[1]["markdown"] == Cleaner().clean(PAGE, kind="html").to_markdown()
    assert rows[2]["error"].startswith("row 3 has no string") and rows[2]["text"] is None and rows[2]["url"] == "https://news.example/3"


def test_rows_keep_input_order_across_row_groups_and_workers(tmp_path, monkeypatch):
    monkeypatch.setattr(parquet_module, "ROW_GROUP_ROWS", 3)
    monkeypatch.setattr(parquet_module, "ROWS_PER_READ", 4)
    source = tmp_path / "many.parquet"
    texts = [f"Paragraph number {i} of the council's report on the harbour repairs.\n" for i in range(11)]
    _write(source, [{"id": f"r{i}", "text": t} for i, t in enumerate(texts)], row_group_size=5)
    out = tmp_path / "out.parquet"
    result = runner.invoke(app, ["batch", str(source), "-o", str(out), "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.stderr
    written = pq.ParquetFile(out)
    assert written.metadata.num_row_groups == 4  # 3 + 3 + 3 + 2
    assert written.read().column("source").to_pylist() == [f"r{i}" for i in range(11)]
    two = tmp_path / "two.parquet"
    result = runner.invoke(app, ["batch", str(source), "-o", str(two), "--jobs", "2", "--quiet"])
    assert result.exit_code == 0, result.stderr
    assert pq.read_table(two).column("source").to_pylist() == [f"r{i}" for i in range(11)]
    assert pq.read_table(two).column("text").to_pylist() == pq.read_table(out).column("text").to_pylist()


def test_text_utf8_cannot_hold_is_written_with_backslash_escapes(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "s", "text": "A lone surrogate \\ud800 sits in this sentence about the harbour.\\n"}\n'
                      '{"id": "t", "text": "An ordinary sentence about the harbour and its pier.\\n"}\n', encoding="utf-8")
    out = tmp_path / "out.parquet"
    result = runner.invoke(app, ["batch", str(source), "-o", str(out), "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.stderr
    rows = pq.read_table(out).to_pylist()
    assert rows[0]["text"] == "A lone surrogate \\ud800 sits in this sentence about the harbour.\n"
    assert rows[1]["text"] == "An ordinary sentence about the harbour and its pier.\n"


def test_a_damaged_parquet_file_is_one_error_record_and_the_batch_goes_on(tmp_path, shard):
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(shard.read_bytes()[:200])
    result = runner.invoke(app, ["batch", str(broken), str(shard), "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    records = _jsonl(result.stdout)
    assert records[0]["source"] == str(broken) and records[0]["error"].startswith(f"cannot read {broken}:")
    assert [r["source"] for r in records[1:]] == ["doc-1", f"{shard}:2", "doc-3", "doc-4"]
    assert runner.invoke(app, ["batch", str(broken), "--jobs", "1", "--strict"]).exit_code == 1


def test_strings_that_are_not_utf8_are_read_as_bytes_not_a_stopped_batch(tmp_path):
    # pyarrow writes what it is given; reading such a string stopped the whole batch (internal error, exit 70).
    def not_utf8(values):
        return pa.array(values, pa.binary()).view(pa.string())

    page = "<html><body><article><p>Le caf\u00e9 du port rouvre apr\u00e8s trois mois de travaux, a annonc\u00e9 la mairie mardi.</p></article></body></html>"
    path = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"html": not_utf8([page.encode("cp1252"), page.encode("utf-8")]),
                             "note": not_utf8([b"ok", b"caf\xe9"])}), path)
    result = runner.invoke(app, ["batch", str(path), "--carry", "note", "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.stderr
    records = _jsonl((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert [r["source"] for r in records] == [f"{path}:1", f"{path}:2"]
    assert all("error" not in r for r in records)
    assert all("Le caf\u00e9 du port rouvre" in r["text"] for r in records)  # the page's bytes, decoded as any page's are
    assert [r["note"] for r in records] == ["ok", "Y2Fm6Q=="]  # bytes that are not UTF-8: base64, as for a binary column


def test_a_file_without_the_document_columns_says_which_it_has(tmp_path):
    path = tmp_path / "meta.parquet"
    _write(path, [{"url": "u", "body": "<p>x</p>"}])
    result = runner.invoke(app, ["batch", str(path), "--jobs", "1"])
    assert result.exit_code == 0
    (record,) = _jsonl(result.stdout)
    assert record["error"] == f"{path} has no column 'text' or 'html' (its columns: url, body)"
    assert _jsonl(runner.invoke(app, ["batch", str(path), "--html-field", "body", "--jobs", "1"]).stdout)[0]["kind"] == "html"


def test_a_column_named_twice_is_one_error_record_not_a_stopped_batch(tmp_path, shard):
    # pyarrow writes such files; reading one stopped the batch with an internal error.
    twice = tmp_path / "twice.parquet"
    table = pa.Table.from_arrays([pa.array(["A note.\n"]), pa.array([1]), pa.array([2])], names=["text", "rank", "rank"])
    pq.write_table(table, twice)
    result = runner.invoke(app, ["batch", str(twice), str(shard), "--jobs", "1", "--carry", "rank"])
    assert result.exit_code == 0, result.stderr
    records = _jsonl(result.stdout)
    assert records[0] == {"source": str(twice), "error": f"{twice} has more than one column named 'rank': which to read cannot be told"}
    assert [r["source"] for r in records[1:]] == ["doc-1", f"{shard}:2", "doc-3", "doc-4"]
    assert count_inputs([str(twice), str(shard)], fields=Fields(carry=("rank",))) == 5
    # Not carried, the column is not read, and the row is cleaned.
    (record,) = _jsonl(runner.invoke(app, ["batch", str(twice), "--jobs", "1"]).stdout)
    assert record["text"] == "A note.\n"


def test_without_pyarrow_parquet_is_a_clear_message(tmp_path, shard, monkeypatch):
    def missing():
        raise ImportError("No module named 'pyarrow'")

    monkeypatch.setattr(parquet_module, "_pyarrow", missing)
    result = runner.invoke(app, ["batch", str(shard), "--jobs", "1"])
    assert result.exit_code == 0
    (record,) = _jsonl(result.stdout)
    assert record["error"] == f"cannot read {shard}: reading or writing Parquet needs pyarrow: pip install pyarrow (in a checkout: pip install -e '.[parquet]')"
    result = runner.invoke(app, ["batch", str(shard), "-o", str(tmp_path / "out.parquet"), "--jobs", "1"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "cleaner: error: reading or writing Parquet needs pyarrow: pip install pyarrow (in a checkout: pip install -e '.[parquet]')"


def test_the_progress_total_comes_from_the_footer(tmp_path, shard):
    folder = tmp_path / "shards"
    folder.mkdir()
    (folder / "a.parquet").write_bytes(shard.read_bytes())
    (folder / "page.html").write_bytes(PAGE)
    assert count_inputs([str(folder)]) == 5
    assert count_inputs([str(shard), str(folder / "page.html")], fields=Fields(text="body", html="raw")) == 2  # no document column: one error record
    (folder / "broken.parquet").write_bytes(b"PAR1 not really")
    assert count_inputs([str(folder)]) is None


def test_ctrl_c_leaves_a_readable_file_of_the_first_documents(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(3000):
        (folder / f"{i:05d}.txt").write_text(f"Item {i}.\n" + ARTICLE, encoding="utf-8")
    out = tmp_path / "out.parquet"
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "batch", str(folder), "-o", str(out), "--jobs", "2", "--quiet"],
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not out.exists():
        time.sleep(0.02)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    table = pq.read_table(out)  # the footer was written: the file reads
    sources = table.column("source").to_pylist()
    assert sources == [str(folder / f"{i:05d}.txt") for i in range(len(sources))]  # a prefix, in input order
    if len(sources) < 3000:  # stopped part-way (a fast machine may finish first)
        assert proc.returncode == 130, stderr
        assert b"--resume needs a plain .jsonl file or a folder as output, so rerun the inputs not yet written" in stderr


def test_cleaning_a_parquet_file_as_one_document_points_to_batch(shard):
    result = runner.invoke(app, ["clean", str(shard)])
    assert result.exit_code == 2
    assert result.stderr.strip() == "cleaner: error: input looks like Parquet file, not text or HTML: `cleaner batch` reads the rows in it"
    assert runner.invoke(app, ["clean", "-"], input="PAR1 qualifying laps ended early.\n").exit_code == 0  # text may start so


def test_odd_column_types_give_sources_and_error_records_not_tracebacks(tmp_path):
    path = tmp_path / "odd.parquet"
    schema = pa.schema([("id", pa.int64()), ("text", pa.list_(pa.string())), ("html", pa.large_string())])
    _write(path, [{"id": 7, "text": ["a", "list"], "html": None},
                  {"id": 8, "text": None, "html": "<p>A paragraph of a page that says enough about the harbour.</p>"}], schema)
    result = runner.invoke(app, ["batch", str(path), "--jobs", "1"])
    assert result.exit_code == 0 and "Traceback" not in result.stderr
    first, second = _jsonl(result.stdout)
    assert first == {"source": "7", "error": "row 1 has no string or binary value in 'text' or 'html'"}
    assert second["source"] == "8" and second["kind"] == "html"


def _carried_table(tmp_path, inputs: list, carry: str):
    out = tmp_path / "out.parquet"
    result = runner.invoke(app, ["batch", *map(str, inputs), "-o", str(out), "--jobs", "1", "--carry", carry, "--quiet"])
    assert result.exit_code == 0, result.stderr
    return pq.read_table(out)


def test_carried_parquet_columns_keep_their_types(tmp_path):
    when = datetime.datetime(2026, 11, 1, 8, 30, tzinfo=datetime.timezone.utc)
    schema = pa.schema([("text", pa.string()), ("row_id", pa.int64()), ("fetched", pa.timestamp("us", tz="UTC")),
                        ("quality", pa.float32()), ("english", pa.bool_()), ("tags", pa.list_(pa.string())),
                        ("meta", pa.struct([("site", pa.string()), ("rank", pa.int32())])),
                        ("scores", pa.map_(pa.string(), pa.float64())), ("day", pa.date32())])
    rows = [
        {"text": ARTICLE, "row_id": 9_007_199_254_740_993, "fetched": when, "quality": 0.5, "english": True,
         "tags": ["a", "b"], "meta": {"site": "news.example", "rank": 3}, "scores": [("lang", 0.98)],
         "day": datetime.date(2026, 11, 1)},
        {"text": None, "row_id": 2, "fetched": None, "quality": None, "english": False, "tags": [], "meta": None,
         "scores": None, "day": None},
    ]
    source = tmp_path / "typed.parquet"
    _write(source, rows, schema)
    names = [name for name in schema.names if name != "text"]
    table = _carried_table(tmp_path, [source], ",".join(names))
    for name in names:
        assert table.schema.field(name).type == schema.field(name).type, name
    first, error = table.to_pylist()
    # An id past 2**53 survives (as JSON text through a float it would not).
    assert first["row_id"] == 9_007_199_254_740_993 and first["fetched"] == when and first["english"] is True
    assert first["tags"] == ["a", "b"] and first["meta"] == {"site": "news.example", "rank": 3}
    assert first["scores"] == [("lang", 0.98)] and first["day"] == datetime.date(2026, 11, 1) and first["quality"] == 0.5
    assert first["text"] == Cleaner().clean(ARTICLE, kind="text").text
    # The row without a document is its error record, with its own carried values.
    assert error["error"].startswith("row 2 has no string") and error["row_id"] == 2 and error["english"] is False


def test_carried_columns_are_strings_when_the_inputs_do_not_agree_on_a_type(tmp_path):
    one, two = tmp_path / "a.parquet", tmp_path / "b.parquet"
    _write(one, [{"text": "First shard note.\n", "rank": 1, "lang": "en"}])
    _write(two, [{"text": "Second shard note.\n", "rank": "high", "lang": "de"}])
    table = _carried_table(tmp_path, [one, two], "rank,lang")
    # rank is int64 in one shard and a string in the other: strings, as JSON gives them.
    assert table.schema.field("rank").type == pa.string() and table.column("rank").to_pylist() == ["1", "high"]
    assert table.schema.field("lang").type == pa.string() and table.column("lang").to_pylist() == ["en", "de"]


def test_carried_columns_are_strings_when_a_jsonl_input_is_among_the_inputs(tmp_path):
    shard, lines = tmp_path / "a.parquet", tmp_path / "b.jsonl"
    _write(shard, [{"text": "First shard note.\n", "rank": 1}])
    lines.write_text(json.dumps({"text": "A line's note.\n", "rank": [1, 2]}) + "\n", encoding="utf-8")
    table = _carried_table(tmp_path, [shard, lines], "rank")
    assert table.schema.field("rank").type == pa.string() and table.column("rank").to_pylist() == ["1", "[1, 2]"]


def test_dictionary_and_fixed_size_list_columns_are_carried_as_strings(tmp_path):
    source = tmp_path / "dict.parquet"
    table = pa.table({"text": ["A note.\n", "Another note.\n"],
                      "lang": pa.array(["en", "fr"]).dictionary_encode(),
                      "pair": pa.array([[1, 2], [3, 4]], type=pa.list_(pa.int64(), 2))})
    pq.write_table(table, source)
    out = _carried_table(tmp_path, [source], "lang,pair")
    assert out.schema.field("lang").type == pa.string() and out.column("lang").to_pylist() == ["en", "fr"]
    # A fixed-size list column holding a null, written by pyarrow, cannot be read back by it.
    assert out.schema.field("pair").type == pa.string() and out.column("pair").to_pylist() == ["[1, 2]", "[3, 4]"]


def test_times_python_cannot_hold_are_carried_as_text_not_a_stopped_batch(tmp_path):
    # Nanosecond timestamps (pandas writes them) and dates past year 9999
    # made pyarrow raise while converting rows: the batch stopped there.
    nanos = 1_700_000_000_123_456_789
    table = pa.table({
        "text": ["A note.\n", "Another note.\n"],
        "ts": pa.array([nanos, None], type=pa.timestamp("ns")),
        "stamps": pa.array([[nanos], []], type=pa.list_(pa.timestamp("ns"))),
        "day": pa.array([3_000_000, 0], type=pa.date32()),
    })
    source = tmp_path / "times.parquet"
    pq.write_table(table, source)
    result = runner.invoke(app, ["batch", str(source), "--jobs", "1", "--carry", "ts,stamps,day"])
    assert result.exit_code == 0, result.stderr
    first, second = _jsonl(result.stdout)
    assert (first["ts"], first["stamps"], first["day"]) == ("2023-11-14 22:13:20.123456789", ["2023-11-14 22:13:20.123456789"], "10183-09-21")
    assert (second["ts"], second["stamps"], second["day"]) == (None, [], "1970-01-01")
    assert first["text"] == "A note.\n" and "error" not in first
    # Parquet out: the nanosecond columns are text; the date column keeps its
    # type, and the one date it cannot take back is null.
    out = _carried_table(tmp_path, [source], "ts,stamps,day")
    assert out.schema.field("ts").type == pa.string() and out.schema.field("stamps").type == pa.string()
    assert out.schema.field("day").type == pa.date32()
    assert out.column("day").to_pylist() == [None, datetime.date(1970, 1, 1)]
    assert out.column("ts").to_pylist() == ["2023-11-14 22:13:20.123456789", None]


NANOS = 1_700_000_000_123_456_789
# Column types whose values Python, JSON or a Parquet writer handle unevenly,
# each with a null but one: every one must be carried (or typed), never stop a batch.
AWKWARD_COLUMNS = {
    "ts_ns_tz": pa.array([NANOS, None], type=pa.timestamp("ns", tz="Europe/Paris")),
    "ts_ns_far": pa.array([-9_000_000_000_000_000_000, None], type=pa.timestamp("ns")),
    "time_ns": pa.array([86_399_999_999_999, None], type=pa.time64("ns")),
    "duration_ns": pa.array([-5, None], type=pa.duration("ns")),
    "date_far": pa.array([-1_000_000, None], type=pa.date32()),
    "list_ts_ns": pa.array([[NANOS, None], None], type=pa.list_(pa.timestamp("ns"))),
    "struct_ts_ns": pa.array([{"t": NANOS}, None], type=pa.struct([("t", pa.timestamp("ns"))])),
    "map_ts_ns": pa.array([[("k", NANOS)], None], type=pa.map_(pa.string(), pa.timestamp("ns"))),
    "fixed_list": pa.array([[1, 2], [3, 4]], type=pa.list_(pa.int64(), 2)),  # a null here: pyarrow cannot read the file back
    "nulls": pa.nulls(2),
    "float_nan": pa.array([float("nan"), None]),
    "big_decimal": pa.array([decimal.Decimal("12345678901234567890.5"), None], type=pa.decimal128(38, 1)),
    "tiny_decimal": pa.array([decimal.Decimal("-0.0000000001"), None], type=pa.decimal128(12, 10)),
}


@pytest.mark.parametrize("output", ["out.jsonl", "out.parquet"])
def test_awkward_carried_columns_never_stop_a_batch(tmp_path, output):
    source = tmp_path / "awkward.parquet"
    pq.write_table(pa.table({"text": ["A note.\n", "Another note.\n"], **AWKWARD_COLUMNS}), source)
    out = tmp_path / output
    result = runner.invoke(app, ["batch", str(source), "-o", str(out), "--jobs", "1", "--quiet",
                                 "--carry", ",".join(AWKWARD_COLUMNS)])
    assert result.exit_code == 0, result.stderr
    records = pq.read_table(out).to_pylist() if output.endswith(".parquet") else _jsonl(out.read_text(encoding="utf-8"))
    assert [r["text"] for r in records] == ["A note.\n", "Another note.\n"]
    assert all(r.get("error") is None for r in records)
    assert all(records[1][name] is None for name in AWKWARD_COLUMNS if name not in ("float_nan", "fixed_list"))
    if output == "out.jsonl":  # decimals as their digits, never with an exponent ("-1E-10")
        assert records[0]["big_decimal"] == "12345678901234567890.5" and records[0]["tiny_decimal"] == "-0.0000000001"
    assert records[0]["time_ns"] == "23:59:59.999999999" and records[0]["list_ts_ns"] in (
        ["2023-11-14 22:13:20.123456789", None], '["2023-11-14 22:13:20.123456789", null]')
