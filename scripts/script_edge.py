"""What the dev scripts share at their edge: argument types that refuse
nonsense before minutes of work, and one line on stderr instead of a
traceback when a path, a model or a number is wrong (as `cleaner` does)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable


def count(text: str) -> int:
    """A number of documents: a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def seeds(text: str) -> list[int]:
    """Comma-separated whole numbers: "901,902"."""
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not comma-separated whole numbers: {text!r}") from None
    if not values:
        raise argparse.ArgumentTypeError("give at least one seed")
    return values


def thresholds(text: str) -> tuple[float, float]:
    """TEXT,HTML thresholds, each on [0, 1]: "0.65,0.60"."""
    parts = text.split(",")
    try:
        values = tuple(float(part) for part in parts)
    except ValueError:
        values = ()
    if len(values) != 2 or not all(0.0 <= value <= 1.0 for value in values):
        raise argparse.ArgumentTypeError(f"want TEXT,HTML thresholds between 0 and 1, got {text!r}")
    return values[0], values[1]


def run(main: Callable[[], int | None]) -> int:
    """main(), its expected failures as one line on stderr and exit code 2."""
    from cleaner.errors import CleanerError, detach_stdout

    try:
        return main() or 0
    except BrokenPipeError:  # the reader went away (`| head`): nothing to say
        detach_stdout()
        return 1
    except (CleanerError, ValueError, OSError) as exc:  # JSONDecodeError is a ValueError
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        where = f"{exc.filename}: " if isinstance(exc, OSError) and exc.filename else ""
        print(f"error: {where}{detail}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
