"""How the cleaner does on the text formats scrapers save, next to plain text.

Composes dev documents from the held-out part of training_data/ (as
`dev_report.py` does; ../shared/eval is not used) and renders each one three
ways: as plain text; as the Markdown that page-to-Markdown scrapers save
(`training/markdown_render.py`), with inline links and with reference-style
ones (`[anchor][3]` and `   [3]: url` lines at the end, labelled as the line
that uses them); and as plain text hard-wrapped at 60 to 80 columns
(`training/wrapped_render.py`). It cleans each with the full pipeline and
scores it with the injected-text line metric. More rows show how the cleaner
read these before it learned to: Markdown with its syntax read as plain words
(`markdown.markdown_view` switched off), reference-style links read as plain
words and their definitions left to the model, and wrapped text read line by
line (`wrapping.unwrap` switched off).

    python scripts/format_report.py [--docs 1500] [--seed 7000]

The renderers follow the conventions that the readings know, so these rows
measure the readings on what they were built for, not on every tool's dialect.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import Cleaner  # noqa: E402
from cleaner.evaluation import cleaner_system, format_table, labelled_text, score_labelled  # noqa: E402
from cleaner.training.compose import compose, render_text, split_sources  # noqa: E402
from cleaner.training.markdown_render import render_markdown  # noqa: E402
from cleaner.training.wrapped_render import render_wrapped  # noqa: E402
from cleaner.training.sources import load_sources  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7000)
    parser.add_argument("--data", type=Path, default=ROOT / "training_data")
    args = parser.parse_args()

    _, dev = split_sources(load_sources(args.data))
    plain, markdown, references, wrapped = [], [], [], []
    for i in range(args.docs):
        doc = compose(dev, i, random.Random(args.seed + i))
        plain.append(labelled_text(render_text(doc, random.Random(args.seed + i + 1))))
        markdown.append(labelled_text(render_markdown(doc, random.Random(args.seed + i + 1))))
        references.append(labelled_text(render_markdown(doc, random.Random(args.seed + i + 1), reference_links=True)))
        wrapped.append(labelled_text(render_wrapped(doc, random.Random(args.seed + i + 1))))
    system = cleaner_system(Cleaner())
    rows = [score_labelled("plain text", plain, system), score_labelled("markdown", markdown, system)]
    with mock.patch("cleaner.pipeline.markdown_view", lambda text, blocks: blocks):
        rows.append(score_labelled("markdown read as plain words", markdown, system))
    rows.append(score_labelled("markdown, reference-style links", references, system))
    with mock.patch("cleaner.markdown._REFERENCE", re.compile(r"(?!)")):
        rows.append(score_labelled("markdown, reference-style links read as plain words", references, system))
    rows.append(score_labelled("hard-wrapped text", wrapped, system))
    with mock.patch("cleaner.pipeline.unwrap", lambda blocks: blocks):
        rows.append(score_labelled("hard-wrapped text read line by line", wrapped, system))
    print(format_table(rows))


if __name__ == "__main__":
    main()
