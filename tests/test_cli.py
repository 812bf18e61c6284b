"""The CLI through typer's runner: output, reports, exit codes, error messages."""

from __future__ import annotations

import json
import os
import re
from collections import Counter

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner, __version__
from cleaner.cli import app

from .conftest import EXAMPLES, REPO, shared_or_skip

runner = CliRunner()
ARTICLE = EXAMPLES / "article.txt"


def invoke(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"cleaner {__version__}"


@pytest.mark.parametrize("command", ["clean", "batch", "train", "eval"])
def test_every_command_has_help_with_examples(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout


def test_clean_prints_clean_text():
    result = invoke("clean", str(ARTICLE))
    assert result.exit_code == 0
    assert "Harbour Town Votes to Rebuild" in result.stdout
    assert "Most Popular Right Now" not in result.stdout
    assert "Sign up for our free morning briefing" not in result.stdout
    assert "What the Plan Includes" in result.stdout
    assert "- 46 piles to be replaced" in result.stdout


def test_clean_reads_stdin():
    result = invoke("clean", "-", input=ARTICLE.read_text(encoding="utf-8"))
    assert result.exit_code == 0
    assert "Most Popular Right Now" not in result.stdout


def test_report_file_is_exact(tmp_path):
    report_path = tmp_path / "report.json"
    result = invoke("clean", str(ARTICLE), "--report", str(report_path))
    assert result.exit_code == 0
    report = json.loads(report_path.read_text(encoding="utf-8"))
    original = ARTICLE.read_text(encoding="utf-8")
    assert report["schema"] == "cleaner.report/1"
    assert report["kind"] == "text"
    assert report["base_length"] == len(original)
    assert len(report["model"]["sha256"]) == 64
    assert report["removed"], "the example has junk to remove"
    for span in report["removed"]:
        assert original[span["start"]:span["end"]] == span["text"]
    assert sum(report["counts"].values()) == len(report["removed"])


def test_json_format_carries_text_and_report():
    result = invoke("clean", str(ARTICLE), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert "Harbour Town" in data["text"]
    assert data["removed"] and data["schema"] == "cleaner.report/1"


def test_html_kind_and_auto_detection():
    page = EXAMPLES / "page.html"
    auto = json.loads(invoke("clean", str(page), "--format", "json").stdout)
    assert auto["kind"] == "html"
    assert "Trending Now" not in auto["text"]
    as_text = json.loads(invoke("clean", str(page), "--format", "json", "--kind", "text").stdout)
    assert as_text["kind"] == "text"


def test_threshold_and_keep_options():
    none_removed = json.loads(invoke("clean", str(ARTICLE), "--format", "json", "--threshold", "1.0").stdout)
    assert none_removed["removed"] == []
    kept = json.loads(invoke("clean", str(ARTICLE), "--format", "json", "--keep", "share,promo").stdout)
    assert "share" not in kept["counts"] and "promo" not in kept["counts"]
    assert "Share this article" in kept["text"]


def test_explain_shows_every_line_with_its_decision():
    result = invoke("clean", str(ARTICLE), "--explain")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    non_blank = [l for l in ARTICLE.read_text(encoding="utf-8").splitlines() if l.strip()]
    assert len(lines) == len(non_blank)
    assert any(l.startswith("REMOVE headline_list") for l in lines)
    assert any(l.startswith("keep   content") for l in lines)


def test_explain_with_json_gives_every_line_s_decision_in_the_object():
    result = invoke("clean", str(ARTICLE), "--explain", "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    text = ARTICLE.read_text(encoding="utf-8")
    blocks = report["blocks"]
    assert [b["text"] for b in blocks] == [l for l in text.splitlines() if l.strip()]
    assert all(text[b["start"]:b["end"]] == b["text"] for b in blocks)
    removed = [b for b in blocks if b["removed"]]
    assert removed and all(b["label"] != "content" and b["junk_score"] >= b["threshold"] and b["reason"] for b in removed)
    spans = [(s["start"], s["end"]) for s in report["removed"]]  # a span covers a run of removed lines
    assert all(any(a <= b["start"] and b["end"] <= z for a, z in spans) for b in removed)
    assert all(any(b["start"] == a for b in removed) for a, _ in spans)
    assert report["text"] == Cleaner().clean(text, kind="auto").text


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["clean", "no/such/file.txt"], 2, "no such file"),
        (["clean", str(REPO / "tests")], 2, "is a directory"),
        (["clean", str(ARTICLE), "--keep", "bogus"], 2, "unknown label"),
        (["clean", "no/such/file.txt", "--keep", "bogus"], 2, "unknown label"),  # options first, as for stdin
        (["clean", str(ARTICLE), "--model", str(REPO / "models" / "cleaner-model.joblib")], 3, "--trust-model"),
        (["eval", "--shared", "no/such/dir"], 2, "no such folder"),
        (["eval", "--labelled", "no/such.jsonl"], 2, "no such file"),
        (["eval", "--shared", str(REPO), "--baselines", "trafilatura,readability"], 2, "unknown baseline 'readability'"),
        (["train", "--data", "no/such/dir"], 2, "no articles/ folder"),
        (["clean", str(ARTICLE), str(ARTICLE)], 2, "cleaner clean takes one file, got 2: for many, use cleaner batch FILES... -o cleaned.jsonl"),
        (["clean", "https://example.org/a?b=1"], 2, "cleaner does not fetch pages: save it first, e.g. curl -sL 'https://example.org/a?b=1' | cleaner clean -"),
    ],
)
def test_errors_are_one_line_with_an_exit_code(args, code, message):
    result = invoke(*args)
    assert result.exit_code == code
    err = result.stderr.strip()
    assert message in err and "Traceback" not in err
    assert len(err.splitlines()) == 1 and err.startswith("cleaner: error:")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_explain_gives_one_row_per_line_with_crlf_and_cr_text(newline):
    # A hard-wrapped paragraph is read as one line; its CRs used to reach the terminal and overwrite the row.
    words = ("The harbour board met on Tuesday evening and voted to rebuild the old pier, which lost a third of its "
             "deck in the February storm and has been closed to walkers ever since. ").split() * 3
    rows, line = [], ""
    for word in words:
        if len(line) + len(word) >= 70:
            rows.append(line.rstrip())
            line = ""
        line += word + " "
    text = newline.join(rows + [line.rstrip(), "", "Advertisement", ""])
    result = invoke("clean", "-", "--explain", input=text)
    assert result.exit_code == 0
    out = result.stdout.splitlines()
    assert len(out) == len(Cleaner().clean(text).blocks) == 2
    assert "\r" not in result.stdout and out[1].startswith("REMOVE")


def test_a_bad_keep_label_fails_before_stdin_is_read():
    # Checked first: with the input read first, `cleaner clean --keep bogus` at a terminal waited for typing.
    result = runner.invoke(app, ["clean", "-", "--keep", "bogus"], input=ARTICLE.read_text(encoding="utf-8"))
    assert result.exit_code == 2 and "unknown label(s) bogus" in result.stderr


def test_output_the_terminal_cannot_encode_is_a_one_line_error(tmp_path):
    import subprocess
    import sys

    page = tmp_path / "ja.txt"
    page.write_text("東京の港で新しい桟橋が完成した。\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(page)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONIOENCODING": "latin-1"}, cwd=REPO)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("cleaner: error: the output holds ") and "set PYTHONIOENCODING=utf-8" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_full_disk_under_standard_output_is_a_one_line_error():
    import subprocess
    import sys

    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full (Linux)")
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(ARTICLE)], stdout=full, stderr=subprocess.PIPE,
                              text=True, cwd=REPO)
    assert done.returncode == 1
    assert done.stderr.strip() == "cleaner: error: cannot write to standard output: No space left on device"


def test_a_small_warc_is_sent_to_batch_by_its_own_name(tmp_path):
    archive = tmp_path / "crawl.warc"
    archive.write_bytes(b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n")
    result = invoke("clean", str(archive))
    assert result.exit_code == 2 and f"`cleaner batch {archive}`" in result.stderr and "FILE" not in result.stderr


def test_bad_threshold_is_rejected():
    result = invoke("clean", str(ARTICLE), "--threshold", "2")
    assert result.exit_code == 2


def test_a_warc_over_the_size_limit_is_sent_to_batch_not_refused_for_its_size(tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    archive.write_bytes(b"\x1f\x8b" + bytes(5000))
    result = invoke("clean", str(archive), "--max-bytes", "1000")
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"cleaner: error: input is a WARC archive, which holds many pages: clean them with "
                                     f"`cleaner batch {archive}` (in Python, `cleaner.warc.warc_pages`)")


def test_a_page_without_article_text_says_so_on_stderr_and_succeeds(tmp_path):
    shell = tmp_path / "app.html"
    shell.write_text('<!doctype html><html><head><title>App</title></head><body><div id="root"></div>'
                     '<script src="/app.js"></script></body></html>', encoding="utf-8")
    result = invoke("clean", str(shell))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.strip() == "cleaner: note: no article text found in the page (a page filled in by scripts has none in its HTML)"
    assert invoke("clean", str(ARTICLE)).stderr == ""


def test_binary_input_is_a_clear_error(tmp_path):
    png = tmp_path / "x.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    result = invoke("clean", str(png))
    assert result.exit_code == 2
    assert result.stderr.strip() == "cleaner: error: input looks like PNG image, not text or HTML"


def test_eval_scores_the_seed():
    shared = shared_or_skip("seed").parent
    result = invoke("eval", "--shared", str(shared), "--sets", "seed")
    assert result.exit_code == 0, result.stderr
    assert "seed" in result.stdout and "pass" in result.stdout.lower()


def test_eval_fast_scores_the_cleaner_with_trafilaturas_fast_mode(monkeypatch):
    shared = shared_or_skip("eval", "aeb").parent.parent

    def fallback(*args, **kwargs):
        raise RuntimeError("fallback extractors called")

    monkeypatch.setattr("trafilatura.core.compare_extraction", fallback)  # only a run that skips them scores
    rows = {}
    for fast in ((), ("--fast",)):
        result = invoke("eval", "--shared", str(shared), "--sets", "aeb", "--limit", "3", "--baselines", "", *fast)
        assert result.exit_code == 0, result.stderr
        row = next(line for line in result.stdout.splitlines() if "| cleaner |" in line)
        rows[fast] = float(row.split("|")[6])  # F1
    assert rows[()] == 0.0 and rows[("--fast",)] > 0.8


def _labelled_set(tmp_path, copies: int):
    """A JSONL set in the eval/injected/text.jsonl format: the example article
    with its headline list marked as injected, `copies` times."""
    original = ARTICLE.read_text(encoding="utf-8")
    start = original.index("Most Popular Right Now:")
    end = original.index("What the Plan Includes")
    record = {"text": original, "injected": [{"start": start, "end": end, "label": "headline_list"}], "hard_negatives": []}
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps({"id": str(i), **record}) for i in range(copies)) + "\n", encoding="utf-8")
    return path


def test_eval_scores_a_labelled_set(tmp_path):
    result = invoke("eval", "--labelled", str(_labelled_set(tmp_path, 1)))
    assert result.exit_code == 0, result.stderr
    assert "cleaner" in result.stdout and "1.000" in result.stdout


def test_eval_scores_a_folder_of_annotated_texts_and_names_a_bad_marker(tmp_path):
    original = ARTICLE.read_text(encoding="utf-8")
    start = original.index("Most Popular Right Now:")
    end = original.index("What the Plan Includes")
    marked = f"@@ content\n{original[:start]}@@ headline_list\n{original[start:end]}@@ content\n{original[end:]}"
    (tmp_path / "one.txt").write_text(marked, encoding="utf-8")
    result = invoke("eval", "--labelled", str(tmp_path), "--baselines", "")
    assert result.exit_code == 0, result.stderr
    assert "cleaner" in result.stdout and "1.000" in result.stdout
    found = re.search(r"junk lines removed, by gold label: headline_list (\d+) of (\d+)$", result.stdout, re.M)
    assert found and found[1] == found[2] == str(original[start:end].strip().count("\n") + 1)
    (tmp_path / "two.txt").write_text("@@ content\nText\n@@ trending\nA teaser\n", encoding="utf-8")
    result = invoke("eval", "--labelled", str(tmp_path), "--baselines", "")
    assert result.exit_code == 2 and "two.txt, line 3: unknown tag 'trending'" in result.stderr
    assert "Traceback" not in result.stderr


def test_train_writes_a_model_that_loads(tmp_path):
    out = tmp_path / "model"
    result = invoke("train", "--data", str(REPO / "training_data"), "--out", str(out), "--text-docs", "60", "--html-docs", "10")
    assert result.exit_code == 0, result.stderr
    assert (out / "cleaner-model.joblib").exists() and (out / "MODEL_CARD.md").exists()
    # The card says what was composed (each of 4 folds gets n // 4 documents) and how to train it again.
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["training"]["text_docs"], manifest["training"]["html_docs"]) == (60, 8)
    assert "--text-docs 60 --html-docs 8" in card and manifest["trafilatura_version"] in card
    cleaned = invoke("clean", str(ARTICLE), "--model", str(out / "cleaner-model.joblib"), "--trust-model")
    assert cleaned.exit_code == 0
    scored = invoke("eval", "--labelled", str(_labelled_set(tmp_path, 1)), "--baselines", "",
                    "--model", str(out / "cleaner-model.joblib"), "--trust-model")
    assert scored.exit_code == 0 and "| cleaner |" in scored.stdout
    refused = invoke("eval", "--labelled", str(_labelled_set(tmp_path, 1)), "--model", str(out / "cleaner-model.joblib"))
    assert refused.exit_code == 3 and "--trust-model" in refused.stderr
    assert "Harbour Town" in cleaned.stdout


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(ARTICLE)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Harbour Town" in done.stdout and "Most Popular Right Now" not in done.stdout
    failed = subprocess.run([sys.executable, "-m", "cleaner", "clean", "no/such/file"], capture_output=True, text=True, timeout=120)
    assert failed.returncode == 2
    assert failed.stderr.strip() == "cleaner: error: no such file: no/such/file"


@pytest.mark.parametrize("content, message", [
    ("", "has no documents to score"),
    ("\n\n", "has no documents to score"),
    ('{"id": "a", "text": "One line.\\n", "injected": [{"start": 0, "end": 99}]}\n', 'record 1: record \'a\', "injected": span (0, 99) is not within the text'),
    ('{"id": "a", "text": "One line.\\n", "injected": [{"start": 5, "end": 2}]}\n', "span (5, 2) is not within the text"),
    ('{"id": "a", "text": "One line.\\n", "injected": [[0, 5]]}\n', 'a span must be {"start": int, "end": int}'),
    ('{"id": "a", "text": "One line.\\n", "injected": null}\n', '"injected" must be a list'),
    ('{"id": "a", "text": null}\n', 'a record must be a JSON object with "id" and a string "text"'),
    ('{"id": "a", "text": "x"}\n{oops\n', "line 2: not JSON"),
], ids=["empty", "blank lines", "past the end", "reversed", "list span", "null spans", "null text", "bad json"])
def test_eval_refuses_a_labelled_set_it_cannot_score_faithfully(tmp_path, content, message):
    # An empty set scored P = R = F1 = 1.000, bad spans changed the figures unseen, and bad records were internal errors.
    path = tmp_path / "set.jsonl"
    path.write_text(content, encoding="utf-8")
    result = invoke("eval", "--labelled", str(path), "--baselines", "")
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_eval_reads_a_labelled_set_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text("\ufeff" + json.dumps({"id": "a", "text": "One line of text.\n", "injected": []}) + "\n", encoding="utf-8")
    result = invoke("eval", "--labelled", str(path), "--baselines", "")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("args, message", [
    (["--out", "README.md"], "--out README.md is a file, not a folder"),
    (["--seed", "-1"], "Invalid value for '--seed'"),
])
def test_train_refuses_a_bad_out_or_seed_before_composing(args, message):
    # Checked only after minutes of composing and fitting, as internal errors.
    result = invoke("train", "--data", str(REPO / "training_data"), "--text-docs", "60", *args)
    assert result.exit_code == 2 and message in result.output


def test_train_names_a_damaged_training_data_file(tmp_path):
    import shutil

    data = tmp_path / "training_data"
    shutil.copytree(REPO / "training_data", data)
    (data / "boilerplate" / "de" / "teasers.txt").write_text("", encoding="utf-8")
    result = invoke("train", "--data", str(data), "--out", str(tmp_path / "m"), "--text-docs", "20", "--html-docs", "0")
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"cleaner: error: training data: {data / 'boilerplate' / 'de' / 'teasers.txt'} is missing or empty "
                                     "(every language with articles needs each boilerplate file)")
    (data / "articles" / "en" / "broken.md").write_bytes(b"# Title\n\xff\xfe not UTF-8\n")
    result = invoke("train", "--data", str(data), "--out", str(tmp_path / "m"), "--text-docs", "20", "--html-docs", "0")
    assert result.exit_code == 2 and f"training data file {data / 'articles' / 'en' / 'broken.md'} is not UTF-8 text" in result.stderr


def test_eval_limit_scores_only_the_first_documents(tmp_path):
    result = invoke("eval", "--labelled", str(_labelled_set(tmp_path, 3)), "--limit", "2")
    assert result.exit_code == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if "| cleaner |" in line)
    assert row.split("|")[3].strip() == "2"


def test_eval_counts_the_junk_lines_found_by_gold_label_when_every_span_has_one(tmp_path):
    text = ARTICLE.read_text(encoding="utf-8")
    start = text.index("Most Popular Right Now:")
    end = text.index("What the Plan Includes")
    record = {"id": "0", "text": text, "injected": [{"start": start, "end": end, "label": "list"}], "hard_negatives": []}
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = invoke("eval", "--labelled", str(path), "--baselines", "")
    assert result.exit_code == 0, result.stderr
    lines = text[start:end].strip().count("\n") + 1
    assert result.stdout.strip().splitlines()[-1] == f"{path} / cleaner: junk lines removed, by gold label: list {lines} of {lines}"
    # The baselines get theirs too: the C4 rule's "0 of N" is the comparison.
    result = invoke("eval", "--labelled", str(path), "--baselines", "c4")
    assert re.search(rf"^{re.escape(str(path))} / c4 rule: junk lines removed, by gold label: list \d+ of {lines}$", result.stdout, re.M)
    # A label that is not one word is quoted, so it cannot blur the line.
    record["injected"][0]["label"] = "list, 3 of 4\nX"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = invoke("eval", "--labelled", str(path), "--baselines", "")
    assert result.stdout.strip().splitlines()[-1].endswith(f"by gold label: 'list, 3 of 4\\nX' {lines} of {lines}")
    # A span without a label: no per-label line, rather than one that leaves its lines out, and a note saying why.
    record["injected"].append({"start": 0, "end": 5})
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = invoke("eval", "--labelled", str(path), "--baselines", "")
    assert result.exit_code == 0 and "by gold label" not in result.stdout
    assert "some junk spans carry no label" in result.stderr


def test_eval_counts_the_content_lines_removed_by_label(tmp_path):
    # Labelled as if the article's headline list were content: every line the
    # cleaner removes is then content removed, under the label it went with.
    text = ARTICLE.read_text(encoding="utf-8")
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({"id": "0", "text": text, "injected": [], "hard_negatives": []}) + "\n", encoding="utf-8")
    result = invoke("eval", "--labelled", str(path), "--baselines", "")
    assert result.exit_code == 0, result.stderr
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith(f"{path} / cleaner: ") and "content lines removed, by label: " in line
    counts = dict(part.rsplit(" ", 1) for part in line.split("by label: ")[1].split(", "))
    lines = Counter(d.label for d in Cleaner().clean(text, kind="text").blocks if d.removed)
    assert {label: int(n) for label, n in counts.items()} == dict(lines) and sum(lines.values()) >= 5
