"""Pick a retrained model's default thresholds by the project's rule.

The rule (`DEFAULT_THRESHOLDS` in cleaner/pipeline.py): for each input kind,
the lowest threshold on a 0.05 grid at which the new model removes no more dev
content lines than the previous model did at its own defaults, both scored on
the same held-out composed documents (never ../shared/eval). A better model
then spends its gain on recall instead of deleting more of the article.

A model can only be scored by the code it was trained with (the features
change between versions), and the dev documents change with the training data
and the composer. So the documents are composed once and saved, and each
model scores them under its own checkout:

    # in a checkout of the previous release (git worktree add /tmp/prev <commit>)
    python scripts/pick_thresholds.py save /tmp/dev.json.gz
    python scripts/pick_thresholds.py score /tmp/dev.json.gz --out /tmp/previous.json
    # in the new checkout, with the retrained model in models/
    python scripts/pick_thresholds.py score /tmp/dev.json.gz --out /tmp/new.json
    python scripts/pick_thresholds.py pick /tmp/new.json --previous /tmp/previous.json --previous-thresholds 0.65,0.60

Which training seed to ship is decided on the same documents: train the
recipe at a few seeds (`cleaner train --seed N --out DIR`), score each, and

    python scripts/pick_thresholds.py compare /tmp/seed5.json /tmp/seed6.json /tmp/seed7.json \
        --previous /tmp/previous.json --previous-thresholds 0.65,0.60

prints each one's junk recall at the previous model's content loss.

The script uses only interfaces older checkouts have too, so it can be copied
into one that predates it. Scores are stage two's in-context junk
probabilities (before stage three), as in the model card's dev metrics. Save
the documents from both checkouts to hold the new model to the old documents
and to the new ones.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]  # the package, and script_edge beside this file

from sklearn.metrics import average_precision_score  # noqa: E402

from script_edge import count, run, thresholds as threshold_pair  # noqa: E402
from cleaner.blocks import Block  # noqa: E402
from cleaner.labels import CONTENT  # noqa: E402
from cleaner.model_store import load_model  # noqa: E402
from cleaner.scorer import DocView  # noqa: E402
from cleaner.training.compose import split_sources  # noqa: E402
from cleaner.training.dataset import build_examples  # noqa: E402
from cleaner.training.sources import load_sources  # noqa: E402

GRID = [round(0.3 + 0.05 * k, 2) for k in range(12)]  # 0.30 .. 0.85
KINDS = ("text", "html")


def save(out: Path, data: Path, n_text: int, n_html: int, seed: int) -> None:
    """Compose the dev documents with this checkout and write them as JSON."""
    _, dev = split_sources(load_sources(data))
    docs = []
    for kind, examples in (("text", build_examples(dev, n_text, 0, seed)), ("html", build_examples(dev, 0, n_html, seed + 1))):
        for example in examples:
            view = example.view
            docs.append({"kind": kind, "blocks": [dataclasses.asdict(b) for b in view.blocks],
                         "blank_before": view.blank_before.tolist(), "blank_after": view.blank_after.tolist(),
                         "labels": example.labels})
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        json.dump({"data": str(data), "seed": seed, "documents": docs}, handle)
    print(f"saved {n_text} text and {len(docs) - n_text} HTML documents to {out}")


def score(dev: Path, model: Path | None) -> dict:
    """Content removed and junk recall per GRID threshold, and junk average
    precision, of a model on saved documents, under this checkout's code."""
    classifier = (load_model(model, trust=True) if model else load_model()).classifier
    try:
        with gzip.open(dev, "rt", encoding="utf-8") as handle:
            documents = json.load(handle)["documents"]
    except (gzip.BadGzipFile, EOFError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{dev} is not a dev file written by `save` ({type(exc).__name__}: {exc})") from None
    result = {}
    for kind in KINDS:
        gold, scores = [], []
        try:
            for doc in (d for d in documents if d["kind"] == kind):
                view = DocView([Block(**b) for b in doc["blocks"]], kind == "html",
                               np.asarray(doc["blank_before"]), np.asarray(doc["blank_after"]))
                scores.append(classifier.predict_doc(view)[1])
                gold.append(np.array([label != CONTENT for label in doc["labels"]], dtype=bool))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{dev} is not a dev file written by `save` (a document without {exc})") from None
        if not gold:
            raise ValueError(f"{dev} holds no {kind} documents: save it with --{kind}-docs of 1 or more")
        is_junk, junk = np.concatenate(gold), np.concatenate(scores)
        result[kind] = {
            "ap": float(average_precision_score(is_junk, junk)),
            "content_removed": [float((junk[~is_junk] >= t).mean()) for t in GRID],
            "recall": [float((junk[is_junk] >= t).mean()) for t in GRID],
        }
    return {"grid": GRID, **result}


def pick(new: dict, previous: dict, previous_thresholds: dict[str, float]) -> dict[str, float]:
    """The rule: per kind, the lowest GRID threshold at which `new` removes no
    more content than `previous` did at its threshold (the highest on the
    grid if none qualifies)."""
    chosen = {}
    for kind in KINDS:
        reference = previous[kind]["content_removed"][GRID.index(previous_thresholds[kind])]
        fits = [t for t, removed in zip(GRID, new[kind]["content_removed"]) if removed <= reference]
        chosen[kind] = fits[0] if fits else GRID[-1]
    return chosen


def recall_at(scores: dict, kind: str, content_removed: float) -> float:
    """Junk recall of a model's scores where it removes `content_removed` of
    the content lines, read off its grid by linear interpolation (content
    removed falls as the threshold rises). Thresholds that remove the same
    content count at their best recall, and more content removed never reads
    as less recall: np.interp over tied points returned whichever came first,
    so a model compared with itself showed a gain (+0.076 on HTML)."""
    removed = np.asarray(scores[kind]["content_removed"], dtype=float)
    recall = np.asarray(scores[kind]["recall"], dtype=float)
    points = np.unique(removed)
    best = np.maximum.accumulate([recall[removed == point].max() for point in points])
    return float(np.interp(content_removed, points, best))


def compare(candidates: dict[str, dict], previous: dict, previous_thresholds: dict[str, float]) -> list[str]:
    """Table rows: per candidate model (say, one recipe trained at several
    seeds), its junk recall at the content loss of `previous` at its
    thresholds, per kind, and the gain over `previous`. A candidate that
    gains on every kind and dev set is better at equal content loss; which
    seed to ship is decided so, on dev documents only."""
    rows = ["| model | " + " | ".join(f"{kind} recall at the previous model's {kind} content removed" for kind in KINDS) + " |",
            "| --- | " + " | ".join("---" for _ in KINDS) + " |"]
    cells = []
    for kind in KINDS:  # the previous model read as the candidates are: its best recall at its own content loss
        removed = previous[kind]["content_removed"][GRID.index(previous_thresholds[kind])]
        cells.append((removed, recall_at(previous, kind, removed)))
    rows.append("| previous | " + " | ".join(f"{recall:.3f} at {removed:.2%}" for removed, recall in cells) + " |")
    for name, scores in candidates.items():
        gains = [recall_at(scores, kind, removed) - recall for kind, (removed, recall) in zip(KINDS, cells)]
        rows.append(f"| {name} | " + " | ".join(f"{recall + gain:.3f} ({gain:+.3f})" for gain, (_, recall) in zip(gains, cells)) + " |")
    return rows


def read_scores(path: Path) -> dict:
    """A score file written by `score`; ValueError naming it if it is not one."""
    try:
        scores = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is not a score file written by `score` ({exc})") from None
    if not isinstance(scores, dict) or any(not isinstance(scores.get(kind), dict) or not all(
            isinstance(scores[kind].get(key), list) and len(scores[kind][key]) == len(GRID) for key in ("content_removed", "recall"))
            for kind in KINDS):
        raise ValueError(f"{path} is not a score file written by `score` (no {' and '.join(KINDS)} scores on the "
                         f"{len(GRID)}-threshold grid)")
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    saving = commands.add_parser("save", help="compose the dev documents with this checkout and save them")
    saving.add_argument("out", type=Path)
    saving.add_argument("--data", type=Path, default=ROOT / "training_data")
    saving.add_argument("--text-docs", type=count, default=3000)
    saving.add_argument("--html-docs", type=count, default=1200)
    saving.add_argument("--seed", type=int, default=901)
    scoring = commands.add_parser("score", help="score saved documents with a model of this checkout")
    scoring.add_argument("dev", type=Path)
    scoring.add_argument("--model", type=Path, default=None, help="a model file of your own (trusted); default: the bundled one")
    scoring.add_argument("--out", type=Path, required=True)
    picking = commands.add_parser("pick", help="apply the threshold rule to two score files")
    picking.add_argument("new", type=Path)
    picking.add_argument("--previous", type=Path, required=True)
    picking.add_argument("--previous-thresholds", type=threshold_pair, required=True, help="the previous model's defaults, TEXT,HTML (e.g. 0.65,0.60)")
    comparing = commands.add_parser("compare", help="recall of several models at the previous model's content loss")
    comparing.add_argument("candidates", type=Path, nargs="+", help="score files of the candidate models")
    comparing.add_argument("--previous", type=Path, required=True)
    comparing.add_argument("--previous-thresholds", type=threshold_pair, required=True, help="the previous model's defaults, TEXT,HTML")
    args = parser.parse_args(argv)
    if getattr(args, "previous_thresholds", None) is not None:
        args.previous_thresholds = tuple(round(value, 2) for value in args.previous_thresholds)
        if not set(args.previous_thresholds) <= set(GRID):
            parser.error(f"--previous-thresholds must lie on the grid {GRID[0]:.2f}, {GRID[1]:.2f}, ... {GRID[-1]:.2f}")

    if args.command == "save":
        save(args.out, args.data, args.text_docs, args.html_docs, args.seed)
    elif args.command == "score":
        scores = score(args.dev, args.model)
        args.out.write_text(json.dumps(scores), encoding="utf-8")
        print(" | ".join(f"{kind}: AP {scores[kind]['ap']:.4f}" for kind in KINDS))
    elif args.command == "compare":
        previous = read_scores(args.previous)
        candidates = {path.name: read_scores(path) for path in args.candidates}
        print("\n".join(compare(candidates, previous, dict(zip(KINDS, args.previous_thresholds)))))
    else:
        new, previous = (read_scores(path) for path in (args.new, args.previous))
        thresholds = dict(zip(KINDS, args.previous_thresholds))
        chosen = pick(new, previous, thresholds)
        print("| kind | previous: threshold, content removed, recall | new: threshold, content removed, recall |")
        print("| --- | --- | --- |")
        for kind in KINDS:
            old_at, new_at = GRID.index(thresholds[kind]), GRID.index(chosen[kind])
            print(f"| {kind} | {thresholds[kind]:.2f}, {previous[kind]['content_removed'][old_at]:.2%}, {previous[kind]['recall'][old_at]:.3f} "
                  f"| {chosen[kind]:.2f}, {new[kind]['content_removed'][new_at]:.2%}, {new[kind]['recall'][new_at]:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
