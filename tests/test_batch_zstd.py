"""Batch mode over zstd-compressed JSONL (.jsonl.zst), in and out."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

zstandard = pytest.importorskip("zstandard")

from cleaner import zstd_streams  # noqa: E402
from cleaner.cli import app  # noqa: E402

from .conftest import EXAMPLES  # noqa: E402

runner = CliRunner()
ARTICLE = (EXAMPLES / "article.txt").read_text(encoding="utf-8")


def _lines(n: int) -> bytes:
    return b"".join(json.dumps({"id": f"r{i}", "text": f"Paragraph {i}.\n" + ARTICLE}).encode() + b"\n" for i in range(n))


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def shard(tmp_path):
    """Two zstd frames one after the other, as `zstd -T0` or `cat a.zst b.zst` make."""
    data = _lines(12)
    path = tmp_path / "shard.jsonl.zst"
    compress = zstandard.ZstdCompressor().compress
    path.write_bytes(compress(data[: len(data) // 2 + 7]) + compress(data[len(data) // 2 + 7:]))
    (tmp_path / "shard.jsonl").write_bytes(data)
    return path


def test_a_zst_shard_gives_the_records_of_its_plain_jsonl(shard, tmp_path):
    result = runner.invoke(app, ["batch", str(shard), "--jobs", "1"])
    plain = runner.invoke(app, ["batch", str(tmp_path / "shard.jsonl"), "--jobs", "1"])
    assert result.exit_code == 0 and plain.exit_code == 0, result.stderr
    assert [r["source"] for r in _jsonl(result.stdout)] == [f"r{i}" for i in range(12)]
    assert result.stdout == plain.stdout


def test_a_zst_output_decompresses_to_the_jsonl_output(shard, tmp_path):
    out, plain = tmp_path / "out.jsonl.zst", tmp_path / "out.jsonl"
    assert runner.invoke(app, ["batch", str(shard), "-o", str(out), "--jobs", "1", "--quiet"]).exit_code == 0
    assert runner.invoke(app, ["batch", str(shard), "-o", str(plain), "--jobs", "1", "--quiet"]).exit_code == 0
    with zstandard.ZstdDecompressor().stream_reader(out.open("rb")) as reader:
        assert reader.read() == plain.read_bytes()


def test_a_cut_shard_keeps_the_records_before_the_cut_and_says_so(shard, tmp_path):
    cut = tmp_path / "cut.jsonl.zst"
    cut.write_bytes(shard.read_bytes()[:-40])
    records = _jsonl(runner.invoke(app, ["batch", str(cut), "--jobs", "1"]).stdout)
    assert [r["source"] for r in records[:-1]] == [f"r{i}" for i in range(len(records) - 1)] and len(records) > 5
    assert records[-1] == {"source": str(cut), "error": f"cannot read {cut}: zstd data is cut short"}
    junk = tmp_path / "junk.jsonl.zst"
    junk.write_bytes(b"this is not zstd data\n")
    (record,) = _jsonl(runner.invoke(app, ["batch", str(junk), "--jobs", "1"]).stdout)
    assert record["error"].startswith(f"cannot read {junk}: zstd data is damaged (")


def test_a_line_over_the_limit_inside_a_zst_is_skipped_in_pieces(tmp_path):
    path = tmp_path / "big.jsonl.zst"
    writer = zstandard.ZstdCompressor().compressobj()
    parts = [writer.compress(b'{"id": "big", "text": "')]
    parts += [writer.compress(b"a" * (1 << 20)) for _ in range(64)]
    parts += [writer.compress(b'"}\n{"id": "next", "text": "A short sentence about the harbour."}\n'), writer.flush()]
    path.write_bytes(b"".join(parts))
    result = runner.invoke(app, ["batch", str(path), "--jobs", "1", "--max-bytes", "100000"])
    first, second = _jsonl(result.stdout)
    assert first["error"].startswith("line 1 is too long to be a record under the size limit")
    assert second["source"] == "next" and second["text"] == "A short sentence about the harbour."


def test_without_zstandard_zst_is_a_clear_message(shard, tmp_path, monkeypatch):
    def missing():
        raise OSError(zstd_streams.NEEDS_ZSTANDARD)

    monkeypatch.setattr(zstd_streams, "_zstandard", missing)
    (record,) = _jsonl(runner.invoke(app, ["batch", str(shard), "--jobs", "1"]).stdout)
    assert record["error"] == f"cannot read {shard}: reading or writing .zst files needs zstandard: pip install zstandard (in a checkout: pip install -e '.[zstd]')"
    result = runner.invoke(app, ["batch", str(shard), "-o", str(tmp_path / "o.jsonl.zst"), "--jobs", "1"])
    assert result.exit_code == 2
    assert "needs zstandard: pip install zstandard (in a checkout: pip install -e '.[zstd]')" in result.stderr
