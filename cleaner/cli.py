"""The `cleaner` command line: a thin layer over the library.

Each command parses its options, calls one library function and prints. Library
errors (CleanerError and subclasses) become one line on stderr and the error's
exit code; anything else is a bug, and `run` still turns it into one line and
exit code 70 rather than a traceback.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .errors import CleanerError
from .pipeline import DEFAULT_MAX_BYTES

INTERNAL_ERROR_EXIT = 70  # EX_SOFTWARE in sysexits.h: a bug, not bad input
DEFAULT_CLEAN_TIMEOUT = 60.0

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Clean article text from scraped pages and report exactly what was removed.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class Kind(str, Enum):
    auto = "auto"
    html = "html"
    text = "text"


class Format(str, Enum):
    text = "text"
    json = "json"


def _fail(message: str, code: int) -> None:
    typer.echo(f"cleaner: error: {message}", err=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cleaner {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Clean article text from scraped pages and report exactly what was removed.

    Examples:

      cleaner clean page.html > article.txt

      cleaner clean saved.txt --report removed.json

      curl -s URL | cleaner clean - --format json
    """


def _read_input(path: str, max_bytes: int) -> bytes:
    """The document's bytes; an input over `max_bytes` fails before it is read
    whole, so a huge file or stream cannot exhaust memory first."""
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            _fail(f"input is more than {max_bytes:,} bytes, over the limit (raise it with --max-bytes)", 2)
        return data
    try:
        size = Path(path).stat().st_size
        if size > max_bytes:
            _fail(f"input is {size:,} bytes, over the limit of {max_bytes:,} (raise it with --max-bytes)", 2)
        return Path(path).read_bytes()
    except FileNotFoundError:
        _fail(f"no such file: {path}", 2)
    except IsADirectoryError:
        _fail(f"{path} is a directory, not a file", 2)
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror}", 2)
    raise AssertionError("unreachable")


def _explain_lines(result) -> str:
    rows = []
    for d in result.blocks:
        verdict = "REMOVE" if d.removed else "keep  "
        in_list = f" (own {d.context_score:.2f}, list of {d.list_size})" if d.list_size else " (by rule)" if d.rule else ""
        rows.append(f"{verdict} {d.label:<13} junk={d.junk_score:.2f}{in_list} looks={d.looks_like}:{d.looks_score:.2f} [{d.start}:{d.end}] {d.tag:<5} {d.text[:100]}")
    return "\n".join(rows)


@app.command("clean")
def clean_command(
    path: str = typer.Argument("-", help="File to clean (HTML or text); - reads standard input."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write the JSON report of removed spans to this file."),
    fmt: Format = typer.Option(Format.text, "--format", help="text: the clean text; json: text and report in one object."),
    kind: Kind = typer.Option(Kind.auto, "--kind", help="Input kind; auto tells HTML from text."),
    threshold: Optional[float] = typer.Option(None, "--threshold", min=0.0, max=1.0, help="Junk probability at or above which a line is removed [default: 0.5 for text, 0.7 for HTML]."),
    keep: Optional[str] = typer.Option(None, "--keep", help="Junk labels to keep, comma-separated (e.g. meta,share)."),
    explain: bool = typer.Option(False, "--explain", help="Print every line with its label, scores and decision instead of the text."),
    model: Optional[Path] = typer.Option(None, "--model", help="Use this model file instead of the bundled one (needs --trust-model)."),
    trust_model: bool = typer.Option(False, "--trust-model", help="Load --model although it is a pickle that can run code."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, help="Refuse inputs larger than this many bytes."),
    timeout: float = typer.Option(DEFAULT_CLEAN_TIMEOUT, "--timeout", min=0.0, help="Seconds the document may take before it fails (0: no limit)."),
) -> None:
    """Clean one document and print the clean text.

    Examples:

      cleaner clean article.txt

      cleaner clean page.html --report page.report.json

      cleaner clean page.html --format json --keep meta

      cleaner clean article.txt --explain
    """
    from .pipeline import Cleaner

    data = _read_input(path, max_bytes)
    try:
        cleaner = Cleaner(threshold=threshold, keep=keep, model_path=model, trust_model=trust_model, max_bytes=max_bytes, timeout=timeout or None)
        result = cleaner.clean(data, kind=kind.value)
    except CleanerError as exc:
        _fail(str(exc), exc.exit_code)
    if report is not None:
        try:
            report.write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            _fail(f"cannot write report {report}: {exc.strerror}", 2)
    if explain:
        typer.echo(_explain_lines(result))
    elif fmt is Format.json:
        typer.echo(json.dumps(result.to_dict(include_text=True), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(result.text if result.text.endswith("\n") or not result.text else result.text + "\n")


@app.command("batch")
def batch_command(
    inputs: list[str] = typer.Argument(..., help="Files, folders (recursive), .jsonl/.jsonl.gz files, or - for JSONL on stdin."),
    output: str = typer.Option("-", "-o", "--output", help="Output JSONL file (.jsonl, .jsonl.gz) or - for stdout."),
    jobs: int = typer.Option(0, "--jobs", min=0, help="Worker processes; 0 means one per core."),
    kind: Kind = typer.Option(Kind.auto, "--kind", help="Kind of plain files; JSONL records say it by their field."),
    threshold: Optional[float] = typer.Option(None, "--threshold", min=0.0, max=1.0, help="Junk probability threshold [default: 0.5 text, 0.7 HTML]."),
    keep: Optional[str] = typer.Option(None, "--keep", help="Junk labels to keep, comma-separated."),
    pattern: str = typer.Option("*", "--glob", help="File name pattern inside folders."),
    text_field: str = typer.Option("text", "--text-field", help="JSONL field holding plain text."),
    html_field: str = typer.Option("html", "--html-field", help="JSONL field holding HTML (used when present)."),
    id_field: str = typer.Option("id", "--id-field", help="JSONL field holding the record's id."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.0, help="Seconds one document may take before it becomes an error record (0: no limit)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run: keep the whole records in the output, clean the rest."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, help="Documents larger than this many bytes become error records."),
    strict: bool = typer.Option(False, "--strict", help="Exit with code 1 if any document failed."),
    quiet: bool = typer.Option(False, "--quiet", help="No summary on stderr."),
) -> None:
    """Clean many documents into one JSONL file, one record per input document.

    Each record has the source (path, JSONL id or file:line), kind, text, removed
    spans and counts; a document that fails gets an "error" field instead, and
    the run goes on.

    Examples:

      cleaner batch pages/ -o cleaned.jsonl

      cleaner batch crawl.jsonl.gz --html-field body -o out.jsonl.gz --jobs 2

      cat records.jsonl | cleaner batch - > cleaned.jsonl

      cleaner batch pages/ -o cleaned.jsonl --resume
    """
    import time
    from collections import Counter

    from .batch import DocumentError, clean_many
    from .batch_io import Fields, iter_inputs, open_output, reopen_for_resume
    from .labels import parse_labels

    started = time.perf_counter()
    try:
        keep_labels = sorted(parse_labels(keep))
    except CleanerError as exc:
        _fail(str(exc), exc.exit_code)
    sources: list[str] = []
    done = 0
    try:
        if resume:
            out, done = reopen_for_resume(output)
        else:
            out = open_output(output)
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror}", 2)
    except ValueError as exc:
        _fail(str(exc), 2)

    def items():
        inputs_seen = 0
        for source, item in iter_inputs(inputs, Fields(text_field, html_field, id_field), pattern):
            inputs_seen += 1
            if inputs_seen <= done:
                continue
            sources.append(source)
            yield item
    documents = errors = 0
    removed_chars: Counter[str] = Counter()
    try:
        for result in clean_many(items(), jobs=jobs, kind=kind.value, threshold=threshold, keep=keep_labels, timeout=timeout or None, max_bytes=max_bytes):
            source = sources[documents]
            documents += 1
            if isinstance(result, DocumentError):
                errors += 1
                record = {"source": source, "error": result.message}
            else:
                record = {"source": source, **result.to_dict(include_text=True)}
                for span in result.removed:
                    removed_chars[span.label] += span.end - span.start
            _write_record(out, record)
            out.flush()  # whole records reach the file as they finish, for --resume
    except CleanerError as exc:
        _fail(str(exc), exc.exit_code)
    finally:
        if out is not sys.stdout:
            out.close()
        else:
            out.flush()
    if not quiet:
        chars = ", ".join(f"{label} {n:,}" for label, n in removed_chars.most_common()) or "none"
        resumed = f" ({done:,} already done)" if resume else ""
        typer.echo(f"cleaner: {documents:,} documents{resumed}, {errors:,} errors, removed characters: {chars}; {time.perf_counter() - started:.1f} s", err=True)
    if strict and errors:
        raise typer.Exit(1)


def _write_record(out, record: dict) -> None:
    """One JSONL line that any line reader splits correctly.

    U+2028, U+2029 and NEL are line breaks to str.splitlines and to some JSON
    readers, so they are written as escapes (JSON allows them raw). JSON input
    may carry lone surrogates (a "\\ud800" escape), which UTF-8 cannot encode:
    such a record is written with ASCII escapes, which keep the text exact. The
    encoder fails before writing anything, so no half record is left behind.
    """
    line = json.dumps(record, ensure_ascii=False)
    for char, escape in _LINE_BREAK_ESCAPES:
        if char in line:
            line = line.replace(char, escape)
    try:
        out.write(line + "\n")
    except UnicodeEncodeError:
        out.write(json.dumps(record) + "\n")


_LINE_BREAK_ESCAPES = (("\u2028", "\\u2028"), ("\u2029", "\\u2029"), ("\x85", "\\u0085"))


@app.command("train")
def train_command(
    data: Path = typer.Option(Path("training_data"), "--data", help="Folder of authored sources (training_data/FORMAT.md)."),
    out: Path = typer.Option(Path("models"), "--out", help="Folder to write the model, manifest and model card to."),
    seed: int = typer.Option(13, "--seed", help="Seed for composing documents and fitting."),
    text_docs: int = typer.Option(5000, "--text-docs", min=10, help="Composed plain-text training documents."),
    html_docs: int = typer.Option(3000, "--html-docs", min=0, help="Composed HTML training documents."),
) -> None:
    """Compose training documents from training_data/ and train the model.

    Examples:

      cleaner train

      cleaner train --seed 7 --out /tmp/model --text-docs 500 --html-docs 100
    """
    from .training.train import TrainConfig, train

    if not (data / "articles").is_dir():
        _fail(f"{data} has no articles/ folder; point --data at training_data/", 2)
    train(TrainConfig(data, out, seed=seed, n_text=text_docs, n_html=html_docs), log=lambda m: typer.echo(m, err=True))


@app.command("eval")
def eval_command(
    shared: Path = typer.Option(Path("../shared"), "--shared", help="Folder with seed/ and eval/ (the ../shared layout)."),
    sets: str = typer.Option("seed,aeb,traf,injected-text,injected-html", "--sets", help="Comma-separated sets to score."),
    labelled: Optional[Path] = typer.Option(None, "--labelled", help="Score a labelled JSONL set (eval/injected/text.jsonl format) instead."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Score at most N documents per set."),
    threshold: Optional[float] = typer.Option(None, "--threshold", min=0.0, max=1.0, help="Junk probability threshold [default: 0.5 for text, 0.7 for HTML]."),
) -> None:
    """Score cleaner (and trafilatura alone) and print one table.

    Examples:

      cleaner eval --shared ../shared

      cleaner eval --sets seed,injected-text --limit 50

      cleaner eval --labelled my-labelled.jsonl
    """
    from . import evaluation
    from .pipeline import Cleaner

    try:
        cleaner = Cleaner(threshold=threshold)
        if labelled is not None:
            if not labelled.exists():
                _fail(f"no such file: {labelled}", 2)
            rows = evaluation.evaluate(shared, cleaner, sets=(str(labelled),), limit=limit)
        else:
            if not shared.is_dir():
                _fail(f"no such folder: {shared}", 2)
            rows = evaluation.evaluate(shared, cleaner, sets=tuple(s.strip() for s in sets.split(",") if s.strip()), limit=limit)
    except CleanerError as exc:
        _fail(str(exc), exc.exit_code)
    except ValueError as exc:
        _fail(str(exc), 2)
    typer.echo(evaluation.format_table(rows))


def run() -> None:
    """Console-script entry point: never let a traceback reach the user."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("cleaner: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: still one line, with a code scripts can tell from bad input
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else "no message"
        typer.echo(
            f"cleaner: error: internal error: {type(exc).__name__}: {message} "
            "(a bug in cleaner; please report it with the input that caused it)",
            err=True,
        )
        sys.exit(INTERNAL_ERROR_EXIT)
