"""Report training_data/ text that also occurs in ../shared/eval.

The evaluation data is for measuring only: nothing from it may be trained on.
Authored text can still meet it by chance in a short generic line ("How we
tested"), so this script lists every training line of 12 characters or more
(list markers and heading marks left aside) that equals a line or text node
of the evaluation files, and every line sharing a run of N words (default 6)
with them. It is a reviewer's aid, not a gate: web boilerplate is the same on
every site ("Share on Facebook", "All rights reserved"), so authored junk
lines meet it by nature; a longer shared run of words deserves a look. Run it
after adding training material, and reword or drop what looks borrowed.

    python scripts/check_overlap.py [--shared ../shared] [--words 6]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_WORD = re.compile(r"\w+")
_MARK = re.compile(r"^(?:#+|[-•*▪–]|\d+[.)])\s*")
_MIN_CHARS = 12


def eval_texts(shared: Path) -> Iterator[str]:
    for path in sorted((shared / "eval").rglob("*")):
        if path.is_file():
            opener = gzip.open if path.name.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8", errors="replace") as f:
                yield f.read().lower()


_PIECES = re.compile(r"<[^>]*>|\\n|\n|\"")  # tags, JSON line breaks and quotes end a piece


def pieces(text: str) -> set[str]:
    """The text's lines and text nodes, without list and heading marks."""
    return {_MARK.sub("", p.strip()).strip() for p in _PIECES.split(text)}


def shingles(text: str, n: int) -> set[str]:
    words = _WORD.findall(text.lower())
    return {" ".join(words[i: i + n]) for i in range(len(words) - n + 1)}


def training_lines(folder: Path) -> Iterator[tuple[Path, int, str]]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".txt", ".md") and path.name not in ("README.md", "FORMAT.md"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if line.strip():
                    yield path, number, line.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--data", type=Path, default=ROOT / "training_data")
    parser.add_argument("--words", type=int, default=6, help="shared run of words that counts (default 6)")
    args = parser.parse_args(argv)
    if not (args.shared / "eval").is_dir():
        print(f"no evaluation data under {args.shared}", file=sys.stderr)
        return 2
    runs: set[str] = set()
    known: set[str] = set()
    for text in eval_texts(args.shared):
        runs |= shingles(text, args.words)
        known |= pieces(text)
    found = 0
    for path, number, line in training_lines(args.data):
        core = _MARK.sub("", line).strip().lower()
        verbatim = len(core) >= _MIN_CHARS and core in known
        shared_runs = sorted(shingles(line, args.words) & runs)
        if verbatim or shared_runs:
            found += 1
            why = "verbatim" if verbatim else f"shares {shared_runs[0]!r}"
            print(f"{path.relative_to(args.data)}:{number}: {why}: {line[:100]}")
    print(f"{found} training lines overlap the evaluation data", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
