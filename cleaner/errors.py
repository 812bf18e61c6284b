"""The library's own exception types.

The CLI turns each of these into a one-line message and an exit code; anything
else escaping the library is a bug.
"""

from __future__ import annotations


class CleanerError(Exception):
    """Base class: every error the library raises on purpose."""

    exit_code = 1


class InputError(CleanerError):
    """The document cannot be cleaned: undecodable, binary, or over a limit."""

    exit_code = 2


class ModelError(CleanerError):
    """The model file is missing, tampered with, or from an incompatible version."""

    exit_code = 3
