"""The library's own exception types.

The CLI turns each of these into a one-line message and an exit code; anything
else escaping the library is a bug.
"""

from __future__ import annotations

import os
import sys


def detach_stdout() -> None:
    """Point standard output at /dev/null once its reader went away (`| head`),
    so the interpreter's own last flush does not print a BrokenPipeError
    traceback on the way out."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message, for a one-line error: lxml,
    pyarrow and trafilatura put context on the lines after it."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no message"


class CleanerError(Exception):
    """Base class: every error the library raises on purpose."""

    exit_code = 1


class InputError(CleanerError):
    """The document cannot be cleaned: undecodable, binary, or over a limit."""

    exit_code = 2


class ModelError(CleanerError):
    """The model file is missing, tampered with, or from an incompatible version."""

    exit_code = 3


class InternalError(CleanerError):
    """A bug in cleaner met while cleaning one document of several
    (`Cleaner.clean_each`): it stands in that document's place, so the
    others keep their results. The original exception is its __cause__."""

    exit_code = 70

    @classmethod
    def of(cls, exc: Exception) -> "InternalError":
        error = cls(f"internal error: {type(exc).__name__}: {exc} (a bug in cleaner; please report it)")
        error.__cause__ = exc
        return error
