"""Inputs and outputs of `cleaner batch`: files, folders, JSONL streams.

Reading never raises for one bad input: a file that cannot be read or a JSONL
line that is not a valid record becomes a DocumentError in its place, so every
input record yields exactly one output record.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator

from .batch import DocumentError, Item


@dataclass(frozen=True, slots=True)
class Fields:
    """Which JSONL fields hold the text, the HTML and the record's id."""

    text: str = "text"
    html: str = "html"
    id: str = "id"


def _is_jsonl(path: Path) -> bool:
    return path.name.endswith((".jsonl", ".jsonl.gz"))


def _open_text(path: Path) -> IO[str]:
    raw = gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace")


def _records(stream: IO[str], origin: str, fields: Fields) -> Iterator[tuple[str, Item]]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        source = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield source, DocumentError(0, f"line {number} is not JSON: {exc.msg}")
            continue
        if not isinstance(record, dict):
            yield source, DocumentError(0, f"line {number} is not a JSON object")
            continue
        source = str(record.get(fields.id, source))
        if isinstance(record.get(fields.html), str):
            yield source, ("html", record[fields.html])
        elif isinstance(record.get(fields.text), str):
            yield source, ("text", record[fields.text])
        else:
            yield source, DocumentError(0, f"record has no string field {fields.text!r} or {fields.html!r}")


def iter_inputs(inputs: list[str], fields: Fields, pattern: str = "*", stdin: IO[str] | None = None) -> Iterator[tuple[str, Item]]:
    """(source, item) for every document named by `inputs`, in order."""
    for name in inputs:
        if name == "-":
            yield from _records(stdin or sys.stdin, "stdin", fields)
            continue
        path = Path(name)
        if path.is_dir():
            files = sorted(p for p in path.rglob(pattern) if p.is_file())
        elif path.exists():
            files = [path]
        else:
            yield name, DocumentError(0, f"no such file: {name}")
            continue
        for file in files:
            if _is_jsonl(file):
                try:
                    with _open_text(file) as stream:
                        yield from _records(stream, str(file), fields)
                except (OSError, EOFError) as exc:
                    yield str(file), DocumentError(0, f"cannot read {file}: {exc}")
                continue
            try:
                yield str(file), file.read_bytes()
            except OSError as exc:
                yield str(file), DocumentError(0, f"cannot read {file}: {exc.strerror}")


def open_output(target: str) -> IO[str]:
    """A text stream for `target`: "-" is stdout, ".gz" is gzip-compressed."""
    if target == "-":
        return sys.stdout
    path = Path(target)
    if path.name.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "wb"), encoding="utf-8")
    return path.open("w", encoding="utf-8")


def reopen_for_resume(target: str) -> tuple[IO[str], int]:
    """Open an interrupted run's output to continue it: drop a last record cut
    off mid-write, count the whole records, and append after them. Output is in
    input order, so that count is how many inputs are done."""
    path = Path(target)
    if target == "-" or path.name.endswith(".gz"):
        raise ValueError("--resume needs a plain .jsonl output file")
    if not path.exists():
        return path.open("w", encoding="utf-8"), 0
    data = path.read_bytes()
    whole = data[: data.rfind(b"\n") + 1]
    if len(whole) != len(data):
        with path.open("r+b") as f:
            f.truncate(len(whole))
    return path.open("a", encoding="utf-8"), whole.count(b"\n")
