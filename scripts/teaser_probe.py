"""Inline teasers that open with a label, and content lines that do too.

    python scripts/teaser_probe.py [--model FILE]

A teaser such as "Related: <headline>" or "À lire aussi : <headline>" between
two paragraphs is the commonest single junk line a scraper leaves in, and the
hardest for a bag of words: the headline reads like a subheading. Each of the
authored lines below (written for this probe, not taken from ../shared) goes
between the paragraphs of three authored articles, and the probe prints the
score of every placement and how many lines the model removed: all of the
teasers should go and all of the content should stay.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import Cleaner  # noqa: E402

ARTICLES = [
    ["The city council met on Tuesday to discuss the new budget for the coming year, which includes funding for road repairs.",
     "Council members argued for several hours about the proposed cuts to the library system and parks department.",
     "In the end, the budget passed by a vote of seven to two, with the mayor promising a review in six months."],
    ["The striker scored twice in the second half as the home side came from behind to win their third match in a row.",
     "Her first goal came from a corner that the visiting goalkeeper failed to hold, and the second from a long run down the left.",
     "The result lifts the club to fourth place, two points behind the leaders with eight games left to play."],
    ["Researchers at the university followed more than two thousand volunteers for a decade to track how sleep changes with age.",
     "They found that people who slept less than six hours a night were more likely to report memory problems later on.",
     "The team cautioned that the study shows a link, not a cause, and said more work is needed."],
]
TEASERS = [
    "Related: Ferry operator adds late sailings for the summer season",
    "Read next: Five questions to ask before you refinance",
    "Trending: Zoo welcomes twin snow leopard cubs",
    "Don't miss: The quiet village that makes the world's best cheese",
    "See also: How a heat pump really works",
    "Also read: Why your phone battery drains faster in winter",
    "MORE: Hospital opens new children's wing",
    "Related Story: Teachers vote to accept new pay offer",
    "Recommended: The best hiking trails within an hour of the city",
    "Watch: Drone footage shows flooded farmland",
    "Lesen Sie auch: Neue Radwege für die Innenstadt",
    "À lire aussi : Le marché de Noël ouvre ses portes",
    "Lee también: Los mejores destinos para el verano",
    "Popular now: Singer cancels tour dates after illness",
    "You may also like: Ten easy dinners for busy weeknights",
    "ALSO READ | Airline adds direct flights to Lisbon",
]
CONTENT = [
    "Update: The council will meet again next week to finalise the plan.",
    "Analysis: Why the vote matters for the region",
    "Note: Figures are adjusted for inflation.",
    "Q: How long did the work take?",
    "Background",
    "What happens next",
    "Step 2: Remove the old filter and rinse the housing.",
    "Key findings:",
    "Related research has found a similar pattern in older adults.",
    "Read the full report on the authority's website, where the data tables are also published.",
    "Trending upward: prices have risen for six months in a row.",
    "Correction: An earlier version of this article gave the wrong date for the meeting.",
]


def removal_score(cleaner: Cleaner, text: str, line: str) -> float:
    """The score of the removed span holding `line` when `text` is cleaned (0 when it was kept)."""
    result = cleaner.clean(text, kind="text")
    return max((span.score for span in result.removed if line in span.text), default=0.0)


def placed_scores(cleaner: Cleaner, line: str) -> list[float]:
    """The line's removal score in each article (0 when it was kept)."""
    return [removal_score(cleaner, "\n\n".join([first, second, line, third]), line) for first, second, third in ARTICLES]


def probe_cleaner(argv: list[str] | None, description: str) -> Cleaner:
    """The cleaner a probe script scores: the bundled model, or --model FILE."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--model", type=Path, help="a model file of your own (trusted); default: the bundled one")
    args = parser.parse_args(argv)
    return Cleaner(model_path=args.model, trust_model=True) if args.model else Cleaner()


def main(argv: list[str] | None = None) -> int:
    cleaner = probe_cleaner(argv, __doc__.splitlines()[0])
    removed = {"teaser": 0, "content": 0}
    print("| kind | scores in the three articles | line |\n| --- | --- | --- |")
    for kind, lines in (("teaser", TEASERS), ("content", CONTENT)):
        for line in lines:
            scores = placed_scores(cleaner, line)
            removed[kind] += sum(score > 0 for score in scores)
            print(f"| {kind} | {' '.join(f'{score:.2f}' for score in scores)} | {line} |")
    print(f"\nteasers removed: {removed['teaser']} of {len(TEASERS) * len(ARTICLES)}; "
          f"content lines removed: {removed['content']} of {len(CONTENT) * len(ARTICLES)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
