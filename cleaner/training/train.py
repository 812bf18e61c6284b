"""Train the block classifier from training_data/ and write it with a model card.

Reproducible: the same sources, seed and parameters give the same documents,
the same model and so the same SHA-256 (scikit-learn's solvers are
deterministic for a fixed random_state).
"""

from __future__ import annotations

from typing import Any

import hashlib
import platform
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..classifier import BlockClassifier
from ..labels import CONTENT, LABELS
from ..model_store import save_model
from ..pipeline import DEFAULT_THRESHOLDS
from . import DEFAULT_HTML_DOCS, DEFAULT_SEED, DEFAULT_TEXT_DOCS
from .compose import split_sources
from .dataset import Example, build_examples, build_folded_examples
from .sources import load_sources

MODEL_NAME = "cleaner-blocks"
MODEL_VERSION = "1"


@dataclass(frozen=True, slots=True)
class TrainConfig:
    data_dir: Path
    out_dir: Path
    seed: int = DEFAULT_SEED
    n_text: int = DEFAULT_TEXT_DOCS
    n_html: int = DEFAULT_HTML_DOCS
    n_dev_text: int = 600
    n_dev_html: int = 200
    folds: int = 4
    params: tuple[tuple[str, object], ...] = ()  # BlockClassifier overrides


def data_digest(root: Path) -> str:
    """SHA-256 over every source file's path and bytes (articles, boilerplate,
    hard negatives), in sorted order; the folder's own docs do not count."""
    h = hashlib.sha256()
    for path in sorted(p for part in ("articles", "boilerplate", "hard_negatives") for p in (root / part).rglob("*") if p.is_file()):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def line_rates(gold: np.ndarray, removed: np.ndarray) -> dict[str, float]:
    """Junk precision, recall and F1 over lines, and the share of content
    lines removed (`gold`: is junk; `removed`: was removed)."""
    tp = int((removed & gold).sum())
    fp = int((removed & ~gold).sum())
    fn = int((~removed & gold).sum())
    # Nothing removed, or no junk to find, counts 0 (as `cleaner eval` counts it; 1.0 here read as perfect).
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "content_removed": fp / max(int((~gold).sum()), 1)}


def dev_scores(model: BlockClassifier, examples: list[Example], threshold: float = 0.5) -> dict[str, float]:
    """Line-level junk precision/recall/F1 and content/hard-negative loss on
    dev docs, removing lines whose junk score reaches `threshold`."""
    gold, removed = [], []
    docs_right = 0
    for ex in examples:
        _, junk = model.predict_doc(ex.view)
        removed.append(junk >= threshold)
        gold.append(np.asarray([l != CONTENT for l in ex.labels], dtype=bool))
        docs_right += int((removed[-1] == gold[-1]).all())
    none = np.zeros(0, dtype=bool)
    rates = line_rates(np.concatenate(gold) if gold else none, np.concatenate(removed) if removed else none)
    return {
        **{name: round(value, 4) for name, value in rates.items()},
        "docs_all_right": round(docs_right / max(len(examples), 1), 4), "docs": len(examples),
    }


def train(config: TrainConfig, log=print) -> dict:
    """Compose data, fit, score on dev, save model + manifest + card; return the manifest."""
    import sklearn
    import trafilatura

    started = time.perf_counter()
    sources = load_sources(config.data_dir)
    train_sources, dev_sources = split_sources(sources)
    log(f"composing {config.n_text} text + {config.n_html} HTML training documents (seed {config.seed})")
    examples = build_folded_examples(train_sources, config.n_text, config.n_html, config.seed, config.folds)
    log("composing dev documents from held-out articles and boilerplate")
    dev_text = build_examples(dev_sources, config.n_dev_text, 0, config.seed + 1)
    dev_html = build_examples(dev_sources, 0, config.n_dev_html, config.seed + 2)
    n_blocks = sum(len(e.labels) for e in examples)
    n_html_docs = sum(e.view.is_html for e in examples)
    log(f"fitting on {len(examples)} documents, {n_blocks} lines")
    overrides: dict[str, Any] = dict(config.params)
    model = BlockClassifier(folds=config.folds, random_state=config.seed, **overrides).fit(
        [e.view for e in examples], [e.labels for e in examples], groups=[e.group for e in examples]
    )
    metrics = {"dev_text": dev_scores(model, dev_text, DEFAULT_THRESHOLDS["text"]),
               "dev_html": dev_scores(model, dev_html, DEFAULT_THRESHOLDS["html"])}
    log(f"dev: {metrics}")
    label_counts = {label: sum(l == label for e in examples for l in e.labels) for label in LABELS}
    manifest = {
        "name": MODEL_NAME,
        "version": MODEL_VERSION,
        "labels": list(LABELS),
        "params": model.get_params(),
        "seed": config.seed,
        # What was composed, counted: each fold gets n // folds documents, so fewer than asked for may come.
        "training": {"text_docs": len(examples) - n_html_docs, "html_docs": n_html_docs,
                     "lines": n_blocks, "line_labels": label_counts, "data": _shown_path(config.data_dir)},
        "training_data_sha256": data_digest(config.data_dir),
        "sklearn_version": sklearn.__version__,
        "trafilatura_version": trafilatura.__version__,  # renders the HTML training documents' lines
        "numpy_version": np.__version__,
        "vocabulary": len(model.scorer_.lexical.vocabulary),
        "python_version": platform.python_version(),
        "metrics": metrics,
        "thresholds": dict(DEFAULT_THRESHOLDS),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    manifest = save_model(model.scorer_, config.out_dir, manifest)
    (config.out_dir / "MODEL_CARD.md").write_text(model_card(manifest), encoding="utf-8")
    log(f"wrote {config.out_dir / manifest['file']} ({manifest['bytes']:,} bytes, sha256 {manifest['sha256'][:12]}...)")
    return manifest


def model_card(m: dict) -> str:
    """A human-readable card for the model (written next to it)."""
    rows = "\n".join(
        f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['content_removed']:.2%} | {s['docs_all_right']:.1%} | {s['docs']} |"
        for name, s in m["metrics"].items()
    )
    counts = ", ".join(f"{k} {v:,}" for k, v in m["training"]["line_labels"].items())
    return f"""# Model card: {m['name']} v{m['version']}

Two-stage line classifier for `cleaner` (see `cleaner/classifier.py`): stage one is a
one-vs-rest logistic regression (fitted by SGD) on word 1-2-grams over a vocabulary of
{m['vocabulary']:,} tokens seen in at least two training lines (the first word of a line that
opens with a label, as in "Related: ...", is a token of its own and weighs as much as the
rest of the line), plus shape features; stage two is
gradient-boosted trees (compiled to flat arrays) on stage-one probabilities of each line
and its neighbours, runs of similar lines, topic overlap with the document and position.
Output: P(junk) per line in context, and a junk label.

- Labels: {', '.join(m['labels'])}
- File: `{m['file']}`, {m['bytes']:,} bytes, SHA-256 `{m['sha256']}`
- Trained with scikit-learn {m['sklearn_version']}, numpy {m['numpy_version']}, trafilatura {m.get('trafilatura_version', '(not recorded)')}, Python {m['python_version']}.
  The file holds a `cleaner.scorer.BlockScorer`: numpy arrays and plain Python objects
  only, so cleaning needs no scikit-learn; the package refuses it under another numpy
  major version.
- Training data: composed by `cleaner/training/` from `{m['training'].get('data', 'training_data')}/` (authored for this
  project; digest `{m['training_data_sha256']}`), seed {m['seed']}:
  {m['training']['text_docs']:,} text and {m['training']['html_docs']:,} HTML documents, {m['training']['lines']:,} lines ({counts}).
- Parameters: `{m['params']}`
- Trained in {m['train_seconds']} s.

## Dev metrics (held-out articles and boilerplate units, line level, at the package's default thresholds: {m['thresholds']['text']} for text, {m['thresholds']['html']} for HTML)

| set | precision | recall | F1 | content lines removed | docs all right | docs |
| --- | --- | --- | --- | --- | --- | --- |
{rows}

These dev sets are composed the same way as the training data, so they measure
generalisation to unseen articles and junk, not to unseen composition styles; the
figures on real pages are in README.md (scripts/evaluate.py).

Reproduce: `{reproduce_command(m)}` (or the same options to `python scripts/train.py`).
"""


def _shown_path(path: Path) -> str:
    """`path` relative to the working folder when it lies under it (the
    card then reads the same on every machine), else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def reproduce_command(m: dict) -> str:
    """The command that trains this model again, byte for byte, from the same data."""
    data = m["training"].get("data", "training_data")
    return (f"cleaner train --seed {m['seed']} --text-docs {m['training']['text_docs']} --html-docs {m['training']['html_docs']}"
            + ("" if data == "training_data" else f" --data {data}"))
