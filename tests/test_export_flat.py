"""CSV and Parquet exports are flat: nested objects spread over `<field>_<key>` columns, types
fixed whatever the first rows hold, new fields flowing through, rows streamed; JSONL untouched."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bot.exporting import SAMPLE_ROWS, plan_columns, read_rows, write_csv, write_parquet, write_rows
from storage.export import BRIEF_FIELDS

BRIEF_JSON = ("platforms", "audio", "hashtags", "mentions", "emojis", "effects", "post_window", "pay")
LATE = SAMPLE_ROWS + 500  # rows before this one have every optional part null


def brief_row(i: int) -> dict[str, Any]:
    """A brief row in SPEC shape; the nested parts and numbers are null until row LATE."""
    late = i >= LATE
    return {
        "channel_id": 1734567890, "channel": "zadaniya_blogeram", "message_id": i,
        "posted_at": "2026-02-21T09:00:00+00:00", "language": "ru", "platforms": ["tiktok"],
        "audio": {"title": "Брат за брата", "artist": None, "url": None, "music_id": "706"} if late else None,
        "hashtags": ["МыВместе"], "mentions": [], "emojis": [], "caption": None, "script": None, "effects": [],
        "post_window": ({"start": "2026-02-22T18:00:00+03:00", "end": None} if late else None),
        "pay": {"min": 2000 if i % 2 else 0.5, "max": None, "currency": "RUB", "negotiable": True} if late else None,
        "min_followers": 100000 if late else None, "min_views": None, "delete_after": late,
        "delete_after_days": 2 if late else None, "confidence": 0.9,
        "brief_id": i + 1, "status": "withdrawn" if i % 3 == 1 else "active",
    }


def test_parquet_types_hold_when_the_first_rows_are_all_null(tmp_path: Path) -> None:
    path = tmp_path / "briefs.parquet"
    with path.open("wb") as fh:
        assert write_parquet((brief_row(i) for i in range(LATE + 2)), BRIEF_FIELDS, fh) == LATE + 2
    table = pq.read_table(path)
    types = {f.name: f.type for f in table.schema}
    assert types["pay_min"] == pa.float64() and types["pay_max"] == pa.float64()
    assert types["pay_negotiable"] == pa.bool_() and types["pay_currency"] == pa.string()
    assert types["post_window_start"] == pa.timestamp("us", tz="UTC")
    assert types["audio_music_id"] == pa.string() and types["min_followers"] == pa.int64()
    assert types["delete_after"] == pa.bool_() and types["delete_after_days"] == pa.float64()
    last = table.slice(LATE, 2).to_pylist()
    assert [r["pay_min"] for r in last] == [0.5, 2000.0]
    assert last[0]["pay_negotiable"] is True and last[0]["pay_max"] is None
    assert last[0]["post_window_start"].isoformat() == "2026-02-22T15:00:00+00:00"  # the instant, in UTC
    assert last[0]["audio_title"] == "Брат за брата" and last[0]["min_followers"] == 100000
    assert json.loads(last[0]["pay"]) == brief_row(LATE)["pay"]  # the JSON column is kept too
    assert table.slice(0, 1).to_pylist()[0]["pay_min"] is None


def test_csv_spreads_each_nested_object_beside_its_json_column(tmp_path: Path) -> None:
    out = io.StringIO()
    write_csv([brief_row(LATE + 1)], BRIEF_FIELDS, out)
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    cells = dict(zip(header, row, strict=True))
    assert header[header.index("pay"):header.index("pay") + 5] == ["pay", "pay_min", "pay_max", "pay_currency",
                                                                   "pay_negotiable"]
    assert [h for h in header if h.startswith(("audio", "post_window"))] == [
        "audio", "audio_title", "audio_artist", "audio_url", "audio_music_id",
        "post_window", "post_window_start", "post_window_end"]
    assert cells["pay_min"] == "2000" and cells["pay_max"] == "" and cells["pay_negotiable"] == "True"
    assert cells["post_window_start"] == "2026-02-22T18:00:00+03:00"  # CSV keeps the ISO text as in JSONL
    assert json.loads(cells["audio"])["music_id"] == cells["audio_music_id"] == "706"


def test_empty_export_still_has_every_known_column(tmp_path: Path) -> None:
    out = io.StringIO()
    assert write_csv([], BRIEF_FIELDS, out) == 0
    assert "pay_negotiable" in out.getvalue().splitlines()[0].split(",")
    path = tmp_path / "empty.parquet"
    with path.open("wb") as fh:
        write_parquet([], BRIEF_FIELDS, fh)
    table = pq.read_table(path)
    assert table.num_rows == 0 and table.schema.field("post_window_end").type == pa.timestamp("us", tz="UTC")


def test_new_top_level_fields_flow_through_typed_and_flattened(tmp_path: Path) -> None:
    def rows() -> Iterator[dict[str, Any]]:
        for i in range(3):
            row = brief_row(LATE + i)
            row["brief_id"] = 10 + i
            row["status"] = None if i == 0 else "active"
            row["reach"] = {"accounts": i, "share": 0.5}  # a dict-valued field nobody declared
            yield row

    path = tmp_path / "briefs.parquet"
    with path.open("wb") as fh:
        write_parquet(rows(), BRIEF_FIELDS, fh)
    table = pq.read_table(path)
    types = {f.name: f.type for f in table.schema}
    assert types["brief_id"] == pa.int64() and types["status"] == pa.string()
    assert types["reach_accounts"] == pa.int64() and types["reach_share"] == pa.float64()
    assert table.column_names[-5:] == ["brief_id", "status", "reach", "reach_accounts", "reach_share"]
    assert table.column("brief_id").to_pylist() == [10, 11, 12]
    out = io.StringIO()
    write_csv(rows(), BRIEF_FIELDS, out)
    header = out.getvalue().splitlines()[0].split(",")
    assert header[-5:] == ["brief_id", "status", "reach", "reach_accounts", "reach_share"]


def test_jsonl_stays_exactly_the_row(tmp_path: Path) -> None:
    out = tmp_path / "b.jsonl"
    write_rows([brief_row(LATE)], BRIEF_FIELDS, "jsonl", out, io.StringIO())
    assert json.loads(out.read_text(encoding="utf-8")) == brief_row(LATE)
    assert "pay_min" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_reading_back_skips_the_flattened_copies(tmp_path: Path, fmt: str) -> None:
    rows = [brief_row(i) for i in (0, LATE, LATE + 1)]
    out = tmp_path / f"b.{fmt}"
    write_rows(iter(rows), BRIEF_FIELDS, fmt, out, io.StringIO())
    assert list(read_rows(out, fmt, BRIEF_JSON)) == rows


def test_a_field_named_like_a_flattened_part_is_refused() -> None:
    with pytest.raises(ValueError, match="pay_min"):
        plan_columns(["pay", "pay_min"], [{"pay": {"min": 1}, "pay_min": 1}])


class _Pulled:
    """Rows handed out so far, so a sink can see how far ahead of its writes the reader ran."""

    def __init__(self, total: int) -> None:
        self.total, self.n = total, 0

    def rows(self) -> Iterator[dict[str, Any]]:
        for i in range(self.total):
            self.n += 1
            yield brief_row(i)


def test_csv_writes_while_reading_holding_at_most_the_sample() -> None:
    pulled = _Pulled(3 * SAMPLE_ROWS)
    ahead: list[int] = []

    class Sink(io.StringIO):
        lines = 0

        def write(self, s: str) -> int:
            Sink.lines += s.count("\n")
            ahead.append(pulled.n - (Sink.lines - 1))  # rows read but not yet written (less the header)
            return super().write(s)

    write_csv(pulled.rows(), BRIEF_FIELDS, Sink())
    assert max(ahead) <= SAMPLE_ROWS + 1 and Sink.lines == 3 * SAMPLE_ROWS + 1


def test_parquet_writes_row_groups_while_reading() -> None:
    pulled = _Pulled(4 * SAMPLE_ROWS)
    first_data_write: list[int] = []

    class Sink(io.BytesIO):
        def write(self, b: Any) -> int:
            if self.tell() > 4:  # past the 4-byte magic: a row group
                first_data_write.append(pulled.n)
            return super().write(b)

    write_parquet(pulled.rows(), BRIEF_FIELDS, Sink())
    assert first_data_write and first_data_write[0] <= 2 * SAMPLE_ROWS + 1 < pulled.total
