"""cleaner: clean article text from scraped pages, and say exactly what was removed.

    >>> from cleaner import clean
    >>> result = clean(page_html)           # or plain text, str or bytes
    >>> result.text, result.removed

See README.md for the CLI, the report format and measured quality.
"""

from __future__ import annotations

from .errors import CleanerError, InputError, InternalError, ModelError
from .extract import ExtractOptions
from .labels import JUNK_LABELS, LABELS, REMOVABLE_LABELS
from .pipeline import Cleaner, clean
from .result import BlockDecision, CleanResult, ModelInfo, RemovedSpan

__version__ = "0.1.0"

__all__ = [
    "BlockDecision", "CleanResult", "Cleaner", "CleanerError", "ExtractOptions", "InputError", "InternalError",
    "JUNK_LABELS", "LABELS", "REMOVABLE_LABELS", "ModelError", "ModelInfo", "RemovedSpan", "clean", "__version__",
]
