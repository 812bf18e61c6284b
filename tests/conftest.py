"""Shared fixtures: the real bundled model, and the ../shared data when present."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from cleaner import REMOVABLE_LABELS, Cleaner
from cleaner.spans import delete_spans

# Property tests draw the same examples on every run, so the suite passes or
# fails the same way everywhere (a rare example found by chance in CI would
# block a change it has nothing to do with). To look for new counterexamples:
# HYPOTHESIS_PROFILE=explore python -m pytest tests/test_properties.py
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CLEANER_SHARED", REPO.parent / "shared"))
EXAMPLES = REPO / "examples"

# A short article page, for cases that put something between its paragraphs.
PAGE_HEAD = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Reservoirs recover</title></head><body><main><article>'
             "<h1>Reservoirs recover after wet spring</h1>"
             "<p>The regional water authority said on Monday that reservoir levels had recovered to 84 per cent of capacity after a wet spring, the highest figure for the time of year since 2014.</p>"
             "<p>Engineers had warned in January that a dry summer could force hosepipe restrictions for the first time in a decade, and the authority spent the winter repairing leaking mains across the district.</p>")
PAGE_TAIL = ("<p>Customers will see no change to their bills this year, the authority said, although a planned review of charges will go ahead in the autumn as scheduled.</p>"
             "<p>The authority will publish its next reservoir report in July, when it expects levels to begin their usual summer fall.</p>"
             "</article></main></body></html>")


def stage_two_says(monkeypatch, score_of) -> None:
    """Make the in-context scores what `score_of(line text)` says (a number:
    every line), whatever the model says, so a test of a rule after the model
    holds for any retrained model. Stage one's reading (`looks_like`) stays
    the model's own."""
    from cleaner import pipeline
    from cleaner.smoothing import smooth_lists

    real_decide = pipeline.Cleaner._decide
    score = score_of if callable(score_of) else lambda _text: score_of

    def decide(self, base, view, threshold, probs, in_context):
        scores = [score(b.text) for b in view.blocks]

        def fake_smooth(junk, runs, items=None):
            smoothed, sizes = smooth_lists(junk, runs, items)
            smoothed[:] = scores
            return smoothed, sizes

        monkeypatch.setattr(pipeline, "smooth_lists", fake_smooth)
        return real_decide(self, base, view, threshold, probs, in_context)

    monkeypatch.setattr(pipeline.Cleaner, "_decide", decide)


def shared_or_skip(*parts: str) -> Path:
    """Path under ../shared, or skip: a user's own clone has no shared/ (CI has)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared evaluation data ships only with the project's CI, not with a clone")
    return path


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner()


def assert_exact_report(result, original: str | None = None) -> None:
    """The report is exact: spans in order and in bounds, each naming the text
    it covers and labelled with a removal label, deleting them gives `text`,
    putting them back gives `base` (and `base` is `original`, when given)."""
    if original is not None:
        assert result.base == original
    assert result.restore() == result.base
    assert delete_spans(result.base, result.removed) == result.text
    end = 0
    for span in result.removed:
        assert end <= span.start < span.end <= len(result.base)
        assert result.base[span.start:span.end] == span.text
        assert span.label in REMOVABLE_LABELS, span
        end = span.end


def assert_within_floors(row, floors: dict[str, float], name: str) -> None:
    """Every figure of an evaluation row at or above its floor (a key ending
    in "_max" is a ceiling on the figure it names)."""
    for key, floor in floors.items():
        if key.endswith("_max"):
            value = getattr(row, key[: -len("_max")])
            assert value <= floor, f"{name}: {key[:-4]} {value:.3f} above its ceiling {floor}"
        else:
            value = getattr(row, key)
            assert value >= floor, f"{name}: {key} {value:.3f} below its floor {floor}"


@pytest.fixture
def timers_fire_anywhere(monkeypatch):
    """For tests whose time limit fires: dropped exceptions are counted, not
    reported. The SIGALRM of a limit can land where Python drops exceptions
    (a weakref callback or a __del__ the garbage collector runs: "Exception
    ignored in ..."), and then fires again until its block ends
    (`timelimit.REFIRE_SECONDS`), possibly inside the hook that reports the
    dropped one; pytest's hook, interrupted so, fails the test ("Failed to
    process unraisable exception", seen once on a busy machine). This hook
    does nothing an interruption could break."""
    dropped: list[type] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: dropped.append(unraisable.exc_type))
    return dropped

