"""Hostile input (tests/hostile_cases.py) through the API, `cleaner clean` and
`cleaner batch`: each case gives an exact result or a one-line error naming the
problem, within the time limit, and never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner, InputError
from cleaner.cli import app

from .conftest import assert_exact_report
from .hostile_cases import BY_NAME, CASES, Case, build, file_name, restore_from_report

# Generous: a case that needs longer fails with "timed out" instead of passing slowly.
LIMIT = 60.0
runner = CliRunner()


@pytest.fixture(scope="module")
def limited() -> Cleaner:
    return Cleaner(timeout=LIMIT)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Every case as a file, named in corpus order."""
    folder = tmp_path_factory.mktemp("hostile")
    for case in CASES:
        (folder / file_name(case)).write_bytes(build(case.name))
    return folder


def _check_result(case: Case, result) -> None:
    assert_exact_report(result)
    _check_content(case, result.kind, result.base)


def _check_content(case: Case, kind: str, base: str) -> None:
    if case.kind:
        assert kind == case.kind
    if case.base is not None:
        assert base == case.base, "a text document's report must index the decoded input itself"
    for needle in case.contains:
        assert needle in base
    for needle in case.absent:
        assert needle not in base


def _check_one_line_error(stderr: str, case: Case) -> None:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cleaner: error:"), stderr
    assert case.error in lines[0]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_api(case, limited):
    data = build(case.name)
    if case.error:
        with pytest.raises(InputError, match=re.escape(case.error)) as info:
            limited.clean(data)
        assert "\n" not in str(info.value)
    else:
        _check_result(case, limited.clean(data))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_clean_command(case, corpus):
    result = runner.invoke(app, ["clean", str(corpus / file_name(case)), "--format", "json", "--timeout", str(LIMIT)])
    if case.error:
        assert result.exit_code == 2
        _check_one_line_error(result.stderr, case)
        return
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    nothing_found = report["kind"] == "html" and report["base_length"] == 0  # a one-line note says so
    assert result.stderr == ("cleaner: note: no article text found in the page (a page filled in by scripts has none in its HTML)\n"
                             if nothing_found else "")
    base = restore_from_report(report)
    assert len(base) == report["base_length"]
    _check_content(case, report["kind"], base)


@pytest.mark.parametrize("name", ["PNG image", "HTML nested 100,000 deep", "280 empty comments, then text"])
def test_clean_in_a_real_process(name, corpus):
    case = BY_NAME[name]
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(corpus / file_name(case)), "--format", "json"],
        capture_output=True, text=True, timeout=120,
    )
    if case.error:
        assert done.returncode == 2
        _check_one_line_error(done.stderr, case)
    else:
        assert done.returncode == 0 and done.stderr == "", done.stderr
        report = json.loads(done.stdout)
        _check_content(case, report["kind"], restore_from_report(report))


def test_one_batch_of_every_case_in_a_real_process(corpus, tmp_path):
    """Records in = records out, in order; the bad documents are error records
    naming the problem; worker processes included, no traceback anywhere."""
    out = tmp_path / "out.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "batch", str(corpus), "-o", str(out), "--jobs", "2", "--timeout", str(LIMIT)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0
    assert "Traceback" not in done.stderr
    assert re.fullmatch(rf"cleaner: {len(CASES)} documents, \d+ errors, removed characters: .*", done.stderr.strip())
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(CASES)
    for case, record in zip(CASES, records):
        assert record["source"].endswith(file_name(case))
        if case.error:
            assert case.error in record["error"], (case.name, record)
        else:
            assert "error" not in record, (case.name, record["error"])
            base = restore_from_report(record)
            assert len(base) == record["base_length"]
            _check_content(case, record["kind"], base)


def test_hostile_jsonl_records_each_give_one_record(tmp_path):
    """JSON can carry what a file cannot: lone surrogates, NUL escapes, wrong
    types. Each line still gives exactly one record, written as valid JSON."""
    lines = [
        json.dumps({"id": "surrogate", "text": "Half a pair \ud800 here.\nAdvertisement\n"}),
        json.dumps({"id": "nul", "text": "A NUL\u0000inside this sentence stays in the text.\n"}),
        json.dumps({"id": "html-surrogate", "html": "<html><body><p>Broken \udfff pair in a paragraph of text.</p></body></html>"}),
        json.dumps({"id": "\ud83d", "text": "The id itself is broken."}),
        '{"id": "cut", "text": "unterminated',
        "[1, 2, 3]",
        json.dumps({"id": "number", "text": 12}),
        json.dumps({"id": "ok", "text": "A plain line of text that is fine."}),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(src), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(lines)
    by_source = {r["source"]: r for r in records}
    assert restore_from_report(by_source["surrogate"]) == "Half a pair \ud800 here.\nAdvertisement\n"
    assert by_source["nul"]["text"] == "A NUL\u0000inside this sentence stays in the text.\n"
    assert "\ud83d" in by_source
    assert "not JSON" in records[4]["error"] and "not a JSON object" in records[5]["error"]
    assert "no string field" in by_source["number"]["error"]
