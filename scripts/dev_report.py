"""Per-language quality of a model on composed dev documents.

The dev documents are composed from the held-out part of training_data/
(articles and junk units the model never saw; `compose.split_sources`), so
they measure how the model generalises to unseen authored text, language by
language. ../shared/eval is not used. Scores are stage two's in-context junk
probabilities (before stage three), as in the model card.

    python scripts/dev_report.py [--model FILE] [--text-docs 3000] [--html-docs 1200]

For each input kind and language: documents, junk lines, average precision of
the junk score, and recall, precision and share of content lines removed at
the default threshold. Then the rows of tables (content tables in text; every
`<tr>` the extraction kept in HTML, junk tables too): how many of each were
removed.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]  # the package, and script_edge beside this file

from sklearn.metrics import average_precision_score  # noqa: E402

from script_edge import count, run  # noqa: E402
from cleaner.labels import CONTENT  # noqa: E402
from cleaner.model_store import load_model  # noqa: E402
from cleaner.pipeline import DEFAULT_THRESHOLDS  # noqa: E402
from cleaner.training.compose import split_sources  # noqa: E402
from cleaner.training.dataset import Example, build_examples  # noqa: E402
from cleaner.training.sources import load_sources  # noqa: E402
from cleaner.training.train import line_rates  # noqa: E402


def report_row(gold: np.ndarray, scores: np.ndarray, threshold: float) -> tuple[float, dict[str, float]]:
    """Average precision of the junk score, and `line_rates` at `threshold`."""
    ap = average_precision_score(gold, scores) if gold.any() else float("nan")
    return float(ap), line_rates(gold, scores >= threshold)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=None, help="a model file of your own (trusted); default: the bundled one")
    parser.add_argument("--data", type=Path, default=ROOT / "training_data")
    parser.add_argument("--text-docs", type=count, default=3000)
    parser.add_argument("--html-docs", type=count, default=1200)
    parser.add_argument("--seed", type=int, default=901)
    args = parser.parse_args(argv)

    classifier = (load_model(args.model, trust=True) if args.model else load_model()).classifier
    _, dev = split_sources(load_sources(args.data))
    print("| kind | language | docs | junk lines | AP | recall | precision | content removed |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    rows: list[str] = []
    for kind, n_text, n_html, seed in (("text", args.text_docs, 0, args.seed), ("html", 0, args.html_docs, args.seed + 1)):
        groups: dict[str, list[tuple[np.ndarray, np.ndarray]]] = defaultdict(list)
        table_rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for example in build_examples(dev, n_text, n_html, seed):
            _, junk = classifier.predict_doc(example.view)
            gold = np.array([label != CONTENT for label in example.labels])
            groups[example.record["lang"]].append((gold, junk))
            groups["all"].append((gold, junk))
            table_rows.append((gold, junk, _table_rows(example)))
        for lang in sorted(groups, key=lambda name: (name != "all", -len(groups[name]), name)):
            gold = np.concatenate([g for g, _ in groups[lang]])
            scores = np.concatenate([s for _, s in groups[lang]])
            ap, rates = report_row(gold, scores, DEFAULT_THRESHOLDS[kind])
            print(f"| {kind} | {lang} | {len(groups[lang])} | {int(gold.sum())} | {ap:.3f} | {rates['recall']:.3f} | "
                  f"{rates['precision']:.3f} | {rates['content_removed']:.2%} |")
        if not table_rows:
            continue
        gold, scores, in_table = (np.concatenate(parts) for parts in zip(*table_rows))
        removed = scores >= DEFAULT_THRESHOLDS[kind]
        content, junk = in_table & ~gold, in_table & gold
        rows.append(f"| {kind} | {int(content.sum())} | {_share(removed, content)} | {int(junk.sum())} | {_share(removed, junk)} |")
    print("\n| kind | content table rows | removed | junk table rows | removed |\n| --- | --- | --- | --- | --- |")
    print("\n".join(rows))


def _table_rows(example: Example) -> np.ndarray:
    """Which of the example's lines are table rows: in text, the lines of its
    tables' spans; in HTML, the lines the extraction made from `<tr>`s."""
    if example.view.is_html:
        return np.array([block.tag == "row" for block in example.view.blocks], dtype=bool)
    spans = example.record["tables"]
    return np.array([any(s["start"] <= block.start < s["end"] for s in spans) for block in example.view.blocks], dtype=bool)


def _share(removed: np.ndarray, chosen: np.ndarray) -> str:
    return f"{removed[chosen].mean():.1%}" if chosen.any() else "–"


if __name__ == "__main__":
    sys.exit(run(main))
