"""Batch output to a folder: NAME.txt + NAME.report.json per document, safe unique names, resumable."""

from __future__ import annotations

import json

import pytest

from typer.testing import CliRunner

from cleaner.batch_output import document_name
from cleaner.cli import app

from .conftest import EXAMPLES

runner = CliRunner()
ARTICLE = (EXAMPLES / "article.txt").read_text(encoding="utf-8")
PAGE = (EXAMPLES / "page.html").read_text(encoding="utf-8")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)


def _pages(folder):
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    (folder / "a" / "story.html").write_text(PAGE, encoding="utf-8")
    (folder / "b" / "story.html").write_text(PAGE, encoding="utf-8")  # same name, other folder
    (folder / "b" / "broken.png").write_bytes(PNG)
    (folder / "c.txt").write_text(ARTICLE, encoding="utf-8")


def _listing(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_folder_output_writes_text_and_report_per_document(tmp_path):
    _pages(tmp_path / "in")
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(tmp_path / "in"), "-o", f"{out}/", "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.stderr
    names = [document_name(i, str(tmp_path / "in" / rel)) for i, rel in enumerate(["a/story.html", "b/broken.png", "b/story.html", "c.txt"])]
    assert len(set(names)) == 4 and names[0].endswith("_in_a_story") and names[2].endswith("_in_b_story")
    assert _listing(out) == sorted([f"{names[0]}.txt", f"{names[0]}.report.json", f"{names[1]}.error.json",
                                    f"{names[2]}.txt", f"{names[2]}.report.json", f"{names[3]}.txt", f"{names[3]}.report.json"])
    jsonl = runner.invoke(app, ["batch", str(tmp_path / "in"), "--jobs", "1", "--quiet"]).stdout.splitlines()
    for name, line in zip(names, jsonl):
        expected = json.loads(line)
        if "error" in expected:
            assert json.loads((out / f"{name}.error.json").read_text(encoding="utf-8")) == expected
            continue
        assert (out / f"{name}.txt").read_text(encoding="utf-8") == expected.pop("text")
        assert json.loads((out / f"{name}.report.json").read_text(encoding="utf-8")) == expected


def test_a_rerun_into_the_same_folder_leaves_one_outcome_per_document(tmp_path):
    # A document that failed before and is cleaned now (or the other way) kept
    # both files: NAME.error.json beside NAME.report.json, two records for one document.
    _pages(tmp_path / "in")
    out = tmp_path / "out"

    def run(*options: str) -> None:
        result = runner.invoke(app, ["batch", str(tmp_path / "in"), "-o", f"{out}/", "--jobs", "1", "--quiet", *options])
        assert result.exit_code == 0, result.stderr

    run("--markdown")
    everything = _listing(out)
    run("--max-bytes", str(len(ARTICLE.encode()) - 1))  # c.txt fails now
    c_txt = document_name(3, str(tmp_path / "in" / "c.txt"))
    assert f"{c_txt}.error.json" in _listing(out)
    assert not [name for name in _listing(out) if name.startswith(c_txt) and not name.endswith(".error.json")]
    assert not [name for name in _listing(out) if name.endswith(".md")]  # this run wrote no Markdown
    run("--markdown")
    assert _listing(out) == everything


def test_names_are_safe_unique_and_stable():
    hostile = ["../../etc/passwd", "https://x.example/a b?c=1&d=<2>", "", "...", "Ünïcode/名前", "CON", "a" * 500]
    names = [document_name(i, source) for i, source in enumerate(hostile)]
    for name in names:
        assert "/" not in name and "\\" not in name and not name.startswith(".") and len(name) <= 90
        assert all(c.isascii() and (c.isalnum() or c in "._-") for c in name)
    assert names[0] == "000001-etc_passwd"
    assert names[1] == "000002-x.example_a_b_c_1_d_2"
    assert names[2] == "000003-document" and names[3] == "000004-document"
    assert document_name(0, "https://x.example/same") != document_name(1, "https://x.example/same")
    assert [document_name(i, s) for i, s in enumerate(hostile)] == names


def test_resume_into_a_folder_cleans_only_what_is_missing(tmp_path):
    _pages(tmp_path / "in")
    out = tmp_path / "out"
    command = ["batch", str(tmp_path / "in"), "-o", f"{out}/", "--jobs", "1"]
    assert runner.invoke(app, command + ["--quiet"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # An interrupted run: the last document's report never written, its text
    # half-done in a temporary file, the error record of the PNG gone.
    last = sorted(n for n in before if n.endswith(".report.json"))[-1]
    (out / last).unlink()
    (out / f".cleaner-{last}.tmp").write_text("{ half", encoding="utf-8")
    (out / next(n for n in before if n.endswith(".error.json"))).unlink()
    result = runner.invoke(app, command + ["--resume"])
    assert result.exit_code == 0, result.stderr
    assert "2 documents (2 already done), 1 errors" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_rerun_without_resume_redoes_everything(tmp_path):
    _pages(tmp_path / "in")
    out = tmp_path / "out"
    command = ["batch", str(tmp_path / "in"), "-o", str(out) + "/", "--jobs", "1"]
    runner.invoke(app, command + ["--quiet"])
    result = runner.invoke(app, command)
    assert "4 documents, 1 errors" in result.stderr


def test_resume_needs_an_output_that_can_say_what_is_done(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    to_stdout = runner.invoke(app, ["batch", str(tmp_path / "a.txt"), "--resume"])
    unordered = runner.invoke(app, ["batch", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o.jsonl"), "--resume", "--unordered"])
    assert to_stdout.exit_code == 2 and to_stdout.stderr.startswith("cleaner: error: --resume needs a plain .jsonl output file")
    assert unordered.exit_code == 2 and "needs a folder output" in unordered.stderr
    assert "Traceback" not in to_stdout.stderr + unordered.stderr
    # Compressed and Parquet outputs are written in frames, members or row
    # groups: a cut one cannot be continued.
    for name in ("o.jsonl.gz", "o.jsonl.zst", "o.parquet"):
        refused = runner.invoke(app, ["batch", str(tmp_path / "a.txt"), "-o", str(tmp_path / name), "--resume"])
        assert refused.exit_code == 2, name
        assert refused.stderr.startswith("cleaner: error: --resume needs a plain .jsonl output file or a folder"), name


@pytest.mark.parametrize("fast", [True, False], ids=["orjson", "json module"])
def test_jsonl_lines_read_back_exactly_whichever_json_library_runs(monkeypatch, fast):
    from cleaner import jsonio

    if not fast:
        monkeypatch.setattr(jsonio, "orjson", None)
    records = [
        {"source": "a:1", "text": "plain ascii"},
        {"source": "b:2", "text": "Grüße, 東京, emoji 🙂, line\u2028separator, NEL\x85 here"},
        {"source": "c:3", "text": "lone \ud800 surrogate"},
    ]
    for obj in records:
        line = jsonio.dumps_line(obj)
        text = line.decode("utf-8")  # always UTF-8
        assert text.endswith("\n") and len(text.splitlines()) == 1
        assert jsonio.loads(text) == obj
        rest = {k: v for k, v in obj.items() if k != "source"}
        joined = jsonio.with_source(obj["source"], jsonio.dumps_line(rest)).decode("utf-8")
        assert len(joined.splitlines()) == 1 and jsonio.loads(joined) == obj
        assert list(jsonio.loads(joined)) == list(obj)  # source first
        carried = {"url": "https://example.org/\u2028", "meta": {"n": [1, None]}}
        with_fields = jsonio.with_source(obj["source"], jsonio.dumps_line(rest), carried).decode("utf-8")
        assert len(with_fields.splitlines()) == 1 and list(jsonio.loads(with_fields).items()) == [
            ("source", obj["source"]), *carried.items(), *rest.items()]
    with pytest.raises(jsonio.JSONDecodeError):
        jsonio.loads("{not json")


def test_record_fields_name_every_field_a_record_can_hold():
    """`--carry` refuses the names in RECORD_FIELDS: a field the record
    gains must be added there, or a carried field could overwrite it."""
    from cleaner import Cleaner
    from cleaner.batch import DocumentError
    from cleaner.batch_output import RECORD_FIELDS, record

    result = Cleaner().clean(PAGE, kind="html")
    keys = set(record("a", result, include_text=True)) | set(result.to_dict(include_text=True, include_markdown=True))
    keys |= set(record("b", DocumentError(0, "bad"), include_text=True))
    assert keys <= RECORD_FIELDS
