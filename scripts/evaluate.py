"""Score the cleaner and the baselines (trafilatura, the C4 line rule, jusText) on ../shared and print one table.

    python scripts/evaluate.py [--shared ../shared] [--sets seed,aeb,traf,injected-text,injected-html]
                               [--baselines trafilatura,c4,justext] [--limit N] [--json out.json]
                               [--cleaner MODULE:ATTR] [--baseline-only] [--model PATH] [--threshold T] [--fast]

A set may also be a path to a labelled JSONL file of our own (same format as
eval/injected/text.jsonl), scored with the line metric, or a folder of
annotated files (cleaner/annotated.py). `heldout-text` and `heldout-html` name
the project's own held-out sets (tests/heldout/): documents written apart from
training_data/ and never trained on, scored by default after the shared sets.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.baselines import BASELINES, DEFAULT_BASELINES, pick_baselines  # noqa: E402
from cleaner.evaluation import SETS, evaluate, format_by_label, format_table, import_object  # noqa: E402
from cleaner.pipeline import DEFAULT_THRESHOLDS_TEXT  # noqa: E402


HELDOUT = {"heldout-text": ROOT / "tests" / "heldout" / "text", "heldout-html": ROOT / "tests" / "heldout" / "html"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="default: ../shared")
    parser.add_argument("--sets", default=",".join((*SETS, *HELDOUT)),
                        help="comma-separated set names, .jsonl paths or folders of annotated files")
    parser.add_argument("--limit", type=_positive, help="score only the first N documents of each set")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    parser.add_argument("--cleaner", default="cleaner:Cleaner", help="factory of the cleaner under test (MODULE:ATTR)")
    parser.add_argument("--model", type=Path, help="score this model file (your own, so it is trusted) instead of the bundled one")
    parser.add_argument("--threshold", type=float, help=f"junk probability threshold (default: the package's, {DEFAULT_THRESHOLDS_TEXT})")
    parser.add_argument("--fast", action="store_true", help="score the cleaner with trafilatura's fast mode for HTML (cleaner --fast)")
    parser.add_argument("--baselines", default=",".join(DEFAULT_BASELINES),
                        help=f"comma-separated systems scored next to the cleaner, from {', '.join(BASELINES)}; "
                             "none: an empty string (default: all; jusText only when installed)")
    parser.add_argument("--baseline-only", action="store_true", help="score the baselines alone")
    return parser.parse_args(argv)


def _positive(value: str) -> int:
    """A whole number of 1 or more (a limit of 0 scored no documents, reported as perfect)."""
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {number}")
    return number


def _names(option: str) -> list[str]:
    """The names of a comma-separated option, blanks dropped."""
    return [name.strip() for name in option.split(",") if name.strip()]


def _cleaner(args: argparse.Namespace) -> Any:
    """The cleaner under test, as the options say (None: baselines only)."""
    if args.baseline_only:
        return None
    if args.model is not None or args.threshold is not None or args.fast:
        from cleaner import Cleaner, ExtractOptions

        return Cleaner(threshold=args.threshold, model_path=args.model, trust_model=args.model is not None,
                       extract_options=ExtractOptions(fast=args.fast))
    try:
        return import_object(args.cleaner)()
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"--cleaner {args.cleaner}: {exc}") from exc


def main(argv: list[str] | None = None) -> int:
    from cleaner import CleanerError

    args = parse_args(argv)
    sets = _names(args.sets)
    try:
        cleaner = _cleaner(args)
        baselines = pick_baselines(_names(args.baselines))
        rows = evaluate(args.shared, cleaner, sets=sets, limit=args.limit, baselines=baselines, named=HELDOUT)
    except (ValueError, CleanerError) as exc:  # a bad option, set or model: one line, as from `cleaner eval`
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not rows:
        print("error: no set could be scored", file=sys.stderr)
        return 1
    print(format_table(rows))
    by_label = format_by_label(rows)
    if by_label:
        print("\n" + by_label)
    if args.json:
        try:
            args.json.write_text(json.dumps([asdict(row) for row in rows], indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"error: cannot write {args.json}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
