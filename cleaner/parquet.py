"""Parquet in and out for `cleaner batch`: the format LLM-data sets ship in.

A Parquet file is read like a JSONL file, row by row: the HTML from
`--html-field`, else the text from `--text-field` (a string or a binary
column: bytes are decoded as any page's bytes are), the id from `--id-field`,
and `--carry` columns copied into each output record. Only those columns are
read, a few rows at a time, so a file of any size takes little memory. A file
that cannot be opened, or is damaged part way, keeps the rows read before the
damage and adds one error record, as a damaged WARC does.

Written (`-o out.parquet`), each record is one row: the JSONL record's fields
as typed columns (`removed` a list of structs, `counts` a map), carried fields
as strings (a string as it is, any other value as its JSON), and text that
UTF-8 cannot hold (lone surrogates from JSON input) with backslash escapes,
as the folder output writes it. Rows go out in row groups of ROW_GROUP_ROWS;
the file is readable once closed, which a run does at its end, at Ctrl-C and
at SIGTERM; a run killed hard leaves a file without its footer. So
`--resume` does not read Parquet.

pyarrow is an optional dependency (`pip install 'cleaner[parquet]'`): it is
imported only when a Parquet file is read or written. It is what pandas,
polars' Parquet interchange and Hugging Face datasets read and write with,
and its row-batch reader reads only the columns asked for.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import json
from pathlib import Path
from typing import Any, Iterator

from .batch import CarriedSource, DocumentError, Item
from .batch_output import UsageError, record
from .errors import first_line

NEEDS_PYARROW = "reading or writing Parquet needs pyarrow: pip install 'cleaner[parquet]'"
ROWS_PER_READ = 64       # rows converted to Python at a time: a few MB of pages
ROW_GROUP_ROWS = 1_000   # rows per row group written: bounded memory, few groups


def is_parquet(path: Path | str) -> bool:
    return str(path).endswith(".parquet")


def _pyarrow() -> tuple[Any, Any]:
    """(pyarrow, pyarrow.parquet), or ImportError."""
    import pyarrow
    import pyarrow.parquet

    return pyarrow, pyarrow.parquet


def parquet_documents(path: Path, html: str, text: str) -> int | None:
    """How many records `parquet_rows` gives for a readable file, from its
    footer alone (for the progress bar's total); None when that is not known
    without reading it (no pyarrow, or a file that does not open)."""
    try:
        pa, pq = _pyarrow()
    except ImportError:
        return None
    try:
        table = pq.ParquetFile(path)
    except (OSError, pa.ArrowException):
        return None
    names = table.schema_arrow.names
    return table.metadata.num_rows if html in names or text in names else 1


def parquet_rows(path: Path, html: str, text: str, id_field: str, carry: tuple[str, ...]) -> Iterator[tuple[str, Item]]:
    """(source, item) for every row of a Parquet file, in order."""
    try:
        pa, pq = _pyarrow()
    except ImportError:
        yield str(path), DocumentError(0, f"cannot read {path}: {NEEDS_PYARROW}")
        return
    try:
        table = pq.ParquetFile(path)
        names = table.schema_arrow.names
    except (OSError, pa.ArrowException) as exc:
        yield str(path), DocumentError(0, f"cannot read {path}: {first_line(exc)}")
        return
    if html not in names and text not in names:
        yield str(path), DocumentError(0, f"{path} has no column {text!r} or {html!r} (its columns: {', '.join(names[:20])})")
        return
    wanted = [name for name in dict.fromkeys((html, text, id_field, *carry)) if name in names]
    row = 0
    try:
        for batch in table.iter_batches(batch_size=ROWS_PER_READ, columns=wanted):
            columns = [batch.column(name).to_pylist() for name in wanted]
            for values in zip(*columns):
                row += 1
                yield _row_item(path, row, dict(zip(wanted, values)), html, text, id_field, carry)
    except (OSError, pa.ArrowException) as exc:
        yield f"{path}:{row + 1}", DocumentError(0, f"cannot read {path} past row {row}: {first_line(exc)}")


def _row_item(path: Path, row: int, values: dict[str, Any], html: str, text: str, id_field: str,
              carry: tuple[str, ...]) -> tuple[str, Item]:
    """One row's (source, item): as a JSONL record's, its row number standing
    for its line number."""
    own_id = values.get(id_field)
    source = f"{path}:{row}" if own_id is None else str(_jsonable(own_id))
    if carry:
        source = CarriedSource(source, {name: _jsonable(values[name]) for name in carry if name in values})
    for kind, field in (("html", html), ("text", text)):
        document = values.get(field)
        if isinstance(document, (str, bytes)):
            return source, (kind, document)
    return source, DocumentError(0, f"row {row} has no string or binary value in {text!r} or {html!r}")


def _jsonable(value: Any) -> Any:
    """A Parquet value as a JSON value: dates and times in ISO 8601, decimals
    as their digits, bytes as UTF-8 text (base64 when they are not), maps and
    lists of those likewise."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        # pyarrow gives a map column as a list of (key, value) pairs
        return [_jsonable(v) for v in value]
    return str(value)


class ParquetSink:
    """One row per document, in the order results arrive (`batch_output.Sink`)."""

    wants_encoded = "record"  # the workers make each record's fields (and its Markdown)

    def __init__(self, target: str, carry: tuple[str, ...] = (), markdown: bool = False) -> None:
        try:
            pa, pq = _pyarrow()
        except ImportError as exc:
            raise UsageError(NEEDS_PYARROW) from exc
        self._pa = pa
        self.carry = carry
        self.schema = _schema(pa, carry, markdown)
        self._rows: list[dict] = []
        try:
            self._writer = pq.ParquetWriter(target, self.schema, compression="zstd")
        except (OSError, pa.ArrowException) as exc:
            raise UsageError(f"cannot write {target}: {first_line(exc)}") from exc

    def done(self, position: int, source: str) -> bool:
        return False  # --resume is refused for Parquet (batch_output.resume_problem)

    def write(self, position: int, source: str, result: Any) -> None:
        self._rows.append(self._row(source, result))
        if len(self._rows) >= ROW_GROUP_ROWS:
            self._write_group()

    def _row(self, source: str, result: Any) -> dict:
        row = record(source, result, include_text=True)
        for name in self.carry:
            if name in row and not isinstance(row[name], str) and row[name] is not None:
                row[name] = json.dumps(row[name], ensure_ascii=False)
        return row

    def flush(self) -> None:
        """Nothing: readers see a Parquet file only once its footer is written
        (`close`), and writing the rows held now, each time a pipe on stdin
        waits, would make many small row groups."""

    def _write_group(self) -> None:
        """Write the rows held as one row group."""
        if not self._rows:
            return
        rows, self._rows = self._rows, []
        try:
            table = self._pa.Table.from_pylist(rows, schema=self.schema)
        except (self._pa.ArrowException, UnicodeEncodeError):
            table = self._pa.Table.from_pylist([_utf8_safe(row) for row in rows], schema=self.schema)
        self._writer.write_table(table)

    def close(self) -> None:
        self._write_group()
        self._writer.close()


def _schema(pa: Any, carry: tuple[str, ...], markdown: bool) -> Any:
    """The columns of an output row: `source`, the carried fields (whose names
    `batch_output.check_carry` keeps apart from these), `error`, then the
    report's fields in JSONL order (`result.CleanResult.to_dict`)."""
    span = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("label", pa.string()), ("score", pa.float64()),
                      ("text", pa.string())])
    model = pa.struct([("name", pa.string()), ("version", pa.string()), ("sha256", pa.string())])
    fields = [("source", pa.string())] + [(name, pa.string()) for name in carry] + [
        ("error", pa.string()), ("schema", pa.string()), ("kind", pa.string()), ("model", model),
        ("threshold", pa.float64()), ("base_length", pa.int64()), ("text_length", pa.int64()),
        ("removed", pa.list_(span)), ("counts", pa.map_(pa.string(), pa.int64())), ("text", pa.string()),
    ]
    if markdown:
        fields.append(("markdown", pa.string()))
    return pa.schema(fields)


def _utf8_safe(value: Any) -> Any:
    """`value` with every string UTF-8 can hold: lone surrogates written as
    backslash escapes (as the folder output writes them)."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {k: _utf8_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_utf8_safe(v) for v in value]
    return value
