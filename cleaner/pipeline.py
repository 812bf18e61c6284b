"""The cleaning pipeline: decode, extract or split, classify, cut."""

from __future__ import annotations

import functools
import numbers
import os
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from .blocks import Block, split_lines
from .markdown import markdown_rules, markdown_view
from .wrapping import unwrap
from .scorer import DocView
from .decode import GZIP_MAGIC, MANY_PAGES, WARC_MAGIC, decode_bytes, gunzip, looks_like_html, opens_as_warc
from .saved_pages import unwrap_saved_page, unwrap_saved_text
from .visible import without_surrogates
from .errors import CleanerError, InputError, InternalError
from .extract import ExtractOptions, extract_blocks
from .headline import HEADLINE_RULE, leading_headline
from .labels import JUNK_LABELS, LABELS, TITLE, parse_labels
from .model_store import LoadedModel, load_model
from .orphans import ORPHAN_LABEL, ORPHAN_RULE
from .smoothing import glued_runs, item_keys, list_runs, smooth_lists, tie_box_tails, tie_headed_runs, tie_list_headers, tie_section_headings
from .result import BlockDecisions, CleanResult
from .spans import delete_spans, removed_spans
from .sure_lines import SURE_RULE, sure_sentences
from .timelimit import Deadline, TimeLimitExceeded, handler_kept, settle, time_limit

KINDS = ("auto", "html", "text")
_WARC_TEXT = WARC_MAGIC.decode("ascii")
# Per-kind defaults, chosen on the project's own composed dev sets (never on
# ../shared/eval): the lowest threshold, on a 0.05 grid, at which the model
# removes no more of the dev sets' content lines than the previous model did at
# its defaults, both scored on the same dev sets (README, Quality). Retraining
# moves them.
DEFAULT_THRESHOLDS = {"text": 0.65, "html": 0.60}
# For help texts, so they follow the constant.
DEFAULT_THRESHOLDS_TEXT = f"{DEFAULT_THRESHOLDS['text']} for text, {DEFAULT_THRESHOLDS['html']} for HTML"
# Time and memory grow with the number of lines: 10 MB of ordinary prose
# (about 100,000 lines) cleans in about 11 s; a hostile 10 MB of two-character
# lines (5 million lines) takes minutes. Larger inputs are dumps, not pages.
DEFAULT_MAX_BYTES = 10_000_000
# Far past any document, and within what reading, gzip and the interval timer
# take (a larger value overflowed them).
MAX_BYTES_CEILING = 1 << 40
TIMEOUT_CEILING = 1_000_000
# Lines are scored in windows of this many: memory for the scoring stays flat
# however long the document. Articles are far shorter, so they are scored whole.
WINDOW_LINES = 10_000


def check_kind(kind: object) -> None:
    """CleanerError unless `kind` is one of KINDS."""
    if kind not in KINDS:
        raise CleanerError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class Cleaner:
    """Loads the model once and cleans any number of documents.

    `threshold` is the in-context junk probability at or above which a line is
    removed (None: the per-kind DEFAULT_THRESHOLDS); `keep` names junk labels to leave in the text (e.g. ["meta"]).
    `max_bytes` refuses larger documents; `timeout` (seconds, None for none)
    bounds the time one document may take (see timelimit.py for how the limit
    works outside the main thread). Both failures are InputError.
    A Cleaner holds no per-document state, so one instance may serve many
    threads.
    """

    def __init__(
        self,
        threshold: float | None = None,
        keep: Iterable[str] | str | None = None,
        model_path: str | Path | None = None,
        trust_model: bool = False,
        extract_options: ExtractOptions = ExtractOptions(),
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float | None = None,
    ) -> None:
        if threshold is not None and not (_is_number(threshold) and 0.0 <= float(threshold) <= 1.0):
            raise CleanerError(f"threshold must be a number between 0 and 1, got {threshold!r}")
        if not (isinstance(max_bytes, numbers.Integral) and not isinstance(max_bytes, bool) and 0 < max_bytes <= MAX_BYTES_CEILING):
            raise CleanerError(f"max_bytes must be a whole number from 1 to {MAX_BYTES_CEILING:,}, got {max_bytes!r}")
        if timeout is not None and not (_is_number(timeout) and 0 <= float(timeout) <= TIMEOUT_CEILING):
            raise CleanerError(f"timeout must be a number of seconds from 0 to {TIMEOUT_CEILING:,} (or None for no limit), got {timeout!r}")
        self.threshold: float | None = None if threshold is None else float(threshold)
        self.keep: frozenset[str] = parse_labels(keep)
        self.extract_options: ExtractOptions = extract_options
        self.max_bytes: int = int(max_bytes)
        self.timeout: float | None = float(timeout) if timeout else None  # the interval timer takes a float, not a Fraction
        self._model: LoadedModel = _bundled_model() if model_path is None else load_model(model_path, trust=trust_model)
        self._bundled = model_path is None  # pickled by name (`__getstate__`)

    @property
    def model(self) -> LoadedModel:
        return self._model

    def __getstate__(self) -> dict:
        # With the bundled model, a pickled Cleaner (sent to a process pool:
        # `pool.map(cleaner.clean, pages)`) names the model instead of holding
        # it: 8 MB and a fresh load with every task, about 0.14 s a document.
        # The process that unpickles it loads the bundled model once, as any
        # Cleaner there does. A model from a file travels whole, as it is.
        state = dict(self.__dict__)
        if state.get("_bundled"):
            state["_model"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if self._model is None:
            self._model = _bundled_model()

    def clean(self, document: str | bytes | os.PathLike, kind: str = "auto") -> CleanResult:
        """Clean one document (its text or bytes, or the path of a file
        holding it); see `CleanResult` for what comes back.

        Raises InputError for a document that cannot be cleaned (binary,
        undecodable, over `max_bytes`, over the time limit, more than memory
        allows), CleanerError for a bad argument.
        """
        try:
            with self._limit() as deadline:
                page = self._read(document, kind, deadline)
                return self._finish(page, self._score(page.view, deadline))
        except TimeLimitExceeded:  # fired as the limit ended, past the exit that converts it
            raise self._timed_out() from None

    def clean_each(self, documents: Sequence[str | bytes | os.PathLike], kind: str | Sequence[str] = "auto") -> list[CleanResult | CleanerError]:
        """Clean several documents at once: for each, what `clean` returns or
        the CleanerError it raises, in order (one bad document costs only its
        own result; a bug met on one stands in its place as an InternalError).

        The results equal `clean`'s; they are faster to get for short
        documents, whose lines are scored together (`BlockScorer.predict_docs`):
        a seed-sized text costs about half as much. `kind` is one kind for all
        or one per document. The time limit applies to each document's
        reading and extraction, and to the joint scoring; should that run
        over, the documents are scored one at a time, each with its own limit.
        Reading text given as str is a linear split bounded by `max_bytes`,
        so it runs without arming the timer (which would cost more).
        """
        kinds = [kind] * len(documents) if isinstance(kind, str) or not isinstance(kind, Iterable) else list(kind)
        if len(kinds) != len(documents):
            raise CleanerError(f"got {len(kinds)} kinds for {len(documents)} documents")
        pages: list[_Page | CleanerError] = []
        with handler_kept() if self.timeout else nullcontext():
            for document, doc_kind in zip(documents, kinds):
                try:
                    if doc_kind == "text" and isinstance(document, str):
                        pages.append(self._read_text(document))
                    else:
                        with self._limit() as deadline:
                            pages.append(self._read(document, doc_kind, deadline))
                except CleanerError as exc:
                    pages.append(exc)
                except TimeLimitExceeded:  # as in `clean`
                    pages.append(self._timed_out())
                except Exception as exc:  # a bug on one document must not cost the others theirs
                    pages.append(InternalError.of(exc))
            results: list[CleanResult | CleanerError] = list(pages)  # type: ignore[arg-type]
            for group in _scoring_groups(pages):
                for i, result in zip(group, self._finish_together([pages[i] for i in group])):  # type: ignore[misc]
                    results[i] = result
        return results

    def _finish_together(self, pages: list[_Page]) -> list[CleanResult | CleanerError]:
        if len(pages) == 1:  # perhaps over WINDOW_LINES: scored in windows
            return [self._finish_alone(pages[0])]
        try:
            with self._limit():
                scores = self._model.classifier.predict_docs([page.view for page in pages])
                return [self._finish(page, score) for page, score in zip(pages, scores)]
        except TimeLimitExceeded:  # as in `clean`: then, as for any failure, one at a time
            self._timed_out()
        except Exception:  # over time, or a bug: one at a time, so only its document fails
            pass
        return [self._finish_alone(page) for page in pages]

    def _finish_alone(self, page: _Page) -> CleanResult | CleanerError:
        try:
            with self._limit() as deadline:
                return self._finish(page, self._score(page.view, deadline))
        except CleanerError as exc:
            return exc
        except TimeLimitExceeded:  # as in `clean`
            return self._timed_out()
        except Exception as exc:
            return InternalError.of(exc)

    def _read_text(self, document: str) -> _Page:
        """`_read` of text given as str: a linear split bounded by max_bytes,
        run without arming the timer (which would cost more than the split)."""
        try:
            return self._read(document, "text", _NO_DEADLINE)
        except MemoryError:
            raise InputError(_OUT_OF_MEMORY) from None

    @contextmanager
    def _limit(self) -> Iterator[Deadline]:
        """This Cleaner's time limit, and its two failures as InputError."""
        try:
            with time_limit(self.timeout) as deadline:
                yield deadline
        except TimeLimitExceeded:
            raise self._timed_out() from None
        except MemoryError:
            raise InputError(_OUT_OF_MEMORY) from None

    def _timed_out(self) -> InputError:
        """The error for a document over the time limit, with the timer
        stopped (`timelimit.settle`); a TimeLimitExceeded from a caller's own
        limit (this Cleaner has none) is theirs to report, so it goes on."""
        settle()
        if self.timeout is None:
            raise TimeLimitExceeded
        return InputError(f"timed out after {self.timeout:g} s (the per-document time limit; raise it with --timeout or timeout=)")

    def _read(self, document: str | bytes | os.PathLike, kind: str, deadline: Deadline) -> _Page:
        """Decode, then extract (HTML) or split (text) into blocks."""
        text, kind = self._prepare(document, kind)
        deadline.check()
        if kind == "html":
            base, blocks = extract_blocks(text, self.extract_options) if text.strip() else ("", [])
        else:
            base, blocks = text, unwrap(split_lines(text))
        deadline.check()
        threshold = DEFAULT_THRESHOLDS[kind] if self.threshold is None else self.threshold
        # The model reads a text's Markdown links and headings as structure; the offsets stay the text's.
        scored = blocks if kind == "html" else markdown_view(text, blocks)
        return _Page(base, blocks, kind, threshold, DocView.from_blocks(scored, kind == "html"))

    def _finish(self, page: _Page, scores: tuple[np.ndarray, np.ndarray]) -> CleanResult:
        """Decide each block from its scores, and cut the removed ones out."""
        decisions = self._decide(page.base, page.view, page.threshold, *scores)
        removed = decisions.column("removed")
        spans = removed_spans(page.base, page.blocks, removed, decisions.column("label"), decisions.column("junk_score"))
        return CleanResult(delete_spans(page.base, spans), page.base, page.kind, spans, self._model.info, decisions, page.threshold)

    def _prepare(self, document: str | bytes | os.PathLike, kind: str) -> tuple[str, str]:
        check_kind(kind)
        if isinstance(document, os.PathLike):
            document = _file_bytes(document, self.max_bytes)
        decoded = False
        if isinstance(document, (bytes, bytearray, memoryview)):
            decoded = True
            data = bytes(document)
            if len(data) > self.max_bytes:
                raise InputError(f"input is {len(data):,} bytes, over the limit of {self.max_bytes:,} (raise it with --max-bytes or max_bytes=)")
            if kind != "text" and opens_as_warc(data):
                raise InputError(MANY_PAGES)
            if data.startswith(GZIP_MAGIC):
                data = gunzip(data, self.max_bytes)
            saved = unwrap_saved_page(data) if kind != "text" else None
            if saved is not None:
                return _saved_page_kind(saved, kind)
            document = decode_bytes(data)
        elif not isinstance(document, str):
            raise CleanerError(f"document must be str or bytes, not {type(document).__name__}")
        elif len(document) > self.max_bytes:
            raise InputError(f"input is {len(document):,} characters, over the limit of {self.max_bytes:,} (raise it with --max-bytes or max_bytes=)")
        elif kind != "text" and document.startswith(_WARC_TEXT):
            raise InputError(MANY_PAGES)
        elif kind != "text" and (saved := unwrap_saved_text(document)) is not None:
            return _saved_page_kind(saved, kind)
        if kind == "auto":
            kind = "html" if looks_like_html(document) else "text"
        if kind == "html" and not decoded:
            document = without_surrogates(document)
        return document, kind

    def _decide(self, base: str, view: DocView, threshold: float, probs: np.ndarray, in_context: np.ndarray) -> BlockDecisions:
        is_html = view.is_html
        blocks = view.blocks
        if not blocks:
            return BlockDecisions({name: [] for name in BlockDecisions.FIELDS})
        texts = [b.text for b in blocks]
        lists = [b.list_id for b in blocks] if is_html else None
        items = item_keys([b.item_id for b in blocks]) if is_html else None
        groups = list_runs(texts, [b.tag for b in blocks], is_html, view.markers, lists, items)
        junk, list_sizes = smooth_lists(in_context, groups, items)
        removed = junk >= threshold
        # Text only: in HTML most paragraphs end in a full stop (`sure_lines.py`).
        vetoed = [] if is_html else sure_sentences(texts, probs[:, 0], removed)
        removed[vetoed] = False
        headed = sorted(groups + glued_runs(removed, view.blank_before, groups))  # HTML lines have no blank lines between them
        tied = tie_list_headers(texts, junk, removed, headed)
        tied.update(self._tie_section_headings(blocks, probs, removed))
        if not is_html:
            heads_list = probs[:, 1:].argmax(axis=1) == JUNK_LABELS.index("headline_list")
            tied.update(tie_headed_runs(texts, junk, removed, heads_list, view.blank_before))
            tied.update(tie_box_tails(texts, junk, removed, view.blank_before, view.blank_after))
        by_layout = {} if is_html else markdown_rules(blocks, base, view.blank_before, removed, junk, threshold)
        orphans = [i for i, b in enumerate(blocks) if b.orphaned and not removed[i]] if is_html else []
        removed[orphans] = True
        labels = _junk_labels(probs, removed)
        rules = [""] * len(labels)
        for line in vetoed:
            rules[line] = SURE_RULE
        for line, why in tied.items():
            rules[line] = why
        for line, layout in by_layout.items():
            labels[line] = layout.label or labels[line]
            rules[line] = layout.why
        for line in orphans:
            labels[line], rules[line] = ORPHAN_LABEL, ORPHAN_RULE
        headline = leading_headline(blocks, is_html)
        if headline is not None:
            removed[headline], labels[headline], junk[headline], rules[headline] = True, TITLE, 1.0, HEADLINE_RULE
        for line, layout in by_layout.items():  # last: the lines they follow are decided now
            if layout.follows is not None:
                j = layout.follows
                removed[line], junk[line], labels[line] = removed[j], junk[j], labels[j]
        looks = probs.argmax(axis=1)
        # Plain Python values: indexing numpy arrays element by element is slow.
        removed_flags = removed.tolist()
        labels = [label if flag else "content" for label, flag in zip(labels, removed_flags)]
        kept_by_keep = [flag and label in self.keep for label, flag in zip(labels, removed_flags)] if self.keep else [False] * len(labels)
        return BlockDecisions({
            "start": [b.start for b in blocks],
            "end": [b.end for b in blocks],
            "text": [base[b.start:b.end] for b in blocks],  # as given, not as read (`markdown.py`)
            "tag": [b.tag or "line" for b in blocks],
            "looks_like": [LABELS[k] for k in looks.tolist()],
            "looks_score": probs[np.arange(len(looks)), looks].tolist(),
            "junk_score": junk.tolist(),
            "label": labels,
            "removed": [flag and not kept for flag, kept in zip(removed_flags, kept_by_keep)] if self.keep else removed_flags,
            "threshold": [threshold] * len(labels),
            "kept_by_keep": kept_by_keep,
            "context_score": in_context.tolist(),
            "list_size": list_sizes.tolist(),
            "rule": rules,
            "markup": [b.markup for b in blocks],
        })

    def _tie_section_headings(self, blocks: Sequence, probs: np.ndarray, removed: np.ndarray) -> dict[int, str]:
        """`smoothing.tie_section_headings` over the lines that will go: a
        section whose lines `keep` leaves in keeps its heading too."""
        going = removed.copy()
        if self.keep:
            going &= np.array([label not in self.keep for label in _junk_labels(probs, removed)])
        why = tie_section_headings([b.tag for b in blocks], going)
        removed[list(why)] = True
        return why

    def _score(self, view: DocView, deadline: Deadline) -> tuple[np.ndarray, np.ndarray]:
        """Score the lines WINDOW_LINES at a time, so scoring memory stays flat."""
        if len(view.blocks) <= WINDOW_LINES:
            return self._model.classifier.predict_doc(view)
        parts = []
        for start in range(0, len(view.blocks), WINDOW_LINES):
            deadline.check()
            window = slice(start, start + WINDOW_LINES)
            parts.append(self._model.classifier.predict_doc(
                DocView(view.blocks[window], view.is_html, view.blank_before[window], view.blank_after[window])
            ))
        return np.concatenate([p for p, _ in parts]), np.concatenate([j for _, j in parts])


def _file_bytes(document: os.PathLike, limit: int) -> bytes:
    """A file's bytes for `clean(Path(...))`, refused unread when over
    `limit` (`reading.py`); an unreadable file, or a path no file can have
    (a NUL in it: file names taken from scraped data), is an InputError."""
    from .reading import over_limit, read_file_at_most

    try:
        path = Path(os.fsdecode(document))  # an os.PathLike may give bytes
        data, size = read_file_at_most(path, limit)
    except OSError as exc:
        raise InputError(f"cannot read {document}: {exc.strerror or exc}") from exc
    except (TypeError, ValueError) as exc:  # "embedded null byte"; a __fspath__ giving neither str nor bytes
        raise InputError(f"cannot read {document!r}: {exc}") from exc
    if data is None:
        raise InputError(over_limit(size, limit).replace("--max-bytes", "--max-bytes or max_bytes="))
    return data


def _saved_page_kind(saved: tuple[str, str], kind: str) -> tuple[str, str]:
    """A saved page's text (`saved_pages.py`) with the kind asked for, or
    under "auto" the kind its file declares."""
    text, own_kind = saved
    return text, own_kind if kind == "auto" else kind


_NO_DEADLINE = Deadline(None)
_OUT_OF_MEMORY = "ran out of memory cleaning this document (lower --max-bytes, or give the process more memory)"


@dataclass(frozen=True, slots=True)
class _Page:
    """A document read and cut into blocks, waiting to be scored."""

    base: str
    blocks: list[Block]
    kind: str
    threshold: float
    view: DocView


def _scoring_groups(pages: Sequence[_Page | CleanerError]) -> Iterator[list[int]]:
    """Indexes of the pages to score together, in groups of at most
    WINDOW_LINES lines (so memory stays as flat as for one document); a page
    longer than that is a group of its own (scored in windows)."""
    group: list[int] = []
    lines = 0
    for i, page in enumerate(pages):
        if isinstance(page, CleanerError):
            continue
        size = len(page.view.blocks)
        if group and lines + size > WINDOW_LINES:
            yield group
            group, lines = [], 0
        group.append(i)
        lines += size
    if group:
        yield group


def _junk_labels(probs: np.ndarray, removed: np.ndarray) -> list[str]:
    """Name each removed line's junk category, pooling evidence over its run of
    removed neighbours so a header takes the label of the list it heads: the
    label maximises the line's junk probabilities plus its run's mean."""
    labels = ["content"] * len(removed)
    lines = np.flatnonzero(removed)
    if not lines.size:
        return labels
    junk_probs = probs[lines, 1:]
    run = np.cumsum(np.diff(lines, prepend=-2) != 1) - 1
    # Added row by row in order, as mean(axis=0) over each run adds them
    # (np.add.reduceat may add in another order).
    run_sums = np.zeros((run[-1] + 1, junk_probs.shape[1]))
    np.add.at(run_sums, run, junk_probs)
    run_means = run_sums / np.bincount(run)[:, None]
    best = (junk_probs + run_means[run]).argmax(axis=1)
    for line, label in zip(lines.tolist(), best.tolist()):
        labels[line] = JUNK_LABELS[label]
    return labels


@functools.lru_cache(maxsize=1)
def _bundled_model() -> LoadedModel:
    """The bundled model, checked and loaded once per process and shared."""
    return load_model()


def clean(
    document: str | bytes | os.PathLike,
    kind: str = "auto",
    threshold: float | None = None,
    keep: Iterable[str] | str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float | None = None,
) -> CleanResult:
    """Clean one document with the bundled model (loaded once per process)."""
    return Cleaner(threshold=threshold, keep=keep, max_bytes=max_bytes, timeout=timeout).clean(document, kind)
