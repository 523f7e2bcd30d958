"""Writers for `briefwatch export`: JSON lines, CSV and Parquet from the same row dicts.

JSONL is the SPEC shape, untouched. CSV and Parquet are flat tables, built by one plan
(`plan_columns`) so the two always have the same columns:

- Every top-level field is a column: `fields` in their order, then any other key the rows carry,
  so a field added to the rows shows up without a change here. A nested object or a list is
  JSON text in its column.
- Every nested object (`pay`, `post_window`, `audio`, `media`, `evidence`, or any other
  dict-valued field) is also spread over one column per key, named `<field>_<key>`:
  `pay_min`, `pay_max`, `pay_currency`, `pay_negotiable`, `post_window_start`,
  `post_window_end`, `audio_title`, `audio_artist`, `audio_url`, `audio_music_id`; all null
  when the object is. Its keys are the known ones (record_keys()), then any other key seen in
  the first SAMPLE_ROWS rows; a key first seen later stays in the JSON column only.
- Column types do not depend on which rows come first: known columns are typed by
  column_types(), any other by its values in the first SAMPLE_ROWS rows (text when all null).
  Parquet stores numbers as int64/float64, booleans as bool, every datetime column (the
  archive's times and the flattened `post_window_start`/`end`) as timestamp[us, UTC], and text
  and JSON text as strings. CSV holds text: datetimes are ISO 8601 with their offset, as in
  JSONL; booleans `True`/`False`; null is the empty cell.

Rows are streamed: only SAMPLE_ROWS rows (and one Parquet batch) are in memory at a time.
`read_rows` reverses all this, so exports round-trip.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any, Literal

from bot.files import output_file

FORMATS = ("jsonl", "csv", "parquet")
Kind = Literal["int", "float", "bool", "datetime", "text", "json"]
SAMPLE_ROWS = 5000

@cache
def record_keys() -> dict[str, tuple[str, ...]]:
    """The keys of each known nested object, in column order (SPEC "Message", "Brief", "Match").

    Built on first use, not at import: `export --help` must not load the parser or SQLAlchemy.
    """
    from parsers.brief import Audio, Pay, PostWindow
    from storage.matches import EXPORTED_EVIDENCE

    return {
        "media": ("type", "performer", "title", "file", "sha256", "size", "path", "status"),
        "audio": tuple(Audio().to_json()),
        "post_window": tuple(PostWindow().to_json()),
        "pay": tuple(Pay().to_json()),
        "evidence": EXPORTED_EVIDENCE,
    }


@cache
def column_types() -> dict[str, Kind]:
    """Known column types across every export (a name means the same thing wherever it appears).
    Unlisted columns are typed from the first rows' values; text when those are all null."""
    evidence = record_keys()["evidence"]
    return {
        # archive (messages, and the archive fields of briefs and matches)
        "channel_id": "int", "message_id": "int", "versions": "int", "views": "int", "reply_to": "int",
        "posted_at": "datetime", "edited_at": "datetime", "deleted_at": "datetime", "collected_at": "datetime",
        "media": "json", "media_size": "int",
        # briefs; `brief_id` is the SPEC's stable id that `export briefs` adds
        "brief_id": "int", "platforms": "json", "audio": "json", "hashtags": "json", "mentions": "json",
        "emojis": "json", "effects": "json", "post_window": "json", "pay": "json", "min_followers": "int",
        "min_views": "int", "delete_after": "bool", "delete_after_days": "float", "confidence": "float",
        "post_window_start": "datetime", "post_window_end": "datetime",
        "pay_min": "float", "pay_max": "float", "pay_negotiable": "bool",
        # matches
        "score": "float", "evidence": "json", **{f"evidence_{key}": "float" for key in evidence},
        # videos
        "likes": "int", "comments": "int", "shares": "int", "observations": "int", "music_original": "bool",
        "counts_seen_at": "datetime", "first_seen_at": "datetime", "updated_at": "datetime",
    }


_PARQUET_BATCH = 5000


@dataclass(frozen=True)
class Column:
    """One column of a flat export: `row[field]`, or `row[field][key]` for a flattened part."""

    name: str
    field: str
    key: str | None
    kind: Kind


def _kind_of(value: Any) -> Kind:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, (dict, list)):
        return "json"
    return "text"


def _infer(values: Iterable[Any]) -> Kind:
    kinds = {_kind_of(v) for v in values if v is not None}
    if len(kinds) == 1:
        return kinds.pop()
    if kinds == {"int", "float"}:
        return "float"
    return "json" if "json" in kinds else "text"


def plan_columns(fields: Sequence[str], sample: Sequence[dict[str, Any]]) -> list[Column]:
    """The flat columns for rows like `sample` (the first rows of the export): see the module doc."""
    columns: list[Column] = []
    known_keys, types = record_keys(), column_types()
    for field in dict.fromkeys([*fields, *(key for row in sample for key in row)]):
        values = [row.get(field) for row in sample]
        nested = [v for v in values if isinstance(v, dict)]
        is_record = field in known_keys or bool(nested)
        kind = types.get(field) or ("json" if is_record else _infer(values))
        columns.append(Column(field, field, None, kind))
        if not is_record:
            continue
        for key in dict.fromkeys([*known_keys.get(field, ()), *(k for v in nested for k in v)]):
            name = f"{field}_{key}"
            columns.append(Column(name, field, key, types.get(name) or _infer(v.get(key) for v in nested)))
    names = [c.name for c in columns]
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise ValueError(f"export columns clash: {', '.join(clashes)} is both a field and a flattened part")
    return columns


def _value(column: Column, row: dict[str, Any]) -> Any:
    value = row.get(column.field)
    if column.key is None:
        return value
    return value.get(column.key) if isinstance(value, dict) else None


def _json_text(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _peek(rows: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], Iterator[dict[str, Any]]]:
    """The first SAMPLE_ROWS rows, and an iterator over all rows (those first ones included)."""
    iterator = iter(rows)
    sample = list(islice(iterator, SAMPLE_ROWS))
    return sample, chain(sample, iterator)


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


def write_csv(rows: Iterable[dict[str, Any]], fields: Sequence[str], out: IO[str]) -> int:
    sample, stream = _peek(rows)
    columns = plan_columns(fields, sample)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    n = 0
    for row in stream:
        writer.writerow([_json_text(_value(c, row)) for c in columns])
        n += 1
    return n


def _arrow_type(kind: Kind) -> Any:
    import pyarrow as pa

    if kind == "datetime":
        return pa.timestamp("us", tz="UTC")
    return {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}.get(kind, pa.string())


def _arrow_value(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        when = value if isinstance(value, datetime) else datetime.fromisoformat(value)
        return when.astimezone(timezone.utc)
    if kind in ("text", "json"):
        text = _json_text(value)
        return text if isinstance(text, str) else str(text)
    return value


def write_parquet(rows: Iterable[dict[str, Any]], fields: Sequence[str], out: IO[bytes]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sample, stream = _peek(rows)
    columns = plan_columns(fields, sample)
    schema = pa.schema([pa.field(c.name, _arrow_type(c.kind)) for c in columns])
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        chunk: list[list[Any]] = [[] for _ in columns]

        def flush() -> None:
            arrays = [pa.array(values, type=field.type) for values, field in zip(chunk, schema, strict=True)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            for values in chunk:
                values.clear()

        pending = 0
        for row in stream:
            for values, column in zip(chunk, columns, strict=True):
                values.append(_arrow_value(column.kind, _value(column, row)))
            pending += 1
            if pending >= _PARQUET_BATCH:
                flush()
                n += pending
                pending = 0
        if pending or n == 0:
            flush()
            n += pending
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


def _flattened(names: Iterable[str], json_cols: frozenset[str]) -> frozenset[str]:
    """Columns that are a JSON column's parts (`pay_min` beside `pay`): the JSON column holds them."""
    names = list(names)
    parents = [j + "_" for j in json_cols if j in names]
    return frozenset(n for n in names if n.startswith(tuple(parents)))


def read_rows(path: Path, fmt: str, json_columns: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Read an export back into the row dicts it was written from (JSON columns decoded).

    The flattened parts of the JSON columns named in `json_columns` are left out: the decoded
    JSON column is the same data.
    """
    json_cols = frozenset(json_columns)
    if fmt == "jsonl":
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)
        return
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            skip = _flattened(reader.fieldnames or (), json_cols)
            for row in reader:
                yield {k: _csv_value(k, v, json_cols) for k, v in row.items() if k not in skip}
        return
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    skip = _flattened(table.column_names, json_cols)
    for row in table.drop_columns(list(skip)).to_pylist():
        yield {k: (v.isoformat() if isinstance(v, datetime) else _unflat(k, v, json_cols)) for k, v in row.items()}


def _unflat(name: str, value: Any, json_cols: frozenset[str]) -> Any:
    if name in json_cols and isinstance(value, str):
        return json.loads(value)
    return value


def _csv_value(name: str, value: str, json_cols: frozenset[str]) -> Any:
    """CSV has only text: decode JSON columns and typed scalars; '' is null except for `text`."""
    if value == "":
        return "" if name == "text" else None
    if name in json_cols:
        return json.loads(value)
    kind = column_types().get(name)
    if kind == "bool":
        return value == "True"
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return value
