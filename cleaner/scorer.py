"""The runtime model: what the bundled model file holds, in plain numpy.

Training uses scikit-learn estimators (`cleaner/classifier.py`); once fitted,
they hand over their learned numbers to the classes here, which need nothing
but numpy to score a document. So cleaning never imports scikit-learn (the CLI
starts in well under a second), and the model file does not depend on the
scikit-learn version it was trained with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import Sequence

import numpy as np

from .blocks import Block
from .context import Documents, context_matrix, context_width, overlap_of_stems
from .features import SHAPE_NAMES, marker_of, shape_matrix, tokens_of
from .labels import LABELS
from .line_inputs import LineInputCache, LineInputs
from .textpass import TextPass
from .token_lookup import HashedVocabulary
from .trees import CompiledTrees


@dataclass(slots=True)
class DocView:
    """The non-blank blocks of one document, with the blank-line layout around them."""

    blocks: list[Block]
    is_html: bool
    blank_before: np.ndarray = field(default_factory=lambda: np.zeros(0))
    blank_after: np.ndarray = field(default_factory=lambda: np.zeros(0))
    markers: list[str] | None = None  # the blocks' list markers, once scoring has read them

    @classmethod
    def from_blocks(cls, blocks: Sequence[Block], is_html: bool) -> "DocView":
        kept: list[Block] = []
        before: list[float] = []
        after: list[float] = []
        previous_blank = False
        for block in blocks:
            if block.blank:
                previous_blank = True
                if after:
                    after[-1] = 1.0
                continue
            kept.append(block)
            before.append(float(previous_blank))
            after.append(0.0)
            previous_blank = False
        return cls(kept, is_html, np.asarray(before), np.asarray(after))


# Entries (known tokens) from which a sparse product beats the bincount.
SPARSE_FROM_ENTRIES = 4096
# Lines looked up as strings before the vocabulary's hash table is built
# (`LexicalWeights.hashed_once_earned`): about its cost in time saved.
HASH_AFTER_LINES = 10_000
# Entries added up by bincount before the sparse product is set up
# (`LexicalWeights._word_sums`): about its cost in time saved.
SPARSE_AFTER_ENTRIES = 3_000_000
# What LexicalWeights computes or counts as it runs, never pickled.
_RUN_TIME_ATTRIBUTES = ("_hashed", "_word_coef64", "_lines_before_hashing", "_entries_before_sparse")

# Joins the vocabulary's tokens in the model file; no token holds it (tokens
# are words, word pairs and marked words).
_TOKEN_SEPARATOR = "\x00"


def pack_vocabulary(vocabulary: dict[str, int]) -> dict[str, int] | str:
    """The vocabulary as it goes into the model file: its tokens in column
    order, joined into one string.

    joblib unpickles with Python's own pickle implementation, one opcode at a
    time, and a dict of 115,000 tokens was most of the model's load time
    (about 0.2 s); one string loads in a single step and the dict is rebuilt
    from it in about 10 ms. A vocabulary whose columns are not 0..n-1, or
    whose tokens hold the separator, is kept as the dict."""
    tokens = sorted(vocabulary, key=vocabulary.__getitem__)
    if [vocabulary[t] for t in tokens] != list(range(len(tokens))) or any(_TOKEN_SEPARATOR in t for t in tokens):
        return vocabulary
    return _TOKEN_SEPARATOR.join(tokens)


def unpack_vocabulary(packed: dict[str, int] | str) -> dict[str, int]:
    """`pack_vocabulary` undone (model files written before it hold the dict)."""
    if isinstance(packed, dict):
        return packed
    return {token: column for column, token in enumerate(packed.split(_TOKEN_SEPARATOR))} if packed else {}


class LexicalWeights:
    """Stage one as arrays: a one-vs-rest logistic model over a token
    vocabulary plus standardised shape features."""

    # Models pickled before label lines were weighed apart lack the attribute;
    # `BlockScorer.mismatch` refuses them.
    lead_weight: float | None = None

    def __init__(self, vocabulary: dict[str, int], word_coef: np.ndarray, shape_mean: np.ndarray,
                 shape_scale: np.ndarray, shape_coef: np.ndarray, intercept: np.ndarray, lead_weight: float = 1.0) -> None:
        self.vocabulary = vocabulary
        self.lead_weight = lead_weight    # what the marked first word of a label line adds (`entry_weights`)
        self.word_coef = word_coef        # (V, C) float32
        self.shape_mean = shape_mean      # (S,)
        self.shape_scale = shape_scale    # (S,)
        self.shape_coef = shape_coef      # (S, C)
        self.intercept = intercept        # (C,)

    def __getstate__(self) -> dict:
        # Run-time structures and counters stay out of the pickle; the
        # vocabulary goes in packed (`pack_vocabulary`).
        state = {k: v for k, v in self.__dict__.items() if k not in _RUN_TIME_ATTRIBUTES}
        state["vocabulary"] = pack_vocabulary(self.vocabulary)
        return state

    def __setstate__(self, state: dict) -> None:
        state = dict(state)
        state["vocabulary"] = unpack_vocabulary(state["vocabulary"])
        self.__dict__.update(state)

    def prepare(self) -> None:
        """Build the derived structures now, not on first use: before worker
        processes fork, so that they share them rather than each build them."""
        from scipy import sparse  # noqa: F401 - imported here so the workers need not

        self.hashed()
        self._coef64()

    def _coef64(self) -> np.ndarray:
        """word_coef as float64 (what the products are computed in), made once."""
        if "_word_coef64" not in self.__dict__:
            self.__dict__["_word_coef64"] = self.word_coef.astype(np.float64)
        return self.__dict__["_word_coef64"]

    def hashed(self) -> HashedVocabulary | None:
        """The vocabulary as a hash table (`token_lookup.py`), built on first use."""
        if "_hashed" not in self.__dict__:
            self.__dict__["_hashed"] = HashedVocabulary.build(self.vocabulary)
        return self.__dict__["_hashed"]

    def hashed_once_earned(self, lines: int) -> HashedVocabulary | None:
        """The hash table if it is built, or once the lines that could have
        used it (`lines` more now) reach HASH_AFTER_LINES; None before.

        Building it takes about 0.1 s and saves about 7 µs a line, so one page
        cleaned from a shell would pay for it and never earn it back; a batch
        earns it back within seconds (`prepare` builds it at once there).
        Either way of looking tokens up gives the same columns (tested)."""
        earned = self._earned("_hashed", "_lines_before_hashing", lines, HASH_AFTER_LINES)
        return self.hashed() if earned else None

    def _earned(self, built: str, counter: str, more: int, enough: int) -> bool:
        """Whether the derived structure `built` exists or is now worth
        building: the work that could have used it, `more` now and the rest
        counted under `counter`, has reached `enough`."""
        if built in self.__dict__:
            return True
        asked = self.__dict__.get(counter, 0) + more
        self.__dict__[counter] = asked
        return asked >= enough

    def scaled(self, shapes: np.ndarray) -> np.ndarray:
        return (shapes - self.shape_mean) / self.shape_scale

    def look_up(self, tokens: Sequence[list[str]], lines: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(vocabulary column or -1, line) of every token in order, and each
        line's number of tokens; `lines` numbers the lines (default 0, 1, ...)."""
        n_tokens = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        # A list first: np.fromiter converts item by item, more slowly.
        columns = np.array(list(map(self.vocabulary.get, chain.from_iterable(tokens), repeat(-1))), dtype=np.int64)
        return columns, np.repeat(np.arange(len(tokens)) if lines is None else lines, n_tokens), n_tokens

    def entries(self, tokens: Sequence[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, column, value) entries of the token vectors (`entry_weights`).
        Unknown tokens count in n_tokens, so a line of unseen words weighs
        little. Repeated (row, column) entries add up."""
        columns, rows, n_tokens = self.look_up(tokens)
        known = columns >= 0
        labelled = np.fromiter((t[-2].startswith("_l_") if len(t) >= 3 else False for t in tokens), dtype=bool, count=len(tokens))
        return rows[known], columns[known], self.entry_weights(rows, n_tokens, labelled)[known]

    def entry_weights(self, rows: np.ndarray, n_tokens: np.ndarray, labelled: np.ndarray) -> np.ndarray:
        """What each token of the lines adds, in token order: 1/sqrt(its line's
        number of tokens), so a line's vector has unit length when its tokens
        are distinct; but the marked first word of a label line (`features.
        has_label`) adds `lead_weight` however long the line is. In "Related:
        <a ten-word headline>" the label is the evidence, and at 1/sqrt(n) the
        headline's words outvoted it (a model trained so kept half of the
        authored inline teasers it was shown)."""
        weights = _token_weight(n_tokens)[rows]
        ends = np.cumsum(n_tokens)  # a line's tokens end with its marked first and last words
        weights[ends[labelled & (n_tokens >= 3)] - 2] = self.lead_weight
        return weights

    def predict_proba(self, tokens: Sequence[list[str]], shapes: np.ndarray) -> np.ndarray:
        """One-vs-rest probabilities, normalised per row (as scikit-learn does)."""
        return self._probabilities(*self.entries(tokens), shapes)

    def predict_proba_entries(self, rows: np.ndarray, columns: np.ndarray, n_tokens: np.ndarray, shapes: np.ndarray,
                              labelled: np.ndarray) -> np.ndarray:
        """predict_proba from every token's (line, column or -1), in token order,
        each line's count of tokens and whether it is a label line: the same
        entries, already looked up."""
        known = columns >= 0
        return self._probabilities(rows[known], columns[known], self.entry_weights(rows, n_tokens, labelled)[known], shapes)

    def _probabilities(self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, shapes: np.ndarray) -> np.ndarray:
        words = self._word_sums(rows, cols, vals, shapes.shape[0])
        # Not a BLAS matrix product: it may round a row differently depending
        # on how many rows there are, and a line must score the same alone or
        # among other documents' lines (`predict_docs`; tested). einsum adds
        # each row's terms in one order, whatever the number of rows.
        shape_terms = np.einsum("ij,jk->ik", self.scaled(shapes), self.shape_coef)
        decision = words + shape_terms + self.intercept
        probs = 1.0 / (1.0 + np.exp(-np.clip(decision, -50, 50)))
        return probs / probs.sum(axis=1, keepdims=True)

    def _word_sums(self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n: int) -> np.ndarray:
        """(n, classes): each row's sum of value × word coefficient over its
        entries (`rows` sorted), each cell added up in entry order.

        Two ways, equal to the bit (tested): one bincount over (row, class)
        cells for a few thousand entries; for more, a sparse matrix product,
        which adds each row's products in the same order without making them
        as an array first (5× faster on the lines of 32 texts). scipy.sparse
        is imported only then, so the command line starts as fast as before,
        and only once the bincount has added up SPARSE_AFTER_ENTRIES entries
        or `prepare` has run: importing it and making the float64 weights take
        about 0.14 s and the product saves about 0.04 µs an entry, so one large
        page cleaned in a fresh process would never earn that back."""
        n_classes = self.word_coef.shape[1]
        sparse_pays = len(cols) >= SPARSE_FROM_ENTRIES and self._earned(
            "_word_coef64", "_entries_before_sparse", len(cols), SPARSE_AFTER_ENTRIES)
        if not sparse_pays:
            contributions = self.word_coef[cols] * vals[:, None]
            cells = (rows * n_classes)[:, None] + np.arange(n_classes)
            return np.bincount(cells.ravel(), weights=contributions.ravel(), minlength=n * n_classes).reshape(n, n_classes)
        from scipy import sparse

        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        return sparse.csr_matrix((vals, cols, indptr), shape=(n, len(self.word_coef))) @ self._coef64()


def _token_weight(n_tokens: np.ndarray) -> np.ndarray:
    """What each token of a line adds: 1/sqrt(its line's number of tokens)."""
    return 1.0 / np.sqrt(np.maximum(n_tokens, 1))


def context_features(doc: DocView, probs: np.ndarray, shapes: np.ndarray, overlap: np.ndarray | None = None,
                     markers: Sequence[str] | None = None) -> np.ndarray:
    """Stage two's input for one document (see context.py); `overlap` and
    `markers` are its lines' topic overlap and list markers, if known already."""
    texts = [b.text for b in doc.blocks]
    markers = [marker_of(t) for t in texts] if markers is None else markers
    return context_matrix(texts, probs, shapes, markers, doc.blank_before, doc.blank_after, content_col=0, overlap=overlap)


class BlockScorer:
    """Both stages, fitted: scores every block of a document."""

    def __init__(self, lexical: LexicalWeights, context: CompiledTrees) -> None:
        self.lexical = lexical
        self.context = context

    def __getstate__(self) -> dict:
        # The cache of line inputs is run-time state: leave it out of the pickle.
        return {k: v for k, v in self.__dict__.items() if k != "_line_cache"}

    def mismatch(self) -> str | None:
        """Why this model cannot score the features this version of the
        package makes (a model trained by another version), or None. Checked
        at load: the scoring code reads features by position and would not
        notice on its own."""
        if self.lexical.lead_weight is None:
            return "stage one was trained before label lines had a token of their own"
        n_shapes, n_labels = len(SHAPE_NAMES), len(LABELS)
        if self.lexical.shape_coef.shape != (n_shapes, n_labels):
            rows, cols = self.lexical.shape_coef.shape
            return f"stage one was trained on {rows} shape features and {cols} labels; this version makes {n_shapes} and {n_labels}"
        width = context_width(n_labels, n_shapes)
        highest = int(self.context.feature_.max(initial=0))
        if highest >= width:
            return f"stage two reads feature column {highest}; this version makes {width} columns"
        return None

    def forget_lines(self) -> None:
        """Empty the cache of line inputs (benchmarks measure text never seen)."""
        self.__dict__.pop("_line_cache", None)

    def stage_one(self, doc: DocView) -> tuple[np.ndarray, np.ndarray]:
        """Context-free class probabilities (n, len(LABELS)) and the shape matrix,
        computed afresh (as in training)."""
        texts = [b.text for b in doc.blocks]
        text_pass = TextPass(texts)
        shapes = shape_matrix(doc.blocks, doc.is_html, text_pass)
        return self.lexical.predict_proba(tokens_of(texts, text_pass), shapes), shapes

    def predict_doc(self, doc: DocView) -> tuple[np.ndarray, np.ndarray]:
        """Return (stage-one probabilities, junk probability in context) per block.

        The lines' own inputs come from a cache of lines seen before
        (`line_inputs.py`); they are the same numbers stage_one computes."""
        return self.predict_docs([doc])[0]

    def predict_docs(self, docs: Sequence[DocView]) -> list[tuple[np.ndarray, np.ndarray]]:
        """`predict_doc` of each document, computed together.

        Most of the cost of scoring a short document is fixed (a few hundred
        numpy calls), not per line; so the lines of all the documents go
        through stage one, the context columns (which know where each
        document ends: `context.Documents`) and the trees as one matrix.
        Every number is computed from its own document's lines alone, so the
        results equal `predict_doc`'s on each (tested)."""
        if not any(doc.blocks for doc in docs):
            return [(np.zeros((0, len(LABELS))), np.zeros(0)) for _ in docs]
        if "_line_cache" not in self.__dict__:
            self.__dict__["_line_cache"] = LineInputCache()
        cache: LineInputCache = self.__dict__["_line_cache"]
        ordered: list[list[LineInputs]] = [[] for _ in docs]
        for is_html in (False, True):
            group = [i for i, doc in enumerate(docs) if doc.is_html == is_html]
            found = cache.inputs([b for i in group for b in docs[i].blocks], is_html, self.lexical) if group else []
            at = 0
            for i in group:
                ordered[i] = found[at: at + len(docs[i].blocks)]
                at += len(docs[i].blocks)
        for doc, doc_lines in zip(docs, ordered):
            doc.markers = [line.marker for line in doc_lines]  # for stage three (`smoothing.list_runs`)
        flat = [line for doc_lines in ordered for line in doc_lines]
        shapes = np.stack([line.shape for line in flat])
        probs = np.stack([line.probs for line in flat])
        together = Documents([len(doc_lines) for doc_lines in ordered])
        X = context_matrix(
            [b.text for doc in docs for b in doc.blocks], probs, shapes, [line.marker for line in flat],
            np.concatenate([doc.blank_before for doc in docs]), np.concatenate([doc.blank_after for doc in docs]),
            content_col=0, overlap=_overlap_per_document(flat, together), docs=together,
        )
        in_context = self.context.predict_proba(X)
        bounds = together.starts.tolist() + [len(flat)]
        return [(probs[lo:hi], in_context[lo:hi]) for lo, hi in zip(bounds[:-1], bounds[1:])]


def _overlap_per_document(lines: Sequence[LineInputs], docs: Documents) -> np.ndarray:
    """Topic overlap of every line with the rest of its own document."""
    stems = [line.stems for line in lines]
    stem_line = np.repeat(np.arange(len(lines)), [len(s) for s in stems])
    keys = np.concatenate(stems)
    document = docs.of_line[stem_line] if len(docs.sizes) > 1 else None
    return overlap_of_stems(stem_line, keys[:, 0], keys[:, 1], len(lines), document)
