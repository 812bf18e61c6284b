"""Load the ../shared evaluation sets, run a cleaner and the baselines, score them.

The shared data is for measuring only; nothing here copies it anywhere. Every
set is scored for the cleaner under test and for each baseline (trafilatura
here; the C4 rule and jusText in `baselines.py`) in the same run, so the rows
of a set always come from the same documents and the same decoding.

Layout (see ../shared/README.md):

* ``seed/kursk-article{.txt,.clean.txt,.spans.json}``: one document that must
  come out exactly right.
* ``eval/aeb``: gzipped pages plus ``ground-truth.json``; AEB shingle metric.
* ``eval/traf``: gzipped pages plus ``evaldata.json``; snippet metric.
* ``eval/injected/text.jsonl``: text with injected spans; line metric. Any JSONL
  file in the same format can be scored the same way (pass its path as a set).
* ``eval/injected/html.jsonl``: pages with injected blocks; AEB metric against
  the article body, plus the share of injected lines that leak.
"""

from __future__ import annotations

import gzip
import importlib
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import trafilatura

from .annotated import annotated_files, page_files, read_annotated, read_page_folder
from .decode import decode_bytes
from .errors import InputError
from .scoring import (
    Span,
    aeb_page_counts,
    aeb_summary,
    content_removed_by_label,
    junk_found_by_label,
    leak_counts,
    leak_share,
    line_counts,
    line_summary,
    nonblank_lines,
    spans_match,
    traf_page_counts,
    traf_summary,
)

SETS = ("seed", "aeb", "traf", "injected-text", "injected-html")


# --- systems -------------------------------------------------------------------


class SupportsClean(Protocol):
    """Anything with the ``Cleaner.clean`` API (the real one or a test double)."""

    def clean(self, document: str | bytes, kind: str = ...) -> Any: ...


@dataclass(frozen=True)
class Output:
    """What a system produced for one document.

    ``removed`` indexes ``base``; a failed run carries its ``error``.
    """

    text: str
    base: str
    removed: tuple[Span, ...] = ()
    error: str | None = None
    labels: tuple[str, ...] = ()  # each removed span's label, for systems that give one


@dataclass(frozen=True)
class System:
    """A named way of turning ``(document, kind)`` into an Output."""

    name: str
    run: Callable[[str, str], Output]
    text_name: str | None = None  # label on text sets, when the system differs there

    def label(self, kind: str) -> str:
        return self.text_name if kind == "text" and self.text_name else self.name


def cleaner_system(cleaner: SupportsClean, name: str = "cleaner") -> System:
    """Wrap an object with the ``clean(document, kind=...)`` API."""

    def run(document: str, kind: str) -> Output:
        result = cleaner.clean(document, kind=kind)
        removed = tuple((span.start, span.end) for span in result.removed)
        return Output(result.text, result.base, removed, labels=tuple(span.label for span in result.removed))

    return System(name, run)


def _baseline_run(document: str, kind: str) -> Output:
    if kind == "text":
        return Output(document, document)
    text = trafilatura.extract(document) or ""
    return Output(text, text)


BASELINE = System("trafilatura", _baseline_run, text_name="passthrough")
"""trafilatura.extract with default settings for HTML; text passed through unchanged."""


def import_object(spec: str) -> Any:
    """Resolve ``"package.module:attribute"``, e.g. ``"cleaner:Cleaner"``."""
    module, _, attribute = spec.partition(":")
    if not attribute:
        raise ValueError(f"expected MODULE:ATTRIBUTE, got {spec!r}")
    return getattr(importlib.import_module(module), attribute)


# --- loading -------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    text: str
    clean: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class HtmlPage:
    """A page and its gold article body; injected_lines only for injected-html."""

    id: str
    html: str
    body: str
    injected_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrafPage:
    id: str
    html: str
    wanted: tuple[str, ...]
    unwanted: tuple[str, ...]


@dataclass(frozen=True)
class LabelledText:
    id: str
    text: str
    injected: tuple[Span, ...]
    hard_negatives: tuple[Span, ...]
    # Each injected span's label ("promo", "meta"; None where a span has no
    # label that is a string), or empty for a set without labels.
    injected_labels: tuple[str | None, ...] = ()


def decode_html(data: bytes) -> str:
    """Decode a page the way the cleaner decodes bytes (cleaner.decode), so both
    systems in a row see the same string; a page it refuses is read as UTF-8
    with replacement characters rather than dropped from the set."""
    try:
        return decode_bytes(data)
    except InputError:
        return data.decode("utf-8", errors="replace")


def _read_text(path: Path) -> str:
    """UTF-8 text with line endings untouched, so string offsets stay valid."""
    return path.read_bytes().decode("utf-8")


def _read_json(path: Path) -> Any:
    return json.loads(_read_text(path))


def _read_jsonl(path: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    """The JSON value of each non-blank line, up to `limit` of them;
    ValueError naming the file and its line for one that is not JSON."""
    if path.is_dir():
        raise ValueError(f"{path} is a folder, not a JSONL file")
    with path.open(encoding="utf-8-sig") as handle:
        count = 0
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                if limit is not None and count >= limit:
                    return
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}, line {number}: not JSON ({exc.msg}, column {exc.colno})") from None
                count += 1
        except UnicodeDecodeError:
            raise ValueError(f"{path} is not UTF-8 text") from None


def _spans(items: Sequence[Any], length: int | None = None, where: str = "") -> tuple[Span, ...]:
    """(start, end) of each {"start", "end"} object; with `length`, each
    must lie within a text of that length, start before end."""
    spans: list[Span] = []
    for item in items:
        start, end = (item.get("start"), item.get("end")) if isinstance(item, dict) else (None, None)
        if type(start) is not int or type(end) is not int:  # bools are ints to isinstance
            raise ValueError(f'{where}: a span must be {{"start": int, "end": int}}, got {item!r}')
        if length is not None and not 0 <= start <= end <= length:
            raise ValueError(f"{where}: span ({start}, {end}) is not within the text (0 to {length}, start before end)")
        spans.append((start, end))
    return tuple(spans)


def _read_gz_page(path: Path) -> str | None:
    if not path.is_file():
        _say(f"missing page {path}, skipped")
        return None
    return decode_html(gzip.decompress(path.read_bytes()))


def load_seed(shared: Path) -> Seed:
    folder = shared / "seed"
    spans = _read_json(folder / "kursk-article.spans.json")["injected"]
    return Seed(
        _read_text(folder / "kursk-article.txt"),
        _read_text(folder / "kursk-article.clean.txt"),
        _spans(spans),
    )


def load_aeb(shared: Path, limit: int | None = None) -> list[HtmlPage]:
    folder = shared / "eval" / "aeb"
    truth = _read_json(folder / "ground-truth.json")
    pages = []
    for page_id in sorted(truth)[:limit]:
        html = _read_gz_page(folder / "html" / f"{page_id}.html.gz")
        if html is not None:
            pages.append(HtmlPage(page_id, html, truth[page_id].get("articleBody") or ""))
    return pages


def load_traf(shared: Path, limit: int | None = None) -> list[TrafPage]:
    folder = shared / "eval" / "traf"
    items = _read_json(folder / "evaldata.json")
    pages = []
    for url in sorted(items)[:limit]:
        item = items[url]
        html = _read_gz_page(folder / "html" / f"{item['file']}.gz")
        if html is not None:
            pages.append(TrafPage(url, html, tuple(item.get("with") or ()), tuple(item.get("without") or ())))
    return pages


def labelled_text(doc: dict[str, Any]) -> LabelledText:
    """One record of a line-labelled set: ``{"id","text","injected":[...],"hard_negatives":[...]}``;
    ValueError naming what is wrong with one that is not (a span past the
    text's end, reversed or not whole numbers changed the figures unseen)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("text"), str) or "id" not in doc:
        raise ValueError('a record must be a JSON object with "id" and a string "text"')
    text = doc["text"]
    spans = []
    for key in ("injected", "hard_negatives"):
        items = doc.get(key, [])
        if not isinstance(items, list):
            raise ValueError(f'record {doc["id"]!r}: "{key}" must be a list of {{"start", "end"}} objects')
        spans.append(_spans(items, len(text), f'record {doc["id"]!r}, "{key}"'))
    labels = tuple(label if isinstance(label := item.get("label"), str) else None for item in doc.get("injected", []))
    return LabelledText(str(doc["id"]), text, spans[0], spans[1], labels)


def load_labelled_jsonl(path: Path, limit: int | None = None) -> list[LabelledText]:
    """A line-labelled text set, one `labelled_text` record per line."""
    docs = []
    for number, doc in enumerate(_read_jsonl(path, limit), start=1):
        try:
            docs.append(labelled_text(doc))
        except ValueError as exc:
            raise ValueError(f"{path}, record {number}: {exc}") from None
    if not _all_labelled(docs) and any(label is not None for d in docs for label in d.injected_labels):
        _say(f"{path}: some junk spans carry no label (a string), so junk lines are not counted by label")
    return docs


def _all_labelled(docs: Sequence[LabelledText]) -> bool:
    """Whether every junk span of the documents has a label."""
    return all(len(d.injected_labels) == len(d.injected) and None not in d.injected_labels for d in docs)


def load_annotated_folder(folder: Path, limit: int | None = None) -> list[LabelledText]:
    """A folder of texts marked up with ``@@ <tag>`` lines (`annotated.py`), by name."""
    files = annotated_files(folder)
    if not files:
        raise ValueError(f"{folder} holds no labelled files (.txt files marked with '@@ <tag>' lines, or .html pages "
                         "with their .body.txt); subfolders are not read")
    docs = []
    for path in files[:limit]:
        doc = read_annotated(path)
        docs.append(LabelledText(path.stem, doc.text, tuple((s, e) for s, e, _ in doc.junk), doc.hard_negatives,
                                 tuple(tag for _, _, tag in doc.junk)))
    return docs


def load_page_folder(folder: Path, limit: int | None = None) -> list[HtmlPage]:
    """A folder of pages with their gold bodies and junk lines (`annotated.py`)."""
    return [HtmlPage(p.id, decode_html(p.html), p.body, p.junk_lines) for p in read_page_folder(folder, limit)]


def load_injected_html(shared: Path, limit: int | None = None) -> list[HtmlPage]:
    return [
        HtmlPage(str(doc["id"]), doc["html"], doc["article_body"], tuple(doc["injected_lines"]))
        for doc in _read_jsonl(shared / "eval" / "injected" / "html.jsonl", limit)
    ]


# --- scoring -------------------------------------------------------------------


@dataclass
class Row:
    """One line of the results table; None where a figure does not apply."""

    set: str
    system: str
    docs: int
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    leaked: float | None = None
    content_removed: float | None = None
    hard_negative_removed: float | None = None
    docs_all_right: float | None = None
    seed: str | None = None
    errors: int = 0
    # Labelled text sets, systems that label what they remove: the content
    # lines removed, by label (`scoring.content_removed_by_label`).
    content_removed_by_label: dict[str, int] | None = None
    # ... and the junk lines removed of all, by gold label, where the set
    # labels its junk (`scoring.junk_found_by_label`).
    junk_found_by_label: dict[str, tuple[int, int]] | None = None


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _run_one(system: System, document: str, kind: str) -> Output:
    """Run the system; a crash or a text-kind base that is not the input scores as nothing."""
    try:
        output = system.run(document, kind)
    except Exception as exc:  # one bad document must not end a long run
        return Output("", document, error=f"{type(exc).__name__}: {exc}")
    if kind == "text" and output.base != document:
        return Output(output.text, document, error="result.base differs from the input text")
    return output


def _run_all(set_name: str, system: System, documents: Sequence[str], kind: str) -> list[Output]:
    outputs = [_run_one(system, document, kind) for document in documents]
    errors = [o.error for o in outputs if o.error]
    if errors:
        _say(f"{set_name}/{system.label(kind)}: {len(errors)} error(s), first: {errors[0]}")
    return outputs


def _row(set_name: str, system: System, kind: str, outputs: Sequence[Output], **figures: Any) -> Row:
    errors = sum(o.error is not None for o in outputs)
    return Row(set_name, system.label(kind), len(outputs), errors=errors, **figures)


def score_html_pages(set_name: str, pages: Sequence[HtmlPage], system: System) -> Row:
    """AEB metric against the gold body; leak share too when pages carry injected lines."""
    outputs = _run_all(set_name, system, [p.html for p in pages], "html")
    scores = aeb_summary(aeb_page_counts(o.text, p.body) for o, p in zip(outputs, pages))
    leaked = None
    if any(p.injected_lines for p in pages):
        leaked = leak_share(leak_counts(o.text, p.injected_lines) for o, p in zip(outputs, pages))
    return _row(set_name, system, "html", outputs, **scores._asdict(), leaked=leaked)


def score_traf(set_name: str, pages: Sequence[TrafPage], system: System) -> Row:
    outputs = _run_all(set_name, system, [p.html for p in pages], "html")
    counts = (traf_page_counts(o.text, p.wanted, p.unwanted) for o, p in zip(outputs, pages))
    return _row(set_name, system, "html", outputs, **traf_summary(counts)._asdict())


def score_labelled(set_name: str, docs: Sequence[LabelledText], system: System) -> Row:
    outputs = _run_all(set_name, system, [d.text for d in docs], "text")
    counts = (line_counts(d.text, d.injected, o.removed, d.hard_negatives) for o, d in zip(outputs, docs))
    return _row(set_name, system, "text", outputs, **line_summary(counts)._asdict(),
                content_removed_by_label=_content_removed(docs, outputs) if any(o.labels for o in outputs) else None,
                junk_found_by_label=_junk_found(docs, outputs))


def _content_removed(docs: Sequence[LabelledText], outputs: Sequence[Output]) -> dict[str, int]:
    """`scoring.content_removed_by_label` over a set, commonest label first."""
    by_label: Counter[str] = Counter()
    for o, d in zip(outputs, docs):
        by_label += content_removed_by_label(d.text, d.injected, ((s, e, l) for (s, e), l in zip(o.removed, o.labels)))
    return dict(by_label.most_common())


def _junk_found(docs: Sequence[LabelledText], outputs: Sequence[Output]) -> dict[str, tuple[int, int]] | None:
    """`scoring.junk_found_by_label` over a set, labels by number of lines;
    None unless every document labels all of its junk (a breakdown that
    left lines out would mislead; `load_labelled_jsonl` says so)."""
    if not _all_labelled(docs):
        return None
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for o, d in zip(outputs, docs):
        labelled = [(start, end, str(label)) for (start, end), label in zip(d.injected, d.injected_labels)]
        for label, (removed, lines) in junk_found_by_label(d.text, labelled, o.removed).items():
            found[label] += removed
            total[label] += lines
    return {label: (found[label], n) for label, n in total.most_common()}


def seed_verdict(seed: Seed, output: Output) -> str:
    """``pass`` when kept lines and removed spans are exactly right, else what failed.

    ``output.removed`` must index ``seed.text`` (``_run_one`` ensures it).
    """
    failures = []
    if nonblank_lines(output.text) != nonblank_lines(seed.clean):
        failures.append("lines")
    if not spans_match(output.removed, seed.spans, seed.text):
        failures.append("spans")
    return "FAIL (" + ", ".join(failures) + ")" if failures else "pass"


def score_seed(set_name: str, seed: Seed, system: System) -> Row:
    output = _run_all(set_name, system, [seed.text], "text")[0]
    scores = line_summary([line_counts(seed.text, seed.spans, output.removed)])._asdict()
    del scores["hard_negative_removed"]  # the seed has no hard negatives
    return _row(set_name, system, "text", [output], **scores, seed=seed_verdict(seed, output))


# --- running -------------------------------------------------------------------

Loader = Callable[[Path, int | None], Any]
Scorer = Callable[[str, Any, System], Row]

_REGISTRY: dict[str, tuple[Loader, Scorer]] = {
    "seed": (lambda shared, limit: load_seed(shared), score_seed),
    "aeb": (load_aeb, score_html_pages),
    "traf": (load_traf, score_traf),
    "injected-text": (
        lambda shared, limit: load_labelled_jsonl(shared / "eval" / "injected" / "text.jsonl", limit),
        score_labelled,
    ),
    "injected-html": (load_injected_html, score_html_pages),
}


def _resolve(name: str, named: Mapping[str, Path]) -> tuple[Loader, Scorer]:
    """A set of `named` (a name for a path of our own), a registered set of
    ../shared, or a path: a labelled JSONL file or a folder of labelled files."""
    path = named.get(name)
    if path is None:
        if name in _REGISTRY:
            return _REGISTRY[name]
        path = Path(name)
    if path.name.endswith(".jsonl"):
        return (lambda _shared, limit: load_labelled_jsonl(path, limit)), score_labelled
    if path.is_dir():
        if page_files(path):
            return (lambda _shared, limit: load_page_folder(path, limit)), score_html_pages
        return (lambda _shared, limit: load_annotated_folder(path, limit)), score_labelled
    if path.exists():
        raise ValueError(f"{name} is neither a .jsonl set nor a folder of labelled files (annotated .txt, or pages with gold bodies)")
    choices = ", ".join((*SETS, *named))
    raise ValueError(f"unknown set {name!r}: choose from {choices}, a .jsonl path or a folder of labelled files")


def evaluate(
    shared_dir: str | Path,
    cleaner: SupportsClean | None,
    sets: Sequence[str] = SETS,
    limit: int | None = None,
    baselines: Sequence[System] = (BASELINE,),
    named: Mapping[str, Path] | None = None,
) -> list[Row]:
    """Score the cleaner (if given) and then each baseline on each set
    (`baselines.py` holds more than trafilatura). `named` gives names to
    sets of our own, by path ("heldout-text": tests/heldout/text); a name
    there wins over a ../shared set of the same name, and rows carry it.

    A set whose files are missing is skipped with a message on stderr; an
    unknown set name raises ValueError before anything runs.
    """
    shared = Path(shared_dir)
    resolved = [(name, _resolve(name, named or {})) for name in sets]
    systems = ([cleaner_system(cleaner)] if cleaner is not None else []) + list(baselines)
    rows: list[Row] = []
    for name, (load, score) in resolved:
        try:
            data = load(shared, limit)
        except FileNotFoundError as exc:
            _say(f"skipping set {name}: {exc.filename or exc} not found")
            continue
        if not data:  # scored as if perfect (P = R = F1 = 1.000) before
            raise ValueError(f"set {name} has no documents to score")
        rows.extend(score(name, data, system) for system in systems)
    return rows


# --- reporting -----------------------------------------------------------------


def _number(value: float) -> str:
    return f"{value:.3f}"


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


_COLUMNS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("set", "set", str),
    ("system", "system", str),
    ("docs", "docs", str),
    ("P", "precision", _number),
    ("R", "recall", _number),
    ("F1", "f1", _number),
    ("leaked", "leaked", _percent),
    ("content removed", "content_removed", _percent),
    ("hard-neg removed", "hard_negative_removed", _percent),
    ("docs all right", "docs_all_right", _percent),
    ("seed", "seed", str),
    ("errors", "errors", str),
)


def _shown(value: Any) -> bool:
    """None means "does not apply"; an error count of 0 is not worth a column."""
    return value is not None and not (isinstance(value, int) and value == 0)


def format_by_label(rows: Sequence[Row]) -> str:
    """Lines per row that count its content lines removed by label and its
    junk lines found by gold label ("" when no row has them): which kinds
    of removal cost precision, and which kinds of junk are missed."""
    lines = []
    for row in rows:
        if row.content_removed_by_label is not None:
            total = sum(row.content_removed_by_label.values())
            parts = ", ".join(f"{label} {n}" for label, n in row.content_removed_by_label.items()) or "none"
            lines.append(f"{row.set} / {row.system}: {total} content lines removed, by label: {parts}")
        if row.junk_found_by_label:
            parts = ", ".join(f"{_plain(label)} {found} of {n}" for label, (found, n) in row.junk_found_by_label.items())
            lines.append(f"{row.set} / {row.system}: junk lines removed, by gold label: {parts}")
    return "\n".join(lines)


_PLAIN_LABEL = re.compile(r"[\w.-]+")


def _plain(label: str) -> str:
    """A gold label as printed: as it is when it is one word, else quoted,
    so that a label holding a comma, a line break or nothing at all cannot
    blur the line it is printed on."""
    return label if _PLAIN_LABEL.fullmatch(label) else repr(label)


def format_table(rows: Sequence[Row]) -> str:
    """One Markdown table; a column appears only if some row has a figure for it."""
    columns = [c for c in _COLUMNS if any(_shown(getattr(row, c[1])) for row in rows)]
    lines = [
        "| " + " | ".join(header for header, _, _ in columns) + " |",
        "|" + "|".join(" --- " for _ in columns) + "|",
    ]
    for row in rows:
        cells = [fmt(v) if (v := getattr(row, attr)) is not None else "–" for _, attr, fmt in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
