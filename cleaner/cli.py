"""The `cleaner` command line: a thin layer over the library.

Each command parses its options, calls one library function and prints. Library
errors (CleanerError and subclasses) become one line on stderr and the error's
exit code; anything else is a bug, and `run` still turns it into one line and
exit code 70 rather than a traceback.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Optional

import typer

from . import __version__
from .errors import CleanerError, detach_stdout, first_line
from .pipeline import DEFAULT_MAX_BYTES, DEFAULT_THRESHOLDS_TEXT, MAX_BYTES_CEILING, TIMEOUT_CEILING
from .training import DEFAULT_HTML_DOCS, DEFAULT_SEED, DEFAULT_TEXT_DOCS

INTERNAL_ERROR_EXIT = 70  # EX_SOFTWARE in sysexits.h: a bug, not bad input
DEFAULT_CLEAN_TIMEOUT = 60.0
FAST_HELP = ("HTML: skip trafilatura's fallback extractors (its fast mode); faster than trafilatura alone, "
             "with a little less of some articles kept (README, Speed).")

if TYPE_CHECKING:
    from .interrupts import Interrupted

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
    markdown = "markdown"


def _fail(message: str, code: int) -> NoReturn:
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


def _valid_glob(pattern: str) -> bool:
    try:
        Path("x").match(pattern)
    except ValueError:  # "", ".", "./": pathlib refuses an empty pattern
        return False
    return True


def _output_clash(output: str, inputs: list[str]) -> str | None:
    """Why writing `output` would destroy an input, or None: it is an input
    (by any path or link to the same file), or lies inside an input folder,
    where the walk would read it, or overwrite a file it is about to read."""
    if output == "-":
        return None
    target = Path(output).resolve()
    for name in inputs:
        if name == "-":
            continue
        source = Path(name).resolve()
        try:
            if target == source or (target.exists() and source.exists() and os.path.samefile(target, source)):
                return f"the output {output} is also an input: writing it would destroy what is to be read"
            if source.is_dir() and source in target.parents:
                return f"the output {output} is inside the input folder {name}: write it elsewhere"
        except OSError:  # a name the file system refuses (too long): the run reports it where it reads or writes it
            continue
    return None


def _read_input(path: str, max_bytes: int) -> bytes:
    """The document's bytes; an input over `max_bytes` fails before it is read
    whole, so a huge file or stream cannot exhaust memory first."""
    from .decode import MANY_PAGES
    from .reading import over_limit, read_at_most, read_file_at_most

    if path == "-":
        data = read_at_most(sys.stdin.buffer, max_bytes)
        if data is None:
            _fail(f"input is more than {max_bytes:,} bytes, over the limit (raise it with --max-bytes)", 2)
        return data
    try:
        data, size = read_file_at_most(Path(path), max_bytes)
    except FileNotFoundError:
        if path.startswith(("http://", "https://")):
            _fail(f"no such file: {path} (cleaner does not fetch pages: save it first, e.g. curl -sL '{path}' | cleaner clean -)", 2)
        _fail(f"no such file: {path}", 2)
    except IsADirectoryError:
        _fail(f"{path} is a directory, not a file (to clean every file in it: cleaner batch {path} -o cleaned/)", 2)
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror}", 2)
    if data is None:
        from .warc import is_warc  # here only: it imports the batch machinery

        # A WARC under the limit is refused by the library, by its content.
        _fail(_naming_the_file(MANY_PAGES, path) if is_warc(Path(path)) else over_limit(size, max_bytes), 2)
    return data


def _naming_the_file(message: str, path: str) -> str:
    """An error's `cleaner batch FILE` advice with the file in it, quoted for
    the shell; for standard input, a file to save first (`cleaner batch -`
    reads JSONL records, not an archive)."""
    if path == "-":
        return message.replace("`cleaner batch FILE`", "`cleaner batch FILE` once saved to a file (its standard input is JSONL)")
    return message.replace("cleaner batch FILE", f"cleaner batch {shlex.quote(path)}")


def _explain_lines(result) -> str:
    rows = []
    for d in result.blocks:
        verdict = "REMOVE" if d.removed else "keep  "
        in_list = f" (own {d.context_score:.2f}, list of {d.list_size})" if d.list_size else ""
        if d.rule:
            in_list += f" (by rule: {d.rule})"
        # All on one row: a joined paragraph holds its line breaks (CRLF and CR ones too).
        text = " ".join(d.text[:100].splitlines())
        rows.append(f"{verdict} {d.label:<13} junk={d.junk_score:.2f}{in_list} looks={d.looks_like}:{d.looks_score:.2f} [{d.start}:{d.end}] {d.tag:<5} {text}")
    return "\n".join(rows)


def _print(text: str) -> None:
    """Write `text` to stdout with a line break after it; one that the
    output's encoding cannot hold (PYTHONIOENCODING=latin-1 and a Japanese
    page) is an error that says so, not an internal error."""
    if sys.stdout is None:  # started with standard output closed (`>&-`)
        _fail("standard output is closed: there is nowhere to print the clean text", 2)
    try:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
        sys.stdout.flush()
    except UnicodeEncodeError as exc:
        _fail(f"the output holds {exc.object[exc.start:exc.end]!r}, which standard output's encoding ({exc.encoding}) "
              "cannot write: set PYTHONIOENCODING=utf-8 (or a UTF-8 locale)", 1)
    except BrokenPipeError:  # the reader went away (`| head`): nothing to say
        detach_stdout()
        raise typer.Exit(1)
    except OSError as exc:  # a full disk (`> /dev/full`), a closed terminal
        _fail(f"cannot write to standard output: {exc.strerror or exc}", 1)


@app.command("clean", context_settings={"allow_extra_args": True})
def clean_command(
    context: typer.Context,
    path: str = typer.Argument("-", help="File to clean (HTML, text, or a page a browser saved as .mhtml or .webarchive); - reads standard input."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write the JSON report of removed spans to this file."),
    fmt: Format = typer.Option(Format.text, "--format", help="text: the clean text; json: text and report in one object; markdown: the clean text with an HTML page's headings, lists, quotes and tables as Markdown."),
    kind: Kind = typer.Option(Kind.auto, "--kind", help="Input kind; auto tells HTML from text."),
    threshold: Optional[float] = typer.Option(None, "--threshold", min=0.0, max=1.0, help="Junk probability at or above which a line is removed [default: " + DEFAULT_THRESHOLDS_TEXT + "]."),
    keep: Optional[str] = typer.Option(None, "--keep", help="Labels to keep, comma-separated (e.g. meta,share; title keeps an HTML page's headline)."),
    explain: bool = typer.Option(False, "--explain", help="Print every line with its label, scores and decision instead of the text (with --format json: a \"blocks\" list in the object)."),
    model: Optional[Path] = typer.Option(None, "--model", help="Use this model file instead of the bundled one (needs --trust-model)."),
    trust_model: bool = typer.Option(False, "--trust-model", help="Load --model although it is a pickle that can run code."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, max=MAX_BYTES_CEILING, help="Refuse inputs larger than this many bytes."),
    timeout: float = typer.Option(DEFAULT_CLEAN_TIMEOUT, "--timeout", min=0.0, max=TIMEOUT_CEILING, help="Seconds the document may take before it fails (0: no limit)."),
    fast: bool = typer.Option(False, "--fast", help=FAST_HELP),
) -> None:
    """Clean one document and print the clean text.

    Examples:

      cleaner clean article.txt

      cleaner clean page.html --report page.report.json

      cleaner clean page.html --format json --keep meta

      cleaner clean page.html --format markdown

      cleaner clean "Saved Page.mhtml"

      cleaner clean article.txt --explain

      cleaner clean page.html --fast
    """
    from .extract import ExtractOptions
    from .labels import parse_labels
    from .pipeline import Cleaner

    if context.args:  # a shell glob ("cleaner clean *.html") gives many files
        _fail(f"cleaner clean takes one file, got {len(context.args) + 1}: for many, use cleaner batch FILES... -o cleaned.jsonl (or -o DIR/)", 2)
    try:
        parse_labels(keep)  # before the input is read: stdin would wait for it first
    except CleanerError as exc:
        _fail(str(exc), 2)
    data = _read_input(path, max_bytes)
    try:
        cleaner = Cleaner(threshold=threshold, keep=keep, model_path=model, trust_model=trust_model, max_bytes=max_bytes, timeout=timeout or None,
                          extract_options=ExtractOptions(fast=fast))
        result = cleaner.clean(data, kind=kind.value)
    except CleanerError as exc:
        _fail(_naming_the_file(str(exc), path), exc.exit_code)
    if result.kind == "html" and not result.base and data.strip():
        # Not an error (the page may hold no article), but an empty output with nothing said looked like a bug.
        typer.echo("cleaner: note: no article text found in the page (a page filled in by scripts has none in its HTML)", err=True)
    if report is not None:
        try:
            report.write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            _fail(f"cannot write report {report}: {exc.strerror}", 2)
    if fmt is Format.json:
        combined = result.to_dict(include_text=True)
        if explain:  # every line's decision, as --explain prints them, for a program to read
            combined["blocks"] = [decision.to_dict() for decision in result.blocks]
        _print(json.dumps(combined, ensure_ascii=False, indent=2))
    elif explain:
        _print(_explain_lines(result))
    else:
        _print(result.to_markdown() if fmt is Format.markdown else result.text)


@app.command("batch")
def batch_command(
    inputs: list[str] = typer.Argument(..., help="Files, folders (recursive), .jsonl/.jsonl.gz/.jsonl.zst files, .parquet files, .warc/.warc.gz archives, .zip/.tar(.gz) archives of pages, or - for JSONL on stdin."),
    output: str = typer.Option("-", "-o", "--output", help="JSONL file (.jsonl, .jsonl.gz, .jsonl.zst), Parquet file (.parquet: one row per document), - for stdout, or a folder (DIR/: NAME.txt and NAME.report.json per document)."),
    jobs: int = typer.Option(0, "--jobs", min=0, show_default="number of cores", help="Worker processes (0: one per core)."),
    unordered: bool = typer.Option(False, "--unordered", help="Write records as they finish instead of in input order (faster when some pages are slow)."),
    kind: Kind = typer.Option(Kind.auto, "--kind", help="Kind of plain files; JSONL records say it by their field, WARC pages are HTML."),
    threshold: Optional[float] = typer.Option(None, "--threshold", min=0.0, max=1.0, help="Junk probability threshold [default: " + DEFAULT_THRESHOLDS_TEXT + "]."),
    keep: Optional[str] = typer.Option(None, "--keep", help="Junk labels to keep, comma-separated."),
    pattern: str = typer.Option("*", "--glob", help="File name pattern inside folders (e.g. '*.html')."),
    text_field: str = typer.Option("text", "--text-field", help="JSONL field or Parquet column holding plain text."),
    html_field: str = typer.Option("html", "--html-field", help="JSONL field or Parquet column holding HTML (used when present)."),
    id_field: str = typer.Option("id", "--id-field", help="JSONL field or Parquet column holding the record's id."),
    carry: Optional[str] = typer.Option(None, "--carry", help="JSONL fields, Parquet columns, or WARC headers (e.g. WARC-Date,WARC-Record-ID), to copy into each output record, comma-separated. Parquet in and out keeps the columns' types."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.0, max=TIMEOUT_CEILING, help="Seconds one document may take before it becomes an error record (0: no limit)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run: keep the whole records in the output, clean the rest."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, max=MAX_BYTES_CEILING, help="Documents larger than this many bytes become error records."),
    markdown: bool = typer.Option(False, "--markdown", help="Also give the clean text as Markdown (headings, lists, quotes, tables of HTML pages): a \"markdown\" field in each record, or NAME.md in a folder."),
    strict: bool = typer.Option(False, "--strict", help="Exit with code 1 if any document failed."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar and no summary on stderr."),
    fast: bool = typer.Option(False, "--fast", help=FAST_HELP),
) -> None:
    """Clean many documents: one JSONL record, or one file pair, per input document.

    Each record has the source (path, JSONL id or file:line, WARC target URI),
    kind, text, removed spans and counts; a document that fails gets an
    "error" field instead, and the run goes on. Ctrl-C stops between records;
    rerun with --resume to finish.

    Examples:

      cleaner batch pages/ -o cleaned.jsonl

      cleaner batch crawl.warc.gz -o cleaned/

      cleaner batch mirror.tar.gz --glob '*.html' -o cleaned.jsonl

      cleaner batch crawl.jsonl.gz --html-field body -o out.jsonl.gz --jobs 2

      cat records.jsonl | cleaner batch - > cleaned.jsonl

      cleaner batch crawl.jsonl --carry url,date -o cleaned.jsonl

      cleaner batch shard-00000.parquet --carry url -o cleaned.parquet

      cleaner batch shard-00000.jsonl.zst -o cleaned.jsonl.zst

      cleaner batch pages/ -o cleaned.jsonl --resume

      cleaner batch crawl.warc.gz --markdown -o pages-md/

      cleaner batch crawl.warc.gz --fast -o cleaned.jsonl
    """
    from .batch import check_jobs
    from .batch_io import Fields, count_inputs
    from .batch_output import resume_problem
    from .extract import ExtractOptions
    from .batch_run import BatchJob, run_batch
    from .interrupts import DeferredInterrupts, Interrupted
    from .labels import parse_labels
    from .progress import BatchProgress, wanted

    try:
        keep_labels = tuple(sorted(parse_labels(keep)))
        check_jobs(jobs)
    except CleanerError as exc:
        _fail(str(exc).replace("jobs must", "--jobs must"), 2)
    if not _valid_glob(pattern):
        _fail(f"--glob {pattern!r} is not a file name pattern (use '*' for every file, '*.html' for pages)", 2)
    clash = _output_clash(output, inputs)
    if clash:
        _fail(clash, 2)
    job = BatchJob(
        tuple(inputs), output, jobs, kind.value, threshold, keep_labels, pattern,
        Fields(text_field, html_field, id_field, _names(carry)), timeout or None, resume, ordered=not unordered, max_bytes=max_bytes,
        markdown=markdown, extract_options=ExtractOptions(fast=fast),
    )
    show = wanted(quiet)
    resumable = resume_problem(output, not unordered) is None
    try:
        with DeferredInterrupts() as interrupts:
            if show:
                with BatchProgress(count_inputs(list(inputs), pattern, job.fields)) as progress:
                    summary = run_batch(job, progress.update, interrupts)
            else:
                summary = run_batch(job, interrupts=interrupts)
    except CleanerError as exc:
        _fail(str(exc), exc.exit_code)
    except Interrupted as stop:  # outside the record loop: listing the inputs, closing the output
        _stopped(stop, resumable)
    if not quiet:
        typer.echo(summary.line(), err=True)
    if summary.interrupted is not None:
        _stopped(summary.interrupted, resumable)
    if strict and summary.errors:
        raise typer.Exit(1)


def _stopped(stop: Interrupted, resumable: bool) -> None:
    advice = ("run the same command with --resume to finish" if resumable
              else "--resume needs a plain .jsonl file or a folder as output, so rerun the inputs not yet written")
    typer.echo(f"cleaner: interrupted by {stop}; the output holds whole records only: {advice}", err=True)
    raise typer.Exit(stop.exit_code)


@app.command("train")
def train_command(
    data: Path = typer.Option(Path("training_data"), "--data", help="Folder of authored sources (training_data/FORMAT.md)."),
    out: Path = typer.Option(Path("models"), "--out", help="Folder to write the model, manifest and model card to."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", min=0, max=2**32 - 1, help="Seed for composing documents and fitting."),
    text_docs: int = typer.Option(DEFAULT_TEXT_DOCS, "--text-docs", min=10, help="Composed plain-text training documents."),
    html_docs: int = typer.Option(DEFAULT_HTML_DOCS, "--html-docs", min=0, help="Composed HTML training documents."),
) -> None:
    """Compose training documents from training_data/ and train the model.

    Examples:

      cleaner train

      cleaner train --seed 7 --out /tmp/model --text-docs 500 --html-docs 100
    """
    from .training.sources import check_data_folder
    from .training.train import TrainConfig, train

    try:
        # Both before composing and fitting, which take minutes.
        check_data_folder(data)
        problem = _unwritable_folder(out)
        if problem:
            _fail(problem, 2)
        train(TrainConfig(data, out, seed=seed, n_text=text_docs, n_html=html_docs), log=lambda m: typer.echo(m, err=True))
    except CleanerError as exc:
        _fail(str(exc), exc.exit_code)
    except OSError as exc:
        _fail(f"cannot write the model to {out}: {exc.strerror or exc}", 1)


def _unwritable_folder(folder: Path) -> str | None:
    """Why the model cannot be written into `folder` (created if missing), or None."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        return f"--out {folder} is a file, not a folder"
    except OSError as exc:
        return f"cannot create --out folder {folder}: {exc.strerror or exc}"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot write into --out folder {folder}"
    return None


@app.command("eval")
def eval_command(
    shared: Path = typer.Option(Path("../shared"), "--shared", help="Folder with seed/ and eval/ (the ../shared layout)."),
    sets: str = typer.Option("seed,aeb,traf,injected-text,injected-html", "--sets", help="Comma-separated sets to score."),
    labelled: Optional[Path] = typer.Option(None, "--labelled", help="Score a labelled JSONL set (eval/injected/text.jsonl format), or a folder of texts marked with '@@ <tag>' lines or of pages with gold bodies (tests/heldout/), instead."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Score at most N documents per set."),
    threshold: Optional[float] = typer.Option(None, "--threshold", min=0.0, max=1.0, help="Junk probability threshold [default: " + DEFAULT_THRESHOLDS_TEXT + "]."),
    baselines: Optional[str] = typer.Option(None, "--baselines", show_default=False,
                                            help="Systems scored next to cleaner, comma-separated: trafilatura, c4 (the C4 line rule), "
                                                 "justext (when installed: pip install -e '.[compare]'); '' for none [default: all]."),
    fast: bool = typer.Option(False, "--fast", help="Score cleaner with --fast (trafilatura's fast mode for HTML)."),
    model: Optional[Path] = typer.Option(None, "--model", help="Score this model file instead of the bundled one (needs --trust-model): a retrained model."),
    trust_model: bool = typer.Option(False, "--trust-model", help="Load --model although it is a pickle that can run code."),
) -> None:
    """Score cleaner, and trafilatura, the C4 line rule and jusText on the same documents, and print one table.

    Examples:

      cleaner eval --shared ../shared

      cleaner eval --sets seed,injected-text --limit 50

      cleaner eval --labelled my-labelled.jsonl --baselines c4

      cleaner eval --labelled tests/heldout/text

      cleaner eval --shared ../shared --sets aeb,traf --fast

      cleaner eval --labelled my-labelled.jsonl --model /tmp/model/cleaner-model.joblib --trust-model
    """
    from . import evaluation
    from .baselines import DEFAULT_BASELINES, pick_baselines
    from .extract import ExtractOptions
    from .pipeline import Cleaner

    try:
        cleaner = Cleaner(threshold=threshold, extract_options=ExtractOptions(fast=fast), model_path=model, trust_model=trust_model)
        others = pick_baselines(DEFAULT_BASELINES if baselines is None else _names(baselines))
        if labelled is not None:
            if not labelled.exists():
                _fail(f"no such file: {labelled}", 2)
            # Named as a path of ours: a folder called "seed" is the user's, not ../shared's.
            rows = evaluation.evaluate(shared, cleaner, sets=(str(labelled),), limit=limit, baselines=others,
                                       named={str(labelled): labelled})
        else:
            if not shared.is_dir():
                _fail(f"no such folder: {shared}", 2)
            rows = evaluation.evaluate(shared, cleaner, sets=_names(sets), limit=limit, baselines=others)
    except CleanerError as exc:
        _fail(str(exc), exc.exit_code)
    except ValueError as exc:
        _fail(str(exc), 2)
    if not rows:
        _fail(f"no set could be scored: none of {sets} was found under {shared}", 2)
    by_label = evaluation.format_by_label(rows)
    _print(evaluation.format_table(rows) + ("\n\n" + by_label if by_label else ""))


def _names(option: str | None) -> tuple[str, ...]:
    """The names of a comma-separated option, in order, blanks and repeats dropped."""
    return tuple(dict.fromkeys(name.strip() for name in (option or "").split(",") if name.strip()))


def run() -> None:
    """Console-script entry point: never let a traceback reach the user."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("cleaner: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: still one line, with a code scripts can tell from bad input
        message = first_line(exc)
        typer.echo(
            f"cleaner: error: internal error: {type(exc).__name__}: {message} "
            "(a bug in cleaner; please report it with the input that caused it)",
            err=True,
        )
        sys.exit(INTERNAL_ERROR_EXIT)
