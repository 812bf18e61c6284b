"""Shared fixtures: the real bundled model, and the ../shared data when present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cleaner import Cleaner

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CLEANER_SHARED", REPO.parent / "shared"))
EXAMPLES = REPO / "examples"


def shared_or_skip(*parts: str) -> Path:
    """Path under ../shared, or skip: a user's own clone has no shared/ (CI has)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared evaluation data ships only with the project's CI, not with a clone")
    return path


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner()
