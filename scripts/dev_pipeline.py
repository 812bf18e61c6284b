"""The whole cleaner, decisions and rules included, on composed dev documents.

`dev_report.py` scores stage two's probabilities; a change to what happens
after them (stage three's list and header rules, thresholds, Markdown rules)
shows only here. The documents are composed from the held-out part of
training_data/ (`compose.split_sources`), never from ../shared/eval, and
scored with the metrics of ../shared/README.md: lines for text (as
eval/injected/text.jsonl), the AEB shingle metric and the share of junk
lines left for HTML (as eval/injected/html.jsonl).

    python scripts/dev_pipeline.py [--seeds 901,902,903] [--text-docs 3000] [--html-docs 1200] [--threshold T]

Each seed is one dev set. Counts are printed, not just rates, so two
versions of the code can be compared line for line: a rule that finds N
more junk lines for M more content lines is worth having when N/M beats
what moving the threshold buys (run this with --threshold one step either
side of the default to see that trade).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]  # the package, and script_edge beside this file

from cleaner import Cleaner  # noqa: E402
from script_edge import count, run, seeds  # noqa: E402
from cleaner.evaluation import HtmlPage, LabelledText, cleaner_system, labelled_text, score_html_pages  # noqa: E402
from cleaner.scoring import line_counts  # noqa: E402
from cleaner.training.compose import compose, render_text, split_sources  # noqa: E402
from cleaner.training.html_render import render_html, strip_item_marker  # noqa: E402
from cleaner.training.sources import Sources, load_sources  # noqa: E402


def text_set(dev: Sources, seed: int, n: int) -> list[LabelledText]:
    """n labelled dev texts, rendered as eval/injected/text.jsonl records are."""
    rng = random.Random(seed)
    return [labelled_text(render_text(compose(dev, i, rng), rng)) for i in range(n)]


def html_set(dev: Sources, seed: int, n: int) -> list[HtmlPage]:
    """n dev pages with their article body (content lines but the title, as
    AEB bodies leave out the headline) and their junk lines."""
    rng = random.Random(seed)
    pages = []
    for i in range(n):
        doc = compose(dev, i, rng)
        page = render_html(doc, rng)
        body = [strip_item_marker(line).replace(" | ", " ") for seg in doc.segments if seg.label == "content"
                for line, role in zip(seg.lines, seg.roles) if role != "title"]
        junk = [strip_item_marker(line) for seg in doc.segments if seg.label != "content" for line in seg.lines]
        pages.append(HtmlPage(doc.id, page, "\n".join(body), tuple(junk)))
    return pages


def text_counts(cleaner: Cleaner, docs: list[LabelledText]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for doc in docs:
        result = cleaner.clean(doc.text, kind="text")
        counts = line_counts(doc.text, doc.injected, [(s.start, s.end) for s in result.removed], doc.hard_negatives)
        for name, value in counts._asdict().items():
            totals[name] = totals.get(name, 0) + value
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "training_data")
    parser.add_argument("--seeds", type=seeds, default=[901, 902, 903], help="one dev set per seed (default 901,902,903)")
    parser.add_argument("--text-docs", type=count, default=3000)
    parser.add_argument("--html-docs", type=count, default=1200, help="0 to skip HTML (it takes about a minute per 1,000 pages)")
    parser.add_argument("--threshold", type=float, default=None, help="default: the package's")
    args = parser.parse_args(argv)

    cleaner = Cleaner(threshold=args.threshold)
    _, dev = split_sources(load_sources(args.data))
    print("| seed | kind | docs | junk found (tp) | content removed (fp) | junk left (fn) | content lines | hard negatives removed |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for seed in args.seeds:
        if args.text_docs:
            c = text_counts(cleaner, text_set(dev, seed, args.text_docs))
            print(f"| {seed} | text | {args.text_docs} | {c['tp']} | {c['fp']} | {c['fn']} | {c['content']} | {c['hard_removed']} of {c['hard']} |",
                  flush=True)
        if args.html_docs:
            row = score_html_pages(f"dev-{seed}", html_set(dev, seed + 10, args.html_docs), cleaner_system(cleaner))
            print(f"| {seed} | html | {args.html_docs} | AEB P {row.precision:.4f} R {row.recall:.4f} F1 {row.f1:.4f} | | "
                  f"leaked {row.leaked:.4f} | | |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
