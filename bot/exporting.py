"""Writers for `briefwatch export`: JSON lines, CSV and Parquet from the same row dicts.

JSONL is the SPEC shape. CSV and Parquet are flat: nested values (media, audio, pay,
post_window, evidence, lists) are JSON text in their column, and in Parquet the datetime
columns are UTC timestamps; `read_rows` reverses both so exports round-trip.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from bot.files import output_file

FORMATS = ("jsonl", "csv", "parquet")
DATETIME_COLUMNS = frozenset({"posted_at", "edited_at", "deleted_at", "collected_at"})
# Typed scalar columns; every other column is text (nested values as JSON text). One table for
# the Parquet schema and for reading CSV back, so the two never disagree.
SCALAR_TYPES: dict[str, type] = {
    "channel_id": int, "message_id": int, "versions": int, "views": int, "reply_to": int,
    "min_followers": int, "min_views": int, "score": float, "confidence": float, "delete_after": bool,
    "delete_after_days": float,
}
_PARQUET_BATCH = 5000


def _flat(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


def write_csv(rows: Iterable[dict[str, Any]], fields: Sequence[str], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: _flat(v) for k, v in row.items()})
        n += 1
    return n


def _arrow_schema(fields: Sequence[str]) -> Any:
    import pyarrow as pa

    arrow = {int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
    columns = []
    for name in fields:
        if name in DATETIME_COLUMNS:
            columns.append(pa.field(name, pa.timestamp("us", tz="UTC")))
        else:
            columns.append(pa.field(name, arrow.get(SCALAR_TYPES.get(name, str), pa.string())))
    return pa.schema(columns)


def _arrow_value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in DATETIME_COLUMNS:
        return datetime.fromisoformat(value).astimezone(timezone.utc)
    return _flat(value)


def write_parquet(rows: Iterable[dict[str, Any]], fields: Sequence[str], out: IO[bytes]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema(fields)
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append({k: _arrow_value(k, row.get(k)) for k in fields})
            if len(chunk) >= _PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                n += len(chunk)
                chunk = []
        if chunk or n == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            n += len(chunk)
    return n


def write_rows(rows: Iterable[dict[str, Any]], fields: Sequence[str], fmt: str, out_path: Path | None,
               stdout: IO[str]) -> int:
    """Write rows in `fmt` to `out_path`, or to stdout when it is None."""
    if fmt == "parquet":
        if out_path is not None:
            with output_file(out_path, binary=True) as fh:
                return write_parquet(rows, fields, fh)
        # Parquet is written front to back (footer last), so a pipe works and nothing is buffered.
        stdout.flush()
        binary: IO[bytes] = stdout.buffer  # type: ignore[attr-defined]
        return write_parquet(rows, fields, binary)
    if out_path is not None:
        with output_file(out_path) as fh:
            return write_jsonl(rows, fh) if fmt == "jsonl" else write_csv(rows, fields, fh)
    return write_jsonl(rows, stdout) if fmt == "jsonl" else write_csv(rows, fields, stdout)


# --- reading back (round-trip tests and researchers' scripts) ------------------------------


def _unflat(name: str, value: Any, json_columns: frozenset[str]) -> Any:
    if name in json_columns and isinstance(value, str):
        return json.loads(value)
    return value


def read_rows(path: Path, fmt: str, json_columns: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Read an export back into the row dicts it was written from (JSON columns decoded)."""
    json_cols = frozenset(json_columns)
    if fmt == "jsonl":
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)
        return
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                yield {k: _csv_value(k, v, json_cols) for k, v in row.items()}
        return
    import pyarrow.parquet as pq

    for row in pq.read_table(path).to_pylist():
        yield {k: (v.isoformat() if isinstance(v, datetime) else _unflat(k, v, json_cols)) for k, v in row.items()}


def _csv_value(name: str, value: str, json_cols: frozenset[str]) -> Any:
    """CSV has only text: decode JSON columns and typed scalars; '' is null except for `text`."""
    if value == "":
        return "" if name == "text" else None
    if name in json_cols:
        return json.loads(value)
    kind = SCALAR_TYPES.get(name)
    if kind is bool:
        return value == "True"
    return kind(value) if kind is not None else value
