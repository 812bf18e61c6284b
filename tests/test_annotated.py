"""Hand-labelled documents (`@@ <tag>` markers) and folders of labelled pages."""

from __future__ import annotations

import pytest

from cleaner.annotated import parse_annotated, read_page_folder
from cleaner.evaluation import evaluate

MARKED = """@@ content
Harbour Road gets its cycle lanes

The council voted 7-2 on Tuesday to build them after a long public consultation.
@@ headline_list
Most Read
- Ten things about the harbour you never knew
- Why the ferry was late again this week
- Local bakery wins national award for its sourdough
@@ content
Work starts in March and should finish by the end of the summer, the council said.
@@ hard_negative
What happens next
@@ content
Residents may comment until May.
@@ headline_list

Most Read
"""


def test_markers_go_and_spans_cover_each_junk_block_exactly():
    doc = parse_annotated(MARKED)
    assert "@@" not in doc.text
    assert doc.text.startswith("Harbour Road gets its cycle lanes\n\nThe council")
    assert [(doc.text[s:e], tag) for s, e, tag in doc.junk] == [
        ("Most Read\n- Ten things about the harbour you never knew\n- Why the ferry was late again this week\n"
         "- Local bakery wins national award for its sourdough", "headline_list"),
        ("Most Read", "headline_list"),
    ]
    assert [doc.text[s:e] for s, e in doc.hard_negatives] == ["What happens next"]
    assert doc.text.endswith("until May.\n\nMost Read\n")


def test_crlf_files_keep_their_line_endings():
    doc = parse_annotated(MARKED.replace("\n", "\r\n"))
    assert "\r\n" in doc.text and "@@" not in doc.text
    assert [doc.text[s:e] for s, e, _ in doc.junk][1] == "Most Read"


def test_tags_are_read_in_any_case_and_with_hyphens_and_diff_hunks_stay_text():
    doc = parse_annotated("\ufeff@@ Content\nText\n@@ HEADLINE-LIST\nTrending Now\n@@  content\n@@ -1,3 +1,4 @@\n@@@\n")
    assert [(doc.text[s:e], tag) for s, e, tag in doc.junk] == [("Trending Now", "headline_list")]
    assert doc.text == "Text\nTrending Now\n@@ -1,3 +1,4 @@\n@@@\n"


def test_lines_break_where_the_cleaner_breaks_them():
    """U+2028 and form feeds stay inside a line, as in the cleaner's blocks;
    an error's line number is the editor's."""
    doc = parse_annotated("@@ content\nOne\u2028still one\x0cline\n@@ promo\nSubscribe now\n")
    assert [doc.text[s:e] for s, e, _ in doc.junk] == ["Subscribe now"]
    with pytest.raises(ValueError, match="line 3: unknown tag"):
        parse_annotated("@@ content\nOne\u2028two\n@@ trending\n")


@pytest.mark.parametrize("source, message", [
    ("@@ content\nText\n@@ promo: a box\nSign up\n", "line 3: a marker line holds only '@@ <tag>'"),
    ("Some text\n@@ content\nMore\n", "line 1: text before the first '@@ <tag>' marker"),
    ("@@ content\nText\n@@ trending\nA list\n", "line 3: unknown tag 'trending'"),
    ("just text\n", "text before the first"),
    ("\n\n", "no '@@ <tag>' marker"),
])
def test_a_malformed_file_is_a_value_error_naming_the_line(source, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_annotated(source)


def test_a_page_without_its_gold_body_is_named(tmp_path):
    (tmp_path / "p1.html").write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    with pytest.raises(ValueError, match="p1.html has no gold body beside it"):
        read_page_folder(tmp_path)


def test_an_annotated_folder_is_scored_with_the_line_metric(tmp_path, cleaner):
    (tmp_path / "a.txt").write_text(MARKED, encoding="utf-8")
    (tmp_path / "b.txt").write_text("@@ content\n" + MARKED.split("@@ content\n", 1)[1].split("@@")[0], encoding="utf-8")
    rows = evaluate(tmp_path, cleaner, sets=(str(tmp_path),), baselines=())
    assert [(row.system, row.docs) for row in rows] == [("cleaner", 2)]
    assert rows[0].recall == 1.0 and rows[0].hard_negative_removed == 0.0 and rows[0].content_removed == 0.0


def test_a_page_folder_is_scored_against_its_gold_body_with_leaks_counted(tmp_path, cleaner):
    paragraphs = [
        "The harbour authority said on Monday that the new ferry terminal would open in the spring, two years late.",
        "Engineers blamed the delay on soft ground under the old quay, which had to be piled before work could go on.",
        "Fares will stay at this year's level until the terminal opens, the authority said in a statement.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (f"<html><head><title>Ferry terminal</title></head><body><article><h1>Ferry terminal late</h1>{body[:-4]}</p>"
            "<div class='ad'><p>ADVERTISEMENT</p></div></article></body></html>")
    (tmp_path / "p1.html").write_text(html, encoding="utf-8")
    (tmp_path / "p1.body.txt").write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    (tmp_path / "p1.junk.txt").write_text("ADVERTISEMENT\n", encoding="utf-8")
    rows = evaluate(tmp_path, cleaner, sets=(str(tmp_path),), baselines=())
    assert rows[0].docs == 1 and rows[0].leaked == 0.0 and rows[0].f1 > 0.95


def test_a_folder_named_like_a_shared_set_is_the_user_s_folder(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from cleaner.cli import app

    (tmp_path / "seed").mkdir()
    (tmp_path / "seed" / "a.txt").write_text(MARKED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["eval", "--labelled", "seed", "--baselines", ""])
    assert result.exit_code == 0, result.stderr
    assert "| seed | cleaner | 1 |" in result.stdout


def test_a_page_folder_reads_htm_pages_in_their_declared_charset(tmp_path, cleaner):
    body = "Der Gemeinderat hat am Montag beschlossen, die Brücke über die Ache bis zum Herbst zu erneuern, sagte der Bürgermeister."
    html = (f"<html><head><meta charset='windows-1252'><title>Brücke</title></head><body><article><h1>Brücke</h1>"
            f"<p>{body}</p><p>{body.replace('Montag', 'Dienstag')}</p></article></body></html>")
    (tmp_path / "p1.HTM").write_bytes(html.encode("cp1252"))
    (tmp_path / "p1.body.txt").write_text(body + "\n" + body.replace("Montag", "Dienstag") + "\n", encoding="utf-8")
    [row] = evaluate(tmp_path, cleaner, sets=(str(tmp_path),), baselines=())
    assert row.docs == 1 and row.f1 > 0.95


def test_a_folder_without_labelled_files_says_what_it_wants(tmp_path, cleaner):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(MARKED, encoding="utf-8")
    with pytest.raises(ValueError, match="holds no labelled files .*subfolders are not read"):
        evaluate(tmp_path, cleaner, sets=(str(tmp_path),), baselines=())
