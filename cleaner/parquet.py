"""Parquet in and out for `cleaner batch`: the format LLM-data sets ship in.

A Parquet file is read like a JSONL file, row by row: the HTML from
`--html-field`, else the text from `--text-field` (a string or a binary
column: bytes are decoded as any page's bytes are), the id from `--id-field`,
and `--carry` columns copied into each output record. Only those columns are
read, a few rows at a time, so a file of any size takes little memory. A file
that cannot be opened, or is damaged part way, keeps the rows read before the
damage and adds one error record, as a damaged WARC does; a file whose rows
cannot be read (no document column, a column to read named twice) is one
error record.

Written (`-o out.parquet`), each record is one row: the JSONL record's fields
as typed columns (`removed` a list of structs, `counts` a map), and text that
UTF-8 cannot hold (lone surrogates from JSON input) with backslash escapes,
as the folder output writes it. A carried column keeps its own type when
every input is a Parquet file and those holding the column agree on its
type (`carried_types`): an int64 id stays int64, a timestamp a timestamp.
Otherwise carried fields are strings (a string as it is, any other value as
its JSON), since a JSONL field can hold a different kind of value in every
record. Rows go out in row groups of ROW_GROUP_ROWS;
the file is readable once closed, which a run does at its end, at Ctrl-C and
at SIGTERM; a run killed hard leaves a file without its footer. So
`--resume` does not read Parquet.

pyarrow is an optional dependency (`pip install -e '.[parquet]'` in a checkout, or `pip install pyarrow`): it is
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
from typing import Any, Iterable, Iterator

from .batch import CarriedSource, DocumentError, Item
from .batch_output import UsageError, record
from .errors import first_line
from .reading import has_suffix

NEEDS_PYARROW = "reading or writing Parquet needs pyarrow: pip install pyarrow (in a checkout: pip install -e '.[parquet]')"
ROWS_PER_READ = 64       # rows converted to Python at a time: a few MB of pages
ROW_GROUP_ROWS = 1_000   # rows per row group written: bounded memory, few groups


def is_parquet(path: Path | str) -> bool:
    return has_suffix(path, ".parquet")


def _pyarrow() -> tuple[Any, Any]:
    """(pyarrow, pyarrow.parquet), or ImportError."""
    import pyarrow
    import pyarrow.parquet

    return pyarrow, pyarrow.parquet


def parquet_documents(path: Path, html: str, text: str, id_field: str = "id", carry: tuple[str, ...] = ()) -> int | None:
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
    return 1 if _columns_problem(path, names, html, text, id_field, carry) else table.metadata.num_rows


def _columns_problem(path: Path, names: list[str], html: str, text: str, id_field: str, carry: tuple[str, ...]) -> str | None:
    """Why a file's rows cannot be read (it is then one error record), or None:
    it has neither document column, or a column to read appears twice (which
    one to read cannot be told; pyarrow writes such files)."""
    if html not in names and text not in names:
        return f"{path} has no column {text!r} or {html!r} (its columns: {', '.join(names[:20])})"
    twice = [name for name in dict.fromkeys((html, text, id_field, *carry)) if names.count(name) > 1]
    if twice:
        return f"{path} has more than one column named {twice[0]!r}: which to read cannot be told"
    return None


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
    problem = _columns_problem(path, names, html, text, id_field, carry)
    if problem:
        yield str(path), DocumentError(0, problem)
        return
    wanted = [name for name in dict.fromkeys((html, text, id_field, *carry)) if name in names]
    row = 0
    try:
        for batch in table.iter_batches(batch_size=ROWS_PER_READ, columns=wanted):
            columns = [_python_values(pa, batch.column(name)) for name in wanted]
            for values in zip(*columns):
                row += 1
                yield _row_item(path, row, dict(zip(wanted, values)), html, text, id_field, carry)
    except (OSError, pa.ArrowException) as exc:
        yield f"{path}:{row + 1}", DocumentError(0, f"cannot read {path} past row {row}: {first_line(exc)}")


def _python_values(pa: Any, column: Any) -> list:
    """A column's values as Python objects. Times in nanoseconds, which
    Python's datetime cannot hold (pyarrow raises ValueError, unless pandas
    is installed), become Arrow's text of them ("2023-11-14
    22:13:20.123456789"; durations their count), in lists, structs and maps
    too; so is a value Python cannot hold (a date past year 9999)."""
    kind = _python_safe(pa, column.type)
    column = column if kind == column.type else column.cast(kind)
    try:
        return column.to_pylist()
    except (ValueError, OverflowError):  # a date past year 9999, say: that value as Arrow's text
        return [_python_value(pa, column.slice(i, 1)) for i in range(len(column))]


def _python_value(pa: Any, one: Any) -> Any:
    """The value of a one-value column, or Arrow's text of it; the bytes of a
    string that is not UTF-8 (a writer that did not check, a damaged file),
    so that a page is decoded as any page's bytes are and a carried value is
    carried as bytes are. Such a string nested in a list or struct makes the
    rest of its file unreadable (an ArrowException: `parquet_pages`)."""
    try:
        return one.to_pylist()[0]
    except UnicodeDecodeError:
        return one.cast(pa.binary()).to_pylist()[0]
    except (ValueError, OverflowError):
        return one.cast(pa.string()).to_pylist()[0]


def _python_safe(pa: Any, kind: Any) -> Any:
    """`kind` with every nanosecond time type in it made a string."""
    types = pa.types
    if (types.is_timestamp(kind) or types.is_time64(kind) or types.is_duration(kind)) and kind.unit == "ns":
        return pa.string()
    if types.is_list(kind) or types.is_large_list(kind):
        inner = _python_safe(pa, kind.value_type)
        return kind if inner == kind.value_type else (pa.list_ if types.is_list(kind) else pa.large_list)(inner)
    if types.is_map(kind):
        key, item = _python_safe(pa, kind.key_type), _python_safe(pa, kind.item_type)
        return kind if (key, item) == (kind.key_type, kind.item_type) else pa.map_(key, item)
    if types.is_struct(kind):
        fields = [kind.field(i) for i in range(kind.num_fields)]
        safe = [field.with_type(_python_safe(pa, field.type)) for field in fields]
        return kind if safe == fields else pa.struct(safe)
    return kind


def _row_item(path: Path, row: int, values: dict[str, Any], html: str, text: str, id_field: str,
              carry: tuple[str, ...]) -> tuple[str, Item]:
    """One row's (source, item): as a JSONL record's, its row number standing
    for its line number."""
    own_id = values.get(id_field)
    source = f"{path}:{row}" if own_id is None else str(_jsonable(own_id))
    if carry:
        native = {name: values[name] for name in carry if name in values}
        source = CarriedSource(source, {name: _jsonable(value) for name, value in native.items()}, native)
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
        return format(value, "f")  # str() writes small and large ones with an exponent ("-1E-10")
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

    def __init__(self, target: str, carry: tuple[str, ...] = (), markdown: bool = False,
                 carry_types: dict[str, Any] | None = None) -> None:
        try:
            pa, pq = _pyarrow()
        except ImportError as exc:
            raise UsageError(NEEDS_PYARROW) from exc
        self._pa = pa
        self.carry = carry
        self.carry_types = carry_types or {}  # Arrow types of the carried columns that keep theirs
        self.schema = _schema(pa, carry, markdown, self.carry_types)
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
        native = source.native if isinstance(source, CarriedSource) else None
        for name in self.carry:
            if name in self.carry_types:
                row[name] = native.get(name) if native else None
            elif name in row and not isinstance(row[name], str) and row[name] is not None:
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
        except (self._pa.ArrowException, UnicodeEncodeError, TypeError, ValueError, OverflowError):
            table = self._pa.Table.from_pylist([self._writable(row) for row in rows], schema=self.schema)
        self._writer.write_table(table)

    def _writable(self, row: dict) -> dict:
        """`row` as its columns can take it: text UTF-8 cannot hold with
        backslash escapes, and a carried value its column's type cannot take
        (one read as text: `_python_values`) as null."""
        row = _utf8_safe(row)
        for name, kind in self.carry_types.items():
            try:
                self._pa.scalar(row.get(name), type=kind)
            except (self._pa.ArrowException, TypeError, ValueError, OverflowError):
                row[name] = None
        return row

    def close(self) -> None:
        self._write_group()
        self._writer.close()


def carried_types(files: Iterable[Path | None], carry: tuple[str, ...]) -> dict[str, Any]:
    """The Arrow type each carried column keeps in a Parquet output: its type
    in the input files, when every input is a Parquet file (None, stdin, is
    not) and all of them that hold the column agree on it. Read from the
    files' footers; a file that does not open is left out (its rows are one
    error record, with no carried values). Empty without pyarrow."""
    if not carry:
        return {}
    try:
        pa, pq = _pyarrow()
    except ImportError:
        return {}
    found: dict[str, set] = {}
    for file in files:
        if file is None or not is_parquet(file):
            return {}
        try:
            schema = pq.read_schema(file)
        except (OSError, pa.ArrowException):
            continue
        for name in carry:
            at = schema.get_all_field_indices(name)
            if at:  # a name given twice has no one type: two entries, so it stays a string
                found.setdefault(name, set()).update(schema.field(i).type for i in at)
    kept = {name: types.pop() for name, types in found.items() if len(types) == 1}
    # A type whose values are read as text (`_python_safe`) cannot take them back.
    return {name: kind for name, kind in kept.items() if _python_safe(pa, kind) == kind and _round_trips(pa, kind)}


def _round_trips(pa: Any, kind: Any) -> bool:
    """Whether values read from a column of this type (`to_pylist`) can be
    written back to one: plain, temporal and decimal values, strings and
    bytes, and lists, structs and maps of them. Extension and dictionary
    types, intervals and fixed-size lists stay strings."""
    types = pa.types
    if types.is_list(kind) or types.is_large_list(kind):
        # Not fixed-size lists: pyarrow 25 writes one holding a null that it cannot read back.
        return _round_trips(pa, kind.value_type)
    if types.is_map(kind):
        return _round_trips(pa, kind.key_type) and _round_trips(pa, kind.item_type)
    if types.is_struct(kind):
        return all(_round_trips(pa, kind.field(i).type) for i in range(kind.num_fields))
    if types.is_temporal(kind):
        return not types.is_interval(kind)
    plain = (types.is_null, types.is_boolean, types.is_integer, types.is_floating, types.is_decimal,
             types.is_string, types.is_large_string, types.is_binary, types.is_large_binary, types.is_fixed_size_binary)
    return any(test(kind) for test in plain)


def _schema(pa: Any, carry: tuple[str, ...], markdown: bool, carry_types: dict[str, Any]) -> Any:
    """The columns of an output row: `source`, the carried fields (whose names
    `batch_output.check_carry` keeps apart from these), `error`, then the
    report's fields in JSONL order (`result.CleanResult.to_dict`)."""
    span = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("label", pa.string()), ("score", pa.float64()),
                      ("text", pa.string())])
    model = pa.struct([("name", pa.string()), ("version", pa.string()), ("sha256", pa.string())])
    fields = [("source", pa.string())] + [(name, carry_types.get(name, pa.string())) for name in carry] + [
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
